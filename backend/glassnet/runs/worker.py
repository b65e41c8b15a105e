"""The loop that owns one Trainer: the same code runs in a thread or in a spawned process.

It receives commands from an `Inbox` and reports through `emit(event)`. Commands are plain tuples,
events the small records of runs/events.py; both cross a process pipe unchanged. Commands:

    ("start",) ("pause",) ("resume",) ("step", n) ("epoch",) ("stop", reason) ("set_lr", lr)
    ("view", hz, channels, layers)   viewers' frame rate (0: none) and the union of what they want
    ("frame_now",)                   publish one frame now (a viewer joined a paused run)
    ("snapshot", req_id)             reply with a full frame
    ("state_dict", req_id)           reply with {name: numpy array}
    ("landscape", req_id, params)    reply with the loss on a plane through the weights (see
                                     runs/landscape.py), or {"error": why}
    ("close",)                       end the worker (a live run checkpoints first)
    ("kill",)                        end it at once, writing nothing (a thread cannot be killed)

Every command carries its number as the last element; state events echo the newest number handled
so the manager can ignore a state that an already-accepted newer command has superseded. Events
(runs/events.py): Ready once the trainer is built; StateChanged, Progress and FrameTaken as it
trains; Reply to a request; FinalWeights then ParameterPath when the run ends; Checkpointed from the
writer thread; a Heartbeat every `heartbeat` seconds from a thread of its own (the worker is alive,
even inside a long step); Exited last.

Checkpoints (`checkpoint`: {"dir", "seconds", "resume", "metrics_after"}, or None for none): at
most every `seconds` while it trains or pauses (a paused run without one gets one at once), and
when it finishes, is stopped or is closed, the loop copies the trainer's state at a step boundary
and a writer thread puts it on disk. With `resume` the
trainer is built from the spec and then given the run's last checkpoint before anything else; its
metric rows after step `metrics_after` (what the server has) are reported again. The same plan
carries the server's `data_parallel` and `frame_share` (the telemetry budget's share; DEFAULT_SHARE
when absent).
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from glassnet.engine.frame_budget import DEFAULT_SHARE, FrameBudget
from glassnet.runs.checkpoint_writer import CheckpointWriter
from glassnet.runs.commands import CommandQueue
from glassnet.runs.events import (
    HEARTBEAT,
    Checkpointed,
    Emit,
    Exited,
    FinalWeights,
    FrameTaken,
    ParameterPath,
    Progress,
    Ready,
    Reply,
    StateChanged,
    WorkerEvent,
)
from glassnet.store.checkpoints import CheckpointStore
from shared_schemas.api import FINISHED_RUN_STATES

if TYPE_CHECKING:
    from glassnet.engine.trainer import Trainer
    from shared_schemas.runspec import RunSpec

CHANNELS = (
    "metrics",
    "layers",
    "boundary",
    "feature_maps",
    "predictions",
)  # as the engine names them
# Steps run back to back for about this long between looks at the inbox and the frame clock: short
# enough that pause and step answer at once, long enough that the loop's own cost (clock reads,
# queue checks) disappears beside the training of a playground-size network.
CHUNK_SECONDS = 0.002
PROGRESS_PERIOD = 0.1  # seconds between progress events: cheap enough, fresh enough for REST polls
# Parts of a frame the telemetry budget may leave out before it lowers the rate: none yet, since
# the views read every channel of each frame (a frame without its boundary would blank that view).
OPTIONAL_PARTS: tuple[str, ...] = ()
HEARTBEAT_SECONDS = 0.5  # default period of the Heartbeat event
SHARE_WINDOW = 0.25  # seconds of wall-clock time over which the run's share of a core is read
# The steps just after a frame run slower (the frame emptied the caches they had warmed): the extra
# time of this many chunks after each frame is counted as the frame's (part "aftermath").
AFTERMATH_CHUNKS = 3


class Inbox(Protocol):
    def get(self, timeout: float | None) -> tuple[Any, ...] | None: ...

    def pending(self) -> bool: ...


class QueueInbox(CommandQueue):
    """Thread executor inbox: the bounded, coalescing command queue itself."""


class Worker:
    """Runs one Trainer at its own pace; never waits for viewers."""

    # built by run(), in the worker's own thread or process, before any command is served
    trainer: Trainer

    def __init__(
        self,
        run_id: str,
        spec: RunSpec,
        inbox: Inbox,
        emit: Emit,
        factory: Callable[..., Trainer] | None = None,
        heartbeat: float = HEARTBEAT_SECONDS,
        clock: Callable[[], float] = time.thread_time,
        checkpoint: dict[str, Any] | None = None,
    ) -> None:
        self.factory = factory  # None: the engine's Trainer (imported in the worker's thread)
        self.run_id = run_id
        self.spec = spec  # validated by the server: the Trainer takes it as it is
        self.inbox = inbox
        self._emit = emit
        # The heartbeat thread emits too, and a pipe connection takes one writer at a time.
        self._emit_lock = threading.Lock()
        self.heartbeat = heartbeat
        self._beating = threading.Event()
        self.built = False  # the trainer exists
        self.running = False
        self.pending_steps = 0
        self.closed = False
        self.ended = False
        self.cmd_no = 0
        self.seq = 0
        self.frame_period = 0.0  # 0: no viewers, no frames
        self.next_frame = 0.0
        self.channels: list[str] | None = None
        self.layers: list[str] | None = None
        self.next_progress = 0.0
        self.metrics_sent = 0  # step of the last metrics row reported
        self.step_seconds = 1e-3  # running estimate of one step's duration, sizes the chunks
        self.step_cpu = 1e-3  # the same on this thread's CPU clock, the budget's clock
        self.aftermath_chunks = 0  # chunks after the last frame still to be counted as its cost
        # of a core the run gets (CPU time over wall time): below 1 when other runs share
        # the cores, and then frames, kept to their share of the run's CPU time, come slower too
        self.core_share = 1.0
        self.on_cpu = True  # the run trains on the CPU (set when the trainer is built)
        self._share_window: tuple[float, float] | None = None  # (wall, CPU) where it began
        self.aftermath_cpu = 0.0
        # Frames take at most their share of the run's CPU time (its own thread's, so other runs
        # and other processes on the same cores do not count against it), whatever the network:
        # the server's frame_share, planned below the promised tenth by default.
        self.clock = clock  # this thread's CPU time: what the run itself spends
        share = float((checkpoint or {}).get("frame_share", DEFAULT_SHARE))
        self.budget = FrameBudget(clock=clock, optional=OPTIONAL_PARTS, share=share)
        self.frame_note: str | None = None  # what the budget did, for the status bar
        self.published_step = -1  # the step of the last frame sent
        self.checkpoint_plan = checkpoint
        self.writer: CheckpointWriter | None = None  # None: this run keeps no checkpoints
        self.checkpoint_seconds = 0.0
        self.next_checkpoint = 0.0
        self.checkpointed_step = -1

    # --- main loop -----------------------------------------------------------------------

    def emit(self, event: WorkerEvent) -> None:
        """Report one event (from the loop or the heartbeat thread, one at a time)."""
        with self._emit_lock:
            self._emit(event)

    def run(self) -> None:
        """Build the trainer, then serve commands and train until closed; always ends with exit."""
        beat = threading.Thread(target=self._beat, name=f"run-{self.run_id}-heartbeat", daemon=True)
        beat.start()
        try:
            self._serve()
        finally:
            if self.built:
                from glassnet.runs.shard_processes import close_worker_processes

                close_worker_processes(self.trainer)
            if self.writer is not None:
                self.writer.close()  # the last checkpoint reaches the disk before the exit
            self._beating.set()
            beat.join()
            self.emit(Exited())

    def _beat(self) -> None:
        # A thread of its own, so a long step or epoch still shows the worker is alive; only a
        # stopped or hung process (or interpreter) goes quiet.
        while not self._beating.wait(self.heartbeat):
            try:
                self.emit(HEARTBEAT)
            except (BrokenPipeError, EOFError, OSError):
                return  # the server went away; the loop notices through its inbox

    def _serve(self) -> None:
        try:
            factory = self.factory
            if factory is None:
                from glassnet.engine.trainer import Trainer

                factory = Trainer

            self.trainer = factory(self.spec, run_id=self.run_id)
            # on a GPU, the thread waits for the device: its CPU time is no share of a core
            self.on_cpu = str(getattr(self.trainer, "device", "cpu")).startswith("cpu")
            self.built = True
            plan = self.checkpoint_plan or {}
            if plan.get("data_parallel") == "processes":
                from glassnet.runs.shard_processes import use_worker_processes

                use_worker_processes(self.trainer, self.spec)
        except Exception as exc:
            self.emit(_failed(f"could not build the run: {exc}"))
            return
        try:
            self._open_checkpoints()
        except Exception as exc:
            traceback.print_exc()
            self.emit(_failed(f"could not resume from the checkpoint: {exc}"))
            return
        try:
            self.emit(Ready(self._graph(), self.trainer.step_count, self.trainer.epoch))
        except Exception as exc:
            self.emit(_failed(f"could not build the run: {exc}"))
            return
        self._loop()

    def _open_checkpoints(self) -> None:
        """Start the writer thread; a resumed run first takes its last checkpoint's state."""
        plan = self.checkpoint_plan
        if plan is None:
            return
        from glassnet.runs import checkpoint  # torch and the engine: imported in the worker

        if not checkpoint.checkpointable(self.trainer):
            return
        store = CheckpointStore(Path(plan["dir"]))
        if plan.get("resume"):
            saved = store.load(self.run_id)
            if saved is None:
                raise ValueError("this run has no checkpoint")
            checkpoint.restore(self.trainer, saved)
            # the server has the history up to `metrics_after`: newer rows of the checkpoint's
            # go to it again
            known = int(plan.get("metrics_after", self.trainer.step_count))
            self.metrics_sent = min(self.trainer.step_count, known)
            self.checkpointed_step = self.trainer.step_count
        self.writer = CheckpointWriter(
            store, self.run_id, lambda step, epoch: self.emit(Checkpointed(step, epoch))
        )
        self.checkpoint_seconds = float(plan["seconds"])
        self.next_checkpoint = time.monotonic() + self.checkpoint_seconds

    def _checkpoint_if_due(self) -> None:
        """A paused run's checkpoint, within the period: stepping by hand (or the app's slow
        speeds, a step every few hundred milliseconds) must not write one a step."""
        if self.writer is not None and (
            self.checkpointed_step < 0 or time.monotonic() >= self.next_checkpoint
        ):
            self._checkpoint()

    def _checkpoint(self) -> None:
        """Copy the trainer's state now (a step boundary) and hand it to the writer thread."""
        if self.writer is None or self.trainer.step_count == self.checkpointed_step:
            return
        from glassnet.runs.checkpoint import capture

        try:
            saved = capture(self.trainer)
        except Exception:
            traceback.print_exc()
            self.writer.close()
            self.writer = None  # a state that cannot be copied will not copy next time either
            return
        self.writer.submit(saved)
        self.checkpointed_step = self.trainer.step_count
        self.next_checkpoint = time.monotonic() + self.checkpoint_seconds

    def _loop(self) -> None:
        while not self.closed:
            busy = (self.running or self.pending_steps > 0) and not self.ended
            # While training, only look at the inbox when something is there (a cheap check).
            cmd = None if busy and not self.inbox.pending() else self.inbox.get(timeout=None)
            while cmd is not None:
                self._handle(cmd)
                if self.closed:
                    break  # a gone server reads as an endless stream of ("close",)
                cmd = self.inbox.get(timeout=0) if self.inbox.pending() else None
            if self.closed or self.ended or not (self.running or self.pending_steps > 0):
                continue
            self._train_chunk()

    def _chunk(self, now: float, due: bool) -> int:
        """How many steps to run before looking at the inbox and the frame clock again."""
        if due:
            return 1  # the step that captures z, a and δ for the frame
        n = max(1, int(CHUNK_SECONDS / self.step_seconds))
        if self.frame_period:
            # until the viewer's next frame, or until the budget lets a frame be made again
            wait = max(
                self.next_frame - now, self.budget.wait_left() * self.step_seconds / self.step_cpu
            )
            n = min(n, max(1, int(wait / self.step_seconds)))
        if not self.running:
            n = min(n, self.pending_steps)
        return n

    def _train_chunk(self) -> None:
        now = time.monotonic()
        due = bool(self.frame_period) and now >= self.next_frame and self.budget.ready()
        n = self._chunk(now, due)
        # the last of a run of steps asked for (Step) is what the paused run shows: it captures
        # too, so that frame has the step's own δ and update ratio rather than a probe pass
        last_asked = not self.running and n >= self.pending_steps > 0
        before = self.trainer.step_count
        cpu_start = self.clock()
        try:
            # When a frame is due, the step itself captures z, a and δ (no extra pass).
            self.trainer.step(n, capture=due or last_asked)
        except Exception as exc:
            traceback.print_exc()
            self._end("failed", f"training raised {type(exc).__name__}: {exc}")
            return
        done = max(self.trainer.step_count - before, 1)
        end = time.monotonic()
        cpu_end = self.clock()
        cpu = cpu_end - cpu_start
        if self.on_cpu:
            self._read_core_share(end, cpu_end)
        if due:  # what capturing added to the step is part of the frame's cost
            self.budget.record("capture", cpu - done * self.step_cpu)
        elif self.aftermath_chunks:  # and what the frame left the next steps to pay
            self.aftermath_cpu += cpu - done * self.step_cpu
            self.aftermath_chunks -= 1
            if not self.aftermath_chunks:
                self.budget.record("aftermath", self.aftermath_cpu)
        else:
            self.step_seconds = 0.8 * self.step_seconds + 0.2 * max((end - now) / done, 1e-7)
            self.step_cpu = 0.8 * self.step_cpu + 0.2 * max(cpu / done, 1e-7)
        now = end
        if self.pending_steps > 0:
            self.pending_steps = max(self.pending_steps - done, 0)
        if getattr(self.trainer, "done", False):
            self._end(str(self.trainer.status), self.trainer.stop_reason)
            return
        if due:
            self.next_frame = max(self.next_frame + self.frame_period, now)
            self._publish_frame(budgeted=True)
            self.aftermath_chunks, self.aftermath_cpu = AFTERMATH_CHUNKS, 0.0
        if now >= self.next_progress:
            self.next_progress = now + PROGRESS_PERIOD
            self._progress()
        if self.writer is not None and now >= self.next_checkpoint:
            self._checkpoint()
        if not self.running and self.pending_steps == 0:
            self._progress()
            self._state("paused")
            self._publish_frame()
            self._checkpoint_if_due()

    def _read_core_share(self, wall: float, cpu: float) -> None:
        """Update the share of a core the run gets: its CPU time over the wall time of the last
        SHARE_WINDOW, the whole loop included (a chunk alone reads high: the scheduler mostly
        takes the core away between chunks). A longer gap is a pause, and starts a new window."""
        if self._share_window is not None:
            wall_0, cpu_0 = self._share_window
            if wall - wall_0 < SHARE_WINDOW:
                return
            if wall - wall_0 < 4 * SHARE_WINDOW:
                share = min(max(cpu - cpu_0, 0.0) / (wall - wall_0), 1.0)
                self.core_share = 0.5 * self.core_share + 0.5 * share
        self._share_window = (wall, cpu)

    # --- commands ------------------------------------------------------------------------

    def _handle(self, cmd: tuple[Any, ...]) -> None:
        # max: a coalesced viewer change may arrive after a newer command.
        op, args, self.cmd_no = cmd[0], cmd[1:-1], max(self.cmd_no, cmd[-1])
        if op in ("start", "resume") and not self.ended:
            self.running = True
            self._state("running")
            self._first_frame()
        elif op == "pause" and not self.ended:
            self.running = False
            self.pending_steps = 0
            self._progress()
            self._state("paused")
            self._publish_frame()
            self._checkpoint_if_due()
        elif op == "step" and not self.ended:
            self.running = False
            self.pending_steps = int(args[0])
        elif op == "epoch" and not self.ended:
            self.running = False
            self._run_epoch()
        elif op == "stop" and not self.ended:
            reason = args[0] if args else "stopped by the owner"
            self.trainer.stop("stopped", reason)
            self._end("stopped", reason)
        elif op == "set_lr":
            self.trainer.set_lr(float(args[0]))
        elif op == "view":
            hz, self.channels, self.layers = args
            self.frame_period = 1.0 / hz if hz else 0.0
            self.next_frame = time.monotonic()
            if hz:
                self.budget.set_max_hz(hz)
                self._first_frame()
        elif op == "frame_now":
            self._publish_frame()
        elif op == "snapshot":
            self._reply(args[0], lambda: self._snapshot(None, None))
        elif op == "state_dict":
            self._reply(args[0], self._weights)
        elif op == "landscape":
            from glassnet.runs.landscape import landscape_of

            self._reply(args[0], lambda: landscape_of(self.trainer, self.run_id, args[1]))
        elif op == "close":
            if not self.ended:
                self._checkpoint()  # the server is going: keep where the run got to
            self.closed = True
        elif op == "kill":
            self.closed = True  # ended without a word (a deleted run): nothing is written

    def _run_epoch(self) -> None:
        try:
            self.trainer.run_epoch(capture=True)  # the epoch's last step, for the paused frame
        except Exception as exc:
            self._end("failed", f"training raised {type(exc).__name__}: {exc}")
            return
        self._progress()
        if getattr(self.trainer, "done", False):
            self._end(str(self.trainer.status), self.trainer.stop_reason)
        else:
            self._state("paused")
            self._publish_frame()
            self._checkpoint_if_due()

    def _reply(self, req_id: int, make: Callable[[], Any]) -> None:
        try:
            self.emit(Reply(req_id, True, make()))
        except Exception as exc:
            self.emit(Reply(req_id, False, f"{type(exc).__name__}: {exc}"))

    # --- events --------------------------------------------------------------------------

    def _end(self, state: str, reason: str | None) -> None:
        self.ended = True
        self.running = False
        self.pending_steps = 0
        if state not in FINISHED_RUN_STATES:
            state = "finished"
        self._progress()
        self._publish_frame()
        if state in ("finished", "stopped"):
            self._checkpoint()  # the final state is kept (a diverged or failed one is no use)
        try:
            from glassnet.runs.landscape import path_arrays

            self.emit(FinalWeights(self._weights()))
            path = path_arrays(self.trainer)
            if path is not None:
                self.emit(ParameterPath(*path))
        except Exception:
            traceback.print_exc()
        self._state(state, reason)

    def _state(self, state: str, reason: str | None = None) -> None:
        t = self.trainer
        diagnosis = getattr(t, "diagnosis", None)
        step, epoch = t.step_count, t.epoch
        self.emit(StateChanged(state, reason, diagnosis, step, epoch, self.cmd_no))

    def _progress(self) -> None:
        t = self.trainer
        # The trainer thins its history when it grows long, so rows are found by step, not index.
        new_rows = []
        for row in reversed(t.metrics):
            if row.get("step", 0) <= self.metrics_sent:
                break
            new_rows.append(row)
        new_rows.reverse()
        if new_rows:
            self.metrics_sent = new_rows[-1].get("step", 0)
        self.emit(Progress(t.step_count, t.epoch, _plain(t.latest_metrics), _plain(new_rows)))

    def _snapshot(self, channels: list[str] | None, layers: list[str] | None) -> dict[str, Any]:
        # while training on, predictions come from the epoch-end validation passes; a run
        # that waits (paused, stepped, ended) gets them for its current step
        live = self.running and not self.ended
        frame = dict(self.trainer.snapshot(channels=channels, layers=layers, live=live))
        self.seq += 1
        frame["run"] = self.run_id
        frame["seq"] = self.seq
        frame["t"] = time.time()  # wall clock of the snapshot: viewers can measure their delay
        return frame

    def _first_frame(self) -> None:
        """A run that has not stepped yet shows its step-0 frame at once, before training: a
        viewer sees the network as it starts instead of waiting for the first due frame."""
        if self.trainer.step_count == 0 and self.published_step != 0:
            self._publish_frame()

    def _publish_frame(self, budgeted: bool = False) -> None:
        """Take one frame, only when someone watches (or the run just ended). Encoding is left
        to the server's side of the executor: it costs the training loop nothing there.

        `budgeted`: a frame of the viewers' stream while the run trains: the telemetry budget
        measures it and may leave parts out. The other frames (step 0, a pause, the steps asked
        for, the end) are taken while the run does not train, so they cost its training nothing;
        counted, a costlier one (it refreshes the predictions in full, not a share of them) held
        the stream that followed back for seconds."""
        if not self.frame_period and not self.ended:
            return
        plan = self.budget.plan(self.core_share)
        channels = self.channels
        if budgeted and plan.skip:
            channels = [c for c in (channels or CHANNELS) if c not in plan.skip]
        try:
            frame = self._snapshot(channels, self.layers)
            # the trainer's parts: a refresh of the predictions counts as its share of the
            # frames it serves, not whole in the frame that happened to make it
            parts = dict(getattr(self.trainer, "frame_costs", {}))
            handed = self.clock()
            # a paused or ended run streams no frames: its frames carry no note on their rate
            self.frame_note = plan.message if budgeted else None
            frame["frame_note"] = self.frame_note
            self.published_step = self.trainer.step_count
            self.emit(FrameTaken(frame["seq"], self.trainer.step_count, frame))
            # handing the frame over (pickling it into the pipe) is the frame's cost too: the
            # budget counts everything a frame takes from the run
            parts["delivery"] = self.clock() - handed
            if budgeted:
                for part, seconds in parts.items():
                    self.budget.record(part, seconds)
                self.budget.frame_done()
        except Exception:
            traceback.print_exc()

    def _graph(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = _plain(self.trainer.graph_info())
        return rows

    def _weights(self) -> dict[str, Any]:
        # One device→host copy of every parameter: only on request or when the run ends.
        return {k: v.detach().cpu().numpy() for k, v in self.trainer.export_state_dict().items()}


def _failed(reason: str) -> StateChanged:
    """The state event of a run that failed before it could train."""
    return StateChanged("failed", reason, None, 0, 0, 0)


def _plain(obj: Any) -> Any:
    """numpy/torch scalars → Python numbers, so events pickle small and JSON cleanly."""
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_plain(v) for v in obj]
    if hasattr(obj, "item") and not isinstance(obj, str | bytes):
        try:
            return obj.item()
        except (ValueError, RuntimeError):
            return obj
    return obj
