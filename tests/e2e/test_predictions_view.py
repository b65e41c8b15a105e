"""The Predictions view against real runs: the MNIST CNN's accuracy, confusion matrix and example
tiles after one epoch, and a regression's predicted-against-true scatter."""

from __future__ import annotations

from typing import Any

import pytest
from appsteps import choose_preset, fullscreen, leave_fullscreen, open_app, view_tab
from pagechecks import CANVAS_HAS_INK

pytestmark = pytest.mark.e2e

NO_ERRORS = "favicon"

# The newest frame's predictions, as the page decoded them (typed arrays made plain).
FRAME_PREDICTIONS = """() => {
  const f = window.__glassnet.hub.latest;
  const p = f && f.predictions;
  if (!p) return null;
  const plain = (x) => (x == null ? x : Array.from(x));
  return {
    frame_step: f.step,
    step: p.step,
    epoch: p.epoch,
    n: p.n,
    task: p.task,
    correct: p.correct,
    confusion: p.confusion ? p.confusion.map(plain) : null,
    examples: p.examples.map((e) => ({index: e.index, target: e.target, predicted: e.predicted})),
    scatter_n: p.scatter ? p.scatter.target.length : null,
  };
}"""


def _load_preset(page: Any, preset: str) -> None:
    choose_preset(page, preset)
    page.wait_for_function(
        "() => window.__glassnet.specs.getState().validation.status === 'valid'", timeout=30000
    )


def _wait_paused(page: Any) -> None:
    page.wait_for_function(
        "() => /paused|finished/.test(document.querySelector(\"[data-testid='run-status']\")?.textContent ?? '')",
        timeout=120000,
    )


def _no_sideways_overflow(page: Any) -> None:
    overflow = page.evaluate(
        "() => { const v = document.querySelector(\"[data-testid='view-predictions']\");"
        " return v.scrollWidth - v.clientWidth; }"
    )
    assert overflow <= 1, overflow


