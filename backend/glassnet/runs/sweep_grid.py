"""A sweep's grid: axes that set one RunSpec field each (by JSON pointer) to a list of values.

Pure functions, no I/O: parse and check the axes against the base spec, expand the grid (axis 0
outermost), and turn the validation problems of each grid point into problems that name the axis
responsible (`/axes/0/pointer`, `/axes/1/values/2`).
"""

from __future__ import annotations

import copy
import itertools
import json
from collections.abc import Sequence
from typing import Any

from shared_schemas.problems import pointer as json_pointer

UNKNOWN_FIELD = "is not a known field"  # the RunSpec validator's words for a field it lacks


class PointerError(ValueError):
    """A pointer that does not name a place in the spec; the message says why."""


def parse_pointer(text: str) -> list[str]:
    """RFC 6901 tokens of a pointer into the spec (the whole spec, "", cannot be swept)."""
    if text == "":
        raise PointerError("name a field, such as /training/optimizer/lr; '' is the whole spec.")
    if not text.startswith("/"):
        raise PointerError(f"a JSON pointer starts with '/', such as /{text}.")
    tokens = text[1:].split("/")
    for t in tokens:
        if t == "":
            raise PointerError(
                f"{text!r} has an empty part (two slashes in a row, or a trailing one)."
            )
        if "~" in t.replace("~0", "").replace("~1", ""):
            raise PointerError(f"{text!r}: '~' is written ~0 and '/' ~1 inside a name.")
    return [t.replace("~1", "/").replace("~0", "~") for t in tokens]


def _fields(obj: Any) -> str:
    return ", ".join(sorted(obj)) if isinstance(obj, dict) and obj else "none"


def set_at(doc: Any, tokens: Sequence[str], value: Any) -> Any:
    """A deep copy of `doc` with `value` at `tokens`. Missing objects on the way are made (a
    section left at its defaults); list items must exist. Raises PointerError."""
    out = copy.deepcopy(doc)
    here = out
    for depth, token in enumerate(tokens):
        last = depth == len(tokens) - 1
        where = json_pointer(*tokens[: depth + 1])
        if isinstance(here, dict):
            if last:
                here[token] = copy.deepcopy(value)
            else:
                if here.get(token) is None:
                    here[token] = {}
                here = here[token]
        elif isinstance(here, list):
            if not token.isdigit() or (len(token) > 1 and token.startswith("0")):
                raise PointerError(f"{where}: a list item is named by its index (0, 1, ...).")
            i = int(token)
            if i >= len(here):
                raise PointerError(
                    f"{where}: the list has {len(here)} items (0 to {len(here) - 1})."
                )
            if last:
                here[i] = copy.deepcopy(value)
            else:
                here = here[i]
        else:
            parent = json_pointer(*tokens[:depth]) or "/"
            raise PointerError(
                f"{parent} is a value ({json.dumps(here)}), not an object or a list."
            )
    return out


def grid(value_counts: Sequence[int]) -> list[tuple[int, ...]]:
    """Index tuples of every grid point, axis 0 outermost."""
    return list(itertools.product(*(range(n) for n in value_counts)))


def _same(a: Any, b: Any) -> bool:
    # JSON equality: 1 and 1.0 are one value, True and 1 are not
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True) and type(a) is type(b)


def axis_problems(
    spec: Any, axes: Sequence[dict[str, Any]], max_runs: int
) -> tuple[list[list[str]], list[dict[str, str]]]:
    """Tokens of each axis's pointer, and the problems of the axes themselves: pointers that
    name no place in the spec, axes that overlap, repeated values, a grid over the cap."""
    problems: list[dict[str, str]] = []
    tokens: list[list[str]] = []
    for k, axis in enumerate(axes):
        where = f"/axes/{k}/pointer"
        try:
            toks = parse_pointer(axis["pointer"])
            set_at(spec, toks, axis["values"][0] if axis["values"] else None)
        except PointerError as exc:
            problems.append({"pointer": where, "message": str(exc)})
            toks = []
        tokens.append(toks)
        for j, value in enumerate(axis["values"]):
            first = next(i for i, v in enumerate(axis["values"]) if _same(v, value))
            if first != j:
                problems.append(
                    {
                        "pointer": f"/axes/{k}/values/{j}",
                        "message": f"repeats /axes/{k}/values/{first} ({json.dumps(value)}); "
                        "each value once.",
                    }
                )
    for k, toks in enumerate(tokens):
        for m in range(k):
            other = tokens[m]
            if toks and other and (toks[: len(other)] == other or other[: len(toks)] == toks):
                problems.append(
                    {
                        "pointer": f"/axes/{k}/pointer",
                        "message": f"overlaps /axes/{m}/pointer ({axes[m]['pointer']}): two axes "
                        "cannot set the same field.",
                    }
                )
    size = 1
    for axis in axes:
        size *= len(axis["values"])
    if size > max_runs:
        sizes = " × ".join(str(len(a["values"])) for a in axes)
        problems.append(
            {
                "pointer": "/axes",
                "message": f"the grid has {size} runs ({sizes}); this server runs at most "
                f"{max_runs} per sweep. Use fewer values.",
            }
        )
    return tokens, problems


def _under(pointer: str, prefix: str) -> bool:
    return pointer == prefix or pointer.startswith(prefix + "/")


def blame(
    axes: Sequence[dict[str, Any]],
    point_problems: Sequence[tuple[tuple[int, ...], list[dict[str, str]]]],
    n_points: int,
) -> list[dict[str, str]]:
    """The problems of the grid points (pointers into the spec, without '/spec'), each named
    by the axis that causes it:

    - at or above an axis's field, saying the field is unknown: `/axes/k/pointer`;
    - at or under an axis's field: `/axes/k/values/i` (the value the point took);
    - the same in every point: a problem of the spec itself (`/spec/...`);
    - otherwise a combination: the first axis's value, naming the other values with it.
    """
    counts: dict[tuple[str, str], int] = {}
    for _, problems in point_problems:
        for found in {(p["pointer"], p["message"]) for p in problems}:
            counts[found] = counts.get(found, 0) + 1
    out: dict[tuple[str, str], dict[str, str]] = {}
    for index, problems in point_problems:
        for p in problems:
            where, message = p["pointer"], p["message"]
            blamed: dict[str, str] | None = None
            for k, axis in enumerate(axes):
                field = axis["pointer"]
                if UNKNOWN_FIELD in message and _under(field, where):
                    blamed = {"pointer": f"/axes/{k}/pointer", "message": f"{where}: {message}"}
                    break
                if _under(where, field) or _under(field, where):
                    blamed = {"pointer": f"/axes/{k}/values/{index[k]}", "message": message}
                    break
            if blamed is None and counts[(where, message)] == n_points:
                blamed = {"pointer": "/spec" + where, "message": message}
            if blamed is None:
                others = ", ".join(
                    f"/axes/{k}/values/{index[k]} ({json.dumps(axes[k]['values'][index[k]])})"
                    for k in range(1, len(axes))
                )
                blamed = {
                    "pointer": f"/axes/0/values/{index[0]}",
                    "message": f"with {others}, {where or '/'}: {message}"
                    if others
                    else f"{where or '/'}: {message}",
                }
            out.setdefault((blamed["pointer"], blamed["message"]), blamed)
    return list(out.values())


def label(axis_pointer: str, value: Any) -> str:
    """`lr=0.1`: an axis value as a short name (the pointer's last part)."""
    name = axis_pointer.rsplit("/", 1)[-1] or axis_pointer
    return f"{name}={json.dumps(value)}"
