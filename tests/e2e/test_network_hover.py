"""The Network view's hover: the exact weight under the pointer, as in TensorFlow Playground, read from
the same frame the diagram draws; a unit's activation and mean a; following the frames and the timeline
while the pointer stays still; inside the canvas in normal layout and in full screen."""

from __future__ import annotations

from typing import Any

import pytest
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


def _load_preset(page: Any, server: str, preset: str) -> None:
    page.goto(server + "/")
    page.wait_for_selector(".app-shell[data-ready='true']")
    page.get_by_role("tab", name="Presets").click()
    page.locator(f"[data-testid='preset-{preset}']").click()


def _toggle_play(page: Any) -> None:
    # A click through the DOM: the mouse stays where the test put it (over the diagram).
    page.evaluate("() => document.querySelector(\"[data-testid='play']\").click()")


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
    _load_preset(page, server, "playground-circle")
    page.wait_for_function("() => window.__glassnet.specs.getState().validation.status === 'valid'")
    page.locator(".views-area").get_by_role("tab", name="Network", exact=True).click()
    page.get_by_test_id("play").click()
    page.wait_for_function("() => (window.__glassnet.hub.latest?.step ?? 0) >= 50", timeout=60000)
    _toggle_play(page)
    _wait_paused(page)
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
    _toggle_play(page)
    _wait_paused(page)
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
    page.locator(f"{VIEW} .fullscreen-btn").click()
    page.wait_for_function("() => document.fullscreenElement !== null")
    page.wait_for_timeout(400)  # one resize + draw
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
    page.evaluate("() => document.fullscreenElement && document.exitFullscreen()")
    page.wait_for_function("() => document.fullscreenElement === null")
    assert not [e for e in page.errors if "favicon" not in e]
