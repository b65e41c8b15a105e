"""Where a run executes, behind one interface: a spawned process (default) or a thread; the
third, a Ray actor, lives in runs/ray_executor.py (Ray is an optional dependency).

Both run the same `Worker` loop; `send` posts a command, and every event comes back through the
`on_event` callback, called from one thread per run (the worker thread, or the pipe reader thread).

Why a process by default: a training thread shares the server's GIL. Small networks release the
GIL for microseconds at a time (each torch op, each BLAS call), so a thread that wakes to serve a
viewer or a REST call keeps missing it and spins on the GIL's condition variable for several
milliseconds; measured on a 2-core machine, one 30 Hz waker slows a playground-size run by ~20 %
(bench/server_speed.py: thread 0.70–0.84 of the benchmark loop, process 0.96–1.0). A process has
its own GIL. Workers are forked from a fork server that has imported torch and the engine
(runs/preload.py), so a new one is ready in milliseconds; where there is no fork server (Windows)
they are spawned, which costs 1–2 s of importing torch. Either way the executor keeps one spare
process warm: starting a run hands it the spec and a new spare starts in the background.

A process serves one run: once the run ends the manager closes it (or kills it when it stopped
answering), so only running runs and the few spares hold processes. Commands never block the
caller (the event loop): they wait in a bounded `CommandQueue` and a sender thread per process
writes them into its pipe, which may block while the worker is busy or stopped.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import queue
import signal
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext
from typing import Any

try:
    import fcntl
except ImportError:  # Windows: pipes keep their default size
    fcntl = None  # type: ignore[assignment]

from glassnet.runs.events import Emit as OnEvent
from glassnet.runs.events import Exited, WorkerEvent, pump_events
from glassnet.runs.handles import Executor, Handle, Launch, PipedHandle, TrainerFactory
from glassnet.runs.worker import HEARTBEAT_SECONDS, QueueInbox, Worker


class ThreadHandle:
    """A run's Worker in a daemon thread; commands through an in-process queue."""

    def __init__(
        self,
        run: Launch,
        on_event: OnEvent,
        factory: TrainerFactory | None = None,
        heartbeat: float = HEARTBEAT_SECONDS,
    ) -> None:
        run_id = run.run_id
        self.inbox = QueueInbox()
        # Events are handed to a dispatcher thread, so bookkeeping (metrics rows, the store,
        # frame fan-out) never runs on the training thread; one dispatcher keeps their order.
        self.events: queue.SimpleQueue[WorkerEvent] = queue.SimpleQueue()
        self.worker = Worker(
            run_id,
            run.spec,
            self.inbox,
            self.events.put,
            factory,
            heartbeat,
            checkpoint=run.checkpoint,
        )
        self.thread = threading.Thread(target=self.worker.run, name=f"run-{run_id}", daemon=True)
        self.dispatcher = threading.Thread(
            target=self._dispatch, args=(on_event,), name=f"run-{run_id}-events", daemon=True
        )
        self.dispatcher.start()
        self.thread.start()

    def _dispatch(self, on_event: OnEvent) -> None:
        on_event(pump_events(lambda: (self.events.get(),), on_event))

    def send(self, cmd: tuple[Any, ...]) -> None:
        self.inbox.put(cmd)

    def close(self) -> None:
        self.inbox.put(("close", 0))

    def kill(self) -> None:
        """A thread cannot be killed: ask it to end (at its next look at the inbox) without
        writing anything more."""
        self.inbox.put(("kill", 0))

    @property
    def alive(self) -> bool:
        return self.thread.is_alive()


class ThreadExecutor:
    """Runs each Trainer in a daemon thread of the server process: no spawn, no second torch in
    memory, but the run shares the server's GIL (see the module docstring for what that costs).
    `factory` replaces the engine's Trainer (tests use a fake with the same interface)."""

    def __init__(
        self, factory: TrainerFactory | None = None, heartbeat: float = HEARTBEAT_SECONDS
    ) -> None:
        self.factory = factory
        self.heartbeat = heartbeat

    def launch(self, run: Launch, on_event: OnEvent) -> Handle:
        return ThreadHandle(run, on_event, self.factory, self.heartbeat)

    def warm(self) -> None:
        """Nothing to prepare: a thread starts at once."""

    def shutdown(self) -> None:
        """Nothing to end: run threads are closed through their handles."""


