"""Domain errors of the run manager; the API maps each class to one HTTP status."""

from __future__ import annotations

from typing import Any


class RunError(Exception):
    """Base class: `problems` is the list of {pointer, message} shown to the client."""

    def __init__(self, message: str, problems: list[dict[str, Any]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or [{"pointer": "", "message": message}]


class NotFound(RunError):
    """404: no such run, experiment, upload or preset."""


class Conflict(RunError):
    """409: the action does not fit the run's state."""


class Forbidden(RunError):
    """403: only the run's owner may steer it."""


class LimitExceeded(RunError):
    """429: a server limit (active runs, viewers, rate) was reached."""


class InvalidSpec(RunError):
    """422: the spec (or a request field) is invalid; `problems` lists every problem."""


class Unavailable(RunError):
    """503/409-like: the run's model is not in memory any more (e.g. after a restart)."""
