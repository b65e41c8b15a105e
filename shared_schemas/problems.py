"""Problems in a spec: a JSON pointer and a plain sentence, reported all at once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ValidationError


class Problem(BaseModel):
    """One thing wrong with a document: where (RFC 6901 pointer) and what to do about it."""

    pointer: str
    message: str


def pointer(*parts: str | int) -> str:
    """JSON pointer for a path, escaping `~` and `/` as RFC 6901 requires."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


# Discriminated and plain unions put the branch (e.g. "dense", "literal[...]", "ActivationSpec")
# into pydantic's error location; a pointer into the document must not contain it.
_NODE_KINDS = frozenset(
    {
        "input",
        "dense",
        "conv2d",
        "maxpool2d",
        "avgpool2d",
        "flatten",
        "dropout",
        "batchnorm",
        "add",
        "concat",
        "rnn",
        "lstm",
        "gru",
    }
)


def _is_branch(part: str | int) -> bool:
    return isinstance(part, str) and (part in _NODE_KINDS or "[" in part or part[:1].isupper())


def _readable(error: dict[str, Any]) -> str:
    """Turn one pydantic error into a sentence that names the field and the fix."""
    loc = [p for p in error["loc"] if not isinstance(p, int) and not _is_branch(p)]
    field = str(loc[-1]) if loc else "value"
    kind = error["type"]
    ctx = error.get("ctx") or {}
    got = error.get("input")
    shown = repr(got) if not isinstance(got, (dict, list)) else type(got).__name__
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
        parts = [*prefix, *(p for p in e["loc"] if not _is_branch(p))]
        where = pointer(*parts)
        # An activation given as an unknown name fails both union branches; keep the first.
        problems.setdefault(where, Problem(pointer=where, message=_readable(e)))
    return list(problems.values())
