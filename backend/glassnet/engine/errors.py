"""Errors the engine raises for input it cannot use."""

from __future__ import annotations

from shared_schemas.problems import Problem


class SpecError(ValueError):
    """A RunSpec that cannot be built or trained, with every problem found (422 at the API)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p.pointer or '/'}: {p.message}" for p in problems))
        self.problems = problems
