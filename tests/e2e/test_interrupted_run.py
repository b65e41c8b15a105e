"""A run whose worker process is killed shows as interrupted with the reason, and its owner's
Resume button trains it on from its last checkpoint."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import time
import urllib.request
from typing import Any

import pytest
from appsteps import open_app
from test_stalled_run import STATUS, _wait_status, _worker_processes

pytestmark = pytest.mark.e2e


def _newest_run(server: str) -> dict[str, Any]:
    with urllib.request.urlopen(server + "/api/v1/runs?limit=1") as response:
        run: dict[str, Any] = json.load(response)["runs"][0]
    return run


def _wait_run(server: str, test: Any, what: str) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        run = _newest_run(server)
        if test(run):
            return run
        time.sleep(0.2)
    raise AssertionError(f"the run never {what}: {run}")


def test_a_killed_worker_interrupts_the_run_and_resume_trains_it_on(
    page: Any, server: str, shot: Any
) -> None:
    open_app(page, server)
    page.locator("[data-testid='step']").click()
    _wait_status(page, "paused")
    # a paused run keeps a checkpoint of the step it paused at
    run = _wait_run(server, lambda r: r["checkpoint_step"] == r["step"] == 1, "paused at step 1")
    assert page.locator("[data-testid='resume-interrupted']").count() == 0
    for pid in _worker_processes(server):
        with contextlib.suppress(ProcessLookupError):  # an earlier run's worker, exiting
            os.kill(pid, signal.SIGKILL)

    _wait_status(page, "interrupted")
    reason = page.locator(".stop-reason").inner_text()
    assert "killed (SIGKILL)" in reason and "checkpoint at step 1" in reason
    resume = page.locator("[data-testid='resume-interrupted']")
    resume.wait_for(timeout=15000)
    page.wait_for_function(
        "() => document.querySelector(\"[data-testid='resume-interrupted']\").title"
        ".includes('step 1')",
        timeout=15000,
    )
    shot(page, "interrupted")

    resume.click()
    _wait_status(page, "training")
    _wait_run(server, lambda r: r["id"] == run["id"] and r["step"] > 1, "trained on")
    # the live views follow the resumed run: its frames reach the page again
    page.wait_for_function(
        f"() => Number((/step (\\d+)/.exec({STATUS}) ?? [0, 0])[1]) > 1", timeout=60000
    )
    assert page.locator("[data-testid='resume-interrupted']").count() == 0
    shot(page, "resumed")
    page.locator("[data-testid='reset']").click()  # end it: the session's server is shared
    _wait_run(server, lambda r: r["state"] in ("stopped", "finished"), "ended")
