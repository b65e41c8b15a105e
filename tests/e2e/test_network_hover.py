"""The Network view's hover: the exact weight under the pointer, as in TensorFlow Playground, read from
the same frame the diagram draws; a unit's activation and mean a; following the frames and the timeline
while the pointer stays still; inside the canvas in normal layout and in full screen. And the input
nodes of a 2-D set, which show their features over the plane (x a ramp, sin x stripes)."""

from __future__ import annotations

from typing import Any

import pytest
from appsteps import fullscreen, leave_fullscreen, load_preset, train_long, view_tab
from pagechecks import CANVAS_HAS_INK

pytestmark = pytest.mark.e2e

VIEW = "[data-testid='view-network']"
TIP = "[data-testid='network-tooltip']"

# The newest frame's step and, per weighted layer, its id, n_in, W_values and a_mean.
LATEST = """() => {
  const f = window.__glassnet.hub.latest;
  return f && {
    step: f.step,
    layers: f.layers.map((l) => ({
      id: l.id,
      n_in: l.n_in,
      W: l.W_values ? Array.from(l.W_values) : null,
      a_mean: l.a_mean ? Array.from(l.a_mean) : null,
    })),
  };
}"""
# Where the diagram's nodes are, in page pixels: the canvas publishes its layout in CSS px of the canvas.
LAYOUT = f"""() => {{
  const c = document.querySelector("{VIEW} canvas");
  const r = c.getBoundingClientRect();
  const l = JSON.parse(c.dataset.layout);
  return {{
    node: l.node,
    columns: l.columns.map((col) => ({{ id: col.id, x: r.left + col.x, ys: col.ys.map((y) => r.top + y) }})),
  }};
}}"""
BOXES = f"""() => {{
  const box = (el) => {{ const b = el.getBoundingClientRect(); return {{x: b.left, y: b.top, width: b.width, height: b.height}}; }};
  return {{
    tip: box(document.querySelector("{TIP}")),
    canvas: box(document.querySelector("{VIEW} canvas")),
  }};
}}"""
VIEW_STEP = f"""() => {{
  const m = /^step (\\d+)/.exec(document.querySelector("{VIEW} [data-testid='timeline-label']")?.textContent ?? "");
  return m ? Number(m[1]) : null;
}}"""


def _toggle_play(page: Any) -> None:
    # A click through the DOM: the mouse stays where the test put it (over the diagram).
    page.evaluate("() => document.querySelector(\"[data-testid='play']\").click()")


def _pause(page: Any) -> None:
    """Pause a training run once the app has it running (a compiled playground run reaches its
    first steps before the start action has settled, and a click then would be lost)."""
    page.wait_for_function(
        """() => /training/.test(document.querySelector("[data-testid='run-status']")?.textContent ?? "")
            && !document.querySelector("[data-testid='play']").disabled""",
        timeout=15000,
    )
    _toggle_play(page)
    _wait_paused(page)


def _wait_paused(page: Any) -> None:
    page.wait_for_function(
        "() => /paused/.test(document.querySelector(\"[data-testid='run-status']\")?.textContent ?? '')",
        timeout=15000,
    )
    page.wait_for_timeout(500)  # a frame already on its way when the pause arrived
    page.wait_for_function(
        f"() => ({VIEW_STEP})() === window.__glassnet.hub.latest?.step", timeout=10000
    )


def _fmt4(x: float) -> str:
    """The tooltip's number: 4 significant digits, trailing zeros kept, a real minus sign."""
    assert 1e-3 <= abs(x) < 1e4, x  # the weights of a few hundred steps; ×10ⁿ is unit-tested
    s = f"{x:#.4g}".rstrip(".")
    return s.replace("-", "−")


def _tip(page: Any, hit: str) -> list[str]:
    page.wait_for_function(
        f'(hit) => document.querySelector("{TIP}")?.dataset.hit === hit', arg=hit, timeout=5000
    )
    return page.locator(TIP).inner_text().splitlines()


def _along(layout: dict[str, Any], layer: int, frm: int, to: int, t: float) -> tuple[float, float]:
    """A point a fraction t along the drawn edge W[to][frm] of weighted layer `layer`."""
    half = layout["node"] / 2
    a, c = layout["columns"][layer], layout["columns"][layer + 1]
    x0, y0 = a["x"] + half, a["ys"][frm]
    x1, y1 = c["x"] - half, c["ys"][to]
    return x0 + t * (x1 - x0), y0 + t * (y1 - y0)


