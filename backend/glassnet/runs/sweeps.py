"""Sweeps: one RunSpec and one or two axes make a grid of runs, started as capacity allows.

The queue is the store's point rows: a point without a run waits. One thread launches waiting
points, oldest sweep first, while the server has a free run slot and the sweep has fewer than
`max_sweep_active_runs` runs in flight; the run manager wakes it whenever a run gives its slot
back, and it looks again every second regardless. Runs are created started, so a sweep never
counts against the per-client cap on runs created and not started. After a restart the queue
resumes: waiting points launch, and runs the restart interrupted start again.
"""

from __future__ import annotations

import contextlib
import logging
import secrets
import threading
from typing import Any

from glassnet.runs.errors import Conflict, Forbidden, InvalidSpec, LimitExceeded, NotFound, RunError
from glassnet.runs.manager import RunManager
from glassnet.runs.record import owner_hash
from glassnet.runs.specs import check_spec
from glassnet.runs.state import LIVE
from glassnet.runs.sweep_grid import axis_problems, blame, grid, label, parse_pointer, set_at
from glassnet.runs.sweep_summary import sweep_summary
from glassnet.settings import Settings
from glassnet.store import Store, SweepPointRow, SweepRow, SweepStore
from glassnet.store.db import short_id

log = logging.getLogger("glassnet.sweeps")
POLL_SECONDS = 1.0


