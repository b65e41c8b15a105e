"""Lessons: checking a lesson before it is saved, and what each of its steps loads.

A step loads a preset (by id: its spec and its `look_at` hint) or a spec saved in the lesson.
A lesson is checked whole before it is saved, so that stepping through it in front of a class never
meets an unknown preset or a spec that cannot train; every problem is reported at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from glassnet.presets import get_preset
from glassnet.runs.errors import InvalidSpec
from shared_schemas.rooms import LessonCreate, LessonStep

CheckSpec = Callable[[dict[str, Any], tuple[str, ...]], None]


def check_lesson(body: LessonCreate, check_spec: CheckSpec) -> None:
    """Raise InvalidSpec listing every unknown preset and every problem of every step's spec.

    `check_spec(spec, prefix)` raises InvalidSpec for a spec that cannot start a run, its problems'
    pointers under `prefix`."""
    problems: list[dict[str, Any]] = []
    for i, step in enumerate(body.steps):
        if step.preset is not None:
            try:
                get_preset(step.preset)
            except KeyError:
                problems.append(
                    {
                        "pointer": f"/steps/{i}/preset",
                        "message": f"no preset with id {step.preset!r}; "
                        "GET /api/v1/presets lists them.",
                    }
                )
        elif step.spec is not None:
            try:
                check_spec(step.spec, ("steps", str(i), "spec"))
            except InvalidSpec as exc:
                problems.extend(exc.problems)
    if problems:
        raise InvalidSpec("the lesson has steps that cannot be loaded", problems)


def step_setup(step: LessonStep) -> tuple[dict[str, Any], str | None]:
    """The spec a step loads and the hint that goes with it (a preset's `look_at`, else None)."""
    if step.preset is not None:
        preset = get_preset(step.preset)
        return preset["spec"], preset.get("look_at")
    assert step.spec is not None  # LessonStep holds one of the two
    return step.spec, None