def _assert_tip_inside(page: Any) -> None:
    boxes = page.evaluate(BOXES)
    tip, canvas = boxes["tip"], boxes["canvas"]
    assert tip["width"] > 0 and tip["height"] > 0, boxes
    assert canvas["x"] - 0.5 <= tip["x"], boxes
    assert tip["x"] + tip["width"] <= canvas["x"] + canvas["width"] + 0.5, boxes
    assert canvas["y"] - 0.5 <= tip["y"], boxes
    assert tip["y"] + tip["height"] <= canvas["y"] + canvas["height"] + 0.5, boxes


def _check_edge(page: Any, layout: dict[str, Any], layer: int, frm: int, to: int) -> list[str]:
    """Hover W[to][frm] of `layer`: the tooltip names it and shows the frame's value and step."""
    page.mouse.move(*_along(layout, layer, frm, to, 0.3))
    lines = _tip(page, f"edge:{layer}:{frm}:{to}")
    frame = page.evaluate(LATEST)
    lay = frame["layers"][layer]
    w = lay["W"][to * lay["n_in"] + frm]
    head = f"w[{lay['id']}] {to + 1}←{frm + 1} = "
    assert lines[0] == head + _fmt4(w), (lines, w)
    assert abs(float(lines[0][len(head) :].replace("−", "-")) - w) <= 5e-4 * abs(w)
    assert lines[-1] == f"step {frame['step']}", lines
    _assert_tip_inside(page)
    return lines


def test_hover_tells_the_weight_and_the_unit(page: Any, server: str, shot: Any) -> None:
    load_preset(page, server, "playground-circle")
    train_long(page)
    page.wait_for_function("() => window.__glassnet.specs.getState().validation.status === 'valid'")
    view_tab(page, "Network")
    page.get_by_test_id("play").click()
    page.wait_for_function("() => (window.__glassnet.hub.latest?.step ?? 0) >= 50", timeout=60000)
    _pause(page)
    page.wait_for_function(CANVAS_HAS_INK, arg="network-canvas", timeout=15000)
    canvas = page.get_by_test_id("network-canvas")
    assert canvas.get_attribute("data-edge-mode") == "weights"
    assert page.locator(TIP).inner_text() == ""  # nothing hovered, no tooltip
    layout = page.evaluate(LAYOUT)
    assert [c["id"] for c in layout["columns"]] == ["input", "h1", "y"]
    assert [len(c["ys"]) for c in layout["columns"]] == [2, 4, 1]

    # An edge of the first layer: from input 1 (x) to unit 3 of h1, W[2][0].
    lines = _check_edge(page, layout, 0, 0, 2)
    assert lines[1] == "from input 1 (x) to unit 3 of h1", lines
    shot(page, "edge")

    # A node: unit 2 of h1, its activation function and its mean a over the batch.
    col = layout["columns"][1]
    page.mouse.move(col["x"], col["ys"][1])
    lines = _tip(page, "node:1:1")
    frame = page.evaluate(LATEST)
    assert lines[0] == "h1 unit 2 · tanh", lines
    assert lines[1] == f"mean a over the batch = {_fmt4(frame['layers'][0]['a_mean'][1])}", lines
    assert lines[2] == f"step {frame['step']}", lines
    _assert_tip_inside(page)
    shot(page, "node")

    # An input node: its index and the feature's name.
    col = layout["columns"][0]
    page.mouse.move(col["x"] + 2, col["ys"][1] - 2)
    assert _tip(page, "node:0:1")[:2] == ["input 2: y", "feature 2 of 2, feeds h1"]

    # The pointer stays on an edge of the output layer while training runs again: the tooltip
    # follows the frames, and once paused it shows the newest frame's value.
    lines = _check_edge(page, layout, 1, 3, 0)
    assert lines[1] == "from unit 4 of h1 to unit 1 of y", lines
    paused_step = page.evaluate(LATEST)["step"]
    _toggle_play(page)
    page.wait_for_function(
        f"""() => {{
          const m = /step (\\d+)/.exec(document.querySelector("{TIP}").innerText);
          return m && Number(m[1]) > {paused_step} + 20;
        }}""",
        timeout=30000,
    )
    _pause(page)
    live = _check_edge(page, layout, 1, 3, 0)
    assert live[-1] != lines[-1]

    # Scrubbed back on the timeline, the tooltip reads the frame the view shows.
    newest = page.evaluate(LATEST)["step"]
    for _ in range(3):
        page.evaluate(
            f"() => document.querySelector(\"{VIEW} button[title='Previous frame']\").click()"
        )
    page.wait_for_function(
        f"""() => {{
          const m = /step (\\d+)/.exec(document.querySelector("{TIP}").innerText);
          return m && Number(m[1]) === ({VIEW_STEP})() && Number(m[1]) < {newest};
        }}""",
        timeout=10000,
    )
    scrubbed = page.locator(TIP).inner_text().splitlines()
    assert scrubbed[0].startswith("w[y] 1←4 = ") and scrubbed[0] != live[0], (scrubbed, live)
    shot(page, "edge-scrubbed")
    page.evaluate(
        f"() => document.querySelector(\"{VIEW} button[title='Follow the newest frame']\").click()"
    )

    # Off the canvas, the tooltip goes.
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] - 30)
    page.wait_for_function(f"() => document.querySelector(\"{TIP}\").innerText === ''")

    # Full screen: larger diagram, same numbers; near the right and bottom edges the tooltip stays in.
    fullscreen(page)
    layout = page.evaluate(LAYOUT)
    assert layout["node"] > 40
    _check_edge(page, layout, 0, 1, 3)
    shot(page, "edge-fullscreen")
    col = layout["columns"][2]
    page.mouse.move(col["x"] + layout["node"] / 2 - 1, col["ys"][0] + layout["node"] / 2 - 1)
    assert _tip(page, "node:2:0")[0] == "y unit 1 · sigmoid"
    _assert_tip_inside(page)
    col = layout["columns"][1]
    page.mouse.move(col["x"], col["ys"][3] + layout["node"] / 2 - 1)
    _tip(page, "node:1:3")
    _assert_tip_inside(page)
    shot(page, "node-fullscreen")
    leave_fullscreen(page)
    assert not [e for e in page.errors if "favicon" not in e]


