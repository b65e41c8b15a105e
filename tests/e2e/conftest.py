"""End-to-end fixtures: a real `glassnet serve` on a free loopback port and headless Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # `pagechecks`, whatever pytest's import mode

from appsteps import stop_my_runs

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "backend" / "glassnet" / "static" / "index.html"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"glassnet serve exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("glassnet serve did not become healthy in time")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a real server with its own data directory, serving the built frontend."""
    if not STATIC.is_file():
        pytest.fail(
            "the frontend is not built; run `make frontend` (or `cd frontend && npm run build`)"
        )
    port = _free_port()
    data_dir = tmp_path_factory.mktemp("glassnet-data")
    env = {**os.environ, "GLASSNET_DATA_DIR": str(data_dir), "GLASSNET_DEVICE": "cpu"}
    env.pop("GLASSNET_EXECUTOR", None)  # the browser drives the server's default executor
    log = (data_dir / "server.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "glassnet.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing; install Debian's chromium (make chromium)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: object, request: pytest.FixtureRequest) -> Iterator[object]:
    """A fresh 1280×720 page; console errors are collected on `page.errors`."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})  # type: ignore[attr-defined]
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.errors = errors
    yield pg
    stop_my_runs(pg)
    context.close()


@pytest.fixture
def shot(request: pytest.FixtureRequest) -> Callable[[Any, str], Path]:
    """shot(page, name) saves tests/e2e/artifacts/<test>-<name>.png and returns its path."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(pg: Any, name: str) -> Path:
        path = ARTIFACTS / f"{request.node.name}-{name}.png"
        pg.screenshot(path=str(path))
        return path

    return take


@pytest.fixture
def contexts(browser: Any) -> Iterator[Callable[[], Any]]:
    """new_page() opens a page in a browser context of its own (its own storage, like another
    computer: a teacher's, a student's) at 1280×720; console errors are collected on
    `page.errors`. Each page's live runs are stopped when the test ends."""
    made: list[Any] = []

    def new_page() -> Any:
        context = browser.new_context(viewport={"width": 1280, "height": 720})
        made.append(context)
        pg = context.new_page()
        pg.errors = []
        pg.on("pageerror", lambda e: pg.errors.append(str(e)))
        return pg

    yield new_page
    for context in made:
        for pg in context.pages:
            stop_my_runs(pg)
        context.close()
