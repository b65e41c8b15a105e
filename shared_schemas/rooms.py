"""Classroom rooms: a teacher leads, students follow, predict and try it themselves (DESIGN.md).

Tokens: the teacher token (`X-Glassnet-Teacher`) is returned once, when the room is created; each
student token (`X-Glassnet-Student`) once, when the student joins. Only hashes are stored.
The public `RoomState` travels in `GET /api/v1/rooms/{code}` and, on every change, in the websocket
message `room_state` (after `subscribe {"room": code}`).

Lessons: a lesson is an ordered list of steps (each a preset by id or a saved spec, with an optional
question and an optional note for the class), saved under a short shareable id like an experiment
but in a table of its own (`POST /api/v1/lessons`, `GET /api/v1/lessons/{id}`), because it holds
many setups instead of one spec. A saved lesson never changes: editing one saves a new lesson (a new
id), so a link handed to a class always opens the lesson it was made from. The teacher steps through
it in a room with `PUT /api/v1/rooms/{code}/lesson` `{"lesson", "step"}`: the step's spec (and its
preset's `look_at`) becomes the room's, its question is asked, and `RoomState.lesson` says where
the class is.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from shared_schemas.base import ClientModel

ControlGroup = Literal["network", "data", "training", "play", "textbook", "presets"]
QuestionKind = Literal["choice", "number"]
QuestionStatus = Literal["open", "closed", "revealed"]
CODE_PATTERN = r"^[A-Za-z0-9]{4,12}$"


class RoomCreate(ClientModel):
    """Open a room."""

    title: str = Field("Class", min_length=1, max_length=120)
    spec: dict[str, Any] | None = Field(None, description="the RunSpec the class starts from")
    look_at: str | None = Field(None, max_length=300, description="the spec's preset's hint")
    lesson: str | None = Field(
        None, min_length=1, max_length=32, description="a lesson's id: the room opens on its step 1"
    )


class RoomCreated(BaseModel):
    """The code students type (short, easy to read aloud) and the teacher's token (shown once)."""

    code: str
    teacher_token: str = Field(description="send as header X-Glassnet-Teacher on teacher calls")


class QuestionPublic(BaseModel):
    """A predict-then-run question as everyone sees it (answers are gathered separately)."""

    id: str
    kind: QuestionKind
    prompt: str
    options: list[str] = Field(default_factory=list, description="the choices of a `choice`")
    status: QuestionStatus
    answers: int = Field(0, description="how many students have answered")
    actual: str | float | None = Field(
        None, description="what happened, shown beside the answers once revealed"
    )


class LessonPosition(BaseModel):
    """Where the class is in the lesson the teacher steps through."""

    id: str = Field(description="the lesson's id")
    title: str
    step: int = Field(description="the step shown, counted from 0 (show it as step + 1)")
    steps: int = Field(description="how many steps the lesson has")
    step_title: str
    note: str | None = Field(None, description="the teacher's note for the class on this step")
    preset: str | None = Field(None, description="the preset this step loads, if it is one")


class RoomState(BaseModel):
    """The public state of a room: what every student follows."""

    code: str
    title: str
    spec: dict[str, Any] | None = None
    look_at: str | None = Field(
        None, description="the loaded preset's hint: which view to watch while the run trains"
    )
    run_id: str | None = Field(None, description="the run everyone follows")
    view: str | None = Field(None, description="the view the teacher shows (e.g. 'boundary')")
    textbook: int | None = Field(None, description="the textbook step the teacher shows")
    locked: list[ControlGroup] = Field(default_factory=list)
    hidden: list[ControlGroup] = Field(default_factory=list)
    paused: bool = False
    message: str | None = Field(None, description="shown over every student screen while paused")
    question: QuestionPublic | None = Field(None, description="the open (or last) question")
    lesson: LessonPosition | None = Field(None, description="the lesson's step the class is on")
    students: int = 0
    forks: int = Field(0, description="runs students made of their own in this room")
    revision: int = Field(0, description="increases with every change")


class RoomPatch(ClientModel):
    """Teacher: set any part of the room's state; absent fields stay as they are."""

    title: str | None = Field(None, min_length=1, max_length=120)
    spec: dict[str, Any] | None = None
    look_at: str | None = Field(None, max_length=300)
    run_id: str | None = Field(None, max_length=64)
    view: str | None = Field(None, max_length=64)
    textbook: int | None = Field(None, ge=0, le=10_000)
    locked: list[ControlGroup] | None = Field(None, max_length=6)
    hidden: list[ControlGroup] | None = Field(None, max_length=6)
    paused: bool | None = None
    message: str | None = Field(None, max_length=300)


