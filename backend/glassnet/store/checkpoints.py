"""Run checkpoints on disk: one safetensors file per run, replaced atomically (write, then rename).

A checkpoint is a flat table of named arrays (parameters, optimiser moments, RNG states, the
epoch's shuffle order) and a JSON document of everything else (step, epoch, metrics so far, the
learning rate, the loop's position in the epoch). Arrays go in as safetensors, the document in its
metadata: loading one runs no code (no pickle), so a checkpoint from a shared server is safe to read.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

_ID = re.compile(r"^[A-Za-z0-9]{4,32}$")
META_KEY = "glassnet"


@dataclass(frozen=True)
class Checkpoint:
    """A run's state at one step boundary: `arrays` by name and the plain-data `meta`."""

    arrays: dict[str, np.ndarray]
    meta: dict[str, Any]

    @property
    def step(self) -> int:
        return int(self.meta["step"])

    @property
    def epoch(self) -> int:
        return int(self.meta["epoch"])


class CheckpointStore:
    """`<data_dir>/checkpoints/<run_id>.safetensors`: the newest checkpoint of each run."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root) / "checkpoints"

    def path(self, run_id: str) -> Path | None:
        """Where the run's checkpoint lives (None for an id that is not a run id)."""
        return self.root / f"{run_id}.safetensors" if _ID.match(run_id) else None

    def save(self, run_id: str, checkpoint: Checkpoint) -> None:
        """Write the checkpoint next to the old one, then rename over it: a reader (or a crash
        half-way) sees the old checkpoint or the new one, never a torn file."""
        from safetensors.numpy import save_file

        path = self.path(run_id)
        if path is None:
            raise ValueError(f"not a run id: {run_id!r}")
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        arrays = {k: np.ascontiguousarray(v) for k, v in checkpoint.arrays.items()}
        save_file(arrays, str(tmp), metadata={META_KEY: json.dumps(checkpoint.meta)})
        tmp.replace(path)

    def load(self, run_id: str) -> Checkpoint | None:
        """The run's newest checkpoint, or None."""
        from safetensors import safe_open

        path = self.path(run_id)
        if path is None or not path.is_file():
            return None
        with safe_open(str(path), framework="np") as f:
            meta = json.loads((f.metadata() or {})[META_KEY])
            arrays = {k: f.get_tensor(k) for k in f.keys()}  # noqa: SIM118 (not a dict)
        return Checkpoint(arrays, meta)

    def info(self, run_id: str) -> dict[str, Any] | None:
        """The checkpoint's step and epoch without reading its arrays, or None."""
        from safetensors import safe_open

        path = self.path(run_id)
        if path is None or not path.is_file():
            return None
        with safe_open(str(path), framework="np") as f:
            meta = json.loads((f.metadata() or {})[META_KEY])
        return {"step": int(meta["step"]), "epoch": int(meta["epoch"])}

    def delete(self, run_id: str) -> None:
        """Remove a run's checkpoint if there is one."""
        path = self.path(run_id)
        if path is not None:
            path.unlink(missing_ok=True)
