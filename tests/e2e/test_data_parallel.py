"""Data parallelism in the app: train the synchronous moons preset and watch four workers' cards,
their all-reduce and its distance from one worker; walk Kelleher's power-plant step across two
workers in textbook mode, the all-reduce equal to one worker's gradient."""

from __future__ import annotations

from typing import Any

import pytest
from appsteps import choose_preset, fullscreen, leave_fullscreen, load_preset, view_tab

pytestmark = pytest.mark.e2e


def test_the_sync_preset_shows_every_workers_shard_gradient_and_their_all_reduce(
    page: Any, server: str, shot: Any
) -> None:
    load_preset(page, server, "data-parallel-moons-sync")
    # the Training panel shows the preset's data-parallel settings
    page.get_by_role("tab", name="Training").click()
    assert page.get_by_label("workers").input_value() == "4"
    assert page.get_by_label("parallel mode").input_value() == "sync"

    page.get_by_test_id("play").click()
    view_tab(page, "Data parallel")
    view = page.get_by_test_id("view-data-parallel")
    view.get_by_test_id("dp-worker-card").nth(3).wait_for(timeout=60000)
    page.wait_for_function(
        "() => ['finished', 'stopped'].includes(window.__glassnet.runs.getState().state)",
        timeout=90000,
    )
    cards = view.get_by_test_id("dp-worker-card")
    assert cards.count() == 4
    assert "rows 1–8 of 32" in cards.nth(0).inner_text()
    assert "rows 25–32 of 32" in cards.nth(3).inner_text()
    assert "Σ (rows/b)·gᵢ" in view.get_by_test_id("dp-average-card").inner_text()
    # float32: the all-reduce and one worker's batch gradient differ only by rounding
    difference = view.get_by_test_id("dp-difference").inner_text()
    value = difference.split("= ")[1].split(" ")[0]
    assert value == "0" or float(value) < 1e-6, difference
    shot(page, "data-parallel-view")
    assert not page.errors, page.errors


def test_textbook_mode_walks_the_step_across_two_workers_equal_to_one(
    page: Any, server: str, shot: Any
) -> None:
    page.goto(server)
    page.wait_for_selector(".app-shell[data-ready='true']", timeout=60000)
    page.get_by_test_id("tab-presets").click()
    page.get_by_test_id("preset-textbook-data-parallel-power-plant").click()
    page.wait_for_selector("[data-testid='textbook-mode']")
    page.get_by_test_id("tb-walk-kind-parallel").click()
    walk = page.get_by_test_id("tb-parallel")
    walk.wait_for(timeout=20000)
    shards = walk.get_by_test_id("tb-parallel-shard")
    assert shards.count() == 2
    assert "examples 1–2" in shards.nth(0).inner_text()
    assert "examples 3–4" in shards.nth(1).inner_text()
    verdict = walk.get_by_test_id("tb-parallel-verdict").inner_text()
    assert "equal" in verdict
    # every row: the all-reduce and one worker's gradient agree to 16 significant digits
    rows = walk.locator("tbody tr")
    assert rows.count() == (6 + 3) + (6 + 2) + (2 + 1)  # h1, h2, y: W and b
    for i in range(rows.count()):
        cells = rows.nth(i).locator("td").all_inner_texts()
        average, one_worker = float(cells[-3]), float(cells[-2])
        assert abs(average - one_worker) <= 1e-16, cells
    shot(page, "textbook-data-parallel")
    assert not page.errors, page.errors


def _train_to_the_end(page: Any) -> None:
    run_before = page.evaluate("() => window.__glassnet.runs.getState().runId")
    page.get_by_test_id("play").click()
    page.wait_for_function(
        "(old) => { const s = window.__glassnet.runs.getState();"
        " return s.runId !== old && s.state === 'finished'; }",
        arg=run_before,
        timeout=120000,
    )


def test_the_loss_view_overlays_the_stale_run_above_the_synchronous_one(
    page: Any, server: str, shot: Any
) -> None:
    load_preset(page, server, "data-parallel-moons-sync")
    _train_to_the_end(page)
    choose_preset(page, "data-parallel-moons-async")
    _train_to_the_end(page)
    view_tab(page, "Data parallel")
    summary = page.get_by_test_id("data-parallel-summary")
    summary.wait_for(timeout=30000)
    assert "asynchronous" in summary.inner_text() and "4 updates ago" in summary.inner_text()
    view_tab(page, "Loss")
    legend = page.get_by_test_id("run-chart-loss").locator(".u-legend")
    legend.wait_for(timeout=15000)
    page.wait_for_function(
        "() => document.querySelector(\"[data-testid='run-chart-loss'] .u-legend\")"
        ".textContent.includes('async')",
        timeout=15000,
    )
    fullscreen(page)  # the projector's view: the two curves large enough to compare
    shot(page, "sync-and-async-loss")
    leave_fullscreen(page)
    assert not page.errors, page.errors
