"""The one error type the trace raises for a request it cannot trace."""

from __future__ import annotations


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
