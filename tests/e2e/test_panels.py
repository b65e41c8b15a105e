"""Presets gallery, CSV upload, undo/redo and the keyboard legend, against a real server."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e


def _ready(page: Any) -> None:
    page.wait_for_selector(".app-shell[data-ready='true']")


def _get(server: str, path: str) -> Any:
    with urllib.request.urlopen(server + path) as response:
        return json.load(response)


def _state(page: Any) -> str | None:
    return page.evaluate("() => window.__glassnet.runs.getState().state")


def test_presets_gallery_loads_a_preset_and_trains(page: Any, server: str, shot: Any) -> None:
    presets = _get(server, "/api/v1/presets")["presets"]
    page.goto(server)
    _ready(page)
    page.get_by_test_id("tab-presets").click()
    for p in presets:
        button = page.get_by_test_id(f"preset-{p['id']}")
        assert p["title"] in button.inner_text()
        if p.get("teaches"):
            assert "Teaches:" in button.inner_text()
    shot(page, "0-gallery")

    page.get_by_test_id("preset-kelleher-power-plant-logistic").click()
    page.wait_for_function(
        "() => window.__glassnet.specs.getState().title?.startsWith('Power plant')"
    )
    expected = _get(server, "/api/v1/presets/kelleher-power-plant-logistic")["spec"]
    loaded = page.evaluate("() => window.__glassnet.specs.getState().spec()")
    assert [n["id"] for n in loaded["network"]["nodes"]] == [
        n["id"] for n in expected["network"]["nodes"]
    ]
    by_id = {n["id"]: n for n in expected["network"]["nodes"]}
    for node in loaded["network"]["nodes"]:
        if "weights" in by_id[node["id"]]:
            assert node["weights"] == by_id[node["id"]]["weights"]
    assert loaded["data"] == expected["data"]
    assert loaded["training"]["loss"] == expected["training"]["loss"]

    page.locator(".react-flow__pane").click()
    page.keyboard.press(" ")
    page.wait_for_function(
        "() => ['finished', 'stopped'].includes(window.__glassnet.runs.getState().state)",
        timeout=60000,
    )
    shot(page, "1-trained")
    assert not [e for e in page.errors if "status of 422" not in e]


def test_csv_upload_previews_and_validates(
    page: Any, server: str, shot: Any, tmp_path: Path
) -> None:
    csv = tmp_path / "plants.csv"
    rows = ["temp,pressure,output"] + [
        f"{0.1 * i:.2f},{1 - 0.05 * i:.2f},{0.3 + 0.02 * i:.2f}" for i in range(20)
    ]
    csv.write_text("\n".join(rows) + "\n", encoding="utf-8")
    page.goto(server)
    _ready(page)
    page.get_by_test_id("tab-data").click()
    page.get_by_label("dataset", exact=True).select_option("csv")
    page.get_by_label("upload CSV").set_input_files(str(csv))
    page.wait_for_selector("text=20 rows, 3 columns")
    page.get_by_label("target column").select_option("output")
    page.wait_for_selector(".data-table >> text=temp")
    spec = page.evaluate("() => window.__glassnet.specs.getState().spec()")
    assert spec["data"]["dataset"] == "csv"
    assert spec["data"]["upload_id"]
    assert spec["data"]["target_column"] == "output"
    page.wait_for_function(
        "() => window.__glassnet.specs.getState().spec().network.nodes[0].shape[0] === 2"
    )
    shot(page, "0-csv")


def test_undo_redo_and_shortcut_legend(page: Any, server: str, shot: Any) -> None:
    page.goto(server)
    _ready(page)
    page.locator(".react-flow__node[data-id='h2']").click()
    page.get_by_test_id("tab-build").click()
    page.get_by_test_id("palette-dropout").click()
    page.wait_for_selector(".react-flow__node[data-id='drop1']")
    edges = page.evaluate("() => window.__glassnet.specs.getState().spec().network.edges")
    assert ["h2", "drop1"] in edges and ["drop1", "y"] in edges
    page.locator(".react-flow__pane").click()
    page.keyboard.press("Control+z")
    page.wait_for_selector(".react-flow__node[data-id='drop1']", state="detached")
    page.keyboard.press("Control+Shift+z")
    page.wait_for_selector(".react-flow__node[data-id='drop1']")
    page.keyboard.press("?")
    legend = page.get_by_role("dialog", name="Keyboard shortcuts")
    assert "play / pause" in legend.inner_text()
    shot(page, "0-legend")
    page.keyboard.press("?")
    assert legend.count() == 0
