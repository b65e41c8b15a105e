"""The canvas shows a network that arrives whole, wherever it comes from: every preset's layer cards
stand apart, and a saved experiment or a shared link is fitted into view like a preset is."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest
from appsteps import choose_preset

pytestmark = pytest.mark.e2e

# x, five 100-unit layers and the output: the widest cards in a long chain.
DEEP = "init-normal-0.01"

# Screen boxes of the layer cards and of the canvas.
_BOXES = """() => {
  const box = (el) => { const r = el.getBoundingClientRect(); return {x: r.x, y: r.y, w: r.width, h: r.height}; };
  return {
    canvas: box(document.querySelector("[data-testid='canvas']")),
    cards: [...document.querySelectorAll('.react-flow__node')].map((el) => ({id: el.dataset.id, ...box(el)})),
  };
}"""

# The answer for the current revision is in (it adds shapes and parameter counts: the cards widen).
_SETTLED = """() => {
  const s = window.__glassnet.specs.getState();
  return s.validation.revision === s.revision && s.validation.status !== 'pending';
}"""


def _ready(page: Any) -> None:
    page.wait_for_selector(".app-shell[data-ready='true']", timeout=60000)


def _settle(page: Any) -> None:
    page.wait_for_function(_SETTLED, timeout=20000)
    page.wait_for_timeout(700)  # the fit after the answer: two frames and a 200 ms animation


def _overlaps(cards: list[dict[str, Any]]) -> list[str]:
    out = []
    for i, a in enumerate(cards):
        for b in cards[i + 1 :]:
            if (
                a["x"] < b["x"] + b["w"]
                and b["x"] < a["x"] + a["w"]
                and a["y"] < b["y"] + b["h"]
                and b["y"] < a["y"] + a["h"]
            ):
                out.append(f"{a['id']} × {b['id']}")
    return out


def _outside(page: Any) -> list[str]:
    boxes = page.evaluate(_BOXES)
    c = boxes["canvas"]
    return [
        card["id"]
        for card in boxes["cards"]
        if card["x"] < c["x"] - 1
        or card["y"] < c["y"] - 1
        or card["x"] + card["w"] > c["x"] + c["w"] + 1
        or card["y"] + card["h"] > c["y"] + c["h"] + 1
    ]


def _get(server: str, path: str) -> Any:
    with urllib.request.urlopen(f"{server}/api/v1{path}") as response:
        return json.load(response)


def _load_preset(page: Any, server: str, preset: str) -> None:
    choose_preset(page, preset)
    _settle(page)


def test_no_preset_puts_cards_on_top_of_each_other(page: Any, server: str, shot: Any) -> None:
    page.goto(server)
    _ready(page)
    found = {}
    for preset in [p["id"] for p in _get(server, "/presets")["presets"]]:
        _load_preset(page, server, preset)
        boxes = page.evaluate(_BOXES)
        found[preset] = _overlaps(boxes["cards"])
        if preset == DEEP:
            shot(page, "deep-preset")
    assert not {p: o for p, o in found.items() if o}, found
    assert not [e for e in page.errors if "status of 422" not in e]


def test_experiments_and_shared_links_are_fitted_into_view(
    page: Any, browser: Any, server: str, shot: Any
) -> None:
    page.goto(server)
    _ready(page)
    _load_preset(page, server, DEEP)
    assert _outside(page) == []
    page.wait_for_function("() => location.search.startsWith('?s=2.')", timeout=10000)
    page.wait_for_timeout(600)
    deep_link = page.url
    page.get_by_test_id("tab-share").click()
    page.get_by_label("experiment name").fill("Seven layers, σ = 0.01")
    page.get_by_test_id("save-experiment").click()
    page.get_by_test_id("share-link").wait_for()

    # A small network zooms the canvas in; opening the saved deep one must zoom back out to show it all.
    _load_preset(page, server, "perceptron-and")
    page.get_by_test_id("tab-share").click()
    page.locator(".experiment-list").get_by_role(
        "button", name="Seven layers, σ = 0.01", exact=True
    ).click()
    page.wait_for_function(
        "() => window.__glassnet.specs.getState().spec().network.nodes.length === 7"
    )
    _settle(page)
    assert _outside(page) == []
    shot(page, "experiment-opened")

    # A shared link, opened in a window of another size, fits the network it carries.
    other = browser.new_page(viewport={"width": 1024, "height": 700})
    other.goto(deep_link)
    _ready(other)
    other.wait_for_function(
        "() => window.__glassnet.specs.getState().spec().network.nodes.length === 7"
    )
    _settle(other)
    assert _outside(other) == []
    assert _overlaps(other.evaluate(_BOXES)["cards"]) == []
    shot(other, "shared-link-1024")
    other.close()
