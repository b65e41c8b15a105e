"""A real Glassnet server on a loopback port for the benchmarks, and the run helpers they share."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

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


def steps_now(client: httpx.Client, run_id: str) -> tuple[float, int]:
    """(monotonic time, the run's step counter)."""
    return time.monotonic(), int(client.get(f"/api/v1/runs/{run_id}").json()["step"])