class PipeInbox:
    """Process executor inbox: the child's end of the command pipe."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self, timeout: float | None) -> tuple[Any, ...] | None:
        try:
            if self.conn.poll(timeout):
                command: tuple[Any, ...] = self.conn.recv()
                return command
        except (EOFError, OSError):
            return ("close", 0)  # the server went away: end the child
        return None

    def pending(self) -> bool:
        try:
            return self.conn.poll(0)
        except (EOFError, OSError):
            return True


def child_main(
    cmd_conn: Connection,
    evt_conn: Connection,
    threads: int,
    heartbeat: float = HEARTBEAT_SECONDS,
    niceness: int = 0,
) -> None:
    """Entry point of a spawned worker process: import the engine, wait for a run, run it.

    The expensive imports happen before the run arrives, so a spare process starts a run at once.
    `niceness`: how much lower this process's scheduling priority is than the server's.
    """
    lower_priority(niceness)
    import torch

    from glassnet.engine.paths.compiled import warm_up
    from glassnet.engine.trainer import Trainer

    torch.set_num_threads(threads)  # one process per run: several runs share the cores
    warm_up()  # the compiled kernels load (or compile, the first time) before a run arrives
    try:
        message = cmd_conn.recv()
    except (EOFError, OSError):
        return  # the server went away before this spare was needed
    if message[0] != "launch":
        return  # ("close",): the server shut down while this process was a spare
    _, run_id, spec, checkpoint = message
    Worker(
        run_id, spec, PipeInbox(cmd_conn), evt_conn.send, Trainer, heartbeat, checkpoint=checkpoint
    ).run()


# A frame of a playground network is about 66 KB pickled, more than a pipe's default 64 KB: its
# send waited, mid-frame, for the server's reader thread to drain the pipe, and that thread waits
# for the server's GIL. Room for several frames lets the run hand a frame over and train on.
EVENT_PIPE_BYTES = 1 << 20


def widen_pipe(conn: Connection, size: int = EVENT_PIPE_BYTES) -> None:
    """Give a pipe `size` bytes of buffer where the system allows it (Linux; capped by
    /proc/sys/fs/pipe-max-size); elsewhere leave it as it is."""
    set_size = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl is not None else None
    if set_size is None:
        return
    with contextlib.suppress(OSError):
        fcntl.fcntl(conn.fileno(), set_size, size)


def lower_priority(niceness: int) -> None:
    """Lower this process's CPU priority by `niceness` (Unix nice; nothing elsewhere). A class's
    runs can want more CPU than the machine has; the server, which answers every student and
    sends every frame, then gets the cores first and training takes what is left, instead of a
    busy machine delaying every answer for seconds."""
    if niceness > 0 and hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(niceness)


def exit_cause(code: int | None) -> str:
    """Why a worker process ended without saying goodbye, in words."""
    if code is None:
        return "its worker process stopped answering"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"its worker process was killed ({name})"
    return f"its worker process exited with code {code}"


@dataclass
class WorkerProcess:
    """A spawned worker process and the parent's ends of its two pipes."""

    process: Any
    commands: Connection
    events: Connection

    @classmethod
    def spawn(
        cls, ctx: Any, threads: int, heartbeat: float = HEARTBEAT_SECONDS, niceness: int = 0
    ) -> WorkerProcess:
        """Start a process that imports the engine and waits for
        ("launch", run_id, spec, checkpoint plan)."""
        cmd_child, commands = ctx.Pipe(duplex=False)
        events, evt_child = ctx.Pipe(duplex=False)
        widen_pipe(events)
        process = ctx.Process(
            target=child_main,
            args=(cmd_child, evt_child, threads, heartbeat, niceness),
            name="glassnet-run",
            daemon=True,
        )
        process.start()
        cmd_child.close()  # the child holds its own copies; closing ours lets EOF reach each side
        evt_child.close()
        return cls(process, commands, events)


