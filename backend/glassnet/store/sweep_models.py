"""Tables of sweeps: the base spec and its axes, and one row per grid point with the run it became.

A point without a run is still queued; the queue is these rows, so a restart loses none of it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from glassnet.store.models import Base, UTCDateTime, utcnow


class SweepRow(Base):
    __tablename__ = "sweeps"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    axes: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    # created (queue not started), running (queue open), stopped (queue dropped by the owner)
    state: Mapped[str] = mapped_column(String(16), index=True)
    owner_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SweepPointRow(Base):
    __tablename__ = "sweep_points"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sweep_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("sweeps.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)  # row-major over the axes: axis 0 outermost
    values: Mapped[list[Any]] = mapped_column(JSON)  # one value per axis
    run_id: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    # why the point could not become a run (its spec stopped validating, e.g. an upload removed)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
