"""RoomService: rooms, tokens, the public state, questions, answers, students' forks and lessons.

Every change is persisted first, then published to the room's subscribers as `room_state`.
Teacher calls need the teacher token, student calls a student token of that room; a student's
token never changes the room or steers the teacher's run.
"""

from __future__ import annotations

import hashlib
import math
import secrets
import threading
from typing import Any

from glassnet.rooms import tally
from glassnet.rooms.fanout import RoomFanout
from glassnet.rooms.lessons import check_lesson, step_setup
from glassnet.rooms.names import new_alias, new_code, normalize_code
from glassnet.runs import RunManager
from glassnet.runs.errors import Conflict, Forbidden, InvalidSpec, LimitExceeded, NotFound
from glassnet.runs.specs import check_spec
from glassnet.settings import Settings
from glassnet.store import RoomStore, Store
from glassnet.store.room_models import LessonRow, QuestionRow, RoomRow
from shared_schemas.rooms import (
    ForkPublic,
    LessonCreate,
    LessonPublic,
    LessonStep,
    QuestionCreate,
    QuestionPublic,
    QuestionResults,
    QuestionUpdate,
    RoomCreate,
    RoomPatch,
    RoomState,
)

CURVE_POINTS = 32
TEACHER_HEADER = "X-Glassnet-Teacher"
STUDENT_HEADER = "X-Glassnet-Student"


def token_hash(token: str) -> str:
    """Only hashes of tokens are stored."""
    return hashlib.sha256(token.encode()).hexdigest()


