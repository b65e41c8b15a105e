"""Build the lecture's 2-3-2-1 power-plant network by dragging from the palette, train it, share it."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest
from appsteps import connect, drop_layer, spec_of

pytestmark = pytest.mark.e2e


def _ready(page: Any) -> None:
    page.wait_for_selector(".app-shell[data-ready='true']")
    page.wait_for_selector("[data-testid='node-x'], .react-flow__pane")


def _edit_layer(page: Any, node_id: str, units: int, activation: str) -> None:
    page.locator(f".react-flow__node[data-id='{node_id}']").click()
    units_box = page.get_by_label("units", exact=True)
    units_box.fill(str(units))
    page.get_by_label("activation", exact=True).select_option(activation)


def _wait_valid(page: Any) -> None:
    try:
        page.wait_for_function(
            "() => window.__glassnet.specs.getState().validation.status === 'valid'",
            timeout=15000,
        )
    except Exception:
        problems = page.evaluate("() => window.__glassnet.specs.getState().validation.problems")
        raise AssertionError(f"the spec did not become valid: {problems}") from None


def _metrics(server: str, run_id: str) -> list[dict[str, Any]]:
    with urllib.request.urlopen(f"{server}/api/v1/runs/{run_id}/metrics") as response:
        return json.load(response)["metrics"]


def _build_power_plant(page: Any) -> None:
    # Building wants room on the canvas: the splitter gives the live views their minimum height.
    page.get_by_test_id("views-splitter").press("Home")
    page.get_by_test_id("clear-canvas").click()
    # Spread the cards out so every handle stays reachable, then connect them left to right.
    for kind, x, y in (
        ("input", 90, 110),
        ("dense", 300, 110),
        ("dense", 510, 110),
        ("dense", 90, 270),
    ):
        drop_layer(page, kind, x, y)
    page.wait_for_selector(".react-flow__node[data-id='h3']")
    for source, target in (("x", "h1"), ("h1", "h2"), ("h2", "h3")):
        connect(page, source, target)
    for node_id, units in (("h1", 3), ("h2", 2), ("h3", 1)):
        _edit_layer(page, node_id, units, "sigmoid")
    page.get_by_test_id("tab-data").click()
    page.get_by_label("dataset", exact=True).select_option("power_plant")
    page.get_by_test_id("tab-training").click()
    page.get_by_label("loss", exact=True).select_option("half_sse")
    page.get_by_role("radio", name="full batch").click()
    page.get_by_label("learning rate", exact=True).fill("0.5")
    page.get_by_role("button", name="⇶ Auto-layout").click()


def test_build_train_power_plant(page: Any, server: str, shot: Any) -> None:
    page.goto(server)
    _ready(page)
    shot(page, "0-start")
    _build_power_plant(page)
    _wait_valid(page)
    spec = spec_of(page)
    dense = [n for n in spec["network"]["nodes"] if n["kind"] == "dense"]
    assert [(n["units"], n["activation"]) for n in dense] == [
        (3, "sigmoid"),
        (2, "sigmoid"),
        (1, "sigmoid"),
    ]
    assert spec["network"]["edges"] == [["x", "h1"], ["h1", "h2"], ["h2", "h3"]]
    assert spec["data"]["dataset"] == "power_plant"
    assert spec["training"]["loss"] == "half_sse"
    assert spec["training"]["batch_size"] is None
    shot(page, "1-built")

    # One step shows the first histograms; training on changes them.
    page.get_by_test_id("step").click()
    page.wait_for_function("() => window.__glassnet.hub.latest !== null", timeout=20000)
    page.wait_for_timeout(500)
    views = page.locator(".main-views")
    before = views.screenshot()
    shot(page, "2-one-step")

    page.get_by_test_id("play").click()
    page.wait_for_function(
        "() => ['finished', 'stopped'].includes(window.__glassnet.runs.getState().state)"
        " || window.__glassnet.runs.getState().step > 400",
        timeout=60000,
    )
    page.wait_for_timeout(800)
    after = views.screenshot()
    shot(page, "3-trained")
    assert before != after, "the live views did not change while training"

    run_id = page.evaluate("() => window.__glassnet.runs.getState().runId")
    losses = [m["loss"] for m in _metrics(server, run_id) if m.get("loss") is not None]
    assert len(losses) > 10
    assert losses[-1] < 0.5 * losses[0], f"loss did not fall: {losses[0]} → {losses[-1]}"
    shown = page.get_by_test_id("live-loss").inner_text()
    assert float(shown) < losses[0]
    # 422s are the validation answers while the network was half built; anything else is a bug.
    assert not [e for e in page.errors if "status of 422" not in e]


def test_shared_url_restores_setup(page: Any, browser: Any, server: str, shot: Any) -> None:
    page.goto(server)
    _ready(page)
    page.get_by_test_id("tab-data").click()
    page.get_by_label("dataset", exact=True).select_option("xor")
    page.get_by_test_id("feature-xy").click()
    page.locator(".react-flow__node[data-id='h1']").click()
    page.get_by_label("units", exact=True).fill("6")
    _wait_valid(page)
    page.wait_for_function("() => location.search.startsWith('?s=2.')", timeout=10000)
    page.wait_for_timeout(600)
    url = page.url
    expected = spec_of(page)
    assert expected["data"]["features"] == ["x", "y", "xy"]
    shot(page, "0-edited")

    other = browser.new_page(viewport={"width": 1920, "height": 1080})
    other.goto(url)
    _ready(other)
    assert spec_of(other) == expected
    other.wait_for_selector(".react-flow__node[data-id='h1'] >> text=6 units")
    _wait_valid(other)
    path = shot(other, "1-reloaded-1920")
    assert path.exists()
    other.reload()
    _ready(other)
    assert spec_of(other) == expected

    # Back goes to the setup before the last edit burst.
    page.get_by_label("units", exact=True).fill("7")
    page.wait_for_function(
        "() => location.search !== " + json.dumps(url[url.index("?") :]), timeout=10000
    )
    page.wait_for_timeout(1700)
    page.go_back()
    page.wait_for_function(
        "() => window.__glassnet.specs.getState().spec().network.nodes[1].units === 6",
        timeout=10000,
    )

    # A saved experiment opens from its short link.
    page.get_by_test_id("tab-share").click()
    page.get_by_label("experiment name").fill("XOR with x·y")
    page.get_by_test_id("save-experiment").click()
    link = page.get_by_test_id("share-link").get_attribute("href")
    assert "?e=" in link
    other.goto(link)
    _ready(other)
    other.wait_for_function("() => window.__glassnet.specs.getState().title === 'XOR with x·y'")
    assert spec_of(other)["data"]["features"] == ["x", "y", "xy"]
    shot(other, "2-experiment-link")
    other.close()
