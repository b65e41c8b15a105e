"""The loss-surface lab in a real browser: click a start point, race three optimisers, read the map."""

from __future__ import annotations

from typing import Any

import pytest
from appsteps import fullscreen, load_preset, open_app, view_tab
from pagechecks import CANVAS_HAS_INK

pytestmark = pytest.mark.e2e


def _open_lab(page: Any, server: str) -> None:
    open_app(page, server)
    view_tab(page, "Optimisers")
    page.wait_for_selector("[data-testid='lab-contour']", timeout=60000)
    # The learning-rate demo asks the same endpoint once: let it answer before a test waits for
    # the race's own answer.
    page.get_by_test_id("lab-lr-demo").locator("figure").nth(3).wait_for(timeout=60000)


def _wait_race_end(page: Any) -> None:
    # The animation ends when the shown step equals the slider's maximum.
    page.wait_for_function(
        "() => { const r = document.querySelector(\"input[aria-label='Shown step']\");"
        " return r && r.max !== '0' && r.value === r.max; }",
        timeout=60000,
    )


def test_clicking_the_plot_races_three_optimisers_from_there(
    page: Any, server: str, shot: Any
) -> None:
    _open_lab(page, server)
    for kind in ("sgd", "momentum", "adam"):
        assert page.get_by_test_id(f"lab-readout-{kind}").is_visible()
    box = page.get_by_test_id("lab-contour").bounding_box()
    with page.expect_response("**/api/v1/landscape/trajectories") as answer:
        # Near the plot's top-right corner: a start far from the default one.
        page.mouse.click(box["x"] + box["width"] * 0.8, box["y"] + box["height"] * 0.15)
    body = answer.value.request.post_data_json
    assert body["start"][0] > 0 and body["start"][1] > 0
    assert [o["kind"] for o in body["optimizers"]] == ["sgd", "momentum", "adam"]
    race = answer.value.json()
    assert all(t["points"][0][:2] == body["start"] for t in race["trajectories"])
    _wait_race_end(page)
    last = race["trajectories"][2]["points"][-1]
    readout = page.get_by_test_id("lab-readout-adam").text_content() or ""
    assert f"{last[0]:.6f}"[:7] in readout  # Adam's final θ, exact digits from the server
    shot(page, "raced")
    fullscreen(page)
    shot(page, "raced-fullscreen")


def test_stepping_shows_adams_moments_with_their_bias_correction(page: Any, server: str) -> None:
    _open_lab(page, server)
    _wait_race_end(page)
    page.get_by_role("button", name="Pause").or_(
        page.get_by_role("button", name="Play")
    ).first.click()
    page.locator("input[aria-label='Shown step']").fill("0")
    readout = page.get_by_test_id("lab-readout-adam")
    text = readout.text_content() or ""
    for label in (
        "m (1st moment)",
        "v (2nd moment)",
        "m̂ = m/(1−β1ᵗ)",
        "v̂ = v/(1−β2ᵗ)",
        "step t = 1",
    ):
        assert label in text
    page.get_by_role("button", name="Step forward").click()
    assert "step t = 2" in (readout.text_content() or "")


def test_the_momentum_map_marks_the_current_setting_and_follows_beta(
    page: Any, server: str, shot: Any
) -> None:
    _open_lab(page, server)
    figure = page.get_by_test_id("lab-momentum-map")
    figure.wait_for()
    assert "β = 0.9" in (figure.text_content() or "")
    with page.expect_response("**/api/v1/landscape/trajectories") as answer:
        page.locator("input[aria-label='Momentum']").fill("0.5")
    assert answer.value.json()["momentum_map"]["current"]["momentum"] == 0.5
    page.wait_for_function(
        "() => document.querySelector(\"[data-testid='lab-momentum-map']\").textContent"
        ".includes('β = 0.5')"
    )
    shot(page, "map")
    mapped = answer.value.json()["momentum_map"]
    fullscreen(page)  # the whole map in view, clear of the shortcuts bar
    canvas = page.get_by_test_id("lab-momentum-map-canvas")
    height = canvas.bounding_box()["height"]
    with page.expect_response("**/api/v1/landscape/trajectories") as picked:
        # The bottom-left cell: the smallest α, β = 0 (the plot's left margin holds the α labels).
        canvas.click(position={"x": 52, "y": height - 42})
    body = picked.value.request.post_data_json
    assert body["momentum_map"]["momentum"] == 0
    assert body["momentum_map"]["lr"] == float(f"{mapped['learning_rates'][0]:.4g}")