class RoomService:
    """The classroom: thread-safe, persistent, publishing every change."""

    def __init__(
        self, settings: Settings, store: Store, manager: RunManager, fanout: RoomFanout
    ) -> None:
        self.settings = settings
        self.rooms = RoomStore(store)
        self.manager = manager
        self.fanout = fanout
        # One writer at a time keeps read-modify-write of a room's state and the student count
        # consistent; calls are short (a few SQLite statements).
        self._lock = threading.Lock()
        # A room's state is read and sent under one lock: two students answering at once each
        # publish, and without it the earlier count could be sent last and stay on screen.
        self._publishing = threading.Lock()

    # --- rooms ---------------------------------------------------------------------------

    def create(self, body: RoomCreate) -> tuple[str, str]:
        """A new room; returns its code and the teacher token. With a lesson, the room opens on
        the lesson's first step (404 for an unknown lesson, and no room is made)."""
        if body.spec is not None:
            self._check_spec(body.spec)
        if body.lesson is not None:
            self._lesson(body.lesson)
        token = secrets.token_urlsafe(18)
        state = RoomState(
            code="", title=body.title, spec=body.spec, look_at=body.look_at
        ).model_dump(exclude={"code", "students", "forks", "question"})
        for _ in range(20):
            code = new_code()
            if self.rooms.create_room(code, token_hash(token), state):
                if body.lesson is not None:
                    self.go_to_step(code, token, None, body.lesson, 0)
                return code, token
        raise LimitExceeded("no free room code was found; try again.")  # pragma: no cover

    def state(self, code: str) -> RoomState:
        """The public state of a room (404 for an unknown code)."""
        return self._public(self._room(code))

    def patch(
        self, code: str, teacher: str | None, student: str | None, body: RoomPatch
    ) -> RoomState:
        """Teacher: set parts of the state (only the fields present in the body)."""
        changes = body.model_dump(exclude_unset=True)
        if changes.get("spec") is not None:
            self._check_spec(changes["spec"])
        if changes.get("run_id") is not None:
            self._check_run(changes["run_id"])
        with self._lock:
            row = self._teacher_room(code, teacher, student)
            state = {**row.state, **changes}
            for key in ("locked", "hidden"):
                state[key] = sorted(set(state.get(key) or []))
            state["revision"] = int(row.state.get("revision", 0)) + 1
            self.rooms.save_state(row.code, state)
            row.state = state
        return self._publish(row)

    # --- students ------------------------------------------------------------------------

    def join(self, code: str, name: str | None) -> tuple[str, str]:
        """A student joins: returns their token and alias (429 when the room is full)."""
        with self._lock:
            row = self._room(code)
            if self.rooms.count_students(row.code) >= self.settings.max_students_per_room:
                raise LimitExceeded(
                    f"this room is full ({self.settings.max_students_per_room} students); "
                    "ask the teacher to open a second room."
                )
            token = secrets.token_urlsafe(18)
            for attempt in range(1, 50):
                if name is not None:
                    alias = name.strip() if attempt == 1 else f"{name.strip()} {attempt}"
                else:
                    alias = new_alias(attempt)
                if self.rooms.add_student(row.code, token_hash(token), alias):
                    break
            else:  # pragma: no cover - 20x20 aliases with numbers make this unreachable
                raise LimitExceeded("no free alias was found; try again with a name.")
        self._publish(row)
        return token, alias

    # --- questions -----------------------------------------------------------------------

    def ask(self, code: str, teacher: str | None, student: str | None, body: QuestionCreate) -> str:
        """Teacher: a new question becomes the room's open question (the previous one closes)."""
        with self._lock:
            row = self._teacher_room(code, teacher, student)
            qid = self._new_question(row, body)
            state = {**row.state, "question_id": qid}
            state["revision"] = int(row.state.get("revision", 0)) + 1
            self.rooms.save_state(row.code, state)
            row.state = state
        self._publish(row)
        return qid

    def _new_question(self, row: RoomRow, body: QuestionCreate) -> str:
        """Close the room's open question (if any) and store a new open one; its id."""
        previous = row.state.get("question_id")
        if previous:
            old = self.rooms.question(row.code, previous)
            if old is not None and old.status == "open":
                self.rooms.set_question(previous, "closed", None)
        qid = secrets.token_hex(5)
        self.rooms.add_question(
            QuestionRow(
                id=qid,
                room_code=row.code,
                kind=body.kind,
                prompt=body.prompt,
                options=[o.strip() for o in body.options],
                status="open",
            )
        )
        return qid

    def update_question(
        self, code: str, qid: str, teacher: str | None, student: str | None, body: QuestionUpdate
    ) -> QuestionPublic:
        """Teacher: close a question or reveal its answers (with what actually happened)."""
        with self._lock:
            row = self._teacher_room(code, teacher, student)
            question = self._question(row.code, qid)
            self.rooms.set_question(qid, body.status, body.actual)
            state = {**row.state, "revision": int(row.state.get("revision", 0)) + 1}
            self.rooms.save_state(row.code, state)
            row.state = state
        self._publish(row)
        return self._question_public(self._question(row.code, question.id))

    def answer(self, code: str, qid: str, student: str | None, value: str | float) -> Any:
        """Student: answer (again) while the question is open; 409 once it is closed."""
        row = self._room(code)
        who = self._student_hash(row.code, student)
        question = self._question(row.code, qid)
        if question.status != "open":
            raise Conflict(
                f"this question is {question.status}: answers are no longer taken.",
            )
        checked = _checked_answer(question, value)
        self.rooms.put_answer(qid, who, checked)
        self._publish(row)
        return checked

    def results(
        self, code: str, qid: str, teacher: str | None, student: str | None
    ) -> QuestionResults:
        """The answers gathered: for the teacher at any time, for everyone once revealed."""
        row = self._room(code)
        question = self._question(row.code, qid)
        if question.status != "revealed":
            self._check_teacher(row, teacher, student, "see the answers before they are revealed")
        values = self.rooms.answers(qid)
        public = self._question_public(question, len(values))
        if question.kind == "choice":
            counts = tally.count_options(question.options, values)
            return QuestionResults.model_validate(
                {"question": public, "total": len(values), "options": counts}
            )
        hist = tally.histogram([float(v) for v in values])
        return QuestionResults.model_validate(
            {"question": public, "total": len(values), "histogram": hist}
        )

    # --- lessons -------------------------------------------------------------------------

    def create_lesson(self, body: LessonCreate) -> LessonPublic:
        """Save a lesson (every step checked first: 422 listing every problem)."""
        check_lesson(body, lambda spec, prefix: self._check_spec(spec, prefix))
        steps = [step.model_dump(mode="json", exclude_none=True) for step in body.steps]
        return _lesson_public(self.rooms.create_lesson(body.title, steps))

    def lesson(self, lesson_id: str) -> LessonPublic:
        """A saved lesson (404 for an unknown id)."""
        return _lesson_public(self._lesson(lesson_id))

    def go_to_step(
        self, code: str, teacher: str | None, student: str | None, lesson_id: str, step: int
    ) -> RoomState:
        """Teacher: show a lesson's step to the class. Its spec and hint become the room's (the
        teacher's last run is left behind), its question is asked (else the open one closes), and
        the room's `lesson` says where the class is."""
        with self._lock:
            row = self._teacher_room(code, teacher, student)
            lesson = self._lesson(lesson_id)
            if step >= len(lesson.steps):
                raise InvalidSpec(
                    "no such step",
                    [
                        {
                            "pointer": "/step",
                            "message": f"the lesson {lesson.title!r} has {len(lesson.steps)} "
                            f"steps: choose 0 to {len(lesson.steps) - 1} (counted from 0).",
                        }
                    ],
                )
            chosen = LessonStep.model_validate(lesson.steps[step])
            try:
                spec, look_at = step_setup(chosen)
            except KeyError as exc:
                raise Conflict(
                    f"step {step + 1} loads the preset {chosen.preset!r}, which this server no "
                    "longer has; save the lesson again with another preset."
                ) from exc
            if chosen.question is not None:
                qid: str | None = self._new_question(row, chosen.question)
            else:
                qid = None
                previous = row.state.get("question_id")
                old = self.rooms.question(row.code, previous) if previous else None
                if old is not None and old.status == "open":
                    self.rooms.set_question(old.id, "closed", None)
            position = {
                "id": lesson.id,
                "title": lesson.title,
                "step": step,
                "steps": len(lesson.steps),
                "step_title": chosen.title,
                "note": chosen.note,
                "preset": chosen.preset,
            }
            state = {
                **row.state,
                "spec": spec,
                "look_at": look_at,
                "run_id": None,
                "question_id": qid,
                "lesson": position,
                "revision": int(row.state.get("revision", 0)) + 1,
            }
            self.rooms.save_state(row.code, state)
            row.state = state
        return self._publish(row)

    def _lesson(self, lesson_id: str) -> LessonRow:
        lesson = self.rooms.lesson(lesson_id)
        if lesson is None:
            raise NotFound(f"no lesson with id {lesson_id!r}; check the lesson's link.")
        return lesson

    # --- forks ---------------------------------------------------------------------------

    def fork(
        self, code: str, student: str | None, spec: dict[str, Any] | None, start: bool
    ) -> dict[str, Any]:
        """Student: a run of their own from the room's spec; counted against run capacity."""
        row = self._room(code)
        who = self._student_hash(row.code, student)
        base = spec if spec is not None else row.state.get("spec")
        if base is None:
            raise Conflict("the teacher has not set a network for this room yet.")
        mine = self.rooms.forks(row.code, who)
        live = [f for f in mine if self._run_live(f.run_id)]
        if len(live) >= self.settings.max_forks_per_student:
            raise LimitExceeded(
                f"you already have {len(live)} runs going; stop one before starting another."
            )
        try:
            public, token = self.manager.create(base, start=start, name=f"room {row.code}")
        except LimitExceeded as exc:
            raise LimitExceeded(
                "the server is training as many runs as it can right now "
                f"({self.settings.max_active_runs}); try again when a classmate's run finishes. "
                f"({exc.message})"
            ) from exc
        self.rooms.add_fork(row.code, public["id"], who)
        self._publish(row)
        return {**public, "owner": token}

    def forks(self, code: str, teacher: str | None, student: str | None) -> list[ForkPublic]:
        """Teacher: the class's runs side by side (anonymous), oldest first."""
        row = self._room(code)
        self._check_teacher(row, teacher, student, "see the class's runs")
        out = []
        for fork in self.rooms.forks(row.code):
            try:
                run = self.manager.get(fork.run_id)
            except NotFound:
                continue  # deleted since
            metrics = run.get("latest_metrics") or {}
            rows = self.manager.metric_curve(fork.run_id, CURVE_POINTS)
            curve = [m["loss"] for m in rows if m.get("loss") is not None]
            out.append(
                ForkPublic(
                    run_id=fork.run_id,
                    state=run["state"],
                    step=run["step"],
                    epoch=run["epoch"],
                    loss=metrics.get("loss"),
                    accuracy=metrics.get("accuracy"),
                    loss_curve=_thin(curve, CURVE_POINTS),
                )
            )
        return out

    # --- helpers -------------------------------------------------------------------------

    def _room(self, code: str) -> RoomRow:
        row = self.rooms.get_room(normalize_code(code))
        if row is None:
            raise NotFound(f"no room with code {code!r}; check the code the teacher shows.")
        return row

    def _teacher_room(self, code: str, teacher: str | None, student: str | None) -> RoomRow:
        row = self._room(code)
        self._check_teacher(row, teacher, student, "change the room")
        return row

    def _check_teacher(
        self, row: RoomRow, teacher: str | None, student: str | None, what: str
    ) -> None:
        if teacher is None:
            if student is not None:
                raise Forbidden(
                    f"a student token cannot {what}: only the teacher may "
                    f"(header {TEACHER_HEADER} with the token given when the room was created)."
                )
            raise Forbidden(
                f"only the room's teacher may {what}: send the teacher token "
                f"(header {TEACHER_HEADER}) given when the room was created."
            )
        if not secrets.compare_digest(token_hash(teacher), row.teacher_hash):
            raise Forbidden("the teacher token does not match this room.")

    def _student_hash(self, code: str, student: str | None) -> str:
        if student is None:
            raise Forbidden(
                f"join the room first and send your student token (header {STUDENT_HEADER})."
            )
        digest = token_hash(student)
        if self.rooms.student(code, digest) is None:
            raise Forbidden("this student token does not belong to this room; join it again.")
        return digest

    def _question(self, code: str, qid: str) -> QuestionRow:
        question = self.rooms.question(code, qid)
        if question is None:
            raise NotFound(f"no question {qid!r} in this room.")
        return question

    def _question_public(self, q: QuestionRow, answers: int | None = None) -> QuestionPublic:
        return QuestionPublic(
            id=q.id,
            kind=q.kind,
            prompt=q.prompt,
            options=list(q.options),
            status=q.status,
            answers=self.rooms.count_answers(q.id) if answers is None else answers,
            actual=q.actual if q.status == "revealed" else None,
        )

    def _public(self, row: RoomRow) -> RoomState:
        state = {k: v for k, v in row.state.items() if k != "question_id"}
        qid = row.state.get("question_id")
        question = self.rooms.question(row.code, qid) if qid else None
        return RoomState.model_validate(
            {
                **state,
                "code": row.code,
                "students": self.rooms.count_students(row.code),
                "forks": self.rooms.count_forks(row.code),
                "question": self._question_public(question) if question is not None else None,
            }
        )

    def _publish(self, row: RoomRow) -> RoomState:
        with self._publishing:
            public = self._public(row)
            self.fanout.publish(
                row.code, {"type": "room_state", "v": 1, "room": public.model_dump(mode="json")}
            )
        return public

    def _check_spec(self, spec: dict[str, Any], prefix: tuple[str, ...] = ("spec",)) -> None:
        check_spec(spec, self.settings, self.manager.uploads.read, prefix=prefix)

    def _check_run(self, run_id: str) -> None:
        try:
            self.manager.get(run_id)
        except NotFound as exc:
            raise InvalidSpec(
                "unknown run", [{"pointer": "/run_id", "message": f"no run with id {run_id!r}."}]
            ) from exc

    def _run_live(self, run_id: str) -> bool:
        try:
            return self.manager.get(run_id)["state"] in ("created", "running", "paused")
        except NotFound:
            return False


def _lesson_public(row: LessonRow) -> LessonPublic:
    return LessonPublic.model_validate(
        {"id": row.id, "title": row.title, "steps": row.steps, "created_at": row.created_at}
    )


def _checked_answer(question: QuestionRow, value: str | float) -> str | float:
    if question.kind == "choice":
        if not isinstance(value, str) or value.strip() not in question.options:
            raise InvalidSpec(
                "not an option",
                [
                    {
                        "pointer": "/value",
                        "message": f"choose one of: {', '.join(question.options)}.",
                    }
                ],
            )
        return value.strip()
    number = value if isinstance(value, int | float) else _parse_number(value)
    if number is None or not math.isfinite(number):
        raise InvalidSpec(
            "not a number",
            [{"pointer": "/value", "message": "answer with a finite number, e.g. 0.85."}],
        )
    return float(number)


def _parse_number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _thin(values: list[float], points: int) -> list[float]:
    """At most `points` values spread evenly over the list, the last one always included."""
    if len(values) <= points:
        return values
    step = (len(values) - 1) / (points - 1)
    return [values[round(i * step)] for i in range(points)]