# Colours of an n × n grid of points inside a node of the diagram (clear of its border), row 0 at the
# top: [[r, g, b], …] per row, read from the canvas in CSS px of the canvas.
NODE_COLOURS = f"""([column, unit, n]) => {{
  const c = document.querySelector("{VIEW} canvas");
  const l = JSON.parse(c.dataset.layout);
  const k = c.width / c.clientWidth;
  const col = l.columns[column];
  const inset = 3;
  const x0 = col.x - l.node / 2 + inset;
  const y0 = col.ys[unit] - l.node / 2 + inset;
  const step = (l.node - 2 * inset) / n;
  const ctx = c.getContext("2d");
  const rows = [];
  for (let r = 0; r < n; r++) {{
    const row = [];
    for (let q = 0; q < n; q++) {{
      const d = ctx.getImageData(Math.floor((x0 + (q + 0.5) * step) * k), Math.floor((y0 + (r + 0.5) * step) * k), 1, 1).data;
      row.push([d[0], d[1], d[2]]);
    }}
    rows.push(row);
  }}
  return rows;
}}"""


def _close(a: list[int], b: list[int], tol: int = 8) -> bool:
    return all(abs(x - y) <= tol for x, y in zip(a, b, strict=True))


def _blue(p: list[int]) -> bool:
    return p[2] > p[0] + 40


def _orange(p: list[int]) -> bool:
    return p[0] > p[2] + 40


def _varies_along_x_only(grid: list[list[list[int]]]) -> None:
    """Each column of the node is one colour; the columns are not all the same."""
    for q in range(len(grid[0])):
        for row in grid:
            assert _close(row[q], grid[0][q]), grid
    assert not all(_close(p, grid[0][0], 30) for p in grid[0]), grid


def _varies_along_y_only(grid: list[list[list[int]]]) -> None:
    for row in grid:
        for p in row:
            assert _close(p, row[0]), grid
    assert not all(_close(row[0], grid[0][0], 30) for row in grid), grid


def _network_paused_at(page: Any, server: str, preset: str, steps: int) -> None:
    load_preset(page, server, preset)
    train_long(page)
    view_tab(page, "Network")
    page.get_by_test_id("play").click()
    page.wait_for_function(
        f"() => (window.__glassnet.hub.latest?.step ?? 0) >= {steps}", timeout=60000
    )
    _pause(page)
    page.wait_for_function(CANVAS_HAS_INK, arg="network-canvas", timeout=15000)