def test_each_tuned_mode_shows_the_grid_search(page: Any, server: str, shot: Any) -> None:
    _open_lab(page, server)
    with page.expect_response("**/api/v1/landscape/trajectories") as answer:
        page.get_by_label("each tuned").check()
    tuned = answer.value.json()
    table = page.get_by_test_id("lab-tuning")
    table.wait_for()
    assert table.locator("tbody tr").count() == 3
    best = [t["best_lr"] for t in tuned["tuning"]]
    assert [t["optimizer"]["lr"] for t in tuned["trajectories"]] == best
    shot(page, "tuned")


def test_the_learning_rate_demo_shows_four_regimes(page: Any, server: str) -> None:
    _open_lab(page, server)
    demo = page.get_by_test_id("lab-lr-demo")
    demo.locator("figure").nth(3).wait_for()
    text = demo.text_content() or ""
    for regime in ("too small", "right", "oscillating", "diverging"):
        assert regime in text
    assert page.errors == []


@pytest.mark.parametrize(
    "function", ["rosenbrock", "himmelblau", "saddle", "monkey_saddle", "plateau", "beale"]
)
def test_each_function_races_from_its_own_start(
    page: Any, server: str, shot: Any, function: str
) -> None:
    _open_lab(page, server)
    listed = page.request.get(server + "/api/v1/landscape/functions").json()["functions"]
    start = next(f["start"] for f in listed if f["name"] == function)
    with page.expect_response("**/api/v1/landscape/trajectories") as answer:
        page.get_by_label("Test function").select_option(function)
    race = answer.value.json()
    assert race["function"]["name"] == function
    assert answer.value.request.post_data_json["start"] == start
    _wait_race_end(page)
    fullscreen(page)
    shot(page, function)


def test_an_adam_step_of_the_edited_network_shows_its_moments(
    page: Any, server: str, shot: Any
) -> None:
    load_preset(page, server, "optimizers-power-plant-adam")
    view_tab(page, "Optimisers")
    step = page.get_by_test_id("lab-network-step")
    with page.expect_response("**/api/v1/trace/spec") as answer:
        step.get_by_role("button", name="Trace one step").click()
    traced = answer.value.json()
    assert answer.value.request.post_data_json["use_optimizer"] is True
    assert traced["step_optimizer"]["kind"] == "adam"
    table = page.get_by_test_id("lab-step-h1")
    table.wait_for()
    headers = table.locator("thead th").all_text_contents()
    assert headers[-5:] == ["m", "v", "m̂", "v̂", "after"]
    h1 = next(layer for layer in traced["layers"] if layer["id"] == "h1")
    m_hat = h1["optimizer_state"]["weights"]["m_hat"][0][0]
    first = table.locator("tbody tr").first.locator("td").all_text_contents()
    assert float(first[4]) == pytest.approx(m_hat, rel=1e-9)
    # Adam's first step moves every weight by about α, whatever its gradient's size.
    assert abs(float(first[-1]) - float(first[0])) == pytest.approx(0.02, rel=1e-3)
    step.scroll_into_view_if_needed()
    shot(page, "adam-step")


def test_a_trained_run_shows_its_own_landscape_with_its_path(
    page: Any, server: str, shot: Any
) -> None:
    load_preset(page, server, "playground-circle")
    page.get_by_test_id("play").click()
    page.wait_for_function(
        "() => ['finished', 'stopped'].includes(window.__glassnet.runs.getState().state)",
        timeout=120000,
    )
    view_tab(page, "Optimisers")
    panel = page.get_by_test_id("run-landscape")
    with page.expect_response("**/landscape") as answer:
        panel.get_by_test_id("run-landscape-compute").click()
    assert answer.value.status == 200, answer.value.text()
    body = answer.value.json()
    assert answer.value.request.post_data_json["directions"] == "path"
    run = page.evaluate("() => window.__glassnet.runs.getState()")
    assert body["run"] == run["runId"] and body["step"] == run["step"]
    assert body["path"][0]["step"] == 0 and body["path"][-1]["step"] == run["step"]
    assert body["path"][0]["loss"] > body["path"][-1]["loss"]
    page.wait_for_function(CANVAS_HAS_INK, arg="run-landscape-canvas", timeout=15000)
    summary = panel.get_by_test_id("run-landscape-summary").inner_text()
    assert f"step {run['step']}" in summary and "lies off this plane" in summary
    panel.scroll_into_view_if_needed()
    shot(page, "run-landscape")
