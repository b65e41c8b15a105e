"""Lessons: a sequence of presets or specs with questions and notes, saved under a short id."""

from __future__ import annotations

from fastapi import APIRouter

from glassnet.api.errors import errors
from glassnet.api.routes.rooms import RoomsDep
from shared_schemas.rooms import LessonCreate, LessonPublic

router = APIRouter(prefix="/api/v1/lessons", tags=["rooms"])


@router.post("", status_code=201, responses=errors(413, 422, 429))
def create_lesson(body: LessonCreate, rooms: RoomsDep) -> LessonPublic:
    """Save a lesson; its short `id` opens it in the app (`/?lesson=ID`). Every step is checked
    first (422 lists every unknown preset and every problem of a step's spec)."""
    return rooms.create_lesson(body)


@router.get("/{lesson_id}", responses=errors(404))
def get_lesson(lesson_id: str, rooms: RoomsDep) -> LessonPublic:
    """One saved lesson by its id (anyone with the id may open it)."""
    return rooms.lesson(lesson_id)
