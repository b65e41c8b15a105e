"""Textbook mode in a real browser: the power-plant example stepped layer by layer with the book's
numbers, and the convolution walk-through on the lecture's 6×6 "4"."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest
from appsteps import load_preset

pytestmark = pytest.mark.e2e


def _open_preset_in_textbook(page: Any, server: str, preset: str) -> None:
    page.goto(server)
    page.wait_for_selector(".app-shell[data-ready='true']", timeout=60000)
    page.get_by_test_id("tab-presets").click()
    page.get_by_test_id(f"preset-textbook-{preset}").click()
    page.wait_for_selector("[data-testid='textbook-mode']")
    page.wait_for_selector("[data-testid='tb-forward']:not([disabled])", timeout=20000)


def _text(page: Any, test_id: str) -> str:
    return (page.get_by_test_id(test_id).first.text_content() or "").strip()


def _click(page: Any, test_id: str, times: int = 1) -> None:
    for _ in range(times):
        page.get_by_test_id(test_id).click()


def test_power_plant_steps_to_the_books_delta(page: Any, server: str, shot: Any) -> None:
    _open_preset_in_textbook(page, server, "kelleher-power-plant-logistic")
    assert "power plant" in _text(page, "tb-title").lower()
    shot(page, "0-opened")

    # The editor's shortcuts stay quiet behind the dialog: space must not start training.
    page.keyboard.press(" ")
    page.keyboard.press("s")
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.__glassnet.runs.getState().runId") is None
    _click(page, "tb-next-example")
    assert "d2" in _text(page, "tb-example")
    _click(page, "tb-forward", 3)
    assert page.get_by_test_id("tb-forward").is_disabled()
    assert _text(page, "tb-a-8") == "0.4718"
    assert _text(page, "tb-pred-8-d2") == "0.4718"
    shot(page, "1-forward")

    _click(page, "tb-backward")
    assert _text(page, "tb-delta-8") == "0.0852"
    _click(page, "tb-backward", 2)
    assert page.get_by_test_id("tb-update").is_enabled()
    assert _text(page, "tb-delta-8") == "0.0852"
    assert _text(page, "tb-delta-3") == "\u22120.0006"
    page.get_by_test_id("tb-tab-neurons").click()
    assert _text(page, "tb-cell-delta-8-d2") == "0.0852"
    shot(page, "2-backward")

    _click(page, "tb-update")
    page.get_by_test_id("tb-tab-outputs").click()
    assert _text(page, "tb-loss") == "0.17921984"
    assert _text(page, "tb-loss-after") == "0.17896706"
    assert _text(page, "tb-pred-after-8-d2") == "0.4741"
    shot(page, "3-updated")

    # The book's hand rounding reproduces its printed Δw7,5 and SSE exactly.
    page.get_by_test_id("tb-book-rounding").check()
    page.get_by_test_id("tb-tab-weights").click()
    assert _text(page, "tb-dw-w7,5") == "0.00153726"
    assert _text(page, "tb-after-w7,5") == "\u22120.090307452"
    page.get_by_test_id("tb-tab-outputs").click()
    assert _text(page, "tb-loss") == "0.17921847"
    assert page.get_by_test_id("tb-errata").count() >= 1
    shot(page, "4-book-rounding")

    page.get_by_test_id("tb-weights-matrix").click()
    page.get_by_test_id("tb-tab-weights").click()
    page.wait_for_selector("[data-testid='tb-matrices']")
    shot(page, "5-matrix")

    page.set_viewport_size({"width": 1920, "height": 1080})
    page.get_by_test_id("tb-precision-full").click()
    page.get_by_test_id("tb-neuron-7").click()
    shot(page, "6-full-1920")
    assert not page.errors, page.errors

    page.get_by_test_id("tb-close").click()
    page.wait_for_selector("[data-testid='textbook-mode']", state="detached")


def test_cnn_filter_walks_across_the_image(page: Any, server: str, shot: Any) -> None:
    _open_preset_in_textbook(page, server, "cnn-receptive-field")
    # Before the first step: how many receptive fields cover each pixel (corner 1, centre 9).
    assert _text(page, "tb-coverage-0-0") == "1"
    assert _text(page, "tb-coverage-2-2") == "9"
    shot(page, "0-input")
    _click(page, "tb-forward")
    page.wait_for_selector("[data-testid='tb-conv'][data-phase='conv-forward']")
    assert _text(page, "tb-cell-pos") == "1 / 16"
    assert _text(page, "tb-conv-a") == "255"
    shot(page, "1-first-cell")
    # Neuron (2, 1), over the horizontal bar: the lecture's 765.
    _click(page, "tb-cell-next", 9)
    assert _text(page, "tb-cell-pos") == "10 / 16"
    assert _text(page, "tb-conv-a") == "765"
    shot(page, "2-cell-2-1")

    page.get_by_test_id("tb-source").select_option("cnn-max-pooling")
    page.wait_for_selector("[data-testid='tb-forward']:not([disabled])", timeout=20000)
    assert "pooling" in _text(page, "tb-title").lower()
    _click(page, "tb-forward")
    # Padding 1: the corner neuron's field holds five hatched padding pixels.
    assert page.locator("[data-testid^='tb-input-0-'][data-padding='true']").count() == 28
    shot(page, "3-padded-conv")
    _click(page, "tb-forward")
    page.wait_for_selector("[data-testid='tb-conv'][data-phase='pool-forward']")
    _click(page, "tb-cell-next", 3)
    assert "winner at (3, 1)" in _text(page, "tb-pool-detail")
    shot(page, "4-pool-winners")
    _click(page, "tb-forward", 2)
    _click(page, "tb-backward", 3)
    page.wait_for_selector("[data-testid='tb-conv'][data-phase='pool-backward']")
    assert _text(page, "tb-routed-3-1") == "1"
    assert _text(page, "tb-routed-3-0") == "0"
    shot(page, "5-routing")
    _click(page, "tb-backward")
    page.wait_for_selector("[data-testid='tb-conv'][data-phase='conv-backward']")
    sums = [[_text(page, f"tb-dw-0-{r}-{c}") for c in range(3)] for r in range(3)]
    assert sums == [["0", "510", "0"], ["510", "510", "510"], ["0", "255", "0"]]
    shot(page, "6-shared-gradient")
    _click(page, "tb-update")
    assert _text(page, "tb-filter-after-0-0-1") == "\u22121.51"
    shot(page, "7-update")
    # Keyboard: Home resets, F steps forward (the dialog has the focus).
    page.keyboard.press("Home")
    page.keyboard.press("f")
    page.wait_for_selector("[data-testid='tb-conv'][data-phase='conv-forward']")
    page.set_viewport_size({"width": 1920, "height": 1080})
    _click(page, "tb-cell-next", 20)
    shot(page, "8-conv-1920")
    assert not page.errors, page.errors


def test_every_textbook_preset_steps_through(page: Any, server: str, shot: Any) -> None:
    import json
    import urllib.request

    with urllib.request.urlopen(f"{server}/api/v1/presets") as response:
        presets = [p["id"] for p in json.load(response)["presets"] if p.get("mode") == "textbook"]
    assert len(presets) >= 8
    page.goto(server)
    page.wait_for_selector(".app-shell[data-ready='true']", timeout=60000)
    page.get_by_test_id("open-textbook").click()
    # The editor's own network: traced when its data is a small table, else a clear message and a
    # list of worked examples to pick from.
    page.wait_for_selector(
        "[data-testid='tb-error'], [data-testid='tb-forward']:not([disabled])", timeout=20000
    )
    shot(page, "editor-network")
    for preset in presets:
        page.get_by_test_id("tb-source").select_option(preset)
        page.wait_for_selector("[data-testid='tb-finish']:not([disabled])", timeout=20000)
        _click(page, "tb-finish")
        assert page.get_by_test_id("tb-update").is_disabled()
        assert page.locator("[data-testid='tb-status']").inner_text().startswith("Updated")
        shot(page, preset)
    assert not page.errors, page.errors


def test_textbook_mode_is_in_the_url(page: Any, browser: Any, server: str, shot: Any) -> None:
    _open_preset_in_textbook(page, server, "kelleher-power-plant-logistic")
    _click(page, "tb-next-example")
    _click(page, "tb-forward", 2)
    status = _text(page, "tb-status")
    page.wait_for_function(
        "() => location.search.includes('tb=kelleher-power-plant-logistic&tbs=2&tbx=1')",
        timeout=10000,
    )
    link = page.url
    assert "?s=2." in link

    # A teacher's link opens textbook mode on the same example, stage and example row.
    other = browser.new_page(viewport={"width": 1280, "height": 720})
    other.goto(link)
    other.wait_for_selector("[data-testid='textbook-mode']", timeout=60000)
    other.wait_for_selector("[data-testid='tb-update'][disabled]", timeout=20000)
    other.wait_for_function(
        "(s) => document.querySelector(\"[data-testid='tb-status']\")?.textContent.trim() === s",
        arg=status,
        timeout=20000,
    )
    assert "power plant" in _text(other, "tb-title").lower()
    assert _text(other, "tb-example").startswith("Example d2")
    assert other.get_by_test_id("tb-source").input_value() == "kelleher-power-plant-logistic"
    shot(other, "0-opened-from-link")

    # Stepping on rewrites the place without a new history entry; a reload lands on it.
    _click(other, "tb-forward")
    other.wait_for_function("() => location.search.includes('tbs=3')", timeout=10000)
    other.reload()
    other.wait_for_selector("[data-testid='tb-backward']:not([disabled])", timeout=60000)
    assert _text(other, "tb-status").startswith("Forward pass done")

    # Closing removes it from the URL (and a reload stays in the editor); Back reopens it.
    _click(other, "tb-close")
    other.wait_for_function("() => !location.search.includes('tb=')", timeout=10000)
    assert "?s=2." in other.url
    other.reload()
    other.wait_for_selector(".app-shell[data-ready='true']", timeout=60000)
    other.wait_for_timeout(500)
    assert other.locator("[data-testid='textbook-mode']").count() == 0
    shot(other, "1-closed-reloaded")
    other.go_back()
    other.wait_for_selector("[data-testid='textbook-mode']", timeout=10000)
    other.wait_for_selector("[data-testid='tb-backward']:not([disabled])", timeout=20000)
    assert _text(other, "tb-status").startswith("Forward pass done")
    other.close()
    assert not page.errors, page.errors


def test_old_uncompressed_link_opens_in_textbook_mode(page: Any, server: str, shot: Any) -> None:
    # Written by format 1 (before compression and before textbook mode was in the URL), plus `tb`.
    old = (
        "1.eyJ2IjoxLCJzcGVjIjp7InZlcnNpb24iOjEsIm5ldHdvcmsiOnsibm9kZXMiOlt7ImlkIjoieCIsImtpbmQiOi"
        "JpbnB1dCIsInNoYXBlIjpbMl19LHsiaWQiOiJoMSIsImtpbmQiOiJkZW5zZSIsInVuaXRzIjozLCJhY3RpdmF0aW"
        "9uIjoidGFuaCIsImxhYmVsIjoidmVyc3RlY2t0IMOkIn0seyJpZCI6InkiLCJraW5kIjoiZGVuc2UiLCJ1bml0cy"
        "I6MSwiYWN0aXZhdGlvbiI6InNpZ21vaWQifV19LCJkYXRhIjp7ImRhdGFzZXQiOiJ4b3IifSwic2VlZCI6N30sIn"
        "BvcyI6eyJ4IjpbMCwwXSwiaDEiOlszMDAsMTBdLCJ5IjpbNjAwLDBdfX0"
    )
    page.goto(f"{server}/?s={old}")
    page.wait_for_selector(".app-shell[data-ready='true']", timeout=60000)
    spec = page.evaluate("() => window.__glassnet.specs.getState().spec()")
    assert [n["id"] for n in spec["network"]["nodes"]] == ["x", "h1", "y"]
    assert spec["seed"] == 7
    assert page.locator("[data-testid='textbook-mode']").count() == 0
    # Opening textbook mode on it keeps the old setup string as it is and adds the mode.
    page.get_by_test_id("open-textbook").click()
    page.wait_for_function("() => location.search.endsWith('&tb=editor')", timeout=10000)
    assert f"?s={old}&" in page.url
    page.reload()
    page.wait_for_selector("[data-testid='textbook-mode']", timeout=60000)
    page.wait_for_selector(
        "[data-testid='tb-error'], [data-testid='tb-forward']:not([disabled])", timeout=20000
    )
    assert page.get_by_test_id("tb-source").input_value() == ""  # the network in the editor
    shot(page, "editor-network-from-old-link")
    assert not [e for e in page.errors if "status of 4" not in e]


def _number(text: str) -> float:
    return float(text.replace("\u2212", "-"))


def test_an_adam_step_shows_its_moments_beside_each_weight(
    page: Any, server: str, shot: Any
) -> None:
    load_preset(page, server, "kelleher-power-plant-logistic")
    page.evaluate(
        "() => window.__glassnet.specs.getState().setTraining("
        "{ optimizer: { kind: 'adam', lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8 } })"
    )
    page.get_by_test_id("open-textbook").click()
    page.wait_for_selector("[data-testid='tb-forward']:not([disabled])", timeout=20000)
    page.get_by_test_id("tb-rule-optimizer").click()
    page.wait_for_function(
        "() => /Adam step t = 1/.test(document.querySelector(\"[data-testid='tb-rounding-note']\").textContent)",
        timeout=20000,
    )
    page.wait_for_selector("[data-testid='tb-forward']:not([disabled])", timeout=20000)
    _click(page, "tb-forward", 3)
    _click(page, "tb-backward", 3)
    _click(page, "tb-update")
    page.get_by_test_id("tb-tab-weights").click()
    page.get_by_test_id("tb-precision-full").click()
    assert "m̂ = m/(1 − β₁ᵗ)" in _text(page, "tb-update-formula")
    # Adam's first step from zero state: m̂ = g and v̂ = g², so the weight moves by α·g/(|g| + ε),
    # α·sign(g) to 1e-8: the lecture's invariant.
    for w in ("w7,5", "w8,0", "w3,1"):
        g = _number(_text(page, f"tb-dw-{w}"))
        assert _number(_text(page, f"tb-state-m_hat-{w}")) == pytest.approx(g, rel=1e-6)
        assert _number(_text(page, f"tb-state-m-{w}")) == pytest.approx(0.1 * g, rel=1e-6)
        assert _number(_text(page, f"tb-state-v_hat-{w}")) == pytest.approx(g * g, rel=1e-5)
    before = page.evaluate(
        "() => window.__glassnet.specs.getState().spec().network.nodes[1].weights[0][0]"
    )
    g31 = _number(_text(page, "tb-dw-w3,1"))
    step = 0.001 * g31 / (abs(g31) + 1e-8)
    assert _number(_text(page, "tb-after-w3,1")) == pytest.approx(before - step, abs=1e-9)
    shot(page, "adam-step")

    # One example alone: a stochastic update traces d3 only.
    page.get_by_test_id("tb-examples").select_option("2")
    page.wait_for_function(
        "() => /stochastic update: example d3/.test(document.querySelector(\"[data-testid='tb-rounding-note']\").textContent)",
        timeout=20000,
    )
    # The walk stays where it was (the update applied), now over one example.
    page.wait_for_function(
        "() => document.querySelectorAll(\"[data-testid^='tb-grad-w7,5-d']\").length === 1",
        timeout=20000,
    )
    g = _number(_text(page, "tb-dw-w7,5"))
    assert _number(_text(page, "tb-state-m_hat-w7,5")) == pytest.approx(g, rel=1e-6)
    shot(page, "adam-one-example")

    # Step t = 2 starts from the weights and the moments step 1 left: m₂ = β₁·m₁ + (1 − β₁)·g₂
    m1 = _number(_text(page, "tb-state-m-w7,5"))
    v1 = _number(_text(page, "tb-state-v-w7,5"))
    page.get_by_test_id("tb-optimizer-step").select_option("2")
    page.wait_for_function(
        "() => /Adam step t = 2/.test(document.querySelector(\"[data-testid='tb-rounding-note']\").textContent)",
        timeout=20000,
    )
    page.wait_for_function("() => !document.querySelector('.tb-retracing')", timeout=20000)
    g2 = _number(_text(page, "tb-dw-w7,5"))
    assert _number(_text(page, "tb-state-m-w7,5")) == pytest.approx(0.9 * m1 + 0.1 * g2, rel=1e-6)
    assert _number(_text(page, "tb-state-v-w7,5")) == pytest.approx(
        0.999 * v1 + 0.001 * g2 * g2, rel=1e-6
    )
    assert "step t = 2, from the state step 1 left" in _text(page, "tb-table-optimizer")
    shot(page, "adam-step-2")


def test_every_erratum_is_listed_in_textbook_mode(page: Any, server: str, shot: Any) -> None:
    _open_preset_in_textbook(page, server, "kelleher-power-plant-logistic")
    page.get_by_test_id("tb-all-errata").click()
    listed = page.get_by_test_id("tb-erratum")
    listed.first.wait_for()
    with urllib.request.urlopen(f"{server}/api/v1/errata") as response:
        body = json.load(response)
    errata = body if isinstance(body, list) else body["errata"]
    assert listed.count() == len(errata)
    assert "LSTM backward example" in page.get_by_test_id("tb-errata-list").inner_text()
    shot(page, "all-errata")
    # An erratum with a worked example opens it.
    page.get_by_test_id("tb-errata-list").get_by_role(
        "button", name="open the example ▸"
    ).first.click()
    page.wait_for_selector("[data-testid='tb-forward']:not([disabled])", timeout=20000)


def test_a_simple_rnn_walks_through_time_and_back(page: Any, server: str, shot: Any) -> None:
    import math

    _open_preset_in_textbook(page, server, "rnn-bptt-three-steps")
    page.get_by_test_id("tb-precision-full").click()
    _click(page, "tb-forward")
    # h_1 = tanh(W_hx·x_1 + W_hh·h_0 + b) with h_0 = 0 and x_1 = 1
    assert _number(_text(page, "tb-rnn-h-1-t1")) == pytest.approx(math.tanh(0.5), abs=1e-9)
    assert _number(_text(page, "tb-rnn-h-2-t1")) == pytest.approx(math.tanh(-0.3), abs=1e-9)
    h1 = (math.tanh(0.5), math.tanh(-0.3))
    z2 = 0.5 * 0.5 + 0.1 * h1[0] + 0.4 * h1[1]  # W_hx·x_2 + W_hh[0]·h_1
    assert _number(_text(page, "tb-rnn-z-1-t2")) == pytest.approx(z2, abs=1e-9)
    assert page.get_by_test_id("tb-rnn-delta-1-t3").count() == 0  # δ comes on the way back
    _click(page, "tb-forward")
    _click(page, "tb-backward", 2)
    shot(page, "rnn-backward")
    # each step's gradient adds up to the one the update uses
    per_step = [_number(_text(page, f"tb-bptt-hh[1,2]-t{t}")) for t in (1, 2, 3)]
    assert per_step[0] == 0.0  # h_0 = 0: step 1 adds nothing to W_hh
    assert sum(per_step) == pytest.approx(_number(_text(page, "tb-bptt-hh[1,2]-sum")), abs=1e-9)
    counts = page.get_by_test_id("tb-gradient-counts").inner_text()
    assert "W_hh (h): 3 gradients" in counts and "W_yh (y): 1 gradient" in counts
    _click(page, "tb-next-example")
    assert page.get_by_test_id("tb-rnn-x-1-t2").inner_text().strip() == "1"
    _click(page, "tb-update")
    shot(page, "rnn-updated")
    assert not page.errors, page.errors


def test_the_lstm_backward_example_steps_to_the_forget_gates_gradient(
    page: Any, server: str, shot: Any
) -> None:
    _open_preset_in_textbook(page, server, "kelleher-power-plant-logistic")
    page.get_by_test_id("tb-source").select_option("lstm-backward-step")
    page.get_by_test_id("tb-vector-walk").wait_for()
    page.get_by_test_id("tb-precision-full").click()
    assert "0.520987661" in page.get_by_test_id("tb-walk-erratum").inner_text()
    _click(page, "tb-walk-next", 6)
    delta_f = page.get_by_test_id("tb-walk-value-6").inner_text().split()
    assert [_number(v) for v in delta_f] == pytest.approx([0.064732317, 0.141057014], abs=5e-9)
    _click(page, "tb-walk-all")
    grad = [_number(v) for v in page.get_by_test_id("tb-walk-value-7").inner_text().split()]
    assert grad == pytest.approx(
        [
            *(0.064732317, 0.006473232, 0.051785854, 0.058259085),
            *(0.141057014, 0.014105701, 0.112845611, 0.126951313),
        ],
        abs=5e-9,
    )
    assert page.get_by_test_id("tb-walk-next").is_disabled()
    shot(page, "lstm-backward")
    page.get_by_test_id("tb-source").select_option("lstm-forget-gate")
    page.get_by_test_id("tb-walk-next").click()
    page.get_by_test_id("tb-walk-next").click()
    f = [_number(v) for v in page.get_by_test_id("tb-walk-value-2").inner_text().split()]
    assert f == pytest.approx([0.997527377, 0.002472623, 0.5], abs=5e-10)
    shot(page, "lstm-forget-gate")
    assert not page.errors, page.errors


def test_the_batch_norm_example_steps_to_gamma_and_beta(page: Any, server: str, shot: Any) -> None:
    _open_preset_in_textbook(page, server, "batchnorm-lecture-example")
    page.get_by_test_id("tb-precision-full").click()
    _click(page, "tb-forward")
    assert _number(_text(page, "tb-card-bn-mean-1")) == 2.5
    assert _number(_text(page, "tb-card-bn-var-1")) == 1.25
    x_hat = [_number(_text(page, f"tb-card-bn-x_hat-1-d{e}")) for e in (1, 2, 3, 4)]
    assert x_hat == pytest.approx(
        [-1.5 / 1.25001**0.5, -0.5 / 1.25001**0.5, 0.5 / 1.25001**0.5, 1.5 / 1.25001**0.5], abs=1e-9
    )
    assert _number(_text(page, "tb-card-bn-a-1-d1")) == pytest.approx(2 * x_hat[0] + 0.5, abs=1e-9)
    _click(page, "tb-backward")
    assert _number(_text(page, "tb-card-bn-grad_beta-1")) == pytest.approx(2.0, abs=1e-9)
    assert _number(_text(page, "tb-card-bn-grad_gamma-1")) == pytest.approx(10 / 1.25001, abs=1e-9)
    _click(page, "tb-update")
    assert _number(_text(page, "tb-card-bn-beta_after-1")) == pytest.approx(0.3, abs=1e-9)
    assert _number(_text(page, "tb-card-bn-gamma_after-1")) == pytest.approx(
        2 - 1 / 1.25001, abs=1e-9
    )
    shot(page, "batchnorm")
    assert not page.errors, page.errors


def test_dropout_algorithm_2_uses_its_masks_both_ways(page: Any, server: str, shot: Any) -> None:
    _open_preset_in_textbook(page, server, "dropout-algorithm-2")
    page.get_by_test_id("tb-precision-full").click()
    _click(page, "tb-finish")
    masks = [[_text(page, f"tb-card-drop-mask-{u}-d{e}") for u in (1, 2, 3, 4)] for e in (1, 2)]
    assert masks == [["1", "0", "1", "0"], ["0", "1", "1", "1"]]
    # forward: kept units scaled by 1/ρ = 2; backward: δ through the same mask and the same 1/ρ
    assert [_number(_text(page, f"tb-card-drop-a-{u}-d1")) for u in (1, 2, 3, 4)] == [2, 0, 6, 0]
    back = [_number(_text(page, f"tb-card-drop-dE_dx-{u}-d2")) for u in (1, 2, 3, 4)]
    assert back == pytest.approx([0.0, 1.92, 2.88, 3.84], abs=1e-9)
    shot(page, "dropout")
    # a stochastic walk over d2 alone keeps d2's own mask
    page.get_by_test_id("tb-examples").select_option("1")
    page.wait_for_function(
        "() => document.querySelectorAll(\"[data-testid^='tb-card-drop-mask-1-d']\").length === 1",
        timeout=20000,
    )
    assert [_text(page, f"tb-card-drop-mask-{u}-d1") for u in (1, 2, 3, 4)] == ["0", "1", "1", "1"]
    assert not page.errors, page.errors
