"""Recurrent networks in the app: build an LSTM by drag and drop, train the long-lag LSTM preset and
watch δ through time, the gates and the network unrolled in time."""

from __future__ import annotations

from typing import Any

import pytest
from appsteps import connect, drop_layer, load_preset, open_app, spec_of, view_tab
from pagechecks import CANVAS_HAS_INK

pytestmark = pytest.mark.e2e

CANVAS_URL = "(id) => document.querySelector(`[data-testid='${id}']`).toDataURL()"


def _wait_valid(page: Any) -> None:
    try:
        page.wait_for_function(
            "() => window.__glassnet.specs.getState().validation.status === 'valid'",
            timeout=15000,
        )
    except Exception:
        problems = page.evaluate("() => window.__glassnet.specs.getState().validation.problems")
        raise AssertionError(f"the spec did not become valid: {problems}") from None


def _train(page: Any, steps: int) -> None:
    page.get_by_test_id("play").click()
    try:
        page.wait_for_function(
            "(n) => ['finished', 'stopped'].includes(window.__glassnet.runs.getState().state)"
            " || window.__glassnet.runs.getState().step > n",
            arg=steps,
            timeout=90000,
        )
    except Exception:
        state = page.evaluate(
            "() => { const s = window.__glassnet.runs.getState();"
            " return {state: s.state, step: s.step, error: s.error ?? null, id: s.runId}; }"
        )
        server_side = page.evaluate(
            "(id) => fetch(`/api/v1/runs/${id}`).then((r) => r.json())"
            ".then((r) => ({state: r.state, step: r.step, stop: r.stop_reason}))",
            state["id"],
        )
        state["server"] = server_side
        raise AssertionError(
            f"the run did not train {steps} steps: {state}; {page.errors}"
        ) from None


def test_build_lstm_by_drag_and_drop(page: Any, server: str, shot: Any) -> None:
    open_app(page, server)
    page.get_by_test_id("views-splitter").press("Home")
    page.get_by_test_id("clear-canvas").click()
    for kind, x, y in (("input", 90, 110), ("lstm", 320, 110), ("dense", 550, 110)):
        drop_layer(page, kind, x, y)
    page.wait_for_selector(".react-flow__node[data-id='h1']")
    connect(page, "x", "lstm1")
    connect(page, "lstm1", "h1")
    # the default input holds rows [2], not sequences: the lstm says so, as any node shows a problem
    page.locator(".react-flow__node[data-id='lstm1']").click()
    page.locator(".inspector").get_by_text("expects a sequence").first.wait_for(timeout=15000)
    shot(page, "needs-sequence")
    page.get_by_test_id("tab-data").click()
    page.get_by_label("dataset", exact=True).select_option("long_lag")
    # the data's preview gives the input its shape: sequences [T, F]
    page.wait_for_function(
        "() => window.__glassnet.specs.getState().spec().network.nodes"
        ".find((n) => n.id === 'x').shape.length === 2",
        timeout=30000,
    )

    page.locator(".react-flow__node[data-id='h1']").click()
    page.get_by_label("units", exact=True).fill("1")
    page.get_by_label("activation", exact=True).select_option("sigmoid")
    page.get_by_test_id("tab-training").click()
    page.get_by_label("loss", exact=True).select_option("bce")

    page.locator(".react-flow__node[data-id='lstm1']").click()
    page.get_by_label("units", exact=True).fill("6")
    # the forget gate starts open (bias 2): a per-gate initialiser typed into the inspector
    page.get_by_label("forget bias init", exact=True).fill("2")
    _wait_valid(page)
    spec = spec_of(page)
    lstm = next(n for n in spec["network"]["nodes"] if n["kind"] == "lstm")
    assert lstm["units"] == 6
    assert lstm["init"] == {"forget": {"bias": 2}}
    assert spec["network"]["edges"] == [["x", "lstm1"], ["lstm1", "h1"]]
    x = next(n for n in spec["network"]["nodes"] if n["id"] == "x")
    assert len(x["shape"]) == 2, f"the input should hold sequences [T, F], not {x['shape']}"
    shot(page, "built")

    # explicit weights in the lecture's layout: each gate [units][units + F]
    page.get_by_role("button", name="Set weights by hand").click()
    page.wait_for_function(
        "() => !!window.__glassnet.specs.getState().spec().network.nodes"
        ".find((n) => n.id === 'lstm1').weights"
    )
    typed = next(n for n in spec_of(page)["network"]["nodes"] if n["id"] == "lstm1")
    assert sorted(typed["weights"]) == ["candidate", "forget", "input", "output"]
    assert [len(typed["weights"]["forget"]), len(typed["weights"]["forget"][0])] == [6, 6 + 4]
    page.get_by_role("button", name="Use the initialisers instead").click()
    _wait_valid(page)

    _train(page, 20)
    view_tab(page, "δ through time")
    page.get_by_test_id("through-time-diagnosis-lstm1").wait_for(timeout=30000)
    shot(page, "through-time")
    assert not [e for e in page.errors if "status of 422" not in e]