def test_mnist_cnn_predictions_after_one_epoch(page: Any, server: str, shot: Any) -> None:
    open_app(page, server)
    view_tab(page, "Predictions")
    empty = page.get_by_test_id("pred-empty")
    assert "MNIST CNN preset" in empty.inner_text()
    shot(page, "empty")

    _load_preset(page, "mnist-cnn-small")
    page.get_by_test_id("epoch").click()  # one epoch, then the run pauses
    page.wait_for_function("() => (window.__glassnet.hub.latest?.epoch ?? 0) >= 1", timeout=120000)
    _wait_paused(page)
    header = page.get_by_test_id("pred-header")
    header.wait_for(timeout=15000)
    page.wait_for_timeout(600)  # the view refreshes a few times a second
    frame = page.evaluate(FRAME_PREDICTIONS)
    assert frame is not None and frame["task"] == "multiclass"
    assert frame["n"] == 200  # the whole validation split of 1,000 images × 0.2

    # The header names the split and the step the outputs were computed at: the frame's.
    assert header.get_attribute("data-step") == str(frame["step"])
    text = header.inner_text()
    assert text.startswith("validation split · 200 examples")
    assert f"at step {frame['step']:,} (epoch {frame['epoch']})" in text
    accuracy = page.get_by_test_id("pred-accuracy").inner_text()
    assert accuracy == f"{100 * frame['correct'] / frame['n']:.1f} %"

    # The confusion matrix: 10 × 10 counts, as in the frame, summing to n.
    cells = page.get_by_test_id("pred-cell")
    assert cells.count() == 100
    counts = page.evaluate(
        "() => [...document.querySelectorAll(\"[data-testid='pred-cell']\")]"
        ".map((c) => [Number(c.dataset.true), Number(c.dataset.pred), Number(c.dataset.count),"
        " Number(c.textContent)])"
    )
    assert sum(c[2] for c in counts) == frame["n"]
    for i, j, count, shown in counts:
        assert count == shown == frame["confusion"][i][j]
    assert sum(c[2] for c in counts if c[0] == c[1]) == frame["correct"]

    # 24 example tiles, each with its image, the wrong ones marked.
    tiles = page.get_by_test_id("pred-tile")
    assert tiles.count() == 24
    page.wait_for_function(
        "() => document.querySelectorAll(\"[data-testid='pred-tile'] canvas[data-testid='pred-image']\").length === 24",
        timeout=15000,
    )
    images = page.evaluate(
        """() => [...document.querySelectorAll("[data-testid='pred-image']")].map((c) => {
          const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          let lit = 0;
          for (let i = 0; i < d.length; i += 4) if (d[i] > 100) lit++;
          return [c.width, c.height, lit];
        })"""
    )
    assert all(w == 28 and h == 28 and lit > 20 for w, h, lit in images), images
    tile_state = page.evaluate(
        """() => [...document.querySelectorAll("[data-testid='pred-tile']")].map((t) => ({
          index: Number(t.dataset.index),
          correct: t.dataset.correct === 'true',
          wrongClass: t.classList.contains('is-wrong'),
          border: getComputedStyle(t).borderTopColor,
          mark: t.querySelector('.verdict').textContent,
        }))"""
    )
    wrong = [e["index"] for e in frame["examples"][:24] if e["target"] != e["predicted"]]
    assert wrong, "after one epoch some of the first 24 digits should still be wrong"
    for tile, ex in zip(tile_state, frame["examples"][:24], strict=True):
        assert tile["index"] == ex["index"]
        right = ex["target"] == ex["predicted"]
        assert tile["correct"] is right
        assert tile["wrongClass"] is (not right)
        assert ("✗" in tile["mark"]) is (not right)
        if not right:
            assert tile["border"] == "rgb(213, 94, 0)"
    # Every tile has the ten class bars.
    assert page.locator("[data-testid='pred-tile']").first.locator(".pred-bars li").count() == 10

    # Hovering a cell explains it; clicking pins it and picks out its examples among the tiles.
    first_wrong = next(e for e in frame["examples"] if e["target"] != e["predicted"])
    t, p = first_wrong["target"], first_wrong["predicted"]
    cell = page.locator(f"[data-testid='pred-cell'][data-true='{t}'][data-pred='{p}']")
    cell.hover()
    note = page.get_by_test_id("pred-cell-note")
    n = frame["confusion"][t][p]
    assert f"{n} example{'s' if n != 1 else ''} of class {t} predicted as {p}" in note.inner_text()
    cell.click()
    page.mouse.move(5, 5)
    assert "among the examples shown" in note.inner_text()
    assert page.locator("[data-testid='pred-tile'].is-match").count() == sum(
        1 for e in frame["examples"][:24] if (e["target"], e["predicted"]) == (t, p)
    )
    shot(page, "pinned")
    cell.click()  # unpin
    assert page.locator("[data-testid='pred-tile'].is-dim").count() == 0

    _no_sideways_overflow(page)
    shot(page, "normal")
    fullscreen(page)
    _no_sideways_overflow(page)
    shot(page, "fullscreen")
    leave_fullscreen(page)

    # The view follows the timeline: after a second epoch, scrub back to the first recorded frame
    # (predictions from an earlier step), then back to live.
    header_step = "Number(document.querySelector(\"[data-testid='pred-header']\").dataset.step)"
    page.get_by_test_id("epoch").click()
    page.wait_for_function("() => (window.__glassnet.hub.latest?.epoch ?? 0) >= 2", timeout=120000)
    _wait_paused(page)
    page.wait_for_function(f"(s) => {header_step} > s", arg=frame["step"], timeout=15000)
    live_step = page.evaluate(FRAME_PREDICTIONS)["step"]
    page.wait_for_function(f"(s) => {header_step} === s", arg=live_step, timeout=15000)
    slot = page.locator(".view-slot:not([hidden])")
    slot.get_by_role("slider", name="Scrub recorded frames").fill("0")
    page.wait_for_function(f"(s) => {header_step} < s", arg=live_step, timeout=15000)
    shot(page, "scrubbed")
    slot.get_by_role("button", name="Live").click()
    page.wait_for_function(f"(s) => {header_step} === s", arg=live_step, timeout=15000)
    assert not [e for e in page.errors if NO_ERRORS not in e]


def test_regression_shows_predicted_against_true(page: Any, server: str, shot: Any) -> None:
    open_app(page, server)
    _load_preset(page, "init-he-relu")
    for _ in range(3):
        page.get_by_test_id("epoch").click()
        _wait_paused(page)
    view_tab(page, "Predictions")
    page.get_by_test_id("pred-header").wait_for(timeout=15000)
    frame = page.evaluate(FRAME_PREDICTIONS)
    assert frame["task"] == "regression"
    # No validation split in this preset: the view says it shows the training split.
    header = page.get_by_test_id("pred-header")
    assert header.inner_text().startswith("training split")
    page.wait_for_function(CANVAS_HAS_INK, arg="pred-scatter", timeout=15000)
    scatter = page.get_by_test_id("pred-scatter")
    assert scatter.get_attribute("data-points") == str(frame["scatter_n"])
    assert "RMSE" in page.get_by_test_id("pred-headline").inner_text()
    rows = page.get_by_test_id("pred-reg-table").locator("tbody tr")
    assert rows.count() == min(24, frame["n"])
    # The target's name comes from the examples table's columns.
    page.wait_for_function(
        "() => document.querySelector(\"[data-testid='pred-reg-table'] caption\").textContent.includes('target: t')",
        timeout=15000,
    )
    _no_sideways_overflow(page)
    shot(page, "normal")
    fullscreen(page)
    page.wait_for_function(CANVAS_HAS_INK, arg="pred-scatter", timeout=15000)
    shot(page, "fullscreen")
    leave_fullscreen(page)
    assert not [e for e in page.errors if NO_ERRORS not in e]
