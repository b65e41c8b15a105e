"""A run whose worker stops answering shows as stalled in the status bar, actions on it say why
they are refused, and it carries on when the worker answers again."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from appsteps import open_app

pytestmark = pytest.mark.e2e

STATUS = "document.querySelector(\"[data-testid='run-status']\")?.textContent ?? ''"


def _processes() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, command line) of every process we may read."""
    out = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        out[int(entry.name)] = (ppid, cmd)
    return out


def _worker_processes(server: str) -> list[int]:
    """The run processes (and the warm spare) of the server listening on `server`'s port."""
    port = server.rsplit(":", 1)[1]
    procs = _processes()
    (server_pid,) = [
        pid for pid, (_, cmd) in procs.items() if "glassnet.cli serve" in cmd and port in cmd
    ]
    # workers are forked by the server's fork server (spawned by the server where it has none)
    fork_servers = {
        pid for pid, (ppid, cmd) in procs.items() if ppid == server_pid and "forkserver" in cmd
    }
    return [
        pid
        for pid, (ppid, cmd) in procs.items()
        if ppid in fork_servers or (ppid == server_pid and "spawn_main" in cmd)
    ]


def _wait_worker_answered(server: str) -> None:
    """The newest run has taken its step: its worker is up (not still importing torch)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with urllib.request.urlopen(server + "/api/v1/runs?limit=1") as response:
            if json.load(response)["runs"][0]["step"] >= 1:
                return
        time.sleep(0.2)
    raise AssertionError("the run's worker never took its step")


def _wait_status(page: Any, pattern: str) -> None:
    page.wait_for_function(f"() => /{pattern}/.test({STATUS})", timeout=60000)


def test_a_stopped_worker_shows_as_stalled_and_recovers(page: Any, server: str, shot: Any) -> None:
    open_app(page, server)
    page.locator("[data-testid='step']").click()
    _wait_status(page, "paused")
    _wait_worker_answered(server)
    workers = _worker_processes(server)
    assert workers
    for pid in workers:
        # a worker of an earlier test's run may be exiting: it is not one to stop
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGSTOP)
    try:
        _wait_status(page, "stalled")
        alert = page.locator("[data-testid='stalled']")
        assert "has not answered for 5 s" in alert.inner_text()
        page.locator("[data-testid='step']").click()
        refused = page.locator(".run-error", has_text="stalled run")
        refused.wait_for(timeout=15000)
        assert "stop it, or wait" in refused.inner_text()
        shot(page, "stalled")
    finally:
        for pid in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)
    _wait_status(page, "paused")
    assert page.locator("[data-testid='stalled']").count() == 0
    shot(page, "recovered")
