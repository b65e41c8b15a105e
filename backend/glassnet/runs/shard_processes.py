"""Data-parallel workers as real processes: each shard of a batch goes to a worker process of its
own (glassnet.runs.shard_worker), the k gradients come back, and the run's path all-reduces them.

The worker processes are plain subprocesses, not multiprocessing children, so a run that itself
lives in a daemon process can start them. They compute at the parameters they are sent each step
(the stale ones for an async run), so the result is the in-process one to the last digit; only
dropout masks differ, each worker drawing its own.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from multiprocessing.connection import Connection, wait
from typing import Any

import torch
from torch import Tensor

from glassnet.engine.parallel import ShardResult
from glassnet.engine.paths.parallel import ParallelPath
from shared_schemas.runspec import RunSpec

WORKER_MODULE = "glassnet.runs.shard_worker"
START_SECONDS = 120.0  # a worker imports torch first: seconds on a busy machine
CLOSE_SECONDS = 5.0


class ShardWorker:
    """One worker process and the parent's ends of its two pipes."""

    def __init__(self, spec: RunSpec, worker: int) -> None:
        to_child, to_parent = os.pipe(), os.pipe()
        child_fds = (to_child[0], to_parent[1])
        self.process = subprocess.Popen(
            [sys.executable, "-m", WORKER_MODULE, str(child_fds[0]), str(child_fds[1])],
            pass_fds=child_fds,
            stdin=subprocess.DEVNULL,
        )
        for fd in child_fds:
            os.close(fd)  # the child holds its own: closing ours lets EOF reach either side
        self.send = Connection(to_child[1], readable=False)
        self.recv = Connection(to_parent[0], writable=False)
        self.worker = worker
        self.send.send({"spec": spec, "worker": worker})
        self.ready = False

    def post(self, message: Any) -> None:
        """Send one message; RuntimeError (which fails the run's step) when the worker is gone."""
        try:
            self.send.send(message)
        except OSError:
            code = self.process.poll()
            raise RuntimeError(
                f"data-parallel worker {self.worker + 1} exited (code {code})"
            ) from None

    def answer(self, timeout: float | None = None) -> Any:
        """The worker's next message; RuntimeError when it exited or stays silent."""
        if timeout is not None and not wait([self.recv], timeout):
            raise RuntimeError(f"data-parallel worker {self.worker + 1} did not answer")
        try:
            return self.recv.recv()
        except (EOFError, OSError):
            code = self.process.poll()
            raise RuntimeError(
                f"data-parallel worker {self.worker + 1} exited (code {code})"
            ) from None

    def close(self) -> None:
        with contextlib.suppress(OSError):  # already gone
            self.send.send(None)
        self.send.close()
        self.recv.close()
        try:
            self.process.wait(CLOSE_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class ProcessShards:
    """A ShardRunner whose k workers are processes: the shards of one step run at the same time."""

    in_process = False

    def __init__(self, spec: RunSpec, params: list[torch.nn.Parameter], workers: int) -> None:
        self.params = params
        self.workers = [ShardWorker(spec, i) for i in range(workers)]

    def _ready(self) -> None:
        for w in self.workers:
            if not w.ready:
                message = w.answer(START_SECONDS)
                if message[0] != "ready" or message[1] != len(self.params):
                    raise RuntimeError(f"data-parallel worker {w.worker + 1} built another network")
                w.ready = True

    def run(self, x: Tensor, t: Tensor, bounds: list[tuple[int, int]]) -> list[ShardResult]:
        self._ready()
        # one device→host copy per parameter and shard per step: the workers' inputs
        values = [p.detach().cpu().numpy() for p in self.params]
        busy = [(w, a, b) for w, (a, b) in zip(self.workers, bounds, strict=True) if b > a]
        for w, a, b in busy:
            w.post(("step", values, x[a:b].cpu().numpy(), t[a:b].cpu().numpy()))
        results = {}
        for w, a, b in busy:
            message = w.answer()
            if message[0] != "ok":
                raise RuntimeError(f"data-parallel worker {w.worker + 1}: {message[1]}")
            _, loss, correct, grads = message
            like = self.params[0]
            results[a, b] = ShardResult(
                a,
                b,
                torch.tensor(loss, dtype=like.dtype, device=like.device),
                torch.tensor(correct, dtype=like.dtype, device=like.device),
                [torch.from_numpy(g).to(p.device) for g, p in zip(grads, self.params, strict=True)],
            )
        return [results.get((a, b), ShardResult(a, b, None, None, None)) for a, b in bounds]

    def close(self) -> None:
        for w in self.workers:
            w.close()


def use_worker_processes(trainer: Any, spec: RunSpec) -> bool:
    """Give a data-parallel trainer k worker processes; False for any other run."""
    path = getattr(trainer, "path", None)
    if not isinstance(path, ParallelPath):
        return False
    path.runner = ProcessShards(spec, path.params, path.parallel.workers)
    return True


def close_worker_processes(trainer: Any) -> None:
    """End a trainer's worker processes, if it has any."""
    runner = getattr(getattr(trainer, "path", None), "runner", None)
    if isinstance(runner, ProcessShards):
        runner.close()
