"""Persistence: experiments, runs and metric history (SQLAlchemy 2; SQLite by default)."""

from glassnet.store.db import Store
from glassnet.store.files import (
    FrameStore,
    PathStore,
    UploadInfo,
    UploadStore,
    WeightStore,
    delete_run_files,
)
from glassnet.store.history import RunFilter, RunHistory
from glassnet.store.models import ExperimentRow, MetricRow, RunRow
from glassnet.store.rooms import RoomStore
from glassnet.store.sweep_models import SweepPointRow, SweepRow
from glassnet.store.sweeps import SweepStore

__all__ = [
    "ExperimentRow",
    "FrameStore",
    "MetricRow",
    "PathStore",
    "RoomStore",
    "RunFilter",
    "RunHistory",
    "RunRow",
    "Store",
    "SweepPointRow",
    "SweepRow",
    "SweepStore",
    "UploadInfo",
    "UploadStore",
    "WeightStore",
    "delete_run_files",
]
