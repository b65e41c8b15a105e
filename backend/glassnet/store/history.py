"""The runs a server holds, as a history: filtered pages, each run's previous run, deletion.

Shares the Store's engine and write lock. A filter is one `RunFilter`; a new criterion is a field
there and one clause in `RunFilter.clauses`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, delete, func, select

from glassnet.store.db import Store, rows_matched
from glassnet.store.models import MetricRow, RunRow
from glassnet.store.room_models import ForkRow


@dataclass(frozen=True)
class RunFilter:
    """Which runs a history page shows; every criterion given must hold."""

    states: Sequence[str] = ()  # any of these states (none given: every state)
    room: str | None = None  # runs students forked in this classroom room

    def clauses(self) -> list[ColumnElement[bool]]:
        """The WHERE clauses on RunRow."""
        out: list[ColumnElement[bool]] = []
        if self.states:
            out.append(RunRow.state.in_(list(self.states)))
        if self.room is not None:
            forks = select(ForkRow.run_id).where(ForkRow.room_code == self.room)
            out.append(RunRow.id.in_(forks))
        return out


class RunHistory:
    """Listing and deleting stored runs."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def page(self, where: RunFilter, limit: int, offset: int) -> tuple[list[RunRow], int]:
        """One page of the runs that match, newest first (ties by id, so pages never overlap),
        and how many match in all."""
        with self.store._session() as s:
            clauses = where.clauses()
            q = (
                select(RunRow)
                .where(*clauses)
                .order_by(RunRow.created_at.desc(), RunRow.id)
                .limit(limit)
                .offset(offset)
            )
            rows = list(s.scalars(q))
            total = s.scalar(select(func.count()).select_from(RunRow).where(*clauses)) or 0
        return rows, int(total)

    def previous(self, rows: Sequence[RunRow]) -> dict[str, RunRow]:
        """For each given run, the run its owner created just before it (same owner token),
        when there is one: {run id: previous run}."""
        if not rows:
            return {}
        owners = {r.owner_hash for r in rows}
        ordered = (
            select(
                RunRow.id.label("id"),
                func.lag(RunRow.id)
                .over(partition_by=RunRow.owner_hash, order_by=(RunRow.created_at, RunRow.id))
                .label("previous_id"),
            )
            .where(RunRow.owner_hash.in_(owners))
            .subquery()
        )
        ids = [r.id for r in rows]
        with self.store._session() as s:
            pairs: dict[str, Any] = {
                run_id: prev
                for run_id, prev in s.execute(
                    select(ordered.c.id, ordered.c.previous_id).where(ordered.c.id.in_(ids))
                )
                if prev is not None
            }
            if not pairs:
                return {}
            found = {
                r.id: r for r in s.scalars(select(RunRow).where(RunRow.id.in_(set(pairs.values()))))
            }
        return {run_id: found[prev] for run_id, prev in pairs.items() if prev in found}

    def delete(self, run_id: str) -> bool:
        """Delete a run's row, its metric history and its classroom fork entry; False when
        there was no such run."""
        with self.store.writing() as s:
            s.execute(delete(MetricRow).where(MetricRow.run_id == run_id))
            s.execute(delete(ForkRow).where(ForkRow.run_id == run_id))
            result = s.execute(delete(RunRow).where(RunRow.id == run_id))
        return rows_matched(result) > 0
