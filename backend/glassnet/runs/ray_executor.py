"""The Ray executor: each run is a named Ray actor, so one server spreads its runs over a cluster.

The actor (`RunActor`, named `glassnet-run-<run id>` in the `glassnet` namespace) holds the same
`Worker` loop as a spawned process, in a thread of its own. Steering is an actor method (`send`,
in the actor's default concurrency group: one thread, so commands run in the order they were
sent); events are pulled (`pull`, its own group) by one reader thread per run on the server, which
waits until the worker has something to say. Events queue in order, except frames: only the
newest waiting frame is kept, so frames arrive at the viewers' rate (the worker makes them at that
rate) and a slow pull gets a fresher frame, never a backlog.

A run whose actor dies (killed, its node lost) reads as an exit with the cause, and the manager
marks it interrupted; it resumes from its checkpoint (written to the data directory, which the
actors' machines must share with the server) in a new actor.

`GLASSNET_RAY_ADDRESS`: `auto` joins the Ray already running on this machine or starts a local one;
anything else is a cluster's address. Needs `pip install 'glassnet[ray]'`.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections import deque
from typing import Any

import ray
from ray.exceptions import RayError

from glassnet.runs.commands import QueueFull
from glassnet.runs.events import HEARTBEAT, Exited, FrameTaken, Heartbeat, WorkerEvent, pump_events
from glassnet.runs.events import Emit as OnEvent
from glassnet.runs.handles import Launch, PipedHandle, TrainerFactory
from glassnet.runs.worker import HEARTBEAT_SECONDS, QueueInbox, Worker
from shared_schemas.runspec import RunSpec

NAMESPACE = "glassnet"
PULL_SECONDS = 0.5  # longest a pull waits for news; the heartbeat comes every 0.5 s anyway


@ray.remote(concurrency_groups={"pull": 1}, max_restarts=0)  # type: ignore[call-overload]
class RunActor:
    """One run's Worker inside a Ray actor."""

    def __init__(
        self,
        run_id: str,
        spec: RunSpec,
        factory: TrainerFactory | None,
        heartbeat: float,
        threads: int,
        checkpoint: dict[str, Any] | None,
    ) -> None:
        import torch

        torch.set_num_threads(threads)  # one actor per run: several runs share a node's cores
        self.inbox = QueueInbox()
        self.events: deque[WorkerEvent] = deque()
        self.beat = False
        # Guards events and beat (the worker's threads vs the pull method's thread).
        self.news = threading.Condition()
        self.worker = Worker(
            run_id, spec, self.inbox, self._emit, factory, heartbeat, checkpoint=checkpoint
        )
        self.thread = threading.Thread(target=self.worker.run, name=f"run-{run_id}", daemon=True)
        self.thread.start()

    def _emit(self, event: WorkerEvent) -> None:
        with self.news:
            if isinstance(event, Heartbeat):
                self.beat = True
            else:
                if isinstance(event, FrameTaken):
                    # a frame still waiting is stale now: drop it, keep the order of the rest
                    stale = [e for e in self.events if isinstance(e, FrameTaken)]
                    for e in stale:
                        self.events.remove(e)
                self.events.append(event)
            self.news.notify_all()

    def send(self, cmd: tuple[Any, ...]) -> None:
        """Hand one command to the worker; waits while its inbox is full (a busy worker), which
        holds back the server's sender thread, never the server."""
        while True:
            try:
                self.inbox.put(cmd)
                return
            except QueueFull:
                if not self.thread.is_alive():
                    return
                time.sleep(0.05)

    def pid(self) -> int:
        """The process the run trains in, on its node (for an operator's tools and tests)."""
        return os.getpid()

    @ray.method(concurrency_group="pull")
    def pull(self, timeout: float) -> tuple[list[WorkerEvent], bool]:
        """Everything the worker said since the last pull (waiting up to `timeout` for it) and
        whether it sent a heartbeat."""
        with self.news:
            self.news.wait_for(lambda: bool(self.events) or self.beat, timeout)
            events, self.events = list(self.events), deque()
            beat, self.beat = self.beat, False
        return events, beat


class RayHandle(PipedHandle):
    """A run's actor, seen from the server: commands are `send` calls, events are pulled."""

    gone = (RayError,)

    def __init__(self, actor: Any, run_id: str, on_event: OnEvent) -> None:
        super().__init__(run_id, on_event, "pull")
        self.actor = actor
        self._start()

    def _receive(self) -> list[WorkerEvent]:
        events: list[WorkerEvent]
        events, beat = ray.get(self.actor.pull.remote(PULL_SECONDS))
        return [HEARTBEAT, *events] if beat else events

    def _drain(self) -> Exited:
        try:
            pump_events(self._receive, self._on_event)
        except RayError as exc:
            return Exited(f"its Ray actor died ({type(exc).__name__})")
        return Exited()

    def _deliver(self, cmd: tuple[Any, ...]) -> None:
        ray.get(self.actor.send.remote(cmd))

    def _release(self) -> None:
        # The worker has ended (or the actor is gone): end the actor so its process and its
        # CPUs go back to the cluster before the exit is reported.
        with contextlib.suppress(RayError, ValueError):
            ray.kill(self.actor)

    def kill(self) -> None:
        """End the actor at once; the reader then reports the exit."""
        with contextlib.suppress(RayError, ValueError):
            ray.kill(self.actor)


class RayExecutor:
    """Runs each run in a Ray actor. `factory` replaces the engine's Trainer (tests use a fake,
    which must be importable or pickled by value on the actors' side)."""

    def __init__(
        self,
        address: str = "auto",
        threads: int = 1,
        cpus_per_run: float = 1.0,
        heartbeat: float = HEARTBEAT_SECONDS,
        factory: TrainerFactory | None = None,
    ) -> None:
        self.address = address
        self.threads = threads
        self.cpus_per_run = cpus_per_run
        self.heartbeat = heartbeat
        self.factory = factory
        self._owns_ray = False
        self._lock = threading.Lock()

    def warm(self) -> None:
        """Join (or start) Ray now, so the first run does not wait for it."""
        with self._lock:
            if ray.is_initialized():
                return
            # auto: the Ray already running on this machine, else a new local one
            ray.init(address=None if self.address == "auto" else self.address)
            self._owns_ray = True

    def launch(self, run: Launch, on_event: OnEvent) -> RayHandle:
        self.warm()
        name = f"glassnet-run-{run.run_id}"
        options = {"name": name, "namespace": NAMESPACE, "num_cpus": self.cpus_per_run}
        args = (run.run_id, run.spec, self.factory, self.heartbeat, self.threads, run.checkpoint)
        try:
            actor = RunActor.options(**options).remote(*args)  # type: ignore[attr-defined]
        except ValueError:
            # the name is still held by this run's previous actor (it died, or is dying, and a
            # resume came quickly): end it, and take the name over
            with contextlib.suppress(ValueError, RayError):
                ray.kill(ray.get_actor(name, namespace=NAMESPACE))
            actor = self._retry(options, args)
        return RayHandle(actor, run.run_id, on_event)

    def _retry(self, options: dict[str, Any], args: tuple[Any, ...]) -> Any:
        end = time.monotonic() + 30
        while True:
            try:
                return RunActor.options(**options).remote(*args)  # type: ignore[attr-defined]
            except ValueError:
                if time.monotonic() > end:
                    raise
                time.sleep(0.1)

    def shutdown(self) -> None:
        """Leave Ray if this executor started or joined it (running actors end with it)."""
        with self._lock:
            if self._owns_ray and ray.is_initialized():
                ray.shutdown()
            self._owns_ray = False
