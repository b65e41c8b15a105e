"""Layer-summary histories of ended runs as files `histories/<id>.msgpack`, so that runs can be
compared at a chosen step after they left memory or the server restarted."""

from __future__ import annotations

import re
from pathlib import Path

import msgpack

_ID = re.compile(r"^[A-Za-z0-9]{4,32}$")


class HistoryStore:
    """One file per run: a msgpack list of encoded records (see glassnet.runs.layer_history)."""

    def __init__(self, root: Path) -> None:
        self.root = root / "histories"

    def save(self, run_id: str, records: list[bytes]) -> None:
        """Write a run's records (atomically: write then rename)."""
        if not _ID.match(run_id):
            return
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.root / f"{run_id}.msgpack.tmp"
        tmp.write_bytes(msgpack.packb(records, use_bin_type=True))
        tmp.replace(self.root / f"{run_id}.msgpack")

    def load(self, run_id: str) -> list[bytes] | None:
        """The saved records, or None."""
        if not _ID.match(run_id):
            return None
        path = self.root / f"{run_id}.msgpack"
        if not path.is_file():
            return None
        return list(msgpack.unpackb(path.read_bytes(), raw=False))

    def delete(self, run_id: str) -> None:
        """Remove a run's history file if there is one."""
        if _ID.match(run_id):
            (self.root / f"{run_id}.msgpack").unlink(missing_ok=True)
