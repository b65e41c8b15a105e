"""Where a run executes, behind one interface: a thread (default) or a spawned process.

Both run the same `Worker` loop; `send` posts a command, and every event comes back through the
`on_event` callback, called from one thread per run (the worker thread, or the pipe reader thread).
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import queue
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, Protocol

from glassnet.runs.worker import Event, QueueInbox, Worker

OnEvent = Callable[[Event], None]


class Handle(Protocol):
    """A live run: post commands; `alive` turns False once the worker exited."""

    def send(self, cmd: tuple[Any, ...]) -> None: ...

    def close(self) -> None: ...

    @property
    def alive(self) -> bool: ...


class Executor(Protocol):
    """Starts runs somewhere and returns their handles."""

    def launch(self, run_id: str, spec: dict[str, Any], on_event: OnEvent) -> Handle: ...


class ThreadHandle:
    """A run's Worker in a daemon thread; commands through an in-process queue."""

    def __init__(
        self,
        run_id: str,
        spec: dict[str, Any],
        on_event: OnEvent,
        factory: Callable[..., Any] | None = None,
    ) -> None:
        self.inbox = QueueInbox()
        # Events are handed to a dispatcher thread, so bookkeeping (metrics rows, the store,
        # frame fan-out) never runs on the training thread; one dispatcher keeps their order.
        self.events: queue.SimpleQueue[Event] = queue.SimpleQueue()
        self.worker = Worker(run_id, spec, self.inbox, self.events.put, factory)
        self.thread = threading.Thread(target=self.worker.run, name=f"run-{run_id}", daemon=True)
        self.dispatcher = threading.Thread(
            target=self._dispatch, args=(on_event,), name=f"run-{run_id}-events", daemon=True
        )
        self.dispatcher.start()
        self.thread.start()

    def _dispatch(self, on_event: OnEvent) -> None:
        while True:
            event = self.events.get()
            on_event(event)
            if event[0] == "exit":
                return

    def send(self, cmd: tuple[Any, ...]) -> None:
        self.inbox.put(cmd)

    def close(self) -> None:
        self.inbox.put(("close", 0))

    @property
    def alive(self) -> bool:
        return self.thread.is_alive()


class ThreadExecutor:
    """Runs each Trainer in a daemon thread of the server process (torch releases the GIL in ops).
    `factory` replaces the engine's Trainer (tests use a fake with the same interface)."""

    def __init__(self, factory: Callable[..., Any] | None = None) -> None:
        self.factory = factory

    def launch(self, run_id: str, spec: dict[str, Any], on_event: OnEvent) -> Handle:
        return ThreadHandle(run_id, spec, on_event, self.factory)


class PipeInbox:
    """Process executor inbox: the child's end of the command pipe."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self, timeout: float | None) -> tuple[Any, ...] | None:
        try:
            if self.conn.poll(timeout):
                return self.conn.recv()
        except (EOFError, OSError):
            return ("close", 0)  # the server went away: end the child
        return None

    def pending(self) -> bool:
        try:
            return self.conn.poll(0)
        except (EOFError, OSError):
            return True


def child_main(
    run_id: str, spec: dict[str, Any], cmd_conn: Connection, evt_conn: Connection, threads: int
) -> None:
    """Entry point of a spawned run process: the Worker with pipes for inbox and events."""
    import torch

    torch.set_num_threads(threads)  # one process per run: several runs share the cores
    Worker(run_id, spec, PipeInbox(cmd_conn), evt_conn.send).run()


class ProcessHandle:
    """A run's Worker in a spawned process; commands and events through two pipes."""

    def __init__(
        self, ctx: Any, run_id: str, spec: dict[str, Any], on_event: OnEvent, threads: int
    ) -> None:
        cmd_child, self._cmd = ctx.Pipe(duplex=False)
        evt_parent, evt_child = ctx.Pipe(duplex=False)
        self.process = ctx.Process(
            target=child_main, args=(run_id, spec, cmd_child, evt_child, threads), daemon=True
        )
        self.process.start()
        cmd_child.close()
        evt_child.close()
        self._events = evt_parent
        self._on_event = on_event
        # Commands come from the event loop and from janitor threads; a Connection is not
        # safe for concurrent writers, so sends are serialised.
        self._send_lock = threading.Lock()
        self._reader = threading.Thread(target=self._pump, name=f"run-{run_id}-pipe", daemon=True)
        self._reader.start()

    def _pump(self) -> None:
        while True:
            try:
                event = self._events.recv()
            except (EOFError, OSError):
                event = ("exit",)  # the child died without saying goodbye
            self._on_event(event)
            if event[0] == "exit":
                break
        self.process.join(timeout=5)

    def send(self, cmd: tuple[Any, ...]) -> None:
        # A gone child raises here; its reader thread reports the exit.
        with self._send_lock, contextlib.suppress(BrokenPipeError, OSError):
            self._cmd.send(cmd)

    def close(self) -> None:
        self.send(("close", 0))

    @property
    def alive(self) -> bool:
        return self._reader.is_alive()


class ProcessExecutor:
    """One spawned process per run (spawn: safe with torch and threads; costs ~1-2 s to start)."""

    def __init__(self, threads: int = 1) -> None:
        self.ctx = mp.get_context("spawn")
        self.threads = threads

    def launch(self, run_id: str, spec: dict[str, Any], on_event: OnEvent) -> Handle:
        return ProcessHandle(self.ctx, run_id, spec, on_event, self.threads)


def make_executor(kind: str, threads: int = 1) -> Executor:
    """The executor named by the settings (`thread` or `process`)."""
    return ProcessExecutor(threads) if kind == "process" else ThreadExecutor()
