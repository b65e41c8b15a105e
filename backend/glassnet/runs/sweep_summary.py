"""A sweep in one list entry: its base spec in a line, how far its grid has come, its best loss.

Pure: the sweep's public view (SweepService.get) in, the list entry out.
"""

from __future__ import annotations

from typing import Any

from glassnet.runs.spec_summary import spec_summary
from glassnet.runs.state import LIVE


def sweep_progress(points: list[dict[str, Any]]) -> dict[str, int]:
    """Counts of the grid's points waiting, training and ended (cancelled and deleted count as
    ended: they will not train again), and of the ended, those that finished."""
    states = [p["state"] for p in points]
    queued = states.count("queued")
    running = sum(1 for s in states if s in LIVE)
    return {
        "total": len(states),
        "queued": queued,
        "running": running,
        "ended": len(states) - queued - running,
        "finished": states.count("finished"),
    }


def best_loss(points: list[dict[str, Any]]) -> float | None:
    """The lowest final training loss among the runs that reported one."""
    losses = [
        p["final_metrics"]["loss"]
        for p in points
        if p.get("final_metrics") and isinstance(p["final_metrics"].get("loss"), int | float)
    ]
    return min(losses) if losses else None


def sweep_summary(view: dict[str, Any]) -> dict[str, Any]:
    """The list entry of a sweep from its full public view."""
    return {
        "id": view["id"],
        "name": view["name"],
        "spec_summary": spec_summary(view["spec"]),
        "axes": view["axes"],
        "state": view["state"],
        "progress": sweep_progress(view["runs"]),
        "best_loss": best_loss(view["runs"]),
        "created_at": view["created_at"],
        "updated_at": view["updated_at"],
    }