class ProcessHandle(PipedHandle):
    """A run's Worker in a spawned process; commands and events through two pipes."""

    def __init__(self, worker: WorkerProcess, run: Launch, on_event: OnEvent) -> None:
        super().__init__(run.run_id, on_event, "pipe")
        self.process = worker.process
        self._cmd = worker.commands
        self._events = worker.events
        self._died = False
        self.commands.put(("launch", run.run_id, run.spec, run.checkpoint))
        self._start()

    def _receive(self) -> tuple[WorkerEvent]:
        try:
            event: WorkerEvent = self._events.recv()
        except (EOFError, OSError):
            self._died = True  # the child died without saying goodbye
            event = Exited()
        return (event,)

    def _drain(self) -> Exited:
        pump_events(self._receive, self._on_event)
        # The process is reaped and its pipes closed before the exit is reported, so a run that
        # reads as ended holds no process and no file descriptors.
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(timeout=5)
        return Exited(exit_cause(self.process.exitcode)) if self._died else Exited()

    def _deliver(self, cmd: tuple[Any, ...]) -> None:
        self._cmd.send(cmd)

    def _sender_done(self) -> None:
        self._cmd.close()

    def _release(self) -> None:
        self._events.close()

    def kill(self) -> None:
        """End the process at once (SIGKILL works on a stopped process too); the reader then
        reports the exit."""
        with contextlib.suppress(ValueError, OSError):  # ValueError: already closed
            self.process.kill()


PRELOAD = "glassnet.runs.preload"


def worker_context() -> BaseContext:
    """Where worker processes come from: forks of a fork server that has imported torch and the
    engine (PRELOAD), where the platform has one; else fresh spawned interpreters."""
    if "forkserver" not in mp.get_all_start_methods():
        return mp.get_context("spawn")
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload([PRELOAD])  # before the fork server starts, on its first use
    return ctx


class ProcessExecutor:
    """One process per run, with `spares` processes kept warm so that a run starts at once.

    Never a plain fork of the server (its threads and torch's make that unsafe): a fork of the
    fork server (`worker_context`), or a spawn.
    """

    def __init__(
        self,
        threads: int = 1,
        spares: int = 1,
        heartbeat: float = HEARTBEAT_SECONDS,
        niceness: int = 0,
    ) -> None:
        self.ctx = worker_context()
        self.threads = threads
        self.spares = spares
        self.heartbeat = heartbeat
        self.niceness = niceness
        self._ready: list[WorkerProcess] = []
        self._lock = threading.Lock()

    def warm(self) -> None:
        """Start the spare processes now (the server calls this once it is up)."""
        with self._lock:
            self._top_up()

    def _top_up(self) -> None:
        self._ready = [w for w in self._ready if w.process.is_alive()]
        while len(self._ready) < self.spares:
            self._ready.append(self._spawn())

    def _spawn(self) -> WorkerProcess:
        return WorkerProcess.spawn(self.ctx, self.threads, self.heartbeat, self.niceness)

    def launch(self, run: Launch, on_event: OnEvent) -> Handle:
        with self._lock:
            alive = [w for w in self._ready if w.process.is_alive()]
            worker = alive.pop(0) if alive else self._spawn()
            self._ready = alive
            self._top_up()
        return ProcessHandle(worker, run, on_event)

    def shutdown(self) -> None:
        """End the spare processes (running runs are closed through their handles)."""
        with self._lock:
            spares, self._ready = self._ready, []
        for worker in spares:
            with contextlib.suppress(BrokenPipeError, OSError):
                worker.commands.send(("close", 0))
            worker.process.join(timeout=5)
            if worker.process.is_alive():
                worker.process.terminate()


def make_executor(
    kind: str,
    threads: int = 1,
    spares: int = 1,
    heartbeat: float = HEARTBEAT_SECONDS,
    ray_address: str = "auto",
    ray_cpus_per_run: float = 1.0,
    niceness: int = 0,
) -> Executor:
    """The executor named by the settings (`process`, `thread` or `ray`); `niceness` lowers the
    priority of the process executor's workers."""
    if kind == "process":
        return ProcessExecutor(threads, spares, heartbeat, niceness)
    if kind == "ray":
        try:
            from glassnet.runs.ray_executor import RayExecutor
        except ImportError as exc:
            raise RuntimeError(
                "GLASSNET_EXECUTOR=ray needs Ray: pip install 'glassnet[ray]'"
            ) from exc
        return RayExecutor(ray_address, threads, ray_cpus_per_run, heartbeat)
    return ThreadExecutor(heartbeat=heartbeat)
