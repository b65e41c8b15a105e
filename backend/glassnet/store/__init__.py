"""Persistence: experiments, runs and metric history (SQLAlchemy 2; SQLite by default)."""

from glassnet.store.db import Store
from glassnet.store.files import FrameStore, UploadInfo, UploadStore, WeightStore
from glassnet.store.models import ExperimentRow, MetricRow, RunRow

__all__ = [
    "ExperimentRow",
    "FrameStore",
    "MetricRow",
    "RunRow",
    "Store",
    "UploadInfo",
    "UploadStore",
    "WeightStore",
]
