"""The shell at a projector's 1280×720: the splitter between the canvas and the live views (drag, keyboard,
double-click, remembered across reloads) and the inspector column that folds away when nothing is selected."""

from __future__ import annotations

from typing import Any

import pytest
from appsteps import load_preset
from pagechecks import CANVAS_HAS_INK

pytestmark = pytest.mark.e2e

_HEIGHT = "(sel) => document.querySelector(sel).getBoundingClientRect().height"
_CANVAS_SIZE = """() => {
  const c = document.querySelector("[data-testid='internals-canvas']");
  return {css: c.getBoundingClientRect().height, backing: c.height, width: c.width};
}"""
# True when the histogram canvas is taller than `h` and fills its box, i.e. it was redrawn at the box's new size.
_FILLS_ITS_BOX = """(h) => {
  const c = document.querySelector("[data-testid='internals-canvas']");
  const box = c.parentElement.getBoundingClientRect().height;
  const css = c.getBoundingClientRect().height;
  return css > h && Math.abs(css - box) <= 1;
}"""


def _load_and_train(page: Any, server: str) -> None:
    load_preset(page, server, "init-normal-0.01")
    page.get_by_test_id("play").click()
    page.wait_for_function(
        "() => /^step \\d+/.test(document.querySelector(\"[data-testid='timeline-label']\")?.textContent ?? '')",
        timeout=60000,
    )
    page.wait_for_function(CANVAS_HAS_INK, arg="internals-canvas", timeout=15000)


def _views_height(page: Any) -> float:
    return float(page.evaluate(_HEIGHT, ".main-views"))


def test_splitter_gives_the_views_room_at_720(page: Any, server: str, shot: Any) -> None:
    _load_and_train(page, server)
    centre = float(page.evaluate(_HEIGHT, ".center"))
    default = _views_height(page)
    assert default >= 0.5 * centre, (default, centre)
    assert float(page.evaluate(_HEIGHT, ".canvas-area")) >= 180
    shot(page, "0-default")

    # Drag the splitter up by 40 px: the views grow, the histogram canvas is redrawn at the new size.
    before = page.evaluate(_CANVAS_SIZE)
    splitter = page.get_by_test_id("views-splitter")
    box = splitter.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x, y - 40, steps=8)
    page.mouse.up()
    grown = _views_height(page)
    assert abs(grown - (default + 40)) <= 2, (default, grown)
    page.wait_for_function(_FILLS_ITS_BOX, arg=before["css"])
    after = page.evaluate(_CANVAS_SIZE)
    assert after["backing"] > before["backing"]
    assert after["width"] == before["width"]
    page.wait_for_function(CANVAS_HAS_INK, arg="internals-canvas", timeout=5000)
    assert float(page.evaluate(_HEIGHT, ".canvas-area")) >= 180
    shot(page, "1-dragged-up")

    # Dragging far past the end stops at the canvas' minimum.
    box = splitter.bounding_box()
    page.mouse.move(x, box["y"] + 4)
    page.mouse.down()
    page.mouse.move(x, 0, steps=4)
    page.mouse.up()
    assert abs(float(page.evaluate(_HEIGHT, ".canvas-area")) - 180) <= 2

    # The keyboard: a focusable separator whose value follows the arrow keys.
    splitter.focus()
    assert splitter.get_attribute("role") == "separator"
    assert splitter.get_attribute("aria-orientation") == "horizontal"
    top = int(splitter.get_attribute("aria-valuenow"))
    assert top == int(splitter.get_attribute("aria-valuemax"))
    h = _views_height(page)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert abs(_views_height(page) - (h - 64)) <= 2
    assert int(splitter.get_attribute("aria-valuenow")) < top
    page.keyboard.press("Home")
    assert splitter.get_attribute("aria-valuenow") == splitter.get_attribute("aria-valuemin")
    page.keyboard.press("Shift+ArrowUp")
    remembered = _views_height(page)
    assert abs(remembered - (160 + 128)) <= 2

    # The split survives a reload, and a double-click returns to the default.
    page.reload()
    page.wait_for_selector(".app-shell[data-ready='true']")
    assert abs(_views_height(page) - remembered) <= 2
    page.get_by_test_id("views-splitter").dblclick()
    assert abs(_views_height(page) - default) <= 2
    assert page.evaluate("() => localStorage.getItem('glassnet.layout.viewsShare')") is None
    assert not [e for e in page.errors if "favicon" not in e]


def test_inspector_folds_away_until_a_layer_is_selected(page: Any, server: str, shot: Any) -> None:
    _load_and_train(page, server)
    strip = page.get_by_test_id("inspector-open")
    assert strip.is_visible()
    width = page.evaluate("() => document.querySelector('.right').getBoundingClientRect().width")
    assert float(width) < 50

    # Selecting a layer opens the inspector, and the layer stays in view on the narrower canvas.
    # The rightmost layer: the narrower canvas would hide it.
    node = page.locator(".react-flow__node[data-id='out']")
    pane = page.get_by_test_id("canvas").bounding_box()
    nb = node.bounding_box()
    assert nb["x"] + nb["width"] <= pane["x"] + pane["width"]  # the preset was fitted to the canvas
    first = page.locator(".react-flow__node[data-id='x']").bounding_box()
    node.click()
    page.get_by_label("units", exact=True).wait_for()
    page.wait_for_timeout(200)
    pane = page.get_by_test_id("canvas").bounding_box()
    nb = node.bounding_box()
    assert nb["x"] >= pane["x"] and nb["x"] + nb["width"] <= pane["x"] + pane["width"], (nb, pane)
    shot(page, "0-selected")

    # Closing it deselects the layer and folds the column; the strip opens it again on demand.
    page.get_by_test_id("inspector-close").click()
    strip.wait_for()
    assert page.locator(".react-flow__node.selected").count() == 0
    # The pan that kept the layer in view is given back as the canvas widens again.
    page.wait_for_timeout(200)
    assert abs(page.locator(".react-flow__node[data-id='x']").bounding_box()["x"] - first["x"]) <= 2
    strip.click()
    assert "Select a layer" in page.locator(".inspector").inner_text()
    shot(page, "1-opened-empty")
    page.get_by_test_id("inspector-close").click()
    strip.wait_for()
    assert not [e for e in page.errors if "favicon" not in e]