class SweepService:
    """Creates sweeps, answers what they hold, and feeds their queues to the run manager."""

    def __init__(self, settings: Settings, store: Store, manager: RunManager) -> None:
        self.settings = settings
        self.manager = manager
        self.sweeps = SweepStore(store)
        self._wake = threading.Event()
        self._stopping = threading.Event()
        # Serialises launching: the queue thread and API calls (start) never launch one point twice.
        self._launching = threading.Lock()
        self._resume = {s.id for s in self.sweeps.with_state("running")}
        manager.slot_listeners.append(self._wake.set)
        self._thread = threading.Thread(target=self._loop, name="sweeps-queue", daemon=True)
        self._thread.start()
        self._wake.set()

    # --- API -----------------------------------------------------------------------------

    def create(
        self,
        spec: dict[str, Any],
        axes: list[dict[str, Any]],
        *,
        start: bool,
        name: str | None = None,
        owner: str | None = None,
    ) -> tuple[dict[str, Any], str]:
        """Check every grid point (422 naming the axis for each problem), persist the sweep
        and its queue, and start it when asked; returns its public view and the owner token."""
        points = self._check(spec, axes)
        token = owner or secrets.token_urlsafe(18)
        row = SweepRow(
            id=short_id(10),
            name=name,
            spec=spec,
            axes=axes,
            state="running" if start else "created",
            owner_hash=owner_hash(token),
        )
        self.sweeps.create(row, points)
        if start:
            self._wake.set()  # the queue thread launches: the answer does not wait for workers
        return self.get(row.id), token

    def get(self, sweep_id: str) -> dict[str, Any]:
        """The sweep, with every grid point: its axis values, run, state and final metrics."""
        row = self.sweeps.get(sweep_id)
        if row is None:
            raise NotFound(f"no sweep with id {sweep_id!r}")
        points = [self._point(row, p) for p in self.sweeps.points(sweep_id)]
        waiting = any(p["state"] in ("queued", *LIVE) for p in points)
        state = row.state
        if state == "running" and not waiting:
            state = "done"
        return {
            "id": row.id,
            "name": row.name,
            "spec": row.spec,
            "axes": row.axes,
            "state": state,
            "created_at": row.created_at,
            "updated_at": row.updated_at,
            "runs": points,
        }

    def page(self, limit: int = 20, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
        """One page of this server's sweeps, newest first, each as a list entry (axes, state,
        progress, best final loss); and how many sweeps there are in all."""
        rows, total = self.sweeps.page(limit, offset)
        return [sweep_summary(self.get(row.id)) for row in rows], total

    def action(self, sweep_id: str, action: str, owner: str | None) -> dict[str, Any]:
        """`start` opens the queue of a created sweep; `stop` drops what still waits and stops
        its runs in flight. Only the sweep's owner may."""
        row = self.sweeps.get(sweep_id)
        if row is None:
            raise NotFound(f"no sweep with id {sweep_id!r}")
        if owner is None:
            raise Forbidden(
                "only the sweep's owner may steer it: send the owner token (header "
                "X-Glassnet-Owner) returned when the sweep was created."
            )
        if not secrets.compare_digest(owner_hash(owner), row.owner_hash):
            raise Forbidden("the owner token does not match this sweep.")
        if action == "start":
            if row.state != "created":
                raise Conflict(f"the sweep is {row.state}; only a created sweep can be started.")
            self.sweeps.set_state(sweep_id, "running")
            self._wake.set()
        elif action == "stop":
            if row.state == "stopped":
                raise Conflict("the sweep is stopped already.")
            with self._launching:
                self.sweeps.set_state(sweep_id, "stopped")
            for p in self.sweeps.points(sweep_id):
                if p.run_id is None:
                    continue
                # ended already, or deleted: nothing to stop
                with contextlib.suppress(Conflict, NotFound):
                    self.manager.action(p.run_id, "stop", owner=owner)
        return self.get(sweep_id)

    def run_ids(self, sweep_id: str) -> list[str]:
        """The runs a sweep has made so far, in grid order."""
        if self.sweeps.get(sweep_id) is None:
            raise NotFound(f"no sweep with id {sweep_id!r}")
        return [p.run_id for p in self.sweeps.points(sweep_id) if p.run_id is not None]

    def shutdown(self) -> None:
        """Stop launching (before the run manager stops: its runs become interrupted)."""
        self._stopping.set()
        self._wake.set()
        self._thread.join(timeout=5)

    # --- checks --------------------------------------------------------------------------

    def _check(self, spec: dict[str, Any], axes: list[dict[str, Any]]) -> list[list[Any]]:
        """The grid's axis values per point, or InvalidSpec with every problem."""
        tokens, problems = axis_problems(spec, axes, self.settings.max_sweep_runs)
        indices = grid([len(a["values"]) for a in axes])
        if not all(tokens) or len(indices) > self.settings.max_sweep_runs:
            raise InvalidSpec("invalid sweep", problems)  # no grid to check the values on
        found: list[tuple[tuple[int, ...], list[dict[str, str]]]] = []
        for index in indices:
            point = spec
            for k, i in enumerate(index):
                point = set_at(point, tokens[k], axes[k]["values"][i])
            try:
                check_spec(point, self.settings, self.manager.uploads.read)
            except (InvalidSpec, LimitExceeded) as exc:
                found.append((index, exc.problems))
        if found or problems:
            raise InvalidSpec("invalid sweep", problems + blame(axes, found, len(indices)))
        return [[axes[k]["values"][i] for k, i in enumerate(index)] for index in indices]

    # --- the queue -----------------------------------------------------------------------

    def _loop(self) -> None:
        while not self._stopping.is_set():
            self._wake.wait(POLL_SECONDS)
            self._wake.clear()
            if self._stopping.is_set():
                break
            try:
                self._fill()
            except Exception:
                log.exception("the sweep queue could not launch runs")

    def _fill(self) -> None:
        """Launch waiting points while there is room (the sweep's share and a server slot)."""
        with self._launching:
            for sweep in self.sweeps.with_state("running"):
                if self._stopping.is_set():
                    return
                if not self._fill_sweep(sweep):
                    return  # the server is full: later sweeps wait too

    def _fill_sweep(self, sweep: SweepRow) -> bool:
        """Launch this sweep's waiting points; False when the server has no free slot."""
        points = self.sweeps.points(sweep.id)
        states = {p.id: self._run_state(p.run_id) for p in points}
        in_flight = sum(1 for s in states.values() if s in LIVE)
        resuming = sweep.id in self._resume
        to_restart = sum(1 for s in states.values() if s == "interrupted") if resuming else 0
        for p in points:
            if in_flight >= self.settings.max_sweep_active_runs:
                break
            try:
                if p.run_id is None and p.error is None:
                    self._launch(sweep, p)
                elif resuming and p.run_id is not None and states[p.id] == "interrupted":
                    self.manager.restart_interrupted(p.run_id, history=True)
                    to_restart -= 1
                else:
                    continue
            except LimitExceeded:
                return False
            except RunError as exc:
                # The point validated when the sweep was made; something it needs went away.
                self.sweeps.set_point(p.id, run_id=p.run_id, error=exc.problems[0]["message"])
                continue
            in_flight += 1
        if to_restart <= 0:
            self._resume.discard(sweep.id)  # the runs the restart interrupted are all back
        return True

    def _launch(self, sweep: SweepRow, p: SweepPointRow) -> None:
        spec = sweep.spec
        for axis, value in zip(sweep.axes, p.values, strict=True):
            spec = set_at(spec, parse_pointer(axis["pointer"]), value)
        name = " · ".join(label(a["pointer"], v) for a, v in zip(sweep.axes, p.values, strict=True))
        public, _ = self.manager.create(
            spec,
            start=True,
            name=f"{sweep.name or 'sweep ' + sweep.id}: {name}",
            owner_digest=sweep.owner_hash,
            history=True,
        )
        self.sweeps.set_point(p.id, run_id=public["id"])

    def _run_state(self, run_id: str | None) -> str | None:
        if run_id is None:
            return None
        try:
            return str(self.manager.get(run_id)["state"])
        except NotFound:
            return "deleted"

    def _point(self, sweep: SweepRow, p: SweepPointRow) -> dict[str, Any]:
        out: dict[str, Any] = {
            "index": p.position,
            "values": p.values,
            "run_id": p.run_id,
            "state": "queued",
            "step": 0,
            "epoch": 0,
            "final_metrics": None,
            "stop_reason": p.error,
        }
        if p.run_id is None:
            if sweep.state == "stopped" or p.error is not None:
                out["state"] = "cancelled"
            return out
        try:
            run = self.manager.get(p.run_id)
        except NotFound:
            out["state"] = "deleted"
            return out
        out.update(
            state=run["state"],
            step=run["step"],
            epoch=run["epoch"],
            final_metrics=run["latest_metrics"],
            stop_reason=run["stop_reason"],
        )
        return out
