"""Error mapping: every error response is `{"detail": [{"pointer", "message"}]}` (ProblemList)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.routing import Match

from glassnet.runs import errors as run_errors
from glassnet.runs.errors import RunError
from shared_schemas.api import ProblemList
from shared_schemas.problems import pointer

STATUS: dict[type[RunError], int] = {
    run_errors.NotFound: 404,
    run_errors.Conflict: 409,
    run_errors.Unavailable: 409,
    run_errors.Forbidden: 403,
    run_errors.LimitExceeded: 429,
    run_errors.InvalidSpec: 422,
}
DESCRIPTIONS = {
    400: "The body could not be read (e.g. not UTF-8)",
    403: "Not the run's owner (send X-Glassnet-Owner)",
    404: "Not found",
    409: "The action does not fit the current state",
    413: "Body too large",
    415: "Unsupported media type",
    422: "Invalid request: every problem with a JSON pointer",
    429: "A server limit was reached (the message says which)",
}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route: each listed status documented with the ProblemList body."""
    return {c: {"model": ProblemList, "description": DESCRIPTIONS.get(c, "Error")} for c in codes}


def problems_response(status: int, problems: Sequence[dict[str, Any]], **kw: Any) -> JSONResponse:
    """A JSON error answer with the problem list."""
    return JSONResponse({"detail": list(problems)}, status_code=status, **kw)


def _loc_pointer(loc: Sequence[Any]) -> str:
    # Body fields point into the body itself; query/path/header params keep their source.
    parts = list(loc[1:]) if loc and loc[0] == "body" else list(loc)
    return pointer(*parts)


def _message(error: dict[str, Any]) -> str:
    if error.get("type") == "json_invalid":
        reason = (error.get("ctx") or {}).get("error", "")
        return (
            f"the body is not valid JSON ({reason})." if reason else "the body is not valid JSON."
        )
    if error.get("type") == "missing":
        return "this field is required."
    return str(error.get("msg", "invalid value"))


def validation_problems(exc: RequestValidationError) -> list[dict[str, str]]:
    """pydantic's request errors as {pointer, message} (loc → JSON pointer)."""
    seen: dict[str, dict[str, str]] = {}
    for e in exc.errors():
        where = _loc_pointer(e.get("loc", ()))
        if e.get("type") == "json_invalid":
            where = ""
        seen.setdefault(where, {"pointer": where, "message": _message(e)})
    return list(seen.values())


async def _on_validation(_: Request, exc: RequestValidationError) -> JSONResponse:
    return problems_response(422, validation_problems(exc))


async def _on_http(_: Request, exc: HTTPException) -> JSONResponse:
    detail = exc.detail
    problems = detail if isinstance(detail, list) else [{"pointer": "", "message": str(detail)}]
    return problems_response(exc.status_code, problems, headers=getattr(exc, "headers", None))


async def _on_run_error(_: Request, exc: RunError) -> JSONResponse:
    status = next((code for cls, code in STATUS.items() if isinstance(exc, cls)), 400)
    headers = {"Retry-After": "5"} if status == 429 else None
    return problems_response(status, exc.problems, headers=headers)


async def _on_405(request: Request, exc: HTTPException) -> JSONResponse:
    # Starlette names only the first partially matching route's methods in Allow; a resource
    # such as /api/v1/runs has GET and POST on two routes, so collect every match.
    allowed: set[str] = set()
    for route in request.app.router.routes:
        match, _ = route.matches(request.scope)
        if match != Match.NONE:  # PARTIAL: the path matches, the method does not
            allowed |= set(getattr(route, "methods", None) or ())
    message = f"{request.method} is not allowed here; use {', '.join(sorted(allowed))}."
    return problems_response(
        405, [{"pointer": "", "message": message}], headers={"Allow": ", ".join(sorted(allowed))}
    )


def install(app: FastAPI) -> None:
    """Register the handlers that give every error the ProblemList shape."""
    app.add_exception_handler(RequestValidationError, _on_validation)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, _on_http)  # type: ignore[arg-type]
    app.add_exception_handler(405, _on_405)  # type: ignore[arg-type]
    app.add_exception_handler(RunError, _on_run_error)  # type: ignore[arg-type]
