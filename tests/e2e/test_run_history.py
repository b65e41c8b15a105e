"""The Runs tab against a real server: two runs with what changed between them, open the older
one (its curve comes back from the server), delete one."""

from __future__ import annotations

import urllib.error
import urllib.request
from typing import Any

import pytest
from appsteps import load_preset, view_tab

pytestmark = pytest.mark.e2e


def _train_to_the_end(page: Any, before: str | None) -> str:
    """Press play and wait until a run other than `before` has finished; its id."""
    page.get_by_test_id("play").click()
    return page.wait_for_function(
        """(before) => {
            const s = window.__glassnet.runs.getState();
            return s.runId && s.runId !== before && s.state === "finished" && s.runId;
        }""",
        arg=before,
        timeout=90000,
    ).json_value()


def _set_training(page: Any, patch: dict[str, Any]) -> None:
    # (set again until it holds: a preset still arriving replaces the whole spec)
    page.wait_for_function(
        """(patch) => {
            const s = window.__glassnet.specs.getState();
            const t = s.spec().training;
            const holds = () => Object.entries(patch).every(([k, v]) => JSON.stringify(s.spec().training[k]) === JSON.stringify(v));
            if (!holds()) s.setTraining(patch);
            return holds() && s.validation.status === "valid";
        }""",
        arg=patch,
    )


def _status(server: str, run_id: str) -> int:
    try:
        with urllib.request.urlopen(f"{server}/api/v1/runs/{run_id}") as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_runs_tab_lists_opens_and_deletes_past_runs(page: Any, server: str, shot: Any) -> None:
    load_preset(page, server, "playground-circle")
    _set_training(page, {"epochs": 20})
    older = _train_to_the_end(page, None)
    _set_training(page, {"optimizer": {"kind": "sgd", "lr": 0.1}})
    newer = _train_to_the_end(page, older)

    # After a reload the page holds neither run: everything below comes from the server.
    page.reload()
    page.wait_for_selector(".app-shell[data-ready='true']")
    page.get_by_test_id("tab-runs").click()
    older_item = page.locator(f"[data-run-id='{older}']")
    newer_item = page.locator(f"[data-run-id='{newer}']")
    newer_item.wait_for()
    older_item.wait_for()
    assert "2-4-1 tanh · sgd α 0.1 · circle" in newer_item.inner_text()
    assert newer_item.get_by_test_id("run-diff").inner_text() == "Δ optimizer/lr 0.3 → 0.1"
    assert "finished" in older_item.inner_text()
    assert "loss" in older_item.get_by_test_id("run-metrics").inner_text()
    assert older_item.get_by_role("link", name="ONNX", exact=True).get_attribute("href") == (
        f"/api/v1/runs/{older}/export?format=onnx"
    )
    shot(page, "two-runs")

    view_tab(page, "Loss")
    older_item.get_by_test_id("open-run").click()
    page.wait_for_function(
        "(id) => window.__glassnet.runs.getState().runId === id && window.__glassnet.hub.latest?.run === id",
        arg=older,
        timeout=30000,
    )
    page.wait_for_function(
        "() => (document.querySelector(\"[data-testid='run-chart-loss'] .u-legend\")?.textContent ?? '').includes('train')",
        timeout=30000,
    )
    assert (
        page.evaluate("() => window.__glassnet.specs.getState().spec().training.optimizer.lr")
        == 0.3
    )
    assert "shown" in older_item.inner_text()
    shot(page, "opened-older")
    view_tab(page, "Internals")  # the run's last frame, kept by the server
    page.locator(".view-slot:not([hidden]) canvas").first.wait_for(timeout=15000)
    shot(page, "opened-older-internals")

    newer_item.get_by_test_id("delete-run").click()
    newer_item.get_by_test_id("confirm-delete").click()
    newer_item.wait_for(state="detached")
    assert _status(server, newer) == 404
    assert _status(server, older) == 200
    shot(page, "after-delete")
    assert not [e for e in page.errors if "favicon" not in e]
