"""GlassnetClient: create, steer and wait for runs; metrics, snapshots, traces, experiments,
classroom rooms and lessons."""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import httpx

from shared_schemas.api import (
    FINISHED_RUN_STATES,
    RunCreated,
    RunList,
    RunPublic,
)
from shared_schemas.sweeps import SweepList

ENDED = FINISHED_RUN_STATES


class GlassnetError(Exception):
    """An error answer: `status` and the server's problem list."""

    def __init__(self, status: int, problems: list[dict[str, Any]]) -> None:
        text = "; ".join(f"{p.get('pointer') or '/'}: {p.get('message')}" for p in problems)
        super().__init__(f"HTTP {status}: {text}")
        self.status = status
        self.problems = problems


class GlassnetClient:
    """Talks to one Glassnet server. Owner tokens of runs and experiments created here are kept
    for the actions and edits only their owner may make.

    The runs this client creates share one owner token (`owner`, made here unless given), so the
    server's run history can say what changed from this client's previous run, and a client
    given the same token later may steer and delete them."""

    def __init__(
        self,
        base_url: str = "http://127.0.0.1:8000",
        *,
        timeout: float = 60.0,
        transport: httpx.BaseTransport | None = None,
        owner: str | None = None,
    ) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=timeout, transport=transport)
        self.owner = owner or secrets.token_urlsafe(18)
        self.owners: dict[str, str] = {}
        self.teachers: dict[str, str] = {}

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self.http.close()

    def __enter__(self) -> GlassnetClient:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _call(self, method: str, url: str, **kw: Any) -> httpx.Response:
        r = self.http.request(method, url, **kw)
        if r.status_code >= 400:
            try:
                problems = r.json().get("detail", [])
            except ValueError:
                problems = [{"pointer": "", "message": r.text}]
            if not isinstance(problems, list):
                problems = [{"pointer": "", "message": str(problems)}]
            raise GlassnetError(r.status_code, problems)
        return r

    # --- specs and runs ------------------------------------------------------------------

    def validate(self, spec: dict[str, Any]) -> dict[str, Any]:
        """Shapes of every node and the parameter count (raises GlassnetError with problems)."""
        return self._call("POST", "/api/v1/specs/validate", json=spec).json()

    def create_run(
        self, spec: dict[str, Any], *, start: bool = False, name: str | None = None
    ) -> RunCreated:
        """Create a run (and start it with `start=True`) under this client's owner token."""
        body = {"spec": spec, "start": start, "name": name, "owner": self.owner}
        run = RunCreated.model_validate(self._call("POST", "/api/v1/runs", json=body).json())
        self.owners[run.id] = run.owner
        return run

    def get_run(self, run_id: str) -> RunPublic:
        """State, step, epoch, latest metrics, stop reason and spec of one run."""
        return RunPublic.model_validate(self._call("GET", f"/api/v1/runs/{run_id}").json())

    def runs_page(
        self,
        *,
        state: str | Iterable[str] | None = None,
        room: str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> RunList:
        """One page of the server's runs, newest first, with the total that match: only those
        in `state` (one or several) and/or forked in classroom `room` when given. Each run has
        a one-line `summary` of its spec, its `diff` from its owner's previous run, and `mine`
        (created under this client's owner token)."""
        params: dict[str, Any] = {"limit": limit, "offset": offset}
        if state is not None:
            params["state"] = [state] if isinstance(state, str) else list(state)
        if room is not None:
            params["room"] = room
        headers = {"X-Glassnet-Owner": self.owner}
        return RunList.model_validate(
            self._call("GET", "/api/v1/runs", params=params, headers=headers).json()
        )

    def list_runs(
        self,
        limit: int = 100,
        *,
        state: str | Iterable[str] | None = None,
        room: str | None = None,
        offset: int = 0,
    ) -> list[RunPublic]:
        """The runs of one page of `runs_page` (same filters)."""
        return self.runs_page(state=state, room=room, limit=limit, offset=offset).runs

    def delete_run(self, run: str | RunPublic, *, owner: str | None = None) -> None:
        """Delete a run and its files (its owner only: a run this client created, or pass the
        run's `owner` token). A live run is ended first."""
        run_id = run if isinstance(run, str) else run.id
        token = owner or getattr(run, "owner", None) or self.owners.get(run_id) or self.owner
        self._call("DELETE", f"/api/v1/runs/{run_id}", headers={"X-Glassnet-Owner": token})
        self.owners.pop(run_id, None)

    def action(
        self,
        run: str | RunPublic,
        action: str,
        *,
        steps: int = 1,
        lr: float | None = None,
        owner: str | None = None,
    ) -> RunPublic:
        """start, pause, resume, step (`steps`), epoch, stop or set_lr (`lr`)."""
        run_id = run if isinstance(run, str) else run.id
        token = owner or getattr(run, "owner", None) or self.owners.get(run_id)
        headers = {"X-Glassnet-Owner": token} if token else {}
        body: dict[str, Any] = {"action": action, "steps": steps}
        if lr is not None:
            body["lr"] = lr
        r = self._call("POST", f"/api/v1/runs/{run_id}/actions", json=body, headers=headers)
        return RunPublic.model_validate(r.json())

    def start(self, run: str | RunPublic) -> RunPublic:
        """Start a created, paused or interrupted run."""
        return self.action(run, "start")

    def resume(self, run: str | RunPublic) -> RunPublic:
        """Resume a paused run, or an interrupted one from its last checkpoint."""
        return self.action(run, "resume")

    def pause(self, run: str | RunPublic) -> RunPublic:
        """Pause a running run."""
        return self.action(run, "pause")

    def stop(self, run: str | RunPublic) -> RunPublic:
        """Stop a run for good."""
        return self.action(run, "stop")

    def wait(
        self,
        run_id: str,
        *,
        states: frozenset[str] = ENDED,
        timeout: float | None = None,
        poll: float = 0.2,
    ) -> RunPublic:
        """Poll until the run is in one of `states` (default: any ended state)."""
        end = None if timeout is None else time.monotonic() + timeout
        while True:
            run = self.get_run(run_id)
            if run.state in states:
                return run
            if end is not None and time.monotonic() > end:
                raise TimeoutError(f"run {run_id} is still {run.state}")
            time.sleep(poll)

    def metrics(self, run_id: str) -> list[dict[str, Any]]:
        """The loss/accuracy history: one dict per recorded epoch."""
        return self._call("GET", f"/api/v1/runs/{run_id}/metrics").json()["metrics"]

    def snapshot(self, run_id: str) -> dict[str, Any]:
        """The latest full telemetry frame (W, b, z, a, delta, grad_W of every layer)."""
        return self._call("GET", f"/api/v1/runs/{run_id}/snapshot").json()

    def diagnosis(self, run_id: str) -> list[str]:
        """What is wrong inside the network now, in the app's own sentences, errors first."""
        return [d["message"] for d in self.snapshot(run_id)["diagnostics"]]

    def landscape(
        self,
        run_id: str,
        directions: str = "random",
        resolution: int = 21,
        span: float = 1.0,
        seed: int = 0,
    ) -> dict[str, Any]:
        """The run's training loss on a plane through its current weights (two filter-normalised
        random directions, or `directions="path"`: its path's two principal directions) and its
        path projected on it: `alphas`, `betas`, `loss[β][α]`, `path` [{step, alpha, beta, loss}]."""
        body = {"directions": directions, "resolution": resolution, "span": span, "seed": seed}
        return self._call("POST", f"/api/v1/runs/{run_id}/landscape", json=body).json()

    def examples(self, run_id: str, split: str = "val", limit: int = 24) -> dict[str, Any]:
        """The first `limit` examples of the run's `val` or `train` split, unscaled: the inputs
        behind the snapshot's `predictions.examples`."""
        params = {"split": split, "limit": limit}
        return self._call("GET", f"/api/v1/runs/{run_id}/examples", params=params).json()

    def export(self, run_id: str, format: str, path: str | Path) -> Path:
        """Save an export (safetensors, py, onnx, csv, json) to `path`."""
        r = self._call("GET", f"/api/v1/runs/{run_id}/export", params={"format": format})
        out = Path(path)
        out.write_bytes(r.content)
        return out

    def trace(self, request: dict[str, Any]) -> dict[str, Any]:
        """The textbook trace of one iteration (see POST /api/v1/trace)."""
        return self._call("POST", "/api/v1/trace", json=request).json()

    # --- data ----------------------------------------------------------------------------

    def upload_csv(self, csv: str | Path, name: str | None = None) -> str:
        """Upload a CSV (text or a file path); returns the id for `data.upload_id`."""
        text = Path(csv).read_text(encoding="utf-8") if isinstance(csv, Path) else csv
        r = self._call(
            "POST",
            "/api/v1/datasets",
            content=text.encode(),
            headers={"Content-Type": "text/csv"},
            params={"name": name} if name else None,
        )
        return str(r.json()["upload_id"])

    def catalog(self) -> dict[str, Any]:
        """Layer kinds, activations, initialisers, optimisers, schedules, losses, datasets."""
        return self._call("GET", "/api/v1/catalog").json()

    def presets(self) -> list[dict[str, Any]]:
        """The lecture presets (id, title, description)."""
        return self._call("GET", "/api/v1/presets").json()["presets"]

    def preset(self, preset_id: str) -> dict[str, Any]:
        """One preset, with its RunSpec under `spec`."""
        return self._call("GET", f"/api/v1/presets/{preset_id}").json()

    # --- experiments ---------------------------------------------------------------------

    def create_experiment(self, name: str, spec: dict[str, Any]) -> dict[str, Any]:
        """Save a spec under a name; the answer's `id` is short and shareable. Its owner token
        is kept here, so this client may rename, replace or delete it later."""
        exp = self._call("POST", "/api/v1/experiments", json={"name": name, "spec": spec}).json()
        self.owners[exp["id"]] = exp["owner"]
        return exp

    def _experiment_owner(self, experiment_id: str) -> dict[str, str]:
        token = self.owners.get(experiment_id)
        return {"X-Glassnet-Owner": token} if token else {}

    def get_experiment(self, experiment_id: str) -> dict[str, Any]:
        """One saved experiment."""
        return self._call("GET", f"/api/v1/experiments/{experiment_id}").json()

    def list_experiments(self, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
        """One page of saved experiments, most recently updated first."""
        params = {"limit": limit, "offset": offset}
        return self._call("GET", "/api/v1/experiments", params=params).json()["experiments"]

    def update_experiment(
        self, experiment_id: str, *, name: str | None = None, spec: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Rename an experiment and/or replace its spec (one this client saved)."""
        body = {k: v for k, v in (("name", name), ("spec", spec)) if v is not None}
        return self._call(
            "PUT",
            f"/api/v1/experiments/{experiment_id}",
            json=body,
            headers=self._experiment_owner(experiment_id),
        ).json()

    def delete_experiment(self, experiment_id: str) -> None:
        """Delete a saved experiment (one this client saved)."""
        self._call(
            "DELETE",
            f"/api/v1/experiments/{experiment_id}",
            headers=self._experiment_owner(experiment_id),
        )

    # --- classroom rooms and lessons ------------------------------------------------------

    def create_room(
        self, title: str, spec: dict[str, Any] | None = None, *, lesson: str | None = None
    ) -> dict[str, Any]:
        """Open a classroom room (on the first step of `lesson` when given): `code` (students
        join with it) and `teacher_token`, which this client keeps for the teacher's calls."""
        body = {"title": title, "spec": spec, "lesson": lesson}
        made = self._call("POST", "/api/v1/rooms", json=body).json()
        self.teachers[made["code"]] = made["teacher_token"]
        return made

    def room(self, code: str) -> dict[str, Any]:
        """A room's public state (what every student follows, the lesson step it is on)."""
        return self._call("GET", f"/api/v1/rooms/{code}").json()

    def create_lesson(self, title: str, steps: list[dict[str, Any]]) -> dict[str, Any]:
        """Save a lesson: steps in order, each {"title", "preset" or "spec", "question"?,
        "note"?}. The answer's `id` opens it in the app at `/?lesson=ID`."""
        body = {"title": title, "steps": steps}
        return self._call("POST", "/api/v1/lessons", json=body).json()

    def get_lesson(self, lesson_id: str) -> dict[str, Any]:
        """One saved lesson with its steps."""
        return self._call("GET", f"/api/v1/lessons/{lesson_id}").json()

    def lesson_step(
        self, code: str, lesson_id: str, step: int, *, teacher: str | None = None
    ) -> dict[str, Any]:
        """Teacher: show step `step` (from 0) of a lesson in room `code`; the room's new state.
        The teacher token is the one kept from `create_room` unless given."""
        token = teacher or self.teachers.get(code)
        headers = {"X-Glassnet-Teacher": token} if token else {}
        body = {"lesson": lesson_id, "step": step}
        return self._call("PUT", f"/api/v1/rooms/{code}/lesson", json=body, headers=headers).json()

    # --- sweeps and comparisons ----------------------------------------------------------

    def create_sweep(
        self,
        spec: dict[str, Any],
        axes: list[dict[str, Any]],
        *,
        start: bool = True,
        name: str | None = None,
    ) -> dict[str, Any]:
        """A grid of runs: each axis `{"pointer": "/training/optimizer/lr", "values": [...]}`
        sets one field of `spec`. Its owner token (which steers every run of it) is kept here."""
        body = {"spec": spec, "axes": axes, "start": start, "name": name}
        sweep = self._call("POST", "/api/v1/sweeps", json=body).json()
        self.owners[sweep["id"]] = sweep["owner"]
        return sweep

    def get_sweep(self, sweep_id: str) -> dict[str, Any]:
        """The sweep's runs with their axis values, states and final metrics."""
        return self._call("GET", f"/api/v1/sweeps/{sweep_id}").json()

    def sweeps_page(self, *, limit: int = 20, offset: int = 0) -> SweepList:
        """One page of the server's sweeps, newest first, with the total: each with its axes,
        state, progress (runs queued, training, ended) and best final loss."""
        params = {"limit": limit, "offset": offset}
        return SweepList.model_validate(self._call("GET", "/api/v1/sweeps", params=params).json())

    def stop_sweep(self, sweep_id: str) -> dict[str, Any]:
        """Drop what still waits in a sweep (one this client made) and stop its runs."""
        token = self.owners.get(sweep_id)
        headers = {"X-Glassnet-Owner": token} if token else {}
        r = self._call(
            "POST", f"/api/v1/sweeps/{sweep_id}/actions", json={"action": "stop"}, headers=headers
        )
        return r.json()

    def wait_sweep(
        self, sweep_id: str, *, timeout: float | None = None, poll: float = 0.5
    ) -> dict[str, Any]:
        """Poll until every run of the sweep has ended (or the sweep was stopped)."""
        end = None if timeout is None else time.monotonic() + timeout
        while True:
            sweep = self.get_sweep(sweep_id)
            if sweep["state"] in ("done", "stopped"):
                return sweep
            if end is not None and time.monotonic() > end:
                raise TimeoutError(f"sweep {sweep_id} is still {sweep['state']}")
            time.sleep(poll)

    def compare(self, run_ids: list[str], step: int | None = None) -> dict[str, Any]:
        """2–8 runs side by side: histories, and per layer W, z, a, δ histograms on shared bins
        at `step` (each run's nearest recorded step at or before it; default the latest all
        reached)."""
        params: dict[str, Any] = {"runs": ",".join(run_ids)}
        if step is not None:
            params["step"] = step
        return self._call("GET", "/api/v1/compare", params=params).json()
