"""RunManager: creates runs, steers them through the state machine, fans telemetry out, persists.

Threads: API calls arrive on the event loop; each run reports events on its own thread (the worker
thread, or the pipe reader of a run process); a janitor thread enforces the idle and wall-clock
limits and watches heartbeats. The registry's lock guards the run table and every Run's mutable
fields across those threads. Nothing here waits on a worker while holding the lock: commands are
queued (see runs.commands), and replies are awaited outside it with a bounded wait.

The manager composes one part per job: the registry of held runs and its capacity checks
(runs/registry.py), the state machine applied to them (runs/transitions.py), the dispatch of their
workers' events (runs/dispatch.py), what is persisted (runs/persistence.py) and the janitor
(runs/janitor.py). It keeps what the API asks for: creating, reading, steering, watching runs.

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
import secrets
import threading
import time
from functools import partial
from typing import Any

from glassnet.runs.codec import decode_frame, encode_frame, json_safe_frame
from glassnet.runs.compare import thin_rows
from glassnet.runs.dispatch import MAX_MEMORY_ROWS, EventDispatcher
from glassnet.runs.errors import Conflict, InvalidSpec, LimitExceeded, NotFound, Unavailable
from glassnet.runs.events import WorkerEvent
from glassnet.runs.executors import make_executor
from glassnet.runs.handles import Executor, Launch
from glassnet.runs.history import history_item
from glassnet.runs.janitor import Janitor
from glassnet.runs.persistence import RunPersistence
from glassnet.runs.record import Run, Subscription, owner_hash, row_public
from glassnet.runs.registry import RunRegistry, check_owner
from glassnet.runs.specs import check_spec
from glassnet.runs.state import LIVE, TERMINAL
from glassnet.runs.telemetry import Frame, RunHub, Viewer, ViewPrefs
from glassnet.runs.transitions import StateMachine
from glassnet.settings import Settings
from glassnet.store import RunFilter, RunRow, Store, delete_run_files
from glassnet.store.db import short_id
from glassnet.store.models import utcnow
from shared_schemas.api import SpecJson
from shared_schemas.runspec import RunSpec

REPLY_TIMEOUT = 60.0
# A landscape is up to 41 × 41 forward passes over up to 2,000 examples.
LANDSCAPE_TIMEOUT = 120.0
SHUTDOWN_GRACE = 5.0  # seconds a stopping server waits for its workers' last checkpoints


class RunManager:
    """The one service the API talks to about runs."""

    def __init__(self, settings: Settings, store: Store, executor: Executor | None = None) -> None:
        self.settings = settings
        self.store = store
        self.registry = RunRegistry(settings)
        self.persistence = RunPersistence(settings, store)
        self.machine = StateMachine(settings, self.registry, self.persistence)
        # set while the server shuts down: a worker's exit then interrupts nothing
        self._stopping = threading.Event()
        self.dispatcher = EventDispatcher(
            self.registry, self.machine, self.persistence, self._stopping
        )
        # the stores the services and routes reach through the manager
        self.uploads = self.persistence.uploads
        self.weights = self.persistence.weights
        self.paths = self.persistence.paths
        self.frames = self.persistence.frames
        self.history = self.persistence.history
        self.checkpoints = self.persistence.checkpoints
        self.layer_history = self.persistence.layer_history
        self.recorded = self.registry.recorded
        self.slot_listeners = self.registry.slot_listeners
        self._runs = self.registry.runs
        self._lock = self.registry.lock
        self.executor = executor or make_executor(
            settings.executor,
            settings.torch_threads,
            settings.spare_workers,
            settings.heartbeat_seconds,
            settings.ray_address,
            settings.ray_cpus_per_run,
            settings.worker_niceness,
        )
        self.executor.warm()
        self.interrupted_at_start = store.mark_interrupted()
        self.janitor = Janitor(
            settings, self.registry, self.machine, self.persistence, self._stopping
        )
        self.janitor.start()

    # --- create / read -------------------------------------------------------------------

    def create(
        self,
        spec: SpecJson,
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
        `history`: the run takes frames for its summary history even while nobody watches.

        `spec` is validated here, once; the RunSpec made of it is what the worker and its Trainer
        receive. The document itself is kept as given (never changed) for the run's readers."""
        checked = check_spec(spec, self.settings, self.uploads.read, prefix=("spec",))
        if experiment_id is not None and self.store.get_experiment(experiment_id) is None:
            raise InvalidSpec(
                "unknown experiment",
                [{"pointer": "/experiment_id", "message": f"no experiment {experiment_id!r}."}],
            )
        token = owner or secrets.token_urlsafe(18)
        with self._lock:
            self.registry.check_capacity()
            if not start:
                self.registry.check_unstarted(client)
            run = Run(
                id=short_id(10),
                spec=self._engine_spec(checked.spec),
                document=spec,
                owner_hash=owner_digest or owner_hash(token),
                name=name,
                experiment_id=experiment_id,
                client=client,
                executor=self.settings.executor,
            )
            run.device = device_name(run.spec)
            if history:
                self.recorded.add(run.id)
            self.store.create_run(
                RunRow(
                    id=run.id,
                    name=name,
                    experiment_id=experiment_id,
                    spec=run.document,
                    state="created",
                    owner_hash=run.owner_hash,
                    created_at=run.created_at,
                    updated_at=run.updated_at,
                )
            )
            self._runs[run.id] = run
            self._launch(run)
            if start:
                self.machine.command(run, "start", new_state="running")
            return run.public(), token

    def get(self, run_id: str, with_spec: bool = False) -> dict[str, Any]:
        """Public view of a run (from memory when held here, else from the store)."""
        with self._lock:
            run = self._runs.get(run_id)
            if run is not None:
                out = run.public()
                if with_spec:
                    out["spec"] = run.document
                return out
        row = self._stored(run_id)
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
                row = self._stored(run_id)
                expected = row.owner_hash
            check_owner(expected, owner)
            if run is not None:
                self.registry.deleted.add(run_id)
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

    def spec_of(self, run_id: str) -> SpecJson:
        """The RunSpec document a run was created from (with `upload_id`, not the file's text)."""
        spec: SpecJson = self.get(run_id, with_spec=True)["spec"]
        return spec

    def metrics(self, run_id: str) -> list[dict[str, Any]]:
        """The run's metric history (every recorded epoch; a held run's thinned past 20,000)."""
        with self._lock:
            run = self._runs.get(run_id)
            if run is not None and not (run.state in TERMINAL and run.handle is None):
                return list(run.metrics)
        # an ended run whose worker is gone keeps a thinned copy in memory: the store has all
        self._stored(run_id)  # NotFound when unknown
        return self.store.metrics(run_id)

    def metric_curve(self, run_id: str, points: int) -> list[dict[str, Any]]:
        """At most `points` of the run's metric rows, evenly spread, the last one kept: for
        thumbnails, which a held run answers from memory."""
        with self._lock:
            run = self._runs.get(run_id)
            if run is not None:
                return thin_rows(list(run.metrics), points)
        return thin_rows(self.metrics(run_id), points)

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
                row = self._stored(run_id)
                check_owner(row.owner_hash, owner)
                if action in ("start", "resume") and row.state == "interrupted":
                    return self._restart(row, resume=action == "resume").public()
                raise Conflict(
                    f"cannot {action} a {row.state} run; only an interrupted run can be resumed "
                    "or started again (its model is no longer in memory)."
                )
            check_owner(run.owner_hash, owner)
            if action in ("start", "resume") and run.state == "interrupted":
                # Interrupted while held here (its worker died or was killed): as after a
                # restart of the server; whoever watches it goes on watching.
                resume = action == "resume"
                if resume:
                    self.persistence.check_resumable(run_id)
                if run.handle is not None:
                    run.handle.kill()
                self.persistence.flush(run)
                del self._runs[run_id]
                row = self._stored(run_id)
                return self._restart(row, resume=resume, hub=run.hub).public()
            self.machine.apply(run, action, steps, lr)
            return run.public()

    def restart_interrupted(self, run_id: str, history: bool = False) -> dict[str, Any]:
        """Start an interrupted run again, for a service that acts for its owner (a sweep
        resuming its queue after a restart). Conflict unless it is interrupted and not held."""
        with self._lock:
            row = self._stored(run_id)
            if run_id in self._runs or row.state != "interrupted":
                raise Conflict(f"run {run_id} is {row.state}, not an interrupted run to restart.")
            if history:
                self.recorded.add(run_id)
            return self._restart(row).public()

    def _restart(self, row: RunRow, resume: bool = False, hub: RunHub | None = None) -> Run:
        """An interrupted run trains again under the same id: from step 0 (its checkpoint and
        metrics are dropped), or with `resume` from its last checkpoint (the metrics recorded
        after that step are dropped: it records them again). `hub`: its viewers, kept."""
        saved = self.persistence.check_resumable(row.id) if resume else None
        # the stored document is parsed once, here, as a new run's is in `create`
        checked = check_spec(row.spec, self.settings, self.uploads.read, prefix=("spec",))
        self.registry.check_capacity()
        run = Run(
            id=row.id,
            spec=self._engine_spec(checked.spec),
            document=row.spec,
            owner_hash=row.owner_hash,
            name=row.name,
            experiment_id=row.experiment_id,
            created_at=row.created_at,
            executor=self.settings.executor,
        )
        run.device = device_name(run.spec)
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
        self.machine.command(run, "start", new_state="running")
        self.machine.update_view(run)
        return run

    # --- telemetry -----------------------------------------------------------------------

    def subscribe(self, run_id: str, viewer: Viewer, prefs: ViewPrefs) -> Subscription:
        """Attach a viewer (call on the event loop). Raises NotFound or LimitExceeded."""
        with self._lock:
            run = self._runs.get(run_id)
            if run is None:
                row = self._stored(run_id)
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
            self.machine.update_view(run)
            if run.state != "running":
                self.machine.command(run, "frame_now")
            return Subscription(list(run.hub.graph), run.state_message(), live=True)

    def unsubscribe(self, run_id: str, viewer: Viewer) -> None:
        """Detach a viewer (call on the event loop); the run's frame rate follows."""
        with self._lock:
            run = self._runs.get(run_id)
            if run is not None and run.hub.remove(viewer):
                self.machine.update_view(run)

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

        run, live = self._askable(run_id)
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
            # a run held here has its model; a stored one's document is parsed now
            spec = (
                run.spec
                if run is not None
                else check_spec(
                    public["spec"], self.settings, self.uploads.read, prefix=("spec",)
                ).spec
            )
            answer = await asyncio.to_thread(
                landscape_from_files,
                spec,
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
        run, live = self._askable(run_id)
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

    def _stored(self, run_id: str) -> RunRow:
        """The run's row in the store; NotFound when there is none."""
        row = self.store.get_run(run_id)
        if row is None:
            raise NotFound(f"no run with id {run_id!r}")
        return row

    def _askable(self, run_id: str) -> tuple[Run | None, bool]:
        """The held run (None when not held) and whether its worker is there to ask;
        Unavailable while it is stalled."""
        with self._lock:
            run = self._runs.get(run_id)
            live = run is not None and run.handle is not None and run.handle.alive
            if run is not None:
                run.last_activity = time.monotonic()
        if run is not None and run.state == "stalled":
            raise Unavailable(f"the run's worker is not answering: {run.stop_reason}.")
        return run, live

    async def _request(self, run: Run, op: str, timeout: float = REPLY_TIMEOUT, *args: Any) -> Any:
        fut: concurrent.futures.Future[Any] = concurrent.futures.Future()
        with self._lock:
            req_id = self.registry.next_number()
            run.replies[req_id] = fut
            try:
                self.machine.command(run, op, req_id, *args)
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

    def _engine_spec(self, spec: RunSpec) -> RunSpec:
        """The spec a run trains from here: `auto` takes the server's device when it names one.
        A copy with that one field changed; the models are never changed in place."""
        if self.settings.device != "auto" and spec.device == "auto":
            return spec.model_copy(update={"device": self.settings.device})
        return spec

    def _on_event(self, run: Run, event: WorkerEvent) -> None:
        """Handle one worker event as the run's event thread does."""
        self.dispatcher.on_event(run, event)

    def _command(self, run: Run, op: str, *args: Any, new_state: str | None = None) -> None:
        """Post one command to a held run's worker (see StateMachine.command)."""
        self.machine.command(run, op, *args, new_state=new_state)

    def _launch(self, run: Run, resume: bool = False, metrics_after: int = 0) -> None:
        plan = {
            "dir": str(self.settings.data_dir),
            "seconds": self.settings.checkpoint_seconds,
            "resume": resume,
            "metrics_after": metrics_after,
            # not checkpoint matters, but the one plan the worker gets from the server
            "data_parallel": self.settings.data_parallel,
            "frame_share": self.settings.frame_share,
        }
        run.handle = self.executor.launch(
            Launch(run.id, run.spec, plan), partial(self.dispatcher.on_event, run)
        )
        if run.id in self.recorded:
            self.machine.update_view(run)  # the history's frame rate while nobody watches

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
                self.persistence.flush(run, fields={"state": run.state})
                self.recorded.discard(run.id)
                self.persistence.keep_last_frame(run)
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
        self.janitor.join(timeout=2)


def device_name(spec: RunSpec) -> str:
    """The device a run's spec resolves to on this server (validation refused `cuda` without one)."""
    from glassnet.engine.device import describe_device, resolve_device  # torch, on first use

    return describe_device(resolve_device(spec.device))
