"""Persistence: experiments, runs and metric history (SQLAlchemy 2; SQLite by default)."""

from glassnet.store.db import Store
from glassnet.store.files import FrameStore, PathStore, UploadInfo, UploadStore, WeightStore
from glassnet.store.models import ExperimentRow, MetricRow, RunRow
from glassnet.store.rooms import RoomStore

__all__ = [
    "ExperimentRow",
    "FrameStore",
    "MetricRow",
    "PathStore",
    "RoomStore",
    "RunRow",
    "Store",
    "UploadInfo",
    "UploadStore",
    "WeightStore",
]
