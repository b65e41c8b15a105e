"""Problems in a spec: a JSON pointer and a plain sentence, reported all at once."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from shared_schemas.base import MAX_ABS_VALUE
from shared_schemas.runspec import NODE_KINDS


class Problem(BaseModel):
    """One thing wrong with a document: where (RFC 6901 pointer) and what to do about it."""

    pointer: str
    message: str


def pointer(*parts: str | int) -> str:
    """JSON pointer for a path, escaping `~` and `/` as RFC 6901 requires."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


# Discriminated and plain unions put the branch (e.g. "dense", "literal[...]", "ActivationSpec")
# into pydantic's error location; a pointer into the document must not contain it.
_NODE_KINDS = frozenset(NODE_KINDS)


def _is_branch(part: str | int) -> bool:
    return isinstance(part, str) and ("[" in part or part[:1].isupper())


def _document_path(loc: Sequence[str | int]) -> list[str | int]:
    """An error location without its union branches. A node kind is a branch only right after a
    node's index: `activation` is also a field name (of weighted and activation nodes)."""
    path: list[str | int] = []
    for i, part in enumerate(loc):
        after_index = i > 0 and isinstance(loc[i - 1], int)
        if _is_branch(part) or (after_index and part in _NODE_KINDS):
            continue
        path.append(part)
    return path


# Long inputs (a CSV's text, a pasted table) are named by their length, never echoed back.
MAX_SHOWN = 60
_TYPE_WORDS = {
    "int_type": "a whole number such as 8, not a string or a boolean",
    "float_type": "a number such as 0.5, not a string or a boolean",
    "bool_type": "true or false, not a string or a number",
    "string_type": "a string in quotes",
}


def shown_input(got: Any) -> str:
    """How an offending input appears in a message: short values as they are, the rest by kind."""
    if isinstance(got, (dict, list)):
        return type(got).__name__
    text = repr(got)
    if len(text) > MAX_SHOWN:
        return (
            f"{type(got).__name__} of {len(got) if isinstance(got, str) else len(text)} characters"
        )
    return text


def _readable(error: ErrorDetails) -> str:
    """Turn one pydantic error into a sentence that names the field and the fix."""
    loc = [p for p in _document_path(error["loc"]) if not isinstance(p, int)]
    field = str(loc[-1]) if loc else "value"
    kind = error["type"]
    ctx = error.get("ctx") or {}
    got = error.get("input")
    shown = shown_input(got)
    if kind == "missing":
        return f"'{field}' is required."
    if kind == "extra_forbidden":
        return f"'{field}' is not a known field here; remove it or check its spelling."
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = next(iter(ctx.values()), "?")
        word = {
            "greater_than_equal": "at least",
            "greater_than": "greater than",
            "less_than_equal": "at most",
            "less_than": "less than",
        }[kind]
        return f"'{field}' must be {word} {bound} (got {shown})."
    if kind in _TYPE_WORDS:
        # strict numbers: `true` and `"8"` are not numbers, and `1.5` is not a whole number
        return f"'{field}' must be {_TYPE_WORDS[kind]} (got {shown})."
    if kind == "finite_number":
        return f"'{field}' must be a finite number; NaN and Infinity cannot be trained on."
    if kind == "literal_error":
        return f"'{field}' must be one of {ctx.get('expected', '')} (got {shown})."
    if kind == "union_tag_invalid":
        return f"unknown kind {ctx.get('tag')!r}; use one of {ctx.get('expected_tags')}."
    if kind == "union_tag_not_found":
        return f"'{ctx.get('discriminator', 'kind')}' is required to know what this is."
    if kind in ("too_short", "too_long"):
        return f"'{field}' {error['msg'].lower().removeprefix('list ')} (got {shown})."
    return f"'{field}': {error['msg']} (got {shown})."


def from_validation_error(
    error: ValidationError, prefix: Sequence[str | int] = ()
) -> list[Problem]:
    """Every pydantic error as a Problem, one per location (union branches folded together)."""
    problems: dict[str, Problem] = {}
    errors = error.errors(include_url=False)
    for e in errors:
        # A dict given for `name | object` also fails the name branch; that branch is noise.
        if len(errors) > 1 and e["type"] == "literal_error" and isinstance(e.get("input"), dict):
            continue
        parts = [*prefix, *_document_path(e["loc"])]
        where = pointer(*parts)
        # An activation given as an unknown name fails both union branches; keep the first.
        problems.setdefault(where, Problem(pointer=where, message=_readable(e)))
    return list(problems.values())


def value_problems(values: Any, *where: str | int, limit: int = 20) -> list[Problem]:
    """Problems for the numbers in a nested list of examples that are not finite numbers within
    ±MAX_ABS_VALUE (for bodies whose arrays are typed loosely, e.g. the trace's `inputs`)."""
    problems: list[Problem] = []
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(values, tuple(where))]
    while stack and len(problems) < limit:
        value, path = stack.pop()
        if isinstance(value, list):
            stack.extend((v, (*path, i)) for i, v in reversed(list(enumerate(value))))
        elif isinstance(value, bool) or not isinstance(value, (int, float)):
            problems.append(
                Problem(
                    pointer=pointer(*path), message=f"must be a number (got {shown_input(value)})."
                )
            )
        elif not math.isfinite(value) or abs(value) > MAX_ABS_VALUE:
            problems.append(
                Problem(
                    pointer=pointer(*path),
                    message=f"must be a finite number within ±{MAX_ABS_VALUE:g} (got {value!r}); "
                    "rescale the data so that values stay in range.",
                )
            )
    return problems
