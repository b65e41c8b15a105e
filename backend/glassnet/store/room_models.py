"""Tables of classroom rooms: the room and its public state, students, questions, answers, forks;
and the lessons teachers step through in a room.

Tokens are never stored, only their SHA-256 hashes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, MappedColumn, mapped_column

from glassnet.store.models import Base, UTCDateTime, utcnow


def _room_code() -> MappedColumn[Any]:
    """The room a row belongs to; the row goes when its room is deleted."""
    return mapped_column(String(12), ForeignKey("rooms.code", ondelete="CASCADE"), index=True)


class RoomRow(Base):
    __tablename__ = "rooms"

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    teacher_hash: Mapped[str] = mapped_column(String(64))
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class StudentRow(Base):
    __tablename__ = "room_students"
    __table_args__ = (UniqueConstraint("room_code", "alias"),)

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    room_code: Mapped[str] = _room_code()
    alias: Mapped[str] = mapped_column(String(60))
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class QuestionRow(Base):
    __tablename__ = "room_questions"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    room_code: Mapped[str] = _room_code()
    kind: Mapped[str] = mapped_column(String(16))
    prompt: Mapped[str] = mapped_column(Text)
    options: Mapped[list[str]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16))
    actual: Mapped[Any] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AnswerRow(Base):
    __tablename__ = "room_answers"
    __table_args__ = (UniqueConstraint("question_id", "student_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    question_id: Mapped[str] = mapped_column(
        String(16), ForeignKey("room_questions.id", ondelete="CASCADE"), index=True
    )
    student_hash: Mapped[str] = mapped_column(String(64))
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ForkRow(Base):
    __tablename__ = "room_forks"

    run_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    room_code: Mapped[str] = _room_code()
    student_hash: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LessonRow(Base):
    """A saved lesson: its steps (LessonStep documents) in order. Never changed once saved."""

    __tablename__ = "lessons"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    steps: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
