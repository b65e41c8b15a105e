"""The janitor: a thread that enforces the idle and wall-clock limits on held runs, stalls and then
ends workers that stopped sending heartbeats, and lets go of ended runs: long idle, or the least
recently used beyond MAX_ENDED_HELD."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field

from glassnet.runs.errors import Unavailable
from glassnet.runs.persistence import RunPersistence
from glassnet.runs.record import Run
from glassnet.runs.registry import RunRegistry
from glassnet.runs.state import TERMINAL
from glassnet.runs.transitions import StateMachine
from glassnet.settings import Settings

log = logging.getLogger("glassnet.runs")

# Ended runs whose worker has exited stay in memory for their viewers and quick reads, each with
# its last frame and a few hundred metric rows (~150 KB); past this many, the least recently used
# go (everything they hold is in the store, which answers for them from then on). Without it, a
# class creating runs all lesson long held every run of the last idle period: bench/load.py's
# server grew by 90 MB in five minutes.
MAX_ENDED_HELD = 64


@dataclass(eq=False)
class Janitor:
    """Sweeps the held runs a few times a second until `stopping` is set."""

    settings: Settings
    registry: RunRegistry
    machine: StateMachine
    persistence: RunPersistence
    stopping: threading.Event
    _thread: threading.Thread = field(init=False)

    def __post_init__(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="runs-janitor", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def join(self, timeout: float) -> None:
        self._thread.join(timeout=timeout)

    def _loop(self) -> None:
        s = self.settings
        period = min(
            1.0,
            s.run_idle_seconds / 4,
            s.run_wall_seconds / 4,
            s.run_stall_seconds / 4,
            s.unstarted_run_seconds / 4,
        )
        while not self.stopping.wait(period):
            try:
                self.sweep()
            except Exception:
                log.exception("janitor sweep failed")

    def sweep(self) -> None:
        """One pass over the held runs."""
        now = time.monotonic()
        s = self.settings
        command = self.machine.command
        with self.registry.lock:
            for run in list(self.registry.runs.values()):
                if run.hub.viewers:
                    run.last_activity = now
                if run.handle is not None and self._watch_heartbeat(run, now):
                    continue
                if run.state == "created" and now - run.born > s.unstarted_run_seconds:
                    command(
                        run,
                        "stop",
                        f"not started within {s.unstarted_run_seconds:g} s of its creation",
                        new_state="stopped",
                    )
                elif run.state == "running" and run.running_since is not None:
                    if now - run.running_since > s.run_wall_seconds:
                        command(
                            run,
                            "stop",
                            f"reached this server's limit of {s.run_wall_seconds:g} s of training",
                            new_state="stopped",
                        )
                elif (
                    run.state in ("created", "paused")
                    and now - run.last_activity > s.run_idle_seconds
                ):
                    command(run, "stop", f"idle for {s.run_idle_seconds:g} s", new_state="stopped")
                elif run.state in TERMINAL and now - run.last_activity > s.run_idle_seconds:
                    self._let_go(run)
            ended = [
                run
                for run in self.registry.runs.values()
                if run.state in TERMINAL and run.handle is None and not run.hub.viewers
            ]
            ended.sort(key=lambda run: run.last_activity)
            for run in ended[: max(len(ended) - MAX_ENDED_HELD, 0)]:
                self._let_go(run)

    def _let_go(self, run: Run) -> None:
        """Drop an ended run from memory: the store answers for it from here on."""
        self.persistence.flush(run)
        if run.handle is not None:
            run.handle.close()
        del self.registry.runs[run.id]

    def _watch_heartbeat(self, run: Run, now: float) -> bool:
        """Stall, then kill, a worker that has been silent too long; True when it acted."""
        s = self.settings
        if run.handle is None:
            return False
        if run.last_heard is None:
            # A fresh process may take a while to import torch on a busy machine: it has
            # `worker_start_seconds` on top of the stall limit to say its first word.
            silent = now - run.born - s.worker_start_seconds
        else:
            silent = now - run.last_heard
        if run.state in ("running", "paused") and silent > s.run_stall_seconds:
            run.stalled_from = run.state
            reason = f"the run's worker has not answered for {s.run_stall_seconds:g} s"
            self.machine.set_state(run, "stalled", reason)
            for fut in run.replies.values():  # whoever waits for an answer hears why now
                if not fut.done():
                    fut.set_exception(Unavailable(reason))
            return True
        if run.state == "stalled" and silent > s.run_stall_kill_seconds:
            run.handle.kill()
            run.stop_reason = None
            cause = (
                f"the run's worker did not answer for {s.run_stall_kill_seconds:g} s and was ended"
            )
            self.machine.set_state(
                run, "interrupted", self.persistence.interrupted_reason(run, cause)
            )
            return True
        if run.state in TERMINAL and silent > s.run_stall_kill_seconds:
            run.handle.kill()  # asked to close long ago and still there
            return True
        return False
