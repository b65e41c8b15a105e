"""Writes a run's checkpoints from a thread of its worker, so the training loop only pays for the
copy (runs/checkpoint.py) and never for the disk.

One slot, newest wins: a checkpoint handed over while the previous one is still being written
replaces the one waiting, so a slow disk costs checkpoints, never training time or memory.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable

from glassnet.store.checkpoints import Checkpoint, CheckpointStore


class CheckpointWriter:
    """A daemon thread that saves the newest submitted checkpoint; `written(step, epoch)` follows
    each file that reached the disk."""

    def __init__(
        self, store: CheckpointStore, run_id: str, written: Callable[[int, int], None]
    ) -> None:
        self.store = store
        self.run_id = run_id
        self.written = written
        self._waiting: Checkpoint | None = None
        self._writing = False
        self._closed = False
        # Guards the slot and the two flags (training loop vs writer thread).
        self._changed = threading.Condition()
        self._thread = threading.Thread(
            target=self._run, name=f"run-{run_id}-checkpoints", daemon=True
        )
        self._thread.start()

    def submit(self, checkpoint: Checkpoint) -> None:
        """Queue a checkpoint for writing (never waits for the disk)."""
        with self._changed:
            self._waiting = checkpoint
            self._changed.notify_all()

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every submitted checkpoint is on disk; False on timeout."""
        with self._changed:
            return self._changed.wait_for(
                lambda: self._waiting is None and not self._writing, timeout
            )

    def close(self) -> None:
        """Write what is waiting, then end the thread."""
        self.flush()
        with self._changed:
            self._closed = True
            self._changed.notify_all()
        self._thread.join()

    def _run(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._waiting is not None or self._closed)
                if self._waiting is None:
                    return
                checkpoint, self._waiting = self._waiting, None
                self._writing = True
            try:
                self.store.save(self.run_id, checkpoint)
                self.written(checkpoint.step, checkpoint.epoch)
            except Exception:
                traceback.print_exc()  # a full disk costs this checkpoint; the run trains on
            finally:
                with self._changed:
                    self._writing = False
                    self._changed.notify_all()
