"""RunManager: creates runs, steers them through the state machine, fans telemetry out, persists.

Threads: API calls arrive on the event loop; each run reports events on its own thread (the worker
thread, or the pipe reader of a run process); a janitor thread enforces the idle and wall-clock
limits and watches heartbeats. `self._lock` guards the run table and every Run's mutable fields
across those threads. Nothing here waits on a worker while holding the lock: commands are queued
(see runs.commands), and replies are awaited outside it with a bounded wait.

Lifecycle: a run that ends (finished, stopped, diverged, failed) closes its worker at once; its
metrics, state, final weights and last frame stay readable. A worker that stops sending heartbeats
while its run is running or paused turns the run `stalled` (only `stop` is accepted then); when it
stays silent past the kill limit it is killed and the run is `interrupted`; so is a run whose
worker dies (a killed process, a lost Ray actor). Workers write checkpoints (runs.checkpoint): an
interrupted run is resumed from its last one (`resume`), or started again from step 0 (`start`).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import copy
import itertools
import logging
import secrets
import threading
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from glassnet.runs.codec import decode_frame, encode_frame, json_safe, json_safe_frame
from glassnet.runs.commands import QueueFull
from glassnet.runs.errors import (
    Conflict,
    Forbidden,
    InvalidSpec,
    LimitExceeded,
    NotFound,
    Unavailable,
)
from glassnet.runs.events import (
    Checkpointed,
    Exited,
    FinalWeights,
    FrameTaken,
    Heartbeat,
    ParameterPath,
    Progress,
    Ready,
    Reply,
    StateChanged,
    WorkerEvent,
)
from glassnet.runs.executors import Executor, Launch, make_executor
from glassnet.runs.history import history_item
from glassnet.runs.layer_history import SummaryHistory
from glassnet.runs.record import Run, Subscription, owner_hash, row_public
from glassnet.runs.specs import check_spec
from glassnet.runs.state import LIVE, TERMINAL, allowed_actions, next_state
from glassnet.runs.telemetry import Frame, RunHub, Viewer, ViewPrefs
from glassnet.settings import Settings
from glassnet.store import (
    FrameStore,
    PathStore,
    RunFilter,
    RunHistory,
    RunRow,
    Store,
    UploadStore,
    WeightStore,
    delete_run_files,
)
from glassnet.store.checkpoints import CheckpointStore
from glassnet.store.db import clean_metrics, short_id
from glassnet.store.layer_histories import HistoryStore
from glassnet.store.models import utcnow

log = logging.getLogger("glassnet.runs")
FLUSH_PERIOD = 1.0  # seconds between metric-history writes of a running run
REPLY_TIMEOUT = 60.0
# A landscape is up to 41 × 41 forward passes over up to 2,000 examples.
LANDSCAPE_TIMEOUT = 120.0
MAX_MEMORY_ROWS = 20_000
SHUTDOWN_GRACE = 5.0  # seconds a stopping server waits for its workers' last checkpoints


class RunManager:
    """The one service the API talks to about runs."""

    def __init__(self, settings: Settings, store: Store, executor: Executor | None = None) -> None:
        self.settings = settings
        self.store = store
        self.uploads = UploadStore(settings.data_dir)
        self.weights = WeightStore(settings.data_dir)
        self.paths = PathStore(settings.data_dir)
        self.frames = FrameStore(settings.data_dir)
        self.history = RunHistory(store)
        self.checkpoints = CheckpointStore(settings.data_dir)
        self.layer_history = SummaryHistory(HistoryStore(settings.data_dir))
        # Runs that take frames for their history while nobody watches (a sweep's runs); every
        # run records the frames its viewers get, and its last one.
        self.recorded: set[str] = set()
        # Called (under the lock: keep them short) when a run gives its slot back: a queue of
        # runs waiting for capacity (a sweep) can launch its next one.
        self.slot_listeners: list[Callable[[], None]] = []
        self.executor = executor or make_executor(
            settings.executor,
            settings.torch_threads,
            settings.spare_workers,
            settings.heartbeat_seconds,
            settings.ray_address,
            settings.ray_cpus_per_run,
        )
        self.executor.warm()
        self._runs: dict[str, Run] = {}
        # Guards _runs and the mutable fields of every Run (API thread vs run threads vs janitor).
        self._lock = threading.RLock()
        self._numbers = itertools.count(1)
        # Runs deleted while held here: their worker's last events are ignored (no row, no file
        # may come back after the deletion).
        self._deleted: set[str] = set()
        self._stopping = threading.Event()
        self.interrupted_at_start = store.mark_interrupted()
        self._janitor = threading.Thread(
            target=self._janitor_loop, name="runs-janitor", daemon=True
        )
        self._janitor.start()

    # --- create / read -------------------------------------------------------------------

    def create(
        self,
        spec: dict[str, Any],
        *,
        start: bool = False,
        name: str | None = None,
        owner: str | None = None,
        experiment_id: str | None = None,
        client: str | None = None,
        owner_digest: str | None = None,
        history: bool = False,
    ) -> tuple[dict[str, Any], str]:
        """Validate, persist and launch a run; returns its public view and the owner token.

        `client` names who asks (their address): each client may hold only a few runs that were
        created and not started yet. `owner_digest`: the hash of an owner token held elsewhere
        (a sweep's), which then owns the run; the token returned is then meaningless.
        `history`: the run takes frames for its summary history even while nobody watches."""
        checked = check_spec(spec, self.settings, self.uploads.read, prefix=("spec",))
        if experiment_id is not None and self.store.get_experiment(experiment_id) is None:
            raise InvalidSpec(
                "unknown experiment",
                [{"pointer": "/experiment_id", "message": f"no experiment {experiment_id!r}."}],
            )
        token = owner or secrets.token_urlsafe(18)
        with self._lock:
            self._check_capacity()
            if not start:
                self._check_unstarted(client)
            run = Run(
                id=short_id(10),
                spec=copy.deepcopy(spec),
                resolved=self._engine_spec(checked.resolved),
                owner_hash=owner_digest or owner_hash(token),
                name=name,
                experiment_id=experiment_id,
                client=client,
                executor=self.settings.executor,
            )
            run.device = device_name(run.resolved)
            if history:
                self.recorded.add(run.id)
            self.store.create_run(
                RunRow(
                    id=run.id,
                    name=name,
                    experiment_id=experiment_id,
                    spec=run.spec,
                    state="created",
                    owner_hash=run.owner_hash,
                    created_at=run.created_at,
                    updated_at=run.updated_at,
                )
            )
            self._runs[run.id] = run
            self._launch(run)
            if start:
                self._command(run, "start", new_state="running")
            return run.public(), token

    def get(self, run_id: str, with_spec: bool = False) -> dict[str, Any]:
        """Public view of a run (from memory when held here, else from the store)."""
        with self._lock:
            run = self._runs.get(run_id)
            if run is not None:
                out = run.public()
                if with_spec:
                    out["spec"] = run.spec
                return out
        row = self.store.get_run(run_id)
        if row is None:
            raise NotFound(f"no run with id {run_id!r}")
        out = row_public(row)
        if row.state == "interrupted":
            saved = self.checkpoints.info(run_id)
            out["checkpoint_step"] = saved["step"] if saved else None
        if with_spec:
            out["spec"] = row.spec
        return out

    def list_runs(
        self,
        where: RunFilter | None = None,
        limit: int = 100,
        offset: int = 0,
        owner: str | None = None,
    ) -> tuple[list[dict[str, Any]], int]:
        """One page of the run history, newest first: public views with the spec summary, the
        changes from the owner's previous run and whether `owner` owns each; and how many runs
        match in all."""
        mine = owner_hash(owner) if owner is not None else None
        rows, total = self.history.page(where or RunFilter(), limit, offset)
        previous = self.history.previous(rows)
        with self._lock:
            views = [
                self._runs[r.id].public() if r.id in self._runs else row_public(r) for r in rows
            ]
        items = [
            history_item(
                view,
                row.spec,
                (previous[row.id].id, previous[row.id].spec) if row.id in previous else None,
                mine is not None and secrets.compare_digest(mine, row.owner_hash),
            )
            for view, row in zip(views, rows, strict=True)
        ]
        return items, total

    def delete(self, run_id: str, *, owner: str | None) -> None:
        """Delete a run (only its owner may): a live run's worker is ended first; then its row,
        metric history and files (final weights, last frame, checkpoints) are removed."""
        with self._lock:
            run = self._runs.get(run_id)
            if run is not None:
                expected = run.owner_hash
            else:
                row = self.store.get_run(run_id)
                if row is None:
                    raise NotFound(f"no run with id {run_id!r}")
                expected = row.owner_hash
            self._check_owner(expected, owner)
            if run is not None:
                self._deleted.add(run_id)
                del self._runs[run_id]
                if run.handle is not None:
                    run.handle.kill()
                # Its viewers hear that it has ended, and why; no frame follows.
                run.hub.publish_state(
                    {
                        **run.state_message(),
                        "state": "stopped" if run.state in LIVE else run.state,
                        "stop_reason": "the run was deleted by its owner",
                    }
                )
                for fut in run.replies.values():
                    if not fut.done():
                        fut.set_exception(NotFound(f"run {run_id} was deleted"))
                run.replies.clear()
            self.history.delete(run_id)
            self.layer_history.forget(run_id)
            delete_run_files(self.settings.data_dir, run_id)

    def spec_of(self, run_id: str) -> dict[str, Any]:
        """The RunSpec a run was created from (with `upload_id`, not the file's text)."""
        spec: dict[str, Any] = self.get(run_id, with_spec=True)["spec"]
        return spec

    def metrics(self, run_id: str) -> list[dict[str, Any]]:
        """The run's metric history (every recorded epoch)."""
        with self._lock:
            run = self._runs.get(run_id)
            if run is not None:
                return list(run.metrics)
        if self.store.get_run(run_id) is None:
            raise NotFound(f"no run with id {run_id!r}")
        return self.store.metrics(run_id)

    # --- actions -------------------------------------------------------------------------

    def action(
        self,
        run_id: str,
        action: str,
        *,
        owner: str | None,
        steps: int = 1,
        lr: float | None = None,
    ) -> dict[str, Any]:
        """Apply one action of the state machine (only the run's owner may)."""
        with self._lock:
            run = self._runs.get(run_id)
            if run is None:
                row = self.store.get_run(run_id)
                if row is None:
                    raise NotFound(f"no run with id {run_id!r}")
                self._check_owner(row.owner_hash, owner)
                if action in ("start", "resume") and row.state == "interrupted":
                    return self._restart(row, resume=action == "resume").public()
                raise Conflict(
                    f"cannot {action} a {row.state} run; only an interrupted run can be resumed "
                    "or started again (its model is no longer in memory)."
                )
            self._check_owner(run.owner_hash, owner)
            if action in ("start", "resume") and run.state == "interrupted":
                # Interrupted while held here (its worker died or was killed): as after a
                # restart of the server; whoever watches it goes on watching.
                resume = action == "resume"
                if resume:
                    self._check_resumable(run_id)
                if run.handle is not None:
                    run.handle.kill()
                self._flush(run)
                del self._runs[run_id]
                row = self.store.get_run(run_id)
                if row is None:
                    raise NotFound(f"no run with id {run_id!r}")
                return self._restart(row, resume=resume, hub=run.hub).public()
            if run.state == "stalled" and action == "stop":
                return self._stop_stalled(run).public()
            after = next_state(action, run.state)
            if after is None and run.state == "stalled":
                raise Conflict(
                    f"cannot {action} a stalled run: {run.stop_reason}; stop it, or wait: it "
                    "continues if its worker answers again."
                )
            if after is None:
                raise Conflict(
                    f"cannot {action} a {run.state} run; allowed now: "
                    f"{', '.join(allowed_actions(run.state)) or 'none (the run has ended)'}."
                )
            if action == "set_lr":
                if lr is None:
                    raise InvalidSpec(
                        "lr missing", [{"pointer": "/lr", "message": "set_lr needs 'lr'."}]
                    )
                self._command(run, "set_lr", lr)
            elif action == "step":
                self._command(run, "step", steps, new_state=after)
            elif action == "stop":
                self._command(run, "stop", "stopped by the owner", new_state=after)
            else:
                self._command(run, action, new_state=after)
            run.last_activity = time.monotonic()
            return run.public()

    def restart_interrupted(self, run_id: str, history: bool = False) -> dict[str, Any]:
        """Start an interrupted run again, for a service that acts for its owner (a sweep
        resuming its queue after a restart). Conflict unless it is interrupted and not held."""
        with self._lock:
            row = self.store.get_run(run_id)
            if row is None:
                raise NotFound(f"no run with id {run_id!r}")
            if run_id in self._runs or row.state != "interrupted":
                raise Conflict(f"run {run_id} is {row.state}, not an interrupted run to restart.")
            if history:
                self.recorded.add(run_id)
            return self._restart(row).public()

    def _stop_stalled(self, run: Run) -> Run:
        """A stalled worker reads no commands: it is killed, and the run counts as stopped."""
        if run.handle is not None:
            run.handle.kill()
        run.stop_reason = None
        self._set_state(run, "stopped", "stopped by the owner while its worker was not answering")
        return run

    def _check_resumable(self, run_id: str) -> dict[str, Any]:
        saved = self.checkpoints.info(run_id)
        if saved is None:
            raise Conflict(
                "this run has no checkpoint to resume from (it was interrupted before its "
                "first one was written); start it again to train it from the beginning."
            )
        return saved

    def _restart(self, row: RunRow, resume: bool = False, hub: RunHub | None = None) -> Run:
        """An interrupted run trains again under the same id: from step 0 (its checkpoint and
        metrics are dropped), or with `resume` from its last checkpoint (the metrics recorded
        after that step are dropped: it records them again). `hub`: its viewers, kept."""
        saved = self._check_resumable(row.id) if resume else None
        checked = check_spec(row.spec, self.settings, self.uploads.read, prefix=("spec",))
        self._check_capacity()
        run = Run(
            id=row.id,
            spec=row.spec,
            resolved=self._engine_spec(checked.resolved),
            owner_hash=row.owner_hash,
            name=row.name,
            experiment_id=row.experiment_id,
            created_at=row.created_at,
            executor=self.settings.executor,
        )
        run.device = device_name(run.resolved)
        if saved is None:
            self.store.clear_metrics(row.id)
            self.checkpoints.delete(row.id)
            self.layer_history.forget(row.id)
        else:
            self.store.truncate_metrics(row.id, saved["step"])
            run.metrics = self.store.metrics(row.id)[-MAX_MEMORY_ROWS:]
            run.latest_metrics = run.metrics[-1] if run.metrics else None
            run.step, run.epoch, run.checkpoint_step = saved["step"], saved["epoch"], saved["step"]
        self.store.update_run(
            row.id,
            state="created",
            step=run.step,
            epoch=run.epoch,
            stop_reason=None,
            diagnosis=None,
            latest_metrics=run.latest_metrics,
        )
        if hub is not None:
            run.hub = hub
        self._runs[run.id] = run
        # rows the checkpoint holds but the store missed (the worker ended before it sent them)
        # come again from the resumed worker
        self._launch(
            run,
            resume=saved is not None,
            metrics_after=run.metrics[-1]["step"] if run.metrics else 0,
        )
        self._command(run, "start", new_state="running")
        self._update_view(run)
        return run

    # --- telemetry -----------------------------------------------------------------------

    def subscribe(self, run_id: str, viewer: Viewer, prefs: ViewPrefs) -> Subscription:
        """Attach a viewer (call on the event loop). Raises NotFound or LimitExceeded."""
        with self._lock:
            run = self._runs.get(run_id)
            if run is None:
                row = self.store.get_run(run_id)
                if row is None:
                    raise NotFound(f"no run with id {run_id!r}")
                state = {
                    "type": "run_state",
                    "v": 1,
                    "run_id": row.id,
                    "state": row.state,
                    "step": row.step,
                    "epoch": row.epoch,
                    "stop_reason": row.stop_reason,
                    "diagnosis": row.diagnosis,
                }
                return Subscription([], state, live=False)
            if (
                viewer not in run.hub.viewers
                and len(run.hub.viewers) >= self.settings.max_viewers_per_run
            ):
                raise LimitExceeded(
                    f"run {run_id} already has {self.settings.max_viewers_per_run} viewers"
                )
            run.hub.add(viewer, prefs)
            run.last_activity = time.monotonic()
            self._update_view(run)
            if run.state != "running":
                self._command(run, "frame_now")
            return Subscription(list(run.hub.graph), run.state_message(), live=True)

    def unsubscribe(self, run_id: str, viewer: Viewer) -> None:
        """Detach a viewer (call on the event loop); the run's frame rate follows."""
        with self._lock:
            run = self._runs.get(run_id)
            if run is not None and run.hub.remove(viewer):
                self._update_view(run)

    def hub(self, run_id: str) -> RunHub | None:
        """The telemetry slots of a run held in memory, or None."""
        with self._lock:
            run = self._runs.get(run_id)
            return run.hub if run is not None else None

    async def snapshot(self, run_id: str) -> dict[str, Any]:
        """A full frame: the latest one kept when it shows the run as it is now, else one asked
        of the worker, waiting at most `snapshot_wait_seconds` before answering with the latest
        frame kept. Without any frame kept (a run not yet watched), the wait lasts until the
        worker answers, turns stalled, or the reply limit. A stalled worker is never asked."""
        with self._lock:
            run = self._runs.get(run_id)
            if run is None:
                self.get(run_id)  # 404 when unknown
                saved = self.frames.load(run_id)
                if saved is not None:
                    return json_safe_frame(decode_frame(saved))
                raise Unavailable(
                    "this run's model is no longer in memory and no frame of it was kept (it "
                    "was never watched, or the server stopped abruptly); start an interrupted "
                    "run again to watch it."
                )
            run.last_activity = time.monotonic()
            latest = run.hub.latest
            answering = (
                run.handle is not None and run.handle.alive and run.state in LIVE - {"stalled"}
            )
            current = latest is not None and self._frame_is_current(run, latest)
        if answering and not current:
            try:
                wait = REPLY_TIMEOUT if latest is None else self.settings.snapshot_wait_seconds
                frame = await self._request(run, "snapshot", wait)
                data = encode_frame(frame)
                self._keep_newer(run, Frame(frame["seq"], frame.get("step", run.step), data))
                return json_safe_frame(decode_frame(data))
            except (Unavailable, LimitExceeded):
                if latest is None:
                    raise Unavailable(
                        "the run's worker is busy and has not taken a frame yet; try again in a "
                        "moment."
                    ) from None
        if latest is None:
            why = run.stop_reason if run.state == "stalled" else "it failed before its first step"
            raise Unavailable(f"this run has no telemetry ({why}).")
        return json_safe_frame(decode_frame(latest.data))

    @staticmethod
    def _frame_is_current(run: Run, frame: Frame) -> bool:
        """The kept frame shows all of the run as it is: a full view (not narrowed to some
        viewers' channels or layers), and either the run waits at that frame's step, or it
        trains while viewers keep fresh frames coming."""
        _, channels, layers = run.view
        if channels is not None or layers is not None:
            return False
        if run.state == "running":
            return bool(run.hub.viewers)
        return frame.step == run.step

    def _keep_newer(self, run: Run, frame: Frame) -> None:
        with self._lock:
            latest = run.hub.latest
            if latest is None or frame.seq > latest.seq:
                run.hub.publish_frame(frame)

    async def landscape(self, run_id: str, params: dict[str, Any]) -> dict[str, Any]:
        """The training loss on a 2-D slice through the run's parameters with its path on it
        (NetworkLandscape's fields): asked of the worker while the run lives, else rebuilt from
        the saved weights and path off the event loop. Conflict when the network cannot be
        sliced (too large, or a path that has not moved for path directions)."""
        from glassnet.runs.landscape import landscape_from_files

        with self._lock:
            run = self._runs.get(run_id)
            live = run is not None and run.handle is not None and run.handle.alive
            if run is not None:
                run.last_activity = time.monotonic()
        if run is not None and run.state == "stalled":
            raise Unavailable(f"the run's worker is not answering: {run.stop_reason}.")
        if live and run is not None and run.state not in TERMINAL:
            answer: dict[str, Any] = await self._request(
                run, "landscape", LANDSCAPE_TIMEOUT, params
            )
        else:
            public = self.get(run_id, with_spec=True)  # 404 when unknown
            weights = self.weights.load(run_id)
            if weights is None:
                raise Unavailable(
                    "this run's weights are not available (it never trained or ended before "
                    "weights were saved)."
                )
            checked = check_spec(public["spec"], self.settings, self.uploads.read, prefix=("spec",))
            answer = await asyncio.to_thread(
                landscape_from_files,
                checked.resolved,
                run_id,
                weights,
                self.paths.load(run_id),
                int(public.get("step") or 0),
                params,
            )
        if "error" in answer:
            raise Conflict(answer["error"])
        return answer

    async def state_dict(self, run_id: str) -> dict[str, Any]:
        """The model's parameters as numpy arrays (live, or the file saved when the run ended)."""
        with self._lock:
            run = self._runs.get(run_id)
            live = run is not None and run.handle is not None and run.handle.alive
            if run is not None:
                run.last_activity = time.monotonic()
        if run is not None and run.state == "stalled":
            raise Unavailable(f"the run's worker is not answering: {run.stop_reason}.")
        if live and run is not None and run.state not in TERMINAL:
            weights: dict[str, Any] = await self._request(run, "state_dict")
            return weights
        saved = self.weights.load(run_id)
        if saved is not None:
            return dict(saved)
        if live and run is not None:
            weights = await self._request(run, "state_dict")
            return weights
        self.get(run_id)
        raise Unavailable(
            "this run's weights are not available (it never trained or ended "
            "before weights were saved)."
        )

    async def _request(self, run: Run, op: str, timeout: float = REPLY_TIMEOUT, *args: Any) -> Any:
        fut: concurrent.futures.Future[Any] = concurrent.futures.Future()
        with self._lock:
            req_id = next(self._numbers)
            run.replies[req_id] = fut
            try:
                self._command(run, op, req_id, *args)
            except LimitExceeded:
                run.replies.pop(req_id, None)
                raise
        try:
            return await asyncio.wait_for(asyncio.wrap_future(fut), timeout)
        except TimeoutError as exc:
            raise Unavailable("the run did not answer in time; try again.") from exc
        finally:
            with self._lock:
                run.replies.pop(req_id, None)

    # --- internals -----------------------------------------------------------------------

    def _engine_spec(self, resolved: dict[str, Any]) -> dict[str, Any]:
        spec = copy.deepcopy(resolved)
        if self.settings.device != "auto" and spec.get("device", "auto") == "auto":
            spec["device"] = self.settings.device
        return spec

    def _check_owner(self, expected_hash: str, token: str | None) -> None:
        if token is None:
            raise Forbidden(
                "only the run's owner may steer it: send the owner token "
                "(header X-Glassnet-Owner) returned when the run was created."
            )
        if not secrets.compare_digest(owner_hash(token), expected_hash):
            raise Forbidden("the owner token does not match this run.")

    def _check_unstarted(self, client: str | None) -> None:
        """A client may hold only a few runs it created and never started (each takes a slot)."""
        cap = self.settings.max_unstarted_runs_per_client
        waiting = sum(1 for r in self._runs.values() if r.state == "created" and r.client == client)
        if client is not None and waiting >= cap:
            raise LimitExceeded(
                f"you already have {waiting} runs created and not started (at most {cap}); "
                "start or stop one of them first. A run not started within "
                f"{self.settings.unstarted_run_seconds:g} s is stopped and gives its slot back."
            )

    def _check_capacity(self) -> None:
        # An ended run whose worker has not exited yet (a process still importing torch when its
        # run was stopped) still holds a process: counting it keeps the processes bounded.
        held = sum(1 for r in self._runs.values() if r.state in LIVE or r.handle is not None)
        if held >= self.settings.max_active_runs:
            raise LimitExceeded(
                f"this server runs at most {self.settings.max_active_runs} runs at once; stop or "
                "wait for one to finish."
            )

    def _launch(self, run: Run, resume: bool = False, metrics_after: int = 0) -> None:
        plan = {
            "dir": str(self.settings.data_dir),
            "seconds": self.settings.checkpoint_seconds,
            "resume": resume,
            "metrics_after": metrics_after,
            # not a checkpoint matter, but the one plan the worker gets from the server
            "data_parallel": self.settings.data_parallel,
        }
        run.handle = self.executor.launch(
            Launch(run.id, run.resolved, plan), partial(self._on_event, run)
        )
        if run.id in self.recorded:
            self._update_view(run)  # the history's frame rate while nobody watches

    def _command(self, run: Run, op: str, *args: Any, new_state: str | None = None) -> None:
        """Post a command (never waits on the worker: LimitExceeded when its queue is full);
        with `new_state`, the state changes now (the worker confirms later)."""
        no = next(self._numbers)
        if run.handle is not None:
            try:
                run.handle.send((op, *args, no))
            except QueueFull as exc:
                raise LimitExceeded(str(exc)) from exc
        if new_state is not None:
            run.state_cmd_no = no
            self._set_state(
                run, new_state, reason=None if new_state in LIVE else args[-1] if args else None
            )

    def _set_state(
        self,
        run: Run,
        state: str,
        reason: str | None = None,
        diagnosis: dict[str, Any] | None = None,
    ) -> None:
        previous = run.state
        run.state = state
        run.updated_at = utcnow()
        run.ended_at = run.updated_at if state in TERMINAL else None
        if state == "running" and previous != "running":
            run.running_since = run.running_since or time.monotonic()
        if state == "stalled":
            run.stop_reason = reason
        elif previous == "stalled":
            run.stop_reason = None  # the stall's reason, not a reason the run stopped for
        if state not in LIVE:
            run.stop_reason = reason or run.stop_reason
            run.diagnosis = diagnosis if diagnosis is not None else run.diagnosis
        self._flush(run, fields={"state": state})
        run.hub.publish_state(run.state_message())
        if state in TERMINAL and run.handle is not None:
            # The run has ended: its process goes back at once (after the commands queued before
            # this close, so a stop still reaches it and its final weights and frame come back).
            run.handle.close()

    def _flush(self, run: Run, fields: dict[str, Any] | None = None) -> None:
        rows, run.unsaved = run.unsaved, []
        run.last_flush = time.monotonic()
        try:
            self.store.add_metrics(run.id, rows)
            self.store.update_run(
                run.id,
                step=run.step,
                epoch=run.epoch,
                latest_metrics=run.latest_metrics,
                stop_reason=run.stop_reason,
                diagnosis=json_safe(run.diagnosis),
                ended_at=run.ended_at,
                **(fields or {}),
            )
        except Exception:
            log.exception("could not persist run %s", run.id)

    def _update_view(self, run: Run) -> None:
        view = run.hub.view(self.settings.max_frame_hz)
        if not view[0] and self.settings.history_frame_hz and run.id in self.recorded:
            # Unwatched, it still takes a few full frames, for its history of layer summaries.
            view = (self.settings.history_frame_hz, None, None)
        if view != run.view:
            run.view = view
            self._command(run, "view", *view)

    def _on_event(self, run: Run, event: WorkerEvent) -> None:
        """Called on the run's own thread for every worker event."""
        if run.id in self._deleted:
            return
        run.last_heard = time.monotonic()  # one float store: no lock needed
        if run.state == "stalled" and not isinstance(event, Exited):
            with self._lock:
                if run.state == "stalled":  # it answers again: back to what it was doing
                    self._set_state(run, run.stalled_from)
        if isinstance(event, Heartbeat):
            return
        if isinstance(event, FrameTaken):
            self._on_frame(run, event)
            return
        with self._lock:
            if run.id in self._deleted:  # deleted while this event waited for the lock
                return
            match event:
                case Progress():
                    self._on_progress(run, event)
                case StateChanged():
                    # A worker state older than the last accepted state-changing command is
                    # stale.
                    fresh = event.state in TERMINAL or event.cmd_no >= run.state_cmd_no
                    run.step, run.epoch = event.step, event.epoch
                    if fresh and (event.state != run.state or event.state in TERMINAL):
                        self._set_state(run, event.state, event.reason, event.diagnosis)
                case Ready():
                    run.step, run.epoch = event.step, event.epoch
                    run.hub.graph = event.graph
                    message = {"type": "graph", "v": 1, "run_id": run.id, "layers": event.graph}
                    run.hub._call(run.hub._push_all, message)
                case Reply():
                    fut = run.replies.pop(event.req_id, None)
                    if fut is not None and not fut.done():
                        if event.ok:
                            fut.set_result(event.payload)
                        else:
                            why = f"the run could not answer: {event.payload}"
                            fut.set_exception(Unavailable(why))
                case FinalWeights():
                    try:
                        self.weights.save(run.id, event.weights)
                    except Exception:
                        log.exception("could not save the weights of run %s", run.id)
                case ParameterPath():
                    try:
                        self.paths.save(run.id, event.steps, event.theta)
                    except Exception:
                        log.exception("could not save the parameter path of run %s", run.id)
                case Checkpointed():
                    run.checkpoint_step = event.step
                case Exited():
                    self._on_exit(run, event)

    def _on_frame(self, run: Run, event: FrameTaken) -> None:
        # Encoded here, once for every viewer, on the run's event thread: off the training
        # loop (in another process, with the process executor). A frame that cannot be
        # encoded is dropped; the run and its event thread carry on.
        try:
            data = encode_frame(event.frame)
        except Exception:
            log.exception("could not encode a telemetry frame of run %s", run.id)
            return
        run.hub.publish_frame(Frame(seq=event.seq, step=event.step, data=data))
        try:
            self.layer_history.record(run.id, event.step, event.frame)
        except Exception:
            log.exception("could not record the layer summaries of run %s", run.id)

    def _on_progress(self, run: Run, event: Progress) -> None:
        run.step, run.epoch = event.step, event.epoch
        run.latest_metrics = clean_metrics(event.latest) if event.latest else run.latest_metrics
        cleaned = [clean_metrics(r) for r in event.rows]
        run.metrics.extend(cleaned)
        if len(run.metrics) > MAX_MEMORY_ROWS:  # the store keeps every row
            run.metrics = run.metrics[::2]
        run.unsaved.extend(cleaned)
        if time.monotonic() - run.last_flush > FLUSH_PERIOD:
            self._flush(run)

    def _on_exit(self, run: Run, event: Exited) -> None:
        run.handle = None
        self._keep_last_frame(run)
        for fut in run.replies.values():
            if not fut.done():
                fut.set_exception(Unavailable("the run's worker has exited."))
        run.replies.clear()
        if run.state in LIVE and not self._stopping.is_set():
            cause = event.cause or "its worker exited unexpectedly"
            self._set_state(run, "interrupted", self._interrupted_reason(run, cause))
        for listener in self.slot_listeners:
            listener()

    def _interrupted_reason(self, run: Run, cause: str) -> str:
        # The file is the truth: a worker that died may have written a checkpoint it had no
        # time to announce.
        saved = self.checkpoints.info(run.id)
        run.checkpoint_step = saved["step"] if saved else None
        if run.checkpoint_step is None:
            return f"{cause}; start it again to train it from the beginning"
        return f"{cause}; resume it from its checkpoint at step {run.checkpoint_step}"

    def _keep_last_frame(self, run: Run) -> None:
        """Write the run's last frame and its summary history to the store (its worker is gone:
        no newer one comes)."""
        self.recorded.discard(run.id)
        try:
            self.layer_history.persist(run.id)
        except Exception:
            log.exception("could not save the summary history of run %s", run.id)
        latest = run.hub.latest
        if latest is None:
            return
        try:
            self.frames.save(run.id, latest.data)
        except Exception:
            log.exception("could not save the last frame of run %s", run.id)

    def _janitor_loop(self) -> None:
        s = self.settings
        period = min(
            1.0,
            s.run_idle_seconds / 4,
            s.run_wall_seconds / 4,
            s.run_stall_seconds / 4,
            s.unstarted_run_seconds / 4,
        )
        while not self._stopping.wait(period):
            try:
                self._sweep()
            except Exception:
                log.exception("janitor sweep failed")

    def _sweep(self) -> None:
        now = time.monotonic()
        s = self.settings
        with self._lock:
            for run in list(self._runs.values()):
                if run.hub.viewers:
                    run.last_activity = now
                if run.handle is not None and self._watch_heartbeat(run, now):
                    continue
                if run.state == "created" and now - run.born > s.unstarted_run_seconds:
                    self._command(
                        run,
                        "stop",
                        f"not started within {s.unstarted_run_seconds:g} s of its creation",
                        new_state="stopped",
                    )
                elif run.state == "running" and run.running_since is not None:
                    if now - run.running_since > s.run_wall_seconds:
                        self._command(
                            run,
                            "stop",
                            f"reached this server's limit of {s.run_wall_seconds:g} s of training",
                            new_state="stopped",
                        )
                elif (
                    run.state in ("created", "paused")
                    and now - run.last_activity > s.run_idle_seconds
                ):
                    self._command(
                        run, "stop", f"idle for {s.run_idle_seconds:g} s", new_state="stopped"
                    )
                elif run.state in TERMINAL and now - run.last_activity > s.run_idle_seconds:
                    self._flush(run)
                    if run.handle is not None:
                        run.handle.close()
                    del self._runs[run.id]

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
            self._set_state(run, "stalled", reason)
            for fut in run.replies.values():  # whoever waits for an answer hears why now
                if not fut.done():
                    fut.set_exception(Unavailable(reason))
            return True
        if run.state == "stalled" and silent > s.run_stall_kill_seconds:
            run.handle.kill()
            run.stop_reason = None
            self._set_state(
                run,
                "interrupted",
                self._interrupted_reason(
                    run,
                    f"the run's worker did not answer for {s.run_stall_kill_seconds:g} s and "
                    "was ended",
                ),
            )
            return True
        if run.state in TERMINAL and silent > s.run_stall_kill_seconds:
            run.handle.kill()  # asked to close long ago and still there
            return True
        return False

    def shutdown(self) -> None:
        """Persist everything; runs still in flight become `interrupted`."""
        self._stopping.set()
        closing = []
        with self._lock:
            for run in self._runs.values():
                stalled = run.state == "stalled"
                if run.state in LIVE:
                    run.state = "interrupted"
                    run.stop_reason = "the server stopped while the run was in flight"
                    run.ended_at = utcnow()
                self._flush(run, fields={"state": run.state})
                self._keep_last_frame(run)
                if run.handle is not None:
                    run.handle.kill() if stalled else run.handle.close()
                    closing.append(run.handle)
            self._runs.clear()
        # A closed worker checkpoints where its run got to before it exits: wait a moment for
        # them (outside the lock: their exits take it), so a restart resumes from there.
        deadline = time.monotonic() + SHUTDOWN_GRACE
        for handle in closing:
            while handle.alive and time.monotonic() < deadline:
                time.sleep(0.02)
        self.executor.shutdown()
        self._janitor.join(timeout=2)


def device_name(resolved: dict[str, Any]) -> str:
    """The device a run's spec resolves to on this server (validation refused `cuda` without one)."""
    from glassnet.engine.device import describe_device, resolve_device  # torch, on first use

    return describe_device(resolve_device(resolved.get("device", "auto")))
