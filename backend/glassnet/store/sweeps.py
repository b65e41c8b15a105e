"""Small typed operations on the sweep tables, sharing the Store's engine and write lock."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update

from glassnet.store.db import Store
from glassnet.store.models import utcnow
from glassnet.store.sweep_models import SweepPointRow, SweepRow


class SweepStore:
    """Sweeps and their grid points (persist across restarts: the queue is the point rows)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def create(self, row: SweepRow, points: list[list[Any]]) -> None:
        """Insert a sweep and one row per grid point, in grid order."""
        with self.store.writing() as s:
            s.add(row)
            s.flush()
            s.add_all(
                SweepPointRow(sweep_id=row.id, position=i, values=values)
                for i, values in enumerate(points)
            )

    def get(self, sweep_id: str) -> SweepRow | None:
        """One sweep, or None."""
        return self.store.get(SweepRow, sweep_id)

    def points(self, sweep_id: str) -> list[SweepPointRow]:
        """A sweep's grid points in grid order."""
        with self.store._session() as s:
            q = (
                select(SweepPointRow)
                .where(SweepPointRow.sweep_id == sweep_id)
                .order_by(SweepPointRow.position)
            )
            return list(s.scalars(q))

    def page(self, limit: int, offset: int) -> tuple[list[SweepRow], int]:
        """One page of sweeps, newest first, and how many the server holds in all."""
        with self.store._session() as s:
            total = s.scalar(select(func.count()).select_from(SweepRow)) or 0
            q = (
                select(SweepRow)
                .order_by(SweepRow.created_at.desc(), SweepRow.id)
                .limit(limit)
                .offset(offset)
            )
            return list(s.scalars(q)), total

    def with_state(self, state: str) -> list[SweepRow]:
        """Sweeps in one state, oldest first (the queue serves them in that order)."""
        with self.store._session() as s:
            q = select(SweepRow).where(SweepRow.state == state).order_by(SweepRow.created_at)
            return list(s.scalars(q))

    def set_state(self, sweep_id: str, state: str) -> None:
        """Change a sweep's state."""
        with self.store.writing() as s:
            s.execute(
                update(SweepRow)
                .where(SweepRow.id == sweep_id)
                .values(state=state, updated_at=utcnow())
            )

    def set_point(
        self, point_id: int, *, run_id: str | None = None, error: str | None = None
    ) -> None:
        """Record the run a point became, or why it could not become one."""
        with self.store.writing() as s:
            s.execute(
                update(SweepPointRow)
                .where(SweepPointRow.id == point_id)
                .values(run_id=run_id, error=error)
            )

    def sweep_of(self, run_id: str) -> str | None:
        """The sweep a run belongs to, or None."""
        with self.store._session() as s:
            q = select(SweepPointRow.sweep_id).where(SweepPointRow.run_id == run_id)
            return s.scalars(q).first()
