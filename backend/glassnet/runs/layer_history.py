"""A bounded history of each run's layer summaries, so runs can be compared at a chosen step.

A telemetry frame is large (boundary grids, feature maps, predictions) and only the newest one is
kept. For comparisons a run keeps, per recorded frame, just its layers' W, z, a and δ summaries
(linear histogram, log10|x| histogram, moments): one compact msgpack record of a few kilobytes.
Records are thinned (every other one dropped, the newest always kept) whenever a run holds more
than `max_records` or `max_bytes`, so the history spans the whole run at a coarser and coarser
step spacing, bounded in memory and on disk. A run's records live in memory while it trains and go
to a file when its worker exits.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import msgpack

from glassnet.store.layer_histories import HistoryStore

QUANTITIES = ("W", "z", "a", "delta")
STAT_KEYS = ("mean", "std", "rms", "min", "max", "n")
MAX_RECORDS = 64
MAX_BYTES = 1 << 20  # per run, in memory and on disk


def _floats(values: Any) -> list[float]:
    return [float(v) for v in values]


def _summary(q: Mapping[str, Any]) -> dict[str, Any] | None:
    """The part of one quantity's frame entry a comparison needs."""
    hist, loghist = q.get("hist"), q.get("loghist")
    if not isinstance(hist, Mapping) or not isinstance(loghist, Mapping):
        return None
    stats = q.get("stats") or {}
    return {
        "hist": {
            "lo": float(hist["lo"]),
            "hi": float(hist["hi"]),
            "counts": _floats(hist["counts"]),
        },
        "loghist": {
            "lo": float(loghist["lo"]),
            "hi": float(loghist["hi"]),
            "counts": _floats(loghist["counts"]),
        },
        "stats": {k: None if stats.get(k) is None else float(stats[k]) for k in STAT_KEYS},
    }


def record_of(step: int, frame: Mapping[str, Any]) -> dict[str, Any] | None:
    """The comparison record of one frame: its step and, per layer, W, z, a and δ summaries;
    None when the frame carries no layers (a viewer asked for other channels only)."""
    layers = []
    for layer in frame.get("layers") or []:
        quantities = {}
        for name in QUANTITIES:
            q = layer.get(name)
            summary = _summary(q) if isinstance(q, Mapping) else None
            if summary is not None:
                quantities[name] = summary
        if quantities:
            layers.append({"id": str(layer["id"]), "kind": layer.get("kind"), **quantities})
    if not layers:
        return None
    return {"step": int(step), "layers": layers}


@dataclass
class _Held:
    steps: list[int] = field(default_factory=list)
    records: list[bytes] = field(default_factory=list)
    size: int = 0


class SummaryHistory:
    """Every run's recorded layer summaries: in memory while it runs, in the store after."""

    def __init__(
        self, store: HistoryStore, max_records: int = MAX_RECORDS, max_bytes: int = MAX_BYTES
    ) -> None:
        self.store = store
        self.max_records = max_records
        self.max_bytes = max_bytes
        self._held: dict[str, _Held] = {}
        # Guards _held: frames arrive on each run's event thread, comparisons on the API's.
        self._lock = threading.Lock()

    def record(self, run_id: str, step: int, frame: Mapping[str, Any]) -> None:
        """Keep one frame's summaries (a frame at an already recorded step replaces it)."""
        rec = record_of(step, frame)
        if rec is None:
            return
        data = msgpack.packb(rec, use_bin_type=True)
        with self._lock:
            held = self._held.setdefault(run_id, _Held())
            if held.steps and held.steps[-1] >= step:
                if held.steps[-1] > step:
                    return  # an older frame arriving late: the history only moves forward
                held.size -= len(held.records[-1])
                held.steps.pop()
                held.records.pop()
            held.steps.append(int(step))
            held.records.append(data)
            held.size += len(data)
            while len(held.records) > self.max_records or (
                held.size > self.max_bytes and len(held.records) > 2
            ):
                self._thin(held)

    @staticmethod
    def _thin(held: _Held) -> None:
        # Every other record from the oldest, the newest always kept: the span stays whole.
        last = len(held.records) - 1
        keep = [i for i in range(len(held.records)) if i % 2 == 0 or i == last]
        held.steps = [held.steps[i] for i in keep]
        held.records = [held.records[i] for i in keep]
        held.size = sum(len(r) for r in held.records)

    def persist(self, run_id: str) -> None:
        """Write a run's records to the store and let go of them (its worker has exited)."""
        with self._lock:
            held = self._held.pop(run_id, None)
        if held is not None and held.records:
            self.store.save(run_id, held.records)

    def forget(self, run_id: str) -> None:
        """Drop a run's records (it starts again from step 0, or it was deleted)."""
        with self._lock:
            self._held.pop(run_id, None)
        self.store.delete(run_id)

    def records(self, run_id: str) -> list[dict[str, Any]]:
        """A run's records, oldest first (from memory while held, else from the store)."""
        with self._lock:
            held = self._held.get(run_id)
            raw = list(held.records) if held is not None else None
        if raw is None:
            raw = self.store.load(run_id) or []
        return [msgpack.unpackb(r, raw=False) for r in raw]
