"""What the manager holds of a run's worker, whatever executes it: the `Launch` record that starts
it, the `Handle` that steers it, the `Executor` protocol, and `PipedHandle`, the part the process
and Ray handles share (runs/executors.py, runs/ray_executor.py)."""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from glassnet.runs.commands import CommandQueue
from glassnet.runs.events import Emit as OnEvent
from glassnet.runs.events import Exited
from shared_schemas.runspec import RunSpec

if TYPE_CHECKING:
    from glassnet.engine.trainer import Trainer

TrainerFactory = Callable[..., "Trainer"]  # the engine's Trainer, or a test's fake of it


@dataclass(frozen=True)
class Launch:
    """A run to start: its id, the validated spec it trains from (handed over as it is: pickled
    into a worker process or a Ray actor, the same object to a thread), and the worker's
    checkpoint plan ({"dir", "seconds", "resume", ...}, see runs.worker; None for a run that
    keeps none)."""

    run_id: str
    spec: RunSpec
    checkpoint: dict[str, Any] | None = None


class Handle(Protocol):
    """A live run: post commands (never blocks; QueueFull when the worker is far behind);
    `close` asks the worker to end, `kill` ends it without asking; `alive` turns False once
    the worker exited."""

    def send(self, cmd: tuple[Any, ...]) -> None: ...

    def close(self) -> None: ...

    def kill(self) -> None: ...

    @property
    def alive(self) -> bool: ...


class Executor(Protocol):
    """Starts runs somewhere and returns their handles."""

    def launch(self, run: Launch, on_event: OnEvent) -> Handle: ...

    def warm(self) -> None: ...

    def shutdown(self) -> None: ...


class PipedHandle(ABC):
    """A run's worker elsewhere (a spawned process, a Ray actor), seen from the server.

    Two threads per run: the sender is the only writer of its commands and takes them from a
    bounded queue, so a worker that is busy or stopped blocks the sender, never the caller of
    `send` (QueueFull when it is far behind); the reader hands every event to `on_event` until
    the worker exits, releases what the worker held, then reports the exit.
    """

    gone: tuple[type[BaseException], ...] = (OSError,)  # a delivery that finds the worker gone

    def __init__(self, run_id: str, on_event: OnEvent, channel: str) -> None:
        self._on_event = on_event
        self.commands = CommandQueue()
        self._sender = threading.Thread(
            target=self._write, name=f"run-{run_id}-commands", daemon=True
        )
        self._reader = threading.Thread(
            target=self._read, name=f"run-{run_id}-{channel}", daemon=True
        )

    def _start(self) -> None:
        self._sender.start()
        self._reader.start()

    # --- what each kind of worker does its own way ------------------------------------------

    @abstractmethod
    def _drain(self) -> Exited:
        """Pump the worker's events until it exits; the exit to report once it is released."""

    @abstractmethod
    def _deliver(self, cmd: tuple[Any, ...]) -> None:
        """Hand one command to the worker (may block while it is busy; raises `gone` when it
        has gone)."""

    def _release(self) -> None:
        """Give back what the worker held, after its sender has ended (a hook: nothing here)."""
        return

    def _sender_done(self) -> None:
        """The sender thread ends, and its channel can be closed (a hook: nothing here)."""
        return

    # --- shared ---------------------------------------------------------------------------

    def _read(self) -> None:
        exited = self._drain()
        self.commands.put(("close", 0))  # ends the sender if it still waits for a command
        self._sender.join(timeout=5)
        self._release()
        self._on_event(exited)

    def _write(self) -> None:
        try:
            while True:
                cmd = self.commands.get(timeout=None)
                if cmd is None:
                    continue
                self._deliver(cmd)
                if cmd[0] == "close":
                    break
        except self.gone:
            pass  # the worker is gone; the reader reports the exit
        finally:
            self._sender_done()

    def send(self, cmd: tuple[Any, ...]) -> None:
        """Queue a command for the sender thread (never blocks; QueueFull when far behind)."""
        self.commands.put(cmd)

    def close(self) -> None:
        self.send(("close", 0))

    @property
    def alive(self) -> bool:
        return self._reader.is_alive()
