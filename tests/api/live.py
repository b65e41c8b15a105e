"""A real `glassnet` server in a subprocess on a free loopback port (for live and restart tests)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from glassnet.settings import Settings


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    def __init__(
        self, data_dir: Path, port: int | None = None, env: dict[str, str] | None = None
    ) -> None:
        self.data_dir = data_dir
        self.extra_env = env or {}
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> LiveServer:
        env = {
            **os.environ,
            "GLASSNET_PORT": str(self.port),
            "GLASSNET_DATA_DIR": str(self.data_dir),
            "GLASSNET_DEVICE": "cpu",
            "GLASSNET_STATIC_DIR": str(self.data_dir / "no-frontend"),
            **self.extra_env,
        }
        env.pop("GLASSNET_EXECUTOR", None)  # a live server runs the default executor
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from glassnet.api import serve; serve()"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        end = time.monotonic() + 60
        while time.monotonic() < end:
            try:
                if httpx.get(self.url + "/healthz").status_code == 200:
                    return self
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("the server did not start")

    def stop(self, hard: bool = False) -> None:
        if self.proc is None:
            return
        self.proc.send_signal(signal.SIGKILL if hard else signal.SIGTERM)
        self.proc.wait(timeout=60)
        self.proc = None


__all__ = ["LiveServer", "Settings", "free_port"]
