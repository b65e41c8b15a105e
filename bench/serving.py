"""A real Glassnet server on a loopback port for the benchmarks, and the run helpers they share."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@asynccontextmanager
async def served(executor: str = "process", **settings: str) -> AsyncIterator[tuple[str, int]]:
    """(base URL, server pid) of `glassnet serve` with the executor and GLASSNET_* `settings` given
    (the rate limits lifted, the CPU device), until the block ends."""
    port = free_port()
    env = {
        **os.environ,
        "GLASSNET_PORT": str(port),
        "GLASSNET_DATA_DIR": tempfile.mkdtemp(prefix="glassnet-bench-"),
        "GLASSNET_DEVICE": "cpu",
        "GLASSNET_EXECUTOR": executor,
        "GLASSNET_RATE_LIMIT_PER_SECOND": "100000",
        "GLASSNET_RATE_LIMIT_BURST": "100000",
        **{f"GLASSNET_{k.upper()}": v for k, v in settings.items()},
    }
    command = os.environ.get("BENCH_SERVER", "from glassnet.api import serve; serve()")
    cores = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    server = subprocess.Popen(
        [sys.executable, "-c", command],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base) as client:
            for _ in range(300):
                try:
                    client.get("/healthz")
                    break
                except httpx.TransportError:
                    await asyncio.sleep(0.1)
        yield base, server.pid
    finally:
        server.terminate()
        server.wait(10)
        if cores is not None:
            pin_threads(os.getpid(), cores)  # undo pin_runs_apart for what this process does next


def start_run(client: httpx.Client, spec: dict[str, Any]) -> tuple[str, Callable[[str], None]]:
    """Create and start a run of `spec`: (its id, a function sending it an action as its owner)."""
    created = client.post("/api/v1/runs", json={"spec": spec, "start": True}).json()
    run_id, owner = created["id"], {"X-Glassnet-Owner": created["owner"]}

    def act(action: str) -> None:
        client.post(f"/api/v1/runs/{run_id}/actions", json={"action": action}, headers=owner)

    return run_id, act


def steps_now(client: httpx.Client, run_id: str) -> tuple[float, int]:
    """(monotonic time, the run's step counter)."""
    return time.monotonic(), int(client.get(f"/api/v1/runs/{run_id}").json()["step"])


def cpu_seconds(pid: int, main_thread_only: bool = False) -> float:
    """User+system CPU time of a process (all threads), or of its main thread, which runs the
    server's event loop (Linux /proc)."""
    path = f"/proc/{pid}/task/{pid}/stat" if main_thread_only else f"/proc/{pid}/stat"
    fields = Path(path).read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    pids: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = task / "children"
        if children.exists():
            pids += [int(p) for p in children.read_text().split()]
    return pids


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def worker_pids(server_pid: int, fork_server: bool = False) -> list[int]:
    """The process executor's run workers and spares (Linux /proc): the children of the server's
    fork server, or the server's spawned children where it spawns them. `fork_server`: the fork
    server itself too (what it forks later inherits its CPU affinity)."""
    pids: list[int] = []
    for child in _children(server_pid):
        cmd = _cmdline(child)
        if b"multiprocessing.forkserver" in cmd:
            pids += _children(child) + ([child] if fork_server else [])
        elif b"spawn_main" in cmd:
            pids.append(child)
    return pids


def pin_threads(pid: int, cores: set[int]) -> None:
    """Put every thread of process `pid` on `cores` (Linux). sched_setaffinity moves one thread,
    and a server's threads started before (its per-run reader threads among them) would stay free
    to run on the cores given to the runs."""
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):  # the thread ended meanwhile
            os.sched_setaffinity(int(task.name), cores)


# the cores this benchmark may use, read before anything here is pinned
MACHINE_CORES = (
    frozenset(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else frozenset()
)


def pin_runs_apart(server_pid: int) -> dict[str, list[int]] | None:
    """Put the server's run workers on the first core and the server with this process (the
    viewers) on the others, where the machine has two cores or more: a class's viewers sit on
    their own laptops, and a server has cores beside its runs' for the fan-out. What is measured
    then is what the server's fan-out takes from a run, not what viewers simulated on the run's
    own core take from it. Call it once the runs' workers exist. Returns the placement (for the
    report), or None where it cannot be done (one core, no sched_setaffinity)."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    # the machine's cores, not this process's: a first call pins this process to the others
    cores = sorted(MACHINE_CORES)
    if len(cores) < 2:
        return None
    runs, rest = {cores[0]}, set(cores[1:])
    for pid in worker_pids(server_pid, fork_server=True):
        pin_threads(pid, runs)
    for pid in (server_pid, os.getpid()):
        pin_threads(pid, rest)
    return {"run_workers_cores": sorted(runs), "server_and_viewers_cores": sorted(rest)}
