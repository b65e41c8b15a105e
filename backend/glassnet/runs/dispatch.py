"""What the server does with each event a run's worker reports (runs/events.py)."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from glassnet.runs import events as ev
from glassnet.runs.codec import encode_frame
from glassnet.runs.errors import Unavailable
from glassnet.runs.persistence import RunPersistence
from glassnet.runs.record import Run
from glassnet.runs.registry import RunRegistry
from glassnet.runs.state import LIVE, TERMINAL
from glassnet.runs.telemetry import Frame
from glassnet.runs.transitions import StateMachine
from glassnet.store.db import clean_metrics

log = logging.getLogger("glassnet.runs")
FLUSH_PERIOD = 1.0  # seconds between metric-history writes of a running run
MAX_MEMORY_ROWS = 20_000  # metric rows a held run keeps in memory (the store keeps every one)


@dataclass(eq=False)
class EventDispatcher:
    """Applies worker events to the held runs, on each run's own event thread."""

    registry: RunRegistry
    machine: StateMachine
    persistence: RunPersistence
    stopping: threading.Event  # set while the server shuts down: exits interrupt nothing

    def on_event(self, run: Run, event: ev.WorkerEvent) -> None:
        """Called on the run's own thread for every worker event."""
        registry = self.registry
        if run.id in registry.deleted:
            return
        run.last_heard = time.monotonic()  # one float store: no lock needed
        if run.state == "stalled" and not isinstance(event, ev.Exited):
            with registry.lock:
                if run.state == "stalled":  # it answers again: back to what it was doing
                    self.machine.set_state(run, run.stalled_from)
        if isinstance(event, ev.Heartbeat):
            return
        if isinstance(event, ev.FrameTaken):
            self._on_frame(run, event)  # no lock: the hub's slots take their own
            return
        with registry.lock:
            if run.id in registry.deleted:  # deleted while this event waited for the lock
                return
            match event:
                case ev.Progress():
                    self._on_progress(run, event)
                case ev.StateChanged():
                    # A worker state older than the last accepted state-changing command is
                    # stale.
                    fresh = event.state in TERMINAL or event.cmd_no >= run.state_cmd_no
                    run.step, run.epoch = event.step, event.epoch
                    if fresh and (event.state != run.state or event.state in TERMINAL):
                        self.machine.set_state(run, event.state, event.reason, event.diagnosis)
                case ev.Ready():
                    run.step, run.epoch = event.step, event.epoch
                    run.hub.graph = event.graph
                    message = {"type": "graph", "v": 1, "run_id": run.id, "layers": event.graph}
                    run.hub._call(run.hub._push_all, message)
                case ev.Reply():
                    fut = run.replies.pop(event.req_id, None)
                    if fut is not None and not fut.done():
                        if event.ok:
                            fut.set_result(event.payload)
                        else:
                            why = f"the run could not answer: {event.payload}"
                            fut.set_exception(Unavailable(why))
                case ev.FinalWeights():
                    try:
                        self.persistence.weights.save(run.id, event.weights)
                    except Exception:
                        log.exception("could not save the weights of run %s", run.id)
                case ev.ParameterPath():
                    try:
                        self.persistence.paths.save(run.id, event.steps, event.theta)
                    except Exception:
                        log.exception("could not save the parameter path of run %s", run.id)
                case ev.Checkpointed():
                    run.checkpoint_step = event.step
                case ev.Exited():
                    self._on_exit(run, event)

    def _on_frame(self, run: Run, event: ev.FrameTaken) -> None:
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
            self.persistence.layer_history.record(run.id, event.step, event.frame)
        except Exception:
            log.exception("could not record the layer summaries of run %s", run.id)

    def _on_progress(self, run: Run, event: ev.Progress) -> None:
        run.step, run.epoch = event.step, event.epoch
        run.latest_metrics = clean_metrics(event.latest) if event.latest else run.latest_metrics
        cleaned = [clean_metrics(r) for r in event.rows]
        run.metrics.extend(cleaned)
        if len(run.metrics) > MAX_MEMORY_ROWS:  # the store keeps every row
            run.metrics = run.metrics[::2]
        run.unsaved.extend(cleaned)
        if time.monotonic() - run.last_flush > FLUSH_PERIOD:
            self.persistence.flush(run)

    def _on_exit(self, run: Run, event: ev.Exited) -> None:
        run.handle = None
        self.persistence.let_go_of_rows(run)
        self.registry.recorded.discard(run.id)
        self.persistence.keep_last_frame(run)
        for fut in run.replies.values():
            if not fut.done():
                fut.set_exception(Unavailable("the run's worker has exited."))
        run.replies.clear()
        if run.state in LIVE and not self.stopping.is_set():
            cause = event.cause or "its worker exited unexpectedly"
            reason = self.persistence.interrupted_reason(run, cause)
            self.machine.set_state(run, "interrupted", reason)
        self.registry.slot_freed()