def _input_maps(page: Any, expected: str) -> dict[str, Any]:
    """Wait until the input nodes show `expected` features ("" for plain nodes); the layout."""
    page.wait_for_function(
        f'(want) => document.querySelector("{VIEW} canvas").dataset.inputMaps === want',
        arg=expected,
        timeout=10000,
    )
    page.mouse.move(2, 2)  # nothing hovered: no outline over a node
    page.wait_for_function(f"() => document.querySelector(\"{TIP}\").innerText === ''")
    page.wait_for_timeout(200)  # drawn again without the outline
    return page.evaluate(LAYOUT)


def test_input_nodes_show_their_features(page: Any, server: str, shot: Any) -> None:
    # The circle: features x and y (the catalog's default), as TensorFlow Playground draws them: x a
    # ramp from orange (−) on the left to blue (+) on the right, y from orange at the bottom to blue.
    _network_paused_at(page, server, "playground-circle", 20)
    layout = _input_maps(page, "x,y")
    assert [len(c["ys"]) for c in layout["columns"]] == [2, 4, 1]
    x = page.evaluate(NODE_COLOURS, [0, 0, 6])
    y = page.evaluate(NODE_COLOURS, [0, 1, 6])
    _varies_along_x_only(x)
    assert _orange(x[0][0]) and _blue(x[0][-1]), x
    _varies_along_y_only(y)
    assert _blue(y[0][0]) and _orange(y[-1][0]), y
    shot(page, "circle")
    col = layout["columns"][0]
    page.mouse.move(col["x"], col["ys"][0])
    assert _tip(page, "node:0:0")[:2] == ["input 1: x", "feature 1 of 2, feeds h1"]
    page.set_viewport_size({"width": 1920, "height": 1080})
    layout = _input_maps(page, "x,y")
    assert layout["node"] >= 40
    _varies_along_x_only(page.evaluate(NODE_COLOURS, [0, 0, 8]))
    shot(page, "circle-1920")

    # The spiral: x, y, sin x and sin y. sin x is stripes across x, sin y across y.
    page.set_viewport_size({"width": 1280, "height": 720})
    _network_paused_at(page, server, "playground-spiral-tanh", 20)
    layout = _input_maps(page, "x,y,sin_x,sin_y")
    shot(page, "spiral")
    page.set_viewport_size({"width": 1920, "height": 1080})
    layout = _input_maps(page, "x,y,sin_x,sin_y")
    sin_x = page.evaluate(NODE_COLOURS, [0, 2, 8])
    sin_y = page.evaluate(NODE_COLOURS, [0, 3, 8])
    _varies_along_x_only(sin_x)
    _varies_along_y_only(sin_y)
    # stripes, not a ramp: both ends of the plane (about ±6.5, sin ≈ ∓0.2) are paler than somewhere inside
    assert any(_blue(p) for p in sin_x[0]) and any(_orange(p) for p in sin_x[0]), sin_x
    shot(page, "spiral-1920")
    col = layout["columns"][0]
    page.mouse.move(col["x"], col["ys"][2])
    assert _tip(page, "node:0:2")[0] == "input 3: sin x"

    assert not [e for e in page.errors if "favicon" not in e]

    # Editing the features while this run is on screen: its frames still come from x, y, sin x, sin y,
    # so the nodes keep showing those (the next play starts a run from the edited spec). The input
    # layer grows to five in the same edit, so the edited spec stays valid.
    page.get_by_role("tab", name="Data", exact=True).click()
    page.get_by_test_id("feature-x2").click()
    page.wait_for_function(
        "() => window.__glassnet.specs.getState().rest.data.features.includes('x2')"
    )
    page.wait_for_timeout(300)
    _input_maps(page, "x,y,sin_x,sin_y")
    page.mouse.move(col["x"], col["ys"][2])
    assert _tip(page, "node:0:2")[0] == "input 3: sin x"
    shot(page, "spiral-features-edited-1920")
    assert page.evaluate(
        "() => window.__glassnet.specs.getState().spec().network.nodes[0].shape"
    ) == [5]
    assert not [e for e in page.errors if "favicon" not in e]
