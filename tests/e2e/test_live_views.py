"""The live views against a real run: the weight-initialisation lecture's vanishing gradients, the MNIST
CNN's feature maps with a receptive field, the decision boundary, and scrubbing the frame timeline."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pytest
from appsteps import choose_preset, fullscreen, leave_fullscreen, load_preset, view_tab
from pagechecks import CANVAS_COLOURS, CANVAS_HAS_INK

pytestmark = pytest.mark.e2e


def _play_until_frames(page: Any) -> None:
    page.get_by_test_id("play").click()
    page.wait_for_function(
        "() => /^step \\d+/.test(document.querySelector(\"[data-testid='timeline-label']\")?.textContent ?? '')",
        timeout=60000,
    )


def test_init_sigma_001_shows_vanishing_gradients(page: Any, server: str, shot: Any) -> None:
    load_preset(page, server, "init-normal-0.01")
    _play_until_frames(page)
    # the status bar says where the run trains (this machine has no GPU)
    page.wait_for_function(
        "() => document.querySelector(\"[data-testid='run-device']\")?.textContent === 'on cpu'",
        timeout=30000,
    )

    view_tab(page, "Gradients")
    warning = page.locator("[data-testid='diagnosis'] [data-code='vanishing']")
    warning.wait_for(timeout=30000)
    text = warning.inner_text()
    assert "δ in layer HL1" in text
    assert "gradients are vanishing" in text
    assert "10⁻" in text  # the ratio is written as a power of ten
    # Forward signal collapses too (var(z) ×0.01 per layer in the lecture's Figure 24).
    assert page.locator("[data-testid='diagnosis'] [data-code='z_vanishing']").count() == 1
    assert page.get_by_test_id("grad-table").locator("tbody tr").count() == 6
    shot(page, "gradients")
    fullscreen(page)
    shot(page, "gradients-fullscreen")
    leave_fullscreen(page)

    view_tab(page, "Internals")
    page.wait_for_function(CANVAS_HAS_INK, arg="internals-canvas", timeout=15000)
    fullscreen(page)
    page.wait_for_function(CANVAS_HAS_INK, arg="internals-canvas", timeout=15000)
    shot(page, "internals-fullscreen")
    page.get_by_role("button", name="log₁₀|x|").click()
    page.wait_for_timeout(300)
    shot(page, "internals-log-fullscreen")
    leave_fullscreen(page)
    assert not [e for e in page.errors if "favicon" not in e]


# The conv view's step as its timeline shows it, and the step the selected cell's card was read at.
CONV_VIEW_STEP = """() => {
  const label = document.querySelector("[data-testid='view-conv'] [data-testid='timeline-label']");
  const m = /^step (\\d+)/.exec(label?.textContent ?? "");
  return m ? Number(m[1]) : null;
}"""
CARD_STEP = """() => {
  const s = document.querySelector("[data-testid='conv-card-step']")?.dataset.step;
  return s ? Number(s) : null;
}"""
# Page boxes of the card, the view, and what the canvas draws under it: the input image and the
# selected cell (the canvas publishes both as data attributes, in CSS px of the canvas).
CONV_BOXES = """() => {
  const c = document.querySelector("[data-testid='conv-canvas']");
  const r = c.getBoundingClientRect();
  const drawn = (attr) => {
    if (!c.dataset[attr]) return null;
    const [x, y, width, height] = c.dataset[attr].split(",").map(Number);
    return {x: r.left + x, y: r.top + y, width, height};
  };
  const box = (sel) => {
    const b = document.querySelector(sel).getBoundingClientRect();
    return {x: b.left, y: b.top, width: b.width, height: b.height};
  };
  return {
    input: drawn("inputRect"),
    cell: drawn("cellRect"),
    card: box("[data-testid='conv-cell-card']"),
    close: box("[data-testid='conv-card-close']"),
    view: box("[data-testid='view-conv']"),
  };
}"""


def _overlaps(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def _inside(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        b["x"] <= a["x"] + 0.5
        and a["x"] + a["width"] <= b["x"] + b["width"] + 0.5
        and b["y"] <= a["y"] + 0.5
        and a["y"] + a["height"] <= b["y"] + b["height"] + 0.5
    )


def _assert_card_hides_nothing(page: Any) -> dict[str, Any]:
    """The card and its close button are wholly inside the view, and the card covers neither the input
    image nor the selected cell."""
    page.wait_for_timeout(300)  # the canvas is redrawn after the card took its height
    boxes = page.evaluate(CONV_BOXES)
    card, view, image, cell = boxes["card"], boxes["view"], boxes["input"], boxes["cell"]
    assert _inside(boxes["close"], card), boxes
    assert image is not None and cell is not None, boxes
    assert image["height"] >= 60, boxes  # the canvas keeps a readable input image
    assert not _overlaps(card, image), boxes
    assert not _overlaps(card, cell), boxes
    assert _inside(card, view), boxes
    return boxes


def _assert_headings_fit(page: Any) -> list[dict[str, Any]]:
    """The canvas's column headings (input, filters, maps) each end before the next one starts and
    inside the canvas; none is cut short. Returns them as drawn ({text, x, width, right})."""
    page.wait_for_timeout(300)  # drawn at the current size
    drawn = page.evaluate(
        """() => {
          const c = document.querySelector("[data-testid='conv-canvas']");
          return {headings: JSON.parse(c.dataset.headings || "[]"), width: c.clientWidth};
        }"""
    )
    headings = drawn["headings"]
    assert len(headings) == 3, drawn
    for h, after in pairwise(headings):
        assert h["x"] + h["width"] <= h["right"] < after["x"], drawn
    assert headings[-1]["x"] + headings[-1]["width"] <= drawn["width"], drawn
    assert all(h["text"] and "…" not in h["text"] for h in headings), drawn
    return headings


def _toggle_play(page: Any, state: str) -> None:
    """Press play/pause (from outside a full-screen view too) and wait for the run to be in `state`."""
    page.evaluate("() => document.querySelector(\"[data-testid='play']\").click()")
    page.wait_for_function(
        f"() => /{state}/.test(document.querySelector(\"[data-testid='run-status']\")?.textContent ?? '')",
        timeout=60000,
    )


def test_mnist_cnn_shows_feature_maps_and_receptive_field(
    page: Any, server: str, shot: Any
) -> None:
    load_preset(page, server, "mnist-cnn-small")
    _play_until_frames(page)
    # Paused early, so the cell is clicked well before the run's last step.
    _toggle_play(page, "paused")
    view_tab(page, "Conv maps")
    page.wait_for_function(CANVAS_HAS_INK, arg="conv-canvas", timeout=60000)
    fullscreen(page)
    page.wait_for_function(CANVAS_HAS_INK, arg="conv-canvas", timeout=15000)
    # Click the middle of the first feature map: its receptive field is outlined on the input.
    box = page.get_by_test_id("conv-canvas").bounding_box()
    first = page.evaluate(
        """() => {
          const c = document.querySelector("[data-testid='conv-canvas']");
          const r = c.getBoundingClientRect();
          return {w: r.width, h: r.height};
        }"""
    )
    assert first["w"] > 600
    page.mouse.click(box["x"] + box["width"] * 0.62, box["y"] + box["height"] * 0.3)
    selection = page.get_by_test_id("conv-selection")
    selection.wait_for(timeout=5000)
    assert "cell" in selection.inner_text()
    # The first conv layer reads the image directly: the products w·x and their sum are listed.
    page.get_by_test_id("conv-products").wait_for(timeout=5000)
    assert "Σ w·x" in page.get_by_test_id("conv-cell-card").inner_text()
    page.wait_for_function(f"() => ({CARD_STEP})() === ({CONV_VIEW_STEP})()", timeout=5000)
    clicked_at = page.evaluate(CARD_STEP)
    shot(page, "conv-fullscreen-clicked")

    # Training on to the end, the card follows the frames rather than keeping the click's numbers:
    # it shows exactly the step the view shows (and the canvas drew).
    _toggle_play(page, "finished")
    page.wait_for_function(f"() => ({CARD_STEP})() === ({CONV_VIEW_STEP})()", timeout=10000)
    last = page.evaluate(CONV_VIEW_STEP)
    assert last > clicked_at
    assert page.get_by_test_id("conv-canvas").get_attribute("data-step") == str(last)
    # Scrubbing back, the card reads the scrubbed frame.
    view = page.get_by_test_id("view-conv")
    for _ in range(3):
        view.get_by_role("button", name="◀").click()
    page.wait_for_function(
        f"() => ({CONV_VIEW_STEP})() < {last} && ({CARD_STEP})() === ({CONV_VIEW_STEP})()",
        timeout=10000,
    )
    shot(page, "conv-fullscreen")
    _assert_card_hides_nothing(page)
    # the whole width of the screen: every heading in full
    assert [h["text"] for h in _assert_headings_fit(page)] == [
        f"input #0 (label {page.evaluate('() => window.__glassnet.hub.latest.feature_maps.label')})",
        "filters W",
        "feature maps of conv1 (conv2d), each scaled to its max — click a cell",
    ]

    leave_fullscreen(page)
    view.get_by_role("button", name="Live").click()
    page.wait_for_function(f"() => ({CARD_STEP})() === {last}", timeout=10000)
    boxes = _assert_card_hides_nothing(page)
    shot(page, "conv")
    # 1280×720: the maps' heading is shorter, and still says a cell can be clicked.
    maps = _assert_headings_fit(page)[2]["text"]
    assert maps.startswith("maps of conv1") and maps.endswith("click a cell"), maps
    # The narrowest normal layout: the inspector column open beside the views.
    page.get_by_test_id("inspector-open").click()
    _assert_card_hides_nothing(page)
    assert _assert_headings_fit(page)[2]["text"] == "conv1 maps — click a cell"
    shot(page, "conv-inspector-open")
    page.get_by_test_id("inspector-close").click()
    boxes = _assert_card_hides_nothing(page)

    # The close button removes the card (and the cell's outline); Escape does too.
    page.get_by_role("button", name="Close the cell's numbers").click()
    page.get_by_test_id("conv-cell-card").wait_for(state="detached", timeout=5000)
    page.wait_for_function(
        "() => document.querySelector(\"[data-testid='conv-canvas']\").dataset.cellRect === ''"
    )
    cell = boxes["cell"]
    page.mouse.click(cell["x"] + cell["width"] / 2, cell["y"] + cell["height"] / 2)
    page.get_by_test_id("conv-cell-card").wait_for(timeout=5000)
    page.keyboard.press("Escape")
    page.get_by_test_id("conv-cell-card").wait_for(state="detached", timeout=5000)

    # The second conv layer's filters are means over its 8 input channels: said as far as it fits.
    page.get_by_label("Conv layer").select_option("conv2")
    page.wait_for_timeout(300)
    filters = _assert_headings_fit(page)[1]["text"]
    assert filters.startswith("filters W (mean"), filters
    shot(page, "conv2")
    assert not [e for e in page.errors if "favicon" not in e]


def test_spiral_boundary_network_loss_and_timeline(page: Any, server: str, shot: Any) -> None:
    page.set_viewport_size({"width": 1920, "height": 1080})
    load_preset(page, server, "playground-spiral-tanh")
    _play_until_frames(page)
    page.wait_for_timeout(3000)
    page.get_by_test_id("play").click()  # pause, so the timeline stops moving

    view_tab(page, "Boundary")
    page.wait_for_function(CANVAS_HAS_INK, arg="boundary-canvas", timeout=15000)
    shot(page, "boundary-1920")
    # Discretized, each cell shows only the class it decides: a corner of the plot away from the
    # spiral's points holds one or two flat colours
    page.get_by_test_id("boundary-discretize").check()
    page.wait_for_timeout(300)  # one draw
    assert page.evaluate(CANVAS_COLOURS, ["boundary-canvas", [56, 10, 96, 50]]) <= 2
    shot(page, "boundary-discretized-1920")
    page.get_by_test_id("boundary-discretize").uncheck()

    view_tab(page, "Network")
    page.wait_for_function(CANVAS_HAS_INK, arg="network-canvas", timeout=15000)
    # Every layer of the playground net is small, so each edge is drawn by its own weight.
    assert page.get_by_test_id("network-canvas").get_attribute("data-edge-mode") == "weights"
    shot(page, "network-1920")

    view_tab(page, "Loss")
    page.get_by_test_id("run-chart-loss").locator("canvas").first.wait_for(timeout=15000)
    shot(page, "loss-1920")

    # Scrub to the oldest recorded frame, then back to live.
    slot = page.locator(".view-slot:not([hidden])")
    label = slot.get_by_test_id("timeline-label")
    live_text = label.inner_text()
    slider = slot.get_by_role("slider", name="Scrub recorded frames")
    slider.fill("0")
    page.wait_for_function(
        "() => document.querySelector(\".view-slot:not([hidden]) [data-testid='timeline-label']\").textContent.includes('back')"
    )
    assert label.inner_text() != live_text
    view_tab(page, "Boundary")
    shot(page, "boundary-scrubbed-1920")
    page.locator(".view-slot:not([hidden])").get_by_role("button", name="Live").click()
    page.wait_for_function(
        "() => !document.querySelector(\".view-slot:not([hidden]) [data-testid='timeline-label']\").textContent.includes('back')"
    )

    # Nothing in the views overflows sideways at 1920×1080 or 1280×720.
    for size in ({"width": 1920, "height": 1080}, {"width": 1280, "height": 720}):
        page.set_viewport_size(size)
        page.wait_for_timeout(300)
        overflow = page.evaluate(
            "() => [...document.querySelectorAll('.live-view')].filter(v => !v.closest('[hidden]'))"
            ".map(v => v.scrollWidth - v.clientWidth)"
        )
        assert all(o <= 1 for o in overflow), overflow
    assert not [e for e in page.errors if "favicon" not in e]


def test_loss_view_overlays_runs_labelled_by_what_changed(
    page: Any, server: str, shot: Any
) -> None:
    load_preset(page, server, "init-normal-0.01")
    _play_until_frames(page)
    page.wait_for_function(
        "() => /finished|stopped|diverged/.test(document.querySelector(\"[data-testid='run-status']\")?.textContent ?? '')",
        timeout=60000,
    )
    choose_preset(page, "init-xavier")
    page.get_by_test_id("play").click()
    view_tab(page, "Loss")
    legend = page.get_by_test_id("run-chart-loss").locator(".u-legend")
    page.wait_for_function(
        "() => (document.querySelector(\"[data-testid='run-chart-loss'] .u-legend\")?.textContent ?? '').includes('→')",
        timeout=60000,
    )
    text = legend.inner_text()
    assert "first run" in text
    assert "→" in text
    fullscreen(page)
    shot(page, "loss-compare-fullscreen")
    leave_fullscreen(page)


def test_step_axes_tick_whole_steps_early_in_a_run(page: Any, server: str, shot: Any) -> None:
    # A few steps in, a free-running axis would tick 0.5, 2.5, 7.5…; the step axes only tick whole steps
    # (the tick logic is unit-tested in charts/stepAxis.test.ts and lineChart.test.ts; this is the look).
    load_preset(page, server, "init-normal-0.01")
    page.wait_for_function("() => window.__glassnet.specs.getState().validation.status === 'valid'")
    label = "document.querySelector(\"[data-testid='timeline-label']\")?.textContent ?? ''"
    for n in range(1, 7):
        page.get_by_test_id("step").click()
        page.wait_for_function(f"(n) => ({label}).startsWith(`step ${{n}}`)", arg=n, timeout=30000)
    view_tab(page, "Gradients")
    page.locator("[data-testid='grad-chart-delta.rms'] canvas").first.wait_for(timeout=15000)
    page.wait_for_timeout(300)
    shot(page, "gradients-6-steps")
    view_tab(page, "Loss")
    page.get_by_test_id("run-chart-loss").locator("canvas").first.wait_for(timeout=15000)
    page.wait_for_timeout(300)
    shot(page, "loss-6-steps")
    assert not [e for e in page.errors if "favicon" not in e]
