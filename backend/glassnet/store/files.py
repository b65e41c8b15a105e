"""Files next to the database: uploaded CSV datasets, the final weights and last frames of ended
runs."""

from __future__ import annotations

import csv
import io
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from glassnet.store.db import short_id

_ID = re.compile(r"^[A-Za-z0-9]{4,32}$")


@dataclass(frozen=True)
class UploadInfo:
    """What an upload holds: its id, size, rows and header."""

    upload_id: str
    bytes: int
    rows: int
    columns: list[str]


class UploadStore:
    """CSV uploads as files `uploads/<id>.csv`; ids are checked so no path can escape the folder."""

    def __init__(self, root: Path) -> None:
        self.root = root / "uploads"

    def save(self, text: str) -> UploadInfo:
        """Check that `text` is a CSV with a header and at least one row, then keep it."""
        try:
            rows = list(csv.reader(io.StringIO(text, newline="")))
        except csv.Error as exc:
            raise ValueError(f"the CSV could not be read: {exc}") from exc
        rows = [r for r in rows if any(cell.strip() for cell in r)]
        if len(rows) < 2:
            raise ValueError("the CSV needs a header row and at least one data row")
        width = len(rows[0])
        if width < 2:
            raise ValueError("the CSV needs at least two columns (features and a target)")
        bad = next((i for i, r in enumerate(rows) if len(r) != width), None)
        if bad is not None:
            raise ValueError(f"row {bad + 1} has {len(rows[bad])} cells, the header has {width}")
        self.root.mkdir(parents=True, exist_ok=True)
        upload_id = short_id(12)
        (self.root / f"{upload_id}.csv").write_text(text, encoding="utf-8")
        return UploadInfo(upload_id, len(text.encode()), len(rows) - 1, rows[0])

    def read(self, upload_id: str) -> str | None:
        """The uploaded text, or None for an unknown (or malformed) id."""
        if not _ID.match(upload_id):
            return None
        path = self.root / f"{upload_id}.csv"
        return path.read_text(encoding="utf-8") if path.is_file() else None


class WeightStore:
    """Final weights of ended runs as safetensors files, so exports survive a restart."""

    def __init__(self, root: Path) -> None:
        self.root = root / "weights"

    def save(self, run_id: str, arrays: dict[str, Any]) -> None:
        """Write a run's final parameters (atomically: write then rename)."""
        from safetensors.numpy import save_file

        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / f"{run_id}.safetensors.tmp"
        save_file({k: np.ascontiguousarray(v) for k, v in arrays.items()}, str(tmp))
        tmp.replace(self.root / f"{run_id}.safetensors")

    def load(self, run_id: str) -> dict[str, np.ndarray] | None:
        """Reads tensors only (safetensors holds no code), never a pickle."""
        from safetensors.numpy import load_file

        if not _ID.match(run_id):
            return None
        path = self.root / f"{run_id}.safetensors"
        return load_file(str(path)) if path.is_file() else None

    def delete(self, run_id: str) -> None:
        """Remove a run's weights file if there is one."""
        if _ID.match(run_id):
            (self.root / f"{run_id}.safetensors").unlink(missing_ok=True)


class PathStore:
    """The parameter path of each ended run small enough to slice (θ at the start and epoch ends),
    so its loss landscape can show how it got there after the run left memory."""

    def __init__(self, root: Path) -> None:
        self.root = root / "paths"

    def save(self, run_id: str, steps: np.ndarray, theta: np.ndarray) -> None:
        """Write a run's path (atomically: write then rename)."""
        from safetensors.numpy import save_file

        if not _ID.match(run_id):
            return
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / f"{run_id}.safetensors.tmp"
        save_file(
            {"steps": np.ascontiguousarray(steps), "theta": np.ascontiguousarray(theta)}, str(tmp)
        )
        tmp.replace(self.root / f"{run_id}.safetensors")

    def load(self, run_id: str) -> tuple[np.ndarray, np.ndarray] | None:
        """(steps, theta [points, parameters]) or None."""
        from safetensors.numpy import load_file

        if not _ID.match(run_id):
            return None
        path = self.root / f"{run_id}.safetensors"
        if not path.is_file():
            return None
        arrays = load_file(str(path))
        return arrays["steps"], arrays["theta"]

    def delete(self, run_id: str) -> None:
        """Remove a run's path file if there is one."""
        if _ID.match(run_id):
            (self.root / f"{run_id}.safetensors").unlink(missing_ok=True)


class FrameStore:
    """The last telemetry frame of each ended run (the encoded bytes a viewer got), so its
    snapshot can be shown after the run left memory or the server restarted."""

    def __init__(self, root: Path) -> None:
        self.root = root / "frames"

    def save(self, run_id: str, data: bytes) -> None:
        """Write a run's last frame (atomically: write then rename)."""
        if not _ID.match(run_id):
            return
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / f"{run_id}.frame.tmp"
        tmp.write_bytes(data)
        tmp.replace(self.root / f"{run_id}.frame")

    def load(self, run_id: str) -> bytes | None:
        """The saved frame, or None."""
        if not _ID.match(run_id):
            return None
        path = self.root / f"{run_id}.frame"
        return path.read_bytes() if path.is_file() else None


# Folders of the data directory that hold files shared by many runs, never one run's own.
SHARED_FOLDERS = frozenset({"uploads"})


def delete_run_files(root: Path, run_id: str) -> list[Path]:
    """Remove every file a run left in the data directory's folders (weights, frames,
    checkpoints, exports...): files named `<run id>.<suffix>` and folders named `<run id>`.
    Returns what was removed."""
    if not _ID.match(run_id) or not root.is_dir():
        return []
    removed: list[Path] = []
    for folder in root.iterdir():
        if not folder.is_dir() or folder.name in SHARED_FOLDERS:
            continue
        for path in folder.iterdir():
            if path.name == run_id and path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            elif path.name.startswith(f"{run_id}.") and path.is_file():
                path.unlink(missing_ok=True)
            else:
                continue
            removed.append(path)
    return removed
