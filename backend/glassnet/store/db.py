"""The Store: one SQLAlchemy engine and small typed operations on experiments, runs and metrics."""

from __future__ import annotations

import math
import secrets
import string
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import (
    CursorResult,
    Result,
    create_engine,
    delete,
    event,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from glassnet.store.models import (
    METRIC_FIELDS,
    Base,
    ExperimentRow,
    MetricRow,
    RunRow,
    utcnow,
)
from shared_schemas.api import LIVE_RUN_STATES

R = TypeVar("R", bound=Base)

_ALPHABET = string.ascii_letters + string.digits
IN_FLIGHT = tuple(sorted(LIVE_RUN_STATES))


def short_id(length: int = 8) -> str:
    """A short, URL-safe, unguessable id (62^8 ≈ 2e14) for sharing experiments and naming runs."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def _finite(value: Any) -> float | None:
    if value is None:
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def clean_metrics(row: Mapping[str, Any]) -> dict[str, Any]:
    """A metrics row with the known fields only; NaN/inf become None (JSON has no NaN)."""
    out: dict[str, Any] = {"step": int(row.get("step") or 0), "epoch": int(row.get("epoch") or 0)}
    for key in METRIC_FIELDS[2:]:
        out[key] = _finite(row.get(key))
    return out


def rows_matched(result: Result[Any]) -> int:
    """Rows an UPDATE or DELETE matched: its result is a cursor result, which counts them."""
    assert isinstance(result, CursorResult)
    return result.rowcount


class Store:
    """Persistence for the server. Safe to call from the event loop and from run threads."""

    def __init__(self, url: str) -> None:
        if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        connect_args = (
            {"check_same_thread": False, "timeout": 30} if url.startswith("sqlite") else {}
        )
        self.engine: Engine = create_engine(url, connect_args=connect_args)
        if url.startswith("sqlite"):
            event.listen(self.engine, "connect", _sqlite_pragmas)
        Base.metadata.create_all(self.engine)
        _add_missing_columns(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # SQLite allows one writer at a time; serialising writes here avoids "database is locked"
        # retries when several run threads flush metrics at once. Reads do not take it.
        self._write_lock = threading.Lock()

    def close(self) -> None:
        """Release the engine's connections."""
        self.engine.dispose()

    def _session(self) -> Session:
        return self._sessions()

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A session inside one transaction, holding the write lock (one writer at a time)."""
        with self._write_lock, self._session() as s, s.begin():
            yield s

    def insert(self, row: R) -> R:
        """Insert one row and return it."""
        with self.writing() as s:
            s.add(row)
        return row

    def insert_new(self, row: Base) -> bool:
        """Insert one row; False when its key or a unique column is taken already."""
        try:
            self.insert(row)
        except IntegrityError:
            return False
        return True

    def get(self, model: type[R], key: Any) -> R | None:
        """The row of `model` with this primary key, or None."""
        with self._session() as s:
            return s.get(model, key)

    # --- experiments ---------------------------------------------------------------------

    def create_experiment(
        self, name: str, spec: dict[str, Any], owner_hash: str | None = None
    ) -> ExperimentRow:
        """Save a new experiment under a fresh short id."""
        return self.insert(
            ExperimentRow(id=short_id(), name=name, spec=spec, owner_hash=owner_hash)
        )

    def get_experiment(self, experiment_id: str) -> ExperimentRow | None:
        """One experiment, or None."""
        return self.get(ExperimentRow, experiment_id)

    def list_experiments(
        self, limit: int = 100, offset: int = 0, owner_hash: str | None = None
    ) -> list[ExperimentRow]:
        """Experiments (only one owner's when `owner_hash` is given), most recently updated
        first; ties broken by id so that pages never overlap."""
        with self._session() as s:
            q = select(ExperimentRow).order_by(ExperimentRow.updated_at.desc(), ExperimentRow.id)
            if owner_hash is not None:
                q = q.where(ExperimentRow.owner_hash == owner_hash)
            return list(s.scalars(q.limit(limit).offset(offset)))

    def count_experiments(self, owner_hash: str | None = None) -> int:
        """How many experiments there are (only one owner's when `owner_hash` is given)."""
        with self._session() as s:
            q = select(func.count()).select_from(ExperimentRow)
            if owner_hash is not None:
                q = q.where(ExperimentRow.owner_hash == owner_hash)
            return int(s.scalar(q) or 0)

    def update_experiment(
        self, experiment_id: str, name: str | None, spec: dict[str, Any] | None
    ) -> ExperimentRow | None:
        """Rename and/or replace the spec; None when there is no such experiment."""
        with self.writing() as s:
            row = s.get(ExperimentRow, experiment_id)
            if row is None:
                return None
            if name is not None:
                row.name = name
            if spec is not None:
                row.spec = spec
            row.updated_at = utcnow()
        return row

    def delete_experiment(self, experiment_id: str) -> bool:
        """Delete an experiment; False when there was none."""
        with self.writing() as s:
            result = s.execute(delete(ExperimentRow).where(ExperimentRow.id == experiment_id))
        return rows_matched(result) > 0

    # --- runs ----------------------------------------------------------------------------

    def create_run(self, row: RunRow) -> RunRow:
        """Insert a new run row."""
        return self.insert(row)

    def get_run(self, run_id: str) -> RunRow | None:
        """One run row, or None."""
        return self.get(RunRow, run_id)

    def list_runs(self, limit: int = 100, offset: int = 0) -> list[RunRow]:
        """Run rows, newest first."""
        with self._session() as s:
            q = select(RunRow).order_by(RunRow.created_at.desc()).limit(limit).offset(offset)
            return list(s.scalars(q))

    def update_run(self, run_id: str, **fields: Any) -> None:
        """Set the given columns (state, step, epoch, latest_metrics, stop_reason, diagnosis...)."""
        fields["updated_at"] = utcnow()
        with self.writing() as s:
            s.execute(update(RunRow).where(RunRow.id == run_id).values(**fields))

    def mark_interrupted(self) -> list[str]:
        """After a restart: runs that were in flight can no longer continue; returns their ids."""
        with self.writing() as s:
            ids = list(s.scalars(select(RunRow.id).where(RunRow.state.in_(IN_FLIGHT))))
            if ids:
                s.execute(
                    update(RunRow)
                    .where(RunRow.id.in_(ids))
                    .values(
                        state="interrupted",
                        stop_reason="the server stopped while the run was in flight",
                        updated_at=utcnow(),
                        ended_at=utcnow(),
                    )
                )
        return ids

    # --- metrics -------------------------------------------------------------------------

    def add_metrics(self, run_id: str, rows: Iterable[Mapping[str, Any]]) -> None:
        """Append metric rows (unknown keys dropped, NaN/inf stored as NULL)."""
        values = [{"run_id": run_id, **clean_metrics(r)} for r in rows]
        if not values:
            return
        with self.writing() as s:
            s.execute(insert(MetricRow), values)

    def clear_metrics(self, run_id: str) -> None:
        """Forget a run's metric history (an interrupted run starting again)."""
        with self.writing() as s:
            s.execute(delete(MetricRow).where(MetricRow.run_id == run_id))

    def truncate_metrics(self, run_id: str, after_step: int) -> None:
        """Forget the rows after `after_step` (a run resumed from a checkpoint of that step
        records them again)."""
        with self.writing() as s:
            s.execute(
                delete(MetricRow).where(MetricRow.run_id == run_id, MetricRow.step > after_step)
            )

    def metrics(self, run_id: str) -> list[dict[str, Any]]:
        """A run's metric history in insertion order."""
        with self._session() as s:
            q = select(MetricRow).where(MetricRow.run_id == run_id).order_by(MetricRow.id)
            return [{k: getattr(r, k) for k in METRIC_FIELDS} for r in s.scalars(q)]


# Columns added after a table was first created: (table, column, SQL type). `create_all` makes
# missing tables but never alters existing ones, so a database from an older version gets them here.
_ADDED_COLUMNS = (
    ("experiments", "owner_hash", "VARCHAR(64)"),
    ("runs", "ended_at", "DATETIME"),
)


def _add_missing_columns(engine: Engine) -> None:
    inspector = inspect(engine)
    for table, column, sql_type in _ADDED_COLUMNS:
        present = {c["name"] for c in inspector.get_columns(table)}
        if column not in present:
            with engine.begin() as conn:
                conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {column} {sql_type}"))


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers proceed while a run thread writes; NORMAL sync is durable enough for
    # a playground and much cheaper than FULL on every metrics flush.
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


__all__ = ["IN_FLIGHT", "Store", "clean_metrics", "short_id"]