class JoinBody(ClientModel):
    """A student joins; without a name they get an anonymous alias."""

    name: str | None = Field(None, min_length=1, max_length=40)


class Joined(BaseModel):
    student_token: str = Field(description="send as header X-Glassnet-Student on student calls")
    alias: str


class QuestionCreate(ClientModel):
    """Teacher: ask a question (it becomes the room's open question)."""

    kind: QuestionKind
    prompt: str = Field(min_length=1, max_length=300)
    options: list[str] = Field(default_factory=list, max_length=12)

    @model_validator(mode="after")
    def _options_fit_kind(self) -> QuestionCreate:
        if self.kind == "choice" and len(self.options) < 2:
            raise ValueError("a choice question needs at least two options")
        if self.kind == "number" and self.options:
            raise ValueError("a number question takes no options")
        if any(not o.strip() or len(o) > 80 for o in self.options):
            raise ValueError("each option needs 1 to 80 characters")
        return self


class QuestionCreated(BaseModel):
    id: str


class QuestionUpdate(ClientModel):
    """Teacher: close a question (no more answers) or reveal what the class answered."""

    status: Literal["closed", "revealed"]
    actual: str | float | None = Field(None, description="what happened, to show beside")


class AnswerBody(ClientModel):
    """A student's answer: the option's text for `choice`, a number for `number`."""

    value: str | float


class AnswerAccepted(BaseModel):
    question_id: str
    value: str | float


class OptionCount(BaseModel):
    option: str
    count: int


class NumberHistogram(BaseModel):
    """Numbers gathered into equal bins over [lo, hi]."""

    lo: float
    hi: float
    counts: list[int]
    mean: float
    median: float


class QuestionResults(BaseModel):
    """The answers gathered, without names."""

    question: QuestionPublic
    total: int
    options: list[OptionCount] | None = None
    histogram: NumberHistogram | None = None


class ForkCreate(ClientModel):
    """Student: a run of one's own from the room's spec (or an edited copy of it)."""

    spec: dict[str, Any] | None = Field(None, description="default: the room's spec")
    start: bool = True


class ForkPublic(BaseModel):
    """One student's fork as the teacher sees it (anonymous)."""

    run_id: str
    state: str
    step: int
    epoch: int
    loss: float | None = None
    accuracy: float | None = None
    loss_curve: list[float] = Field(
        default_factory=list, description="up to 32 points, for a thumbnail"
    )


class ForkList(BaseModel):
    forks: list[ForkPublic]


class LessonStep(ClientModel):
    """One step of a lesson: a preset (by id) or a saved spec, with an optional question (asked
    when the teacher goes to the step) and an optional note shown to the class."""

    title: str = Field(min_length=1, max_length=120)
    preset: str | None = Field(None, min_length=1, max_length=64, description="a preset's id")
    spec: dict[str, Any] | None = Field(None, description="a RunSpec, when not a preset")
    question: QuestionCreate | None = None
    note: str | None = Field(None, max_length=500)

    @model_validator(mode="after")
    def _one_setup(self) -> LessonStep:
        if (self.preset is None) == (self.spec is None):
            raise ValueError(
                "a step loads either a preset (`preset`) or a spec (`spec`), one of them"
            )
        return self


class LessonCreate(ClientModel):
    """Save a lesson: its title and its steps, in order."""

    title: str = Field(min_length=1, max_length=120)
    steps: list[LessonStep] = Field(min_length=1, max_length=50)


class LessonPublic(BaseModel):
    """A saved lesson (anyone with its id may open it; it never changes once saved)."""

    id: str = Field(description="short and shareable: the app opens it at /?lesson=ID")
    title: str
    steps: list[LessonStep]
    created_at: datetime


class LessonGo(ClientModel):
    """Teacher: go to a step of a lesson (loading the lesson into the room if it is another)."""

    lesson: str = Field(min_length=1, max_length=32, description="the lesson's id")
    step: int = Field(ge=0, le=1000, description="counted from 0")


class RoomSubscribe(ClientModel):
    """Websocket, client → server: `room_state` now and after every change of the room."""

    type: Literal["subscribe"] = "subscribe"
    v: Literal[1] = 1
    room: str = Field(pattern=CODE_PATTERN)


class RoomStateMsg(BaseModel):
    """Websocket, server → client: the room's public state (newest only, never queued)."""

    type: Literal["room_state"] = "room_state"
    v: Literal[1] = 1
    room: RoomState
