"""A preset's "what to look at" in the browser: on its gallery card, and above the canvas while the
run trains, until dismissed; the next preset brings its own."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest
from appsteps import choose_preset, load_preset, view_tab

pytestmark = pytest.mark.e2e


def _look_at(server: str, preset: str) -> str:
    with urllib.request.urlopen(f"{server}/api/v1/presets/{preset}") as response:
        text = json.load(response)["look_at"]
    assert isinstance(text, str) and text
    return text


def test_a_presets_look_at_stays_in_view_while_it_trains(page: Any, server: str, shot: Any) -> None:
    residual = _look_at(server, "deep-residual-network")
    load_preset(page, server, "deep-residual-network")
    card = page.get_by_test_id("preset-deep-residual-network")
    assert residual in card.inner_text()
    hint = page.get_by_test_id("look-at")
    text = hint.locator(".look-at-text")
    assert text.inner_text().strip() == residual

    view_tab(page, "Gradients")
    page.get_by_test_id("play").click()
    # frames reach the Gradients view: δ of the 12 hidden layers and the output in its table
    page.wait_for_function(
        "() => /^step \\d+/.test(document.querySelector(\".view-slot:not([hidden]) [data-testid='timeline-label']\")?.textContent ?? '')",
        timeout=120000,
    )
    page.wait_for_function(
        "() => document.querySelectorAll(\"[data-testid='grad-table'] tbody tr\").length >= 13",
        timeout=60000,
    )
    # one or two lines above the canvas, leaving the network and the views their room
    box = hint.bounding_box()
    canvas = page.locator(".react-flow").bounding_box()
    assert box is not None and canvas is not None
    assert box["height"] < 48
    assert box["y"] + box["height"] <= canvas["y"] + 1
    assert canvas["height"] > 150
    shot(page, "residual-training")

    page.get_by_role("button", name="Dismiss the hint").click()
    assert hint.count() == 0
    choose_preset(page, "deep-plain-network")
    assert text.inner_text().strip() == _look_at(server, "deep-plain-network")
    page.get_by_test_id("play").click()
    # what the hint points at: the Gradients view flags δ vanishing on its way to h1
    page.locator("[data-testid='diagnosis'] [data-code='vanishing']").wait_for(timeout=120000)
    shot(page, "plain-training")
    assert not [e for e in page.errors if "favicon" not in e]