def test_long_lag_lstm_shows_delta_through_time_and_gates(
    page: Any, server: str, shot: Any
) -> None:
    load_preset(page, server, "lstm-long-lag")
    _train(page, 60)

    view_tab(page, "δ through time")
    diagnosis = page.get_by_test_id("through-time-diagnosis-m")
    diagnosis.wait_for(timeout=30000)
    assert diagnosis.get_attribute("data-kind") in {
        "vanishing",
        "exploding",
        "healthy",
        "truncated",
    }
    assert "step 1" in diagnosis.inner_text()
    chart = page.get_by_test_id("through-time-chart-m")
    chart.locator("canvas").wait_for(timeout=15000)
    # one curve for ∂L/∂h_t and one per gate, named in the legend
    legend = chart.locator(".u-legend").inner_text()
    for name in ("∂L/∂h_t", "forget", "input", "candidate", "output"):
        assert name in legend, f"{name} missing from the legend: {legend}"
    shot(page, "through-time")

    view_tab(page, "Gates")
    page.wait_for_function(CANVAS_HAS_INK, arg="gates-canvas", timeout=15000)
    saturation = page.get_by_test_id("gate-saturation")
    for gate in ("forget", "input", "output"):
        assert saturation.locator(f"[data-gate='m.{gate}']").count() == 1
    # the candidate is a tanh, not a gate that shuts or opens
    assert saturation.locator("[data-gate='m.candidate']").count() == 0
    shot(page, "gates")

    view_tab(page, "Unrolled")
    page.wait_for_function(CANVAS_HAS_INK, arg="unrolled-canvas", timeout=15000)
    shot(page, "unrolled")
    # scrubbing the timeline back to the first recorded frame redraws the grid from that frame
    slot = page.locator(".view-slot:not([hidden])")
    before = page.evaluate(CANVAS_URL, "unrolled-canvas")
    slot.get_by_role("slider", name="Scrub recorded frames").fill("0")
    page.wait_for_function(
        "() => document.querySelector(\".view-slot:not([hidden]) [data-testid='timeline-label']\")"
        ".textContent.includes('back')"
    )
    page.wait_for_function(
        "([id, old]) => (" + CANVAS_URL + ")(id) !== old", arg=["unrolled-canvas", before]
    )
    shot(page, "unrolled-scrubbed")
    slot.get_by_role("button", name="Live").click()
    page.get_by_test_id("view-unrolled").get_by_label("each gate's δ").check()
    page.wait_for_timeout(300)
    shot(page, "unrolled-gates")
    # coloured by the state the layer carries instead of the error signal
    before = page.evaluate(CANVAS_URL, "unrolled-canvas")
    page.get_by_test_id("view-unrolled").get_by_label("colour by").select_option("h")
    page.wait_for_function(
        "([id, old]) => (" + CANVAS_URL + ")(id) !== old", arg=["unrolled-canvas", before]
    )
    hint = page.get_by_test_id("view-unrolled").locator(".view-hint").get_attribute("title")
    assert "state the layer carries" in hint
    shot(page, "unrolled-state")
    assert not [e for e in page.errors if "favicon" not in e]


def test_sine_forecast_shows_predicted_against_target_sequence(
    page: Any, server: str, shot: Any
) -> None:
    load_preset(page, server, "sine-forecast-lstm")
    _train(page, 40)
    view_tab(page, "Predictions")
    page.get_by_test_id("sequence-chart").locator("canvas").wait_for(timeout=30000)
    legend = page.get_by_test_id("sequence-chart").locator(".u-legend").inner_text()
    assert "target" in legend and "predicted" in legend
    shot(page, "predictions")
    assert not [e for e in page.errors if "favicon" not in e]


def test_char_model_shows_generated_text(page: Any, server: str, shot: Any) -> None:
    load_preset(page, server, "char-rnn-alice")
    _train(page, 20)
    view_tab(page, "Predictions")
    text = page.get_by_test_id("sequence-text")
    text.wait_for(timeout=60000)
    assert text.locator(".sequence-text-pair").count() >= 1
    shot(page, "predictions")
    assert not [e for e in page.errors if "favicon" not in e]
