"""Small typed operations on the classroom tables, sharing the Store's engine and write lock."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from glassnet.store.db import Store, short_id
from glassnet.store.models import utcnow
from glassnet.store.room_models import (
    AnswerRow,
    ForkRow,
    LessonRow,
    QuestionRow,
    RoomRow,
    StudentRow,
)


class RoomStore:
    """Rooms, students, questions, answers, forks and lessons (persist across restarts)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # --- rooms ---------------------------------------------------------------------------

    def create_room(self, code: str, teacher_hash: str, state: dict[str, Any]) -> bool:
        """Insert a room; False when the code is taken (the caller picks another)."""
        return self.store.insert_new(RoomRow(code=code, teacher_hash=teacher_hash, state=state))

    def get_room(self, code: str) -> RoomRow | None:
        """One room, or None."""
        return self.store.get(RoomRow, code)

    def save_state(self, code: str, state: dict[str, Any]) -> None:
        """Replace a room's public state."""
        with self.store.writing() as s:
            row = s.get(RoomRow, code)
            if row is not None:
                row.state = state
                row.updated_at = utcnow()

    # --- students ------------------------------------------------------------------------

    def add_student(self, code: str, token_hash: str, alias: str) -> bool:
        """Add a student; False when the alias is taken in this room."""
        return self.store.insert_new(StudentRow(token_hash=token_hash, room_code=code, alias=alias))

    def student(self, code: str, token_hash: str) -> StudentRow | None:
        """The student with this token in this room, or None."""
        with self.store._session() as s:
            row = s.get(StudentRow, token_hash)
            return row if row is not None and row.room_code == code else None

    def count_students(self, code: str) -> int:
        with self.store._session() as s:
            q = select(func.count()).select_from(StudentRow).where(StudentRow.room_code == code)
            return int(s.scalar(q) or 0)

    # --- questions and answers -----------------------------------------------------------

    def add_question(self, row: QuestionRow) -> None:
        self.store.insert(row)

    def question(self, code: str, question_id: str) -> QuestionRow | None:
        """A question of this room, or None."""
        with self.store._session() as s:
            row = s.get(QuestionRow, question_id)
            return row if row is not None and row.room_code == code else None

    def set_question(self, question_id: str, status: str, actual: Any) -> None:
        with self.store.writing() as s:
            row = s.get(QuestionRow, question_id)
            if row is not None:
                row.status = status
                if actual is not None:
                    row.actual = actual

    def put_answer(self, question_id: str, student_hash: str, value: Any) -> None:
        """One answer per student: a second answer replaces the first."""
        values = {"question_id": question_id, "student_hash": student_hash, "value": value}
        with self.store.writing() as s:
            if self.store.engine.dialect.name == "sqlite":
                stmt = sqlite_insert(AnswerRow).values(**values, updated_at=utcnow())
                s.execute(
                    stmt.on_conflict_do_update(
                        index_elements=["question_id", "student_hash"],
                        set_={"value": value, "updated_at": utcnow()},
                    )
                )
                return
            q = select(AnswerRow).where(
                AnswerRow.question_id == question_id, AnswerRow.student_hash == student_hash
            )
            row = s.scalars(q).first()
            if row is None:
                s.add(AnswerRow(**values))
            else:
                row.value, row.updated_at = value, utcnow()

    def answers(self, question_id: str) -> list[Any]:
        """Every answer's value (no names), in the order they were first given."""
        with self.store._session() as s:
            q = select(AnswerRow.value).where(AnswerRow.question_id == question_id)
            return list(s.scalars(q.order_by(AnswerRow.id)))

    def count_answers(self, question_id: str) -> int:
        with self.store._session() as s:
            q = select(func.count()).select_from(AnswerRow)
            return int(s.scalar(q.where(AnswerRow.question_id == question_id)) or 0)

    # --- forks ---------------------------------------------------------------------------

    def add_fork(self, code: str, run_id: str, student_hash: str) -> None:
        self.store.insert(ForkRow(run_id=run_id, room_code=code, student_hash=student_hash))

    def count_forks(self, code: str) -> int:
        with self.store._session() as s:
            q = select(func.count()).select_from(ForkRow).where(ForkRow.room_code == code)
            return int(s.scalar(q) or 0)

    def forks(self, code: str, student_hash: str | None = None) -> list[ForkRow]:
        """A room's forks (or one student's), oldest first."""
        with self.store._session() as s:
            q = select(ForkRow).where(ForkRow.room_code == code)
            if student_hash is not None:
                q = q.where(ForkRow.student_hash == student_hash)
            return list(s.scalars(q.order_by(ForkRow.created_at)))

    # --- lessons -------------------------------------------------------------------------

    def create_lesson(self, title: str, steps: list[dict[str, Any]]) -> LessonRow:
        """Save a lesson under a fresh short id."""
        return self.store.insert(LessonRow(id=short_id(), title=title, steps=steps))

    def lesson(self, lesson_id: str) -> LessonRow | None:
        """One lesson, or None."""
        return self.store.get(LessonRow, lesson_id)


__all__ = ["RoomStore"]
