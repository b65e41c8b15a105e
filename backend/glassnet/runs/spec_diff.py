"""What changed between two RunSpecs: the differing fields by JSON pointer, old → new.

Pure: two spec documents in, a list out. Both specs are first written out with every default
(a spec that leaves `lr` out and one that says `"lr": 0.03` do not differ), so only real changes
are listed. Big values (weight matrices, inline data, CSV text) are named by their size, not
copied: the list is for reading at a glance.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from shared_schemas.problems import pointer
from shared_schemas.runspec import RunSpec

MAX_CHANGES = 20
SHORT_LIST = 6  # lists of up to this many plain values are shown as they are
SHORT_TEXT = 40  # longer strings (a CSV's text) are shown by their length

_ABSENT = object()


def with_defaults(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec with every default written out; the spec as given when it is not a valid
    RunSpec (one stored by an older version), so that a diff can still be shown."""
    try:
        return RunSpec.model_validate(spec).model_dump(mode="json")
    except ValidationError:
        return spec


def shown(value: Any) -> Any:
    """A value as a change shows it: plain values as they are, big ones by their size."""
    if value is _ABSENT:
        return None
    if isinstance(value, str) and len(value) > SHORT_TEXT:
        return f"text of {len(value)} characters"
    if isinstance(value, list):
        if len(value) <= SHORT_LIST and all(not isinstance(v, list | dict) for v in value):
            return value
        return f"list of {len(value)}"
    if isinstance(value, dict):
        return (
            value
            if len(value) <= 2 and all(not isinstance(v, list | dict) for v in value.values())
            else "{…}"
        )
    return value


def _walk(old: Any, new: Any, path: list[str | int], out: list[dict[str, Any]]) -> None:
    if old == new and type(old) is type(new):
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [*old, *(k for k in new if k not in old)]:
            _walk(old.get(key, _ABSENT), new.get(key, _ABSENT), [*path, key], out)
        return
    # Lists of objects (the nodes) are compared item by item; lists of numbers (weights, data
    # rows) as one value.
    if (
        isinstance(old, list)
        and isinstance(new, list)
        and any(isinstance(v, dict) for v in (*old, *new))
    ):
        for i in range(max(len(old), len(new))):
            _walk(
                old[i] if i < len(old) else _ABSENT,
                new[i] if i < len(new) else _ABSENT,
                [*path, i],
                out,
            )
        return
    out.append({"pointer": pointer(*path), "old": shown(old), "new": shown(new)})


def spec_changes(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """Every field that differs from `old` to `new`, in document order, as
    `{"pointer", "old", "new"}` (None for a field one side does not have)."""
    out: list[dict[str, Any]] = []
    _walk(with_defaults(old), with_defaults(new), [], out)
    return out


def run_diff(previous_id: str, old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """The RunDiff of a run against the previous one: at most MAX_CHANGES changes, and how many
    more there were."""
    changes = spec_changes(old, new)
    return {
        "previous": previous_id,
        "changes": changes[:MAX_CHANGES],
        "omitted": max(0, len(changes) - MAX_CHANGES),
    }
