"""What outlives a run's worker: its row and metric history in the store, and its files in the
data directory (final weights, parameter path, last frame, checkpoints, summary history)."""

from __future__ import annotations

import logging
import time
from typing import Any

from glassnet.runs.codec import json_safe
from glassnet.runs.compare import thin_rows
from glassnet.runs.errors import Conflict
from glassnet.runs.layer_history import SummaryHistory
from glassnet.runs.record import Run
from glassnet.runs.state import TERMINAL
from glassnet.settings import Settings
from glassnet.store import FrameStore, PathStore, RunHistory, Store, UploadStore, WeightStore
from glassnet.store.checkpoints import CheckpointStore
from glassnet.store.layer_histories import HistoryStore

# Metric rows an ended run whose worker is gone keeps in memory while it is held (the store has
# every one): a class's hundreds of short runs each held up to 20,000 until the idle limit, a
# gigabyte in all.
ENDED_MEMORY_ROWS = 256

log = logging.getLogger("glassnet.runs")


class RunPersistence:
    """The stores of one data directory, and the writes a run's life makes to them. A write
    that fails is logged: the run and its event thread carry on."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self.store = store
        self.uploads = UploadStore(settings.data_dir)
        self.weights = WeightStore(settings.data_dir)
        self.paths = PathStore(settings.data_dir)
        self.frames = FrameStore(settings.data_dir)
        self.history = RunHistory(store)
        self.checkpoints = CheckpointStore(settings.data_dir)
        self.layer_history = SummaryHistory(HistoryStore(settings.data_dir))

    def flush(self, run: Run, fields: dict[str, Any] | None = None) -> None:
        """Write the run's unsaved metric rows and its row (with `fields` changed too)."""
        rows, run.unsaved = run.unsaved, []
        run.last_flush = time.monotonic()
        try:
            self.store.add_metrics(run.id, rows)
            self.store.update_run(
                run.id,
                step=run.step,
                epoch=run.epoch,
                latest_metrics=run.latest_metrics,
                stop_reason=run.stop_reason,
                diagnosis=json_safe(run.diagnosis),
                ended_at=run.ended_at,
                **(fields or {}),
            )
        except Exception:
            log.exception("could not persist run %s", run.id)

    def let_go_of_rows(self, run: Run) -> None:
        """Once a run has ended and its worker is gone (no row comes any more), write its last
        rows and keep only a thinned copy in memory: the store answers for the rest."""
        if run.state in TERMINAL and run.handle is None:
            self.flush(run)
            run.metrics = thin_rows(run.metrics, ENDED_MEMORY_ROWS)

    def keep_last_frame(self, run: Run) -> None:
        """Write the run's last frame and its summary history (its worker is gone: no newer one
        comes)."""
        try:
            self.layer_history.persist(run.id)
        except Exception:
            log.exception("could not save the summary history of run %s", run.id)
        latest = run.hub.latest
        if latest is None:
            return
        try:
            self.frames.save(run.id, latest.data)
        except Exception:
            log.exception("could not save the last frame of run %s", run.id)

    def interrupted_reason(self, run: Run, cause: str) -> str:
        """Why the run is interrupted and how it goes on; notes its newest checkpoint."""
        # The file is the truth: a worker that died may have written a checkpoint it had no
        # time to announce.
        saved = self.checkpoints.info(run.id)
        run.checkpoint_step = saved["step"] if saved else None
        if run.checkpoint_step is None:
            return f"{cause}; start it again to train it from the beginning"
        return f"{cause}; resume it from its checkpoint at step {run.checkpoint_step}"

    def check_resumable(self, run_id: str) -> dict[str, Any]:
        """The run's newest checkpoint; Conflict when it has none."""
        saved = self.checkpoints.info(run_id)
        if saved is None:
            raise Conflict(
                "this run has no checkpoint to resume from (it was interrupted before its "
                "first one was written); start it again to train it from the beginning."
            )
        return saved
