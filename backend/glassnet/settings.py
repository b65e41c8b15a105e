"""Server settings: one validated object, read from `GLASSNET_*` environment variables.

Nothing here is created at import time; `create_app(settings)` receives a `Settings` and routes get it
through the `get_settings` dependency, so tests build their own without touching the environment.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, computed_field
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared_schemas.runspec import MAX_CSV_CHARS

MiB = 1024 * 1024


def default_data_dir() -> Path:
    """`$XDG_DATA_HOME/glassnet` (usually ~/.local/share/glassnet): the SQLite file, uploads, weights."""
    import os

    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "glassnet"


class Settings(BaseSettings):
    """Everything the server can be told: address, storage, device and the limits of a shared server."""

    model_config = SettingsConfigDict(env_prefix="GLASSNET_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(8000, ge=0, le=65535)
    data_dir: Path = Field(default_factory=default_data_dir)
    database_url: str | None = Field(
        None, description="any SQLAlchemy URL; default SQLite in data_dir"
    )
    device: Literal["auto", "cpu", "cuda"] = "auto"
    executor: Literal["process", "thread", "ray"] = Field(
        "process",
        description="process: each run in its own process (its own GIL, full speed); "
        "thread: runs share the server process; ray: each run is an actor on a Ray cluster "
        "(pip install 'glassnet[ray]')",
    )
    ray_address: str = Field(
        "auto",
        description="ray executor: `auto` starts a local Ray (or joins one already running on "
        "this machine); else a cluster's address, e.g. ray://head:10001 or head:6379",
    )
    ray_cpus_per_run: float = Field(
        1.0, gt=0, le=64, description="ray executor: CPUs Ray reserves for each run's actor"
    )
    data_parallel: Literal["inline", "processes"] = Field(
        "inline",
        description="where a data-parallel run's k workers compute their shard gradients: "
        "inline, one after another in the run's own process; processes, each in a worker "
        "process of its own, all at once (each imports torch at the run's start: seconds)",
    )
    checkpoint_seconds: float = Field(
        30.0,
        gt=0,
        description="a training run writes a checkpoint at most this often (and when it pauses, "
        "finishes or is stopped); an interrupted run resumes from its last one",
    )
    spare_workers: int = Field(
        1, ge=0, le=8, description="process executor: processes kept warm so runs start at once"
    )
    torch_threads: int = Field(
        1,
        ge=1,
        le=256,
        description="torch intra-op threads; 1 suits many small runs (tiny ops lose to thread wake-ups)",
    )
    static_dir: Path | None = Field(
        None, description="built frontend; default the package's static/"
    )

    # Limits of a shared classroom server.
    max_body_bytes: int = Field(2 * MiB, ge=1024)
    max_upload_bytes: int = Field(
        MAX_CSV_CHARS,
        ge=1024,
        le=MAX_CSV_CHARS,
        description="a CSV upload; every upload up to this size can be trained on",
    )
    max_ws_message_bytes: int = Field(64 * 1024, ge=1024)
    max_layers: int = Field(64, ge=1)
    max_units: int = Field(4096, ge=1)
    max_parameters: int = Field(2_000_000, ge=1)
    # The estimate counts one copy of every activation; training holds several (z, a, δ, the
    # tensors autograd saves, captures for the views): a worker's memory grew 5–15× the estimate
    # on CPU, so 32 MiB of estimate is roughly half a gigabyte of worker memory.
    max_activation_bytes: int = Field(
        32 * MiB,
        ge=MiB,
        description="estimated activation memory of one run: batch × Σ layer output sizes × "
        "dtype bytes, plus its data on the device",
    )
    max_trace_values: int = Field(
        1_000_000, ge=1000, description="numbers in one textbook trace answer"
    )
    max_active_runs: int = Field(
        8,
        ge=1,
        description="runs created, running, paused or stalled at once (with ended runs whose "
        "worker has not exited yet)",
    )
    ws_messages_per_second: float = Field(
        30.0, gt=0, description="websocket control messages per socket, sustained (acks are free)"
    )
    ws_message_burst: int = Field(60, ge=1, description="websocket control messages at once")
    max_viewers_per_run: int = Field(200, ge=1)
    max_frame_hz: float = Field(60.0, gt=0, le=60)
    ws_credit: int = Field(4, ge=1, le=64, description="telemetry frames in flight before an ack")
    run_idle_seconds: float = Field(1800.0, gt=0, description="paused/created runs stop after this")
    run_wall_seconds: float = Field(3600.0, gt=0, description="running time cap of one run")
    heartbeat_seconds: float = Field(
        0.5, gt=0, le=10, description="how often a run's worker says it is alive"
    )
    run_stall_seconds: float = Field(
        5.0,
        gt=0,
        description="a running or paused run whose worker is silent this long shows as stalled",
    )
    run_stall_kill_seconds: float = Field(
        60.0,
        gt=0,
        description="a stalled worker silent this long is killed and its run interrupted",
    )
    frame_share: float = Field(
        0.05,
        gt=0,
        le=0.5,
        description="the share of a training run's own CPU time its live frames may take (the "
        "telemetry budget plans to it; the default keeps a watched run within a tenth of an "
        "unwatched one). A class server whose many runs share few cores can raise it: each run "
        "then trains slower and its viewers get more frames",
    )
    worker_niceness: int = Field(
        10,
        ge=0,
        le=19,
        description="how much lower the CPU priority of run worker processes is than the "
        "server's (Unix nice; process executor): when a class's runs want more CPU than the "
        "machine has, the server still answers and sends frames at once",
    )
    worker_start_seconds: float = Field(
        120.0,
        gt=0,
        description="time a new worker process has to start (import torch) before heartbeats count",
    )
    snapshot_wait_seconds: float = Field(
        2.0,
        gt=0,
        le=60,
        description="longest wait of GET /snapshot for a fresh frame (else the latest one kept)",
    )
    max_unstarted_runs_per_client: int = Field(
        2, ge=1, description="runs one client may hold created and not started"
    )
    unstarted_run_seconds: float = Field(
        120.0, gt=0, description="a run not started this long after its creation is stopped"
    )
    max_sweep_runs: int = Field(64, ge=1, description="grid points (runs) of one sweep")
    max_sweep_active_runs: int = Field(
        4,
        ge=1,
        description="runs of one sweep in flight at once (the rest wait in its queue), so that "
        "one sweep never takes every run slot",
    )
    history_frame_hz: float = Field(
        4.0,
        ge=0,
        le=60,
        description="frames per second a sweep's run takes while nobody watches it, for its "
        "history of layer summaries (runs compared at a chosen step); 0: only watched frames",
    )
    max_students_per_room: int = Field(250, ge=1, description="a classroom room's capacity")
    max_forks_per_student: int = Field(
        2, ge=1, le=100, description="a student's own runs in flight at once in a room"
    )
    rate_limit_per_second: float = Field(50.0, gt=0, description="REST calls per client, sustained")
    rate_limit_burst: int = Field(200, ge=1)
    forwarded_allow_ips: str = Field(
        "127.0.0.1",
        description="proxies trusted to name the client in X-Forwarded-For (comma-separated "
        "addresses or networks, * for any): behind them, rate limits count each real client",
    )

    @computed_field  # type: ignore[prop-decorator]
    @property
    def resolved_database_url(self) -> str:
        """The configured URL, or a SQLite file inside data_dir."""
        return self.database_url or f"sqlite:///{self.data_dir / 'glassnet.sqlite3'}"

    def resolved_static_dir(self) -> Path:
        """Where the built frontend lives (it may not exist: the API works without it)."""
        return self.static_dir or Path(__file__).parent / "static"


def get_settings() -> Settings:
    """Read the settings from the environment (the CLI's entry point; the app injects its own)."""
    return Settings()
