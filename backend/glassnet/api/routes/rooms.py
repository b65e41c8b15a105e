"""Classroom rooms: create, read and steer a room; join; questions and answers; students' forks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request

from glassnet.api.errors import errors
from glassnet.rooms import RoomService
from shared_schemas.api import RunCreated
from shared_schemas.rooms import (
    AnswerAccepted,
    AnswerBody,
    ForkCreate,
    ForkList,
    JoinBody,
    Joined,
    LessonGo,
    QuestionCreate,
    QuestionCreated,
    QuestionPublic,
    QuestionResults,
    QuestionUpdate,
    RoomCreate,
    RoomCreated,
    RoomPatch,
    RoomState,
)

router = APIRouter(prefix="/api/v1/rooms", tags=["rooms"])


def get_rooms(request: Request) -> RoomService:
    """The app's RoomService."""
    rooms: RoomService = request.app.state.rooms
    return rooms


RoomsDep = Annotated[RoomService, Depends(get_rooms)]
TeacherHeader = Annotated[
    str | None,
    Header(alias="X-Glassnet-Teacher", max_length=128, description="the room's teacher token"),
]
StudentHeader = Annotated[
    str | None,
    Header(alias="X-Glassnet-Student", max_length=128, description="a student token of the room"),
]


@dataclass(frozen=True)
class Caller:
    """The room tokens a request carries; the service decides what each may do."""

    teacher: str | None
    student: str | None


def get_caller(teacher: TeacherHeader = None, student: StudentHeader = None) -> Caller:
    """The caller's teacher and student tokens, from the X-Glassnet-Teacher/-Student headers."""
    return Caller(teacher, student)


CallerDep = Annotated[Caller, Depends(get_caller)]


@router.post("", status_code=201, responses=errors(404, 413, 422, 429))
def create_room(body: RoomCreate, rooms: RoomsDep) -> RoomCreated:
    """Open a room: its short code (read it aloud) and the teacher token (shown only here).
    With `lesson`, the room opens on that lesson's first step (404 for an unknown lesson)."""
    code, token = rooms.create(body)
    return RoomCreated(code=code, teacher_token=token)


@router.get("/{code}", responses=errors(404))
def get_room(code: str, rooms: RoomsDep) -> RoomState:
    """The public state: what everyone follows, locks, pause, the open question, student count."""
    return rooms.state(code)


@router.patch("/{code}", responses=errors(403, 404, 413, 422, 429))
def patch_room(code: str, body: RoomPatch, rooms: RoomsDep, caller: CallerDep) -> RoomState:
    """Teacher: set any part of the state (spec, run_id, view, textbook, locked, hidden, paused)."""
    return rooms.patch(code, caller.teacher, caller.student, body)


@router.put("/{code}/lesson", responses=errors(403, 404, 409, 413, 422, 429))
def go_to_lesson_step(code: str, body: LessonGo, rooms: RoomsDep, caller: CallerDep) -> RoomState:
    """Teacher: show step `step` (from 0) of lesson `lesson` to the class: its network and hint
    load on every following screen and its question is asked."""
    return rooms.go_to_step(code, caller.teacher, caller.student, body.lesson, body.step)


@router.post("/{code}/join", status_code=201, responses=errors(404, 413, 422, 429))
def join_room(code: str, rooms: RoomsDep, body: JoinBody | None = None) -> Joined:
    """Join as a student: a token and an anonymous alias (or the name given)."""
    token, alias = rooms.join(code, body.name if body else None)
    return Joined(student_token=token, alias=alias)


@router.post("/{code}/questions", status_code=201, responses=errors(403, 404, 413, 422, 429))
def ask_question(
    code: str, body: QuestionCreate, rooms: RoomsDep, caller: CallerDep
) -> QuestionCreated:
    """Teacher: a predict-then-run question (`choice` with options, or `number`)."""
    return QuestionCreated(id=rooms.ask(code, caller.teacher, caller.student, body))


@router.patch("/{code}/questions/{qid}", responses=errors(403, 404, 413, 422, 429))
def update_question(
    code: str, qid: str, body: QuestionUpdate, rooms: RoomsDep, caller: CallerDep
) -> QuestionPublic:
    """Teacher: close the question, or reveal the answers beside what happened (`actual`)."""
    return rooms.update_question(code, qid, caller.teacher, caller.student, body)


@router.post("/{code}/questions/{qid}/answers", responses=errors(403, 404, 409, 413, 422, 429))
def answer_question(
    code: str, qid: str, body: AnswerBody, rooms: RoomsDep, student: StudentHeader = None
) -> AnswerAccepted:
    """Student: one answer per student, changeable until the question closes (then 409)."""
    value = rooms.answer(code, qid, student, body.value)
    return AnswerAccepted(question_id=qid, value=value)


@router.get("/{code}/questions/{qid}", responses=errors(403, 404, 422))
def question_results(code: str, qid: str, rooms: RoomsDep, caller: CallerDep) -> QuestionResults:
    """The answers gathered, without names: for the teacher, and for everyone once revealed."""
    return rooms.results(code, qid, caller.teacher, caller.student)


@router.post("/{code}/forks", status_code=201, responses=errors(403, 404, 409, 413, 422, 429))
def fork_run(
    code: str, rooms: RoomsDep, body: ForkCreate | None = None, student: StudentHeader = None
) -> RunCreated:
    """Student: a run of one's own from the room's spec (counted against the server's runs)."""
    body = body or ForkCreate()
    return RunCreated(**rooms.fork(code, student, body.spec, body.start))


@router.get("/{code}/forks", responses=errors(403, 404, 422))
def list_forks(code: str, rooms: RoomsDep, caller: CallerDep) -> ForkList:
    """Teacher: the class's runs side by side, anonymous (final loss, accuracy, loss curve)."""
    return ForkList(forks=rooms.forks(code, caller.teacher, caller.student))
