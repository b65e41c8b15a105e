"""One entry of the run history: a run's public view with its spec summary and what changed
from the run its owner created before it."""

from __future__ import annotations

from typing import Any

from glassnet.runs.spec_diff import run_diff
from glassnet.runs.spec_summary import spec_summary
from shared_schemas.api import SpecJson


def history_item(
    public: dict[str, Any],
    spec: SpecJson,
    previous: tuple[str, SpecJson] | None,
    mine: bool,
) -> dict[str, Any]:
    """`public` (RunPublic fields) with `summary`, `diff` (None without a previous run; else
    against `previous`, that run's id and spec) and `mine` (the caller owns the run). The specs
    are the documents as their creators sent them: the diff is of what they wrote."""
    return {
        **public,
        "mine": mine,
        "summary": spec_summary(spec),
        "diff": run_diff(previous[0], previous[1], spec) if previous is not None else None,
    }
