"""The one error type the trace raises for a request it cannot trace."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from shared_schemas.problems import from_validation_error

M = TypeVar("M", bound=BaseModel)


class TraceError(ValueError):
    """A network or request the textbook trace cannot handle.

    `pointer` is a JSON pointer into the request (``/network/nodes/2``) when the problem has a place.
    """

    def __init__(self, message: str, pointer: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.pointer = pointer

    def as_problem(self) -> dict[str, str]:
        """The error in the shape of a validation problem (`pointer`, `message`)."""
        return {"pointer": self.pointer, "message": self.message}


def validated(model: type[M], value: M | dict[str, Any], pointer: str = "") -> M:
    """`value` as a validated `model`; otherwise a TraceError naming its first problem, with the
    problem's pointer under `pointer` (where the value sits in the request)."""
    if isinstance(value, model):
        return value
    try:
        return model.model_validate(value)
    except ValidationError as error:
        problem = from_validation_error(error)[0]
        raise TraceError(problem.message, pointer + problem.pointer) from error
