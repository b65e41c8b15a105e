"""Several runs side by side: loss histories, and each layer's W, z, a and δ histograms on shared
bins at one step.

Every run's histogram of a quantity has its own range [lo, hi]. To overlay them, each is spread
onto one set of edges spanning every run's range: a source bin gives each target bin the share of
its width that overlaps it (values are taken as spread evenly inside a bin, the only assumption a
histogram allows); total counts are kept. The log10|x| histograms share fixed edges already and
travel unchanged. Steps are aligned by taking, in each run, its nearest recorded step at or before
the requested one, and each run says which step it gives.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from glassnet.runs.layer_history import QUANTITIES

SHARED_BINS = 32
MAX_CURVE_POINTS = 2000  # metric rows per run in a comparison (thinned evenly, the last kept)


@dataclass(frozen=True)
class RunEntry:
    """What a comparison needs of one run: its public view, metrics and recorded summaries."""

    run: dict[str, Any]
    metrics: list[dict[str, Any]]
    records: list[dict[str, Any]]


def rebin(lo: float, hi: float, counts: Sequence[float], edges: Sequence[float]) -> list[float]:
    """Counts of the histogram over [lo, hi] (equal bins) spread onto `edges` by overlap.

    A histogram of one value (lo == hi) puts all of it into the bin holding that value."""
    n = len(edges) - 1
    out = [0.0] * n
    if not counts or n <= 0:
        return out
    if hi <= lo:
        total = float(sum(counts))
        i = bisect.bisect_right(edges, lo) - 1
        out[min(max(i, 0), n - 1)] += total
        return out
    width = (hi - lo) / len(counts)
    for k, c in enumerate(counts):
        if not c:
            continue
        a, b = lo + k * width, lo + (k + 1) * width
        j = max(bisect.bisect_right(edges, a) - 1, 0)
        while j < n and edges[j] < b:
            overlap = min(b, edges[j + 1]) - max(a, edges[j])
            if overlap > 0:
                out[j] += c * overlap / width
            j += 1
    return out


def shared_edges(ranges: Sequence[tuple[float, float]], bins: int = SHARED_BINS) -> list[float]:
    """`bins` equal bins spanning every range; a single value gets a unit-wide range around it."""
    lo = min(r[0] for r in ranges)
    hi = max(r[1] for r in ranges)
    if hi <= lo:
        lo, hi = lo - 0.5, hi + 0.5
    step = (hi - lo) / bins
    return [lo + i * step for i in range(bins)] + [hi]


def record_at(records: Sequence[dict[str, Any]], step: int) -> dict[str, Any] | None:
    """The record at the nearest recorded step at or before `step` (records oldest first)."""
    steps = [r["step"] for r in records]
    i = bisect.bisect_right(steps, step) - 1
    return records[i] if i >= 0 else None


def default_step(entries: Sequence[RunEntry]) -> int:
    """The latest step every run with a record has reached (0 when none has any)."""
    lasts = [e.records[-1]["step"] for e in entries if e.records]
    return min(lasts) if lasts else 0


def thin_rows(rows: list[dict[str, Any]], cap: int = MAX_CURVE_POINTS) -> list[dict[str, Any]]:
    """At most `cap` rows, evenly spread, the last one kept."""
    if len(rows) <= cap:
        return rows
    stride = -(-len(rows) // cap)
    out = rows[::stride]
    if out[-1] is not rows[-1]:
        out.append(rows[-1])
    return out


def _quantity(summaries: list[dict[str, Any] | None]) -> dict[str, Any]:
    present = [s for s in summaries if s is not None]
    edges = shared_edges([(s["hist"]["lo"], s["hist"]["hi"]) for s in present])
    log = present[0]["loghist"]
    return {
        "hist": {
            "edges": edges,
            "counts": [
                None
                if s is None
                else rebin(s["hist"]["lo"], s["hist"]["hi"], s["hist"]["counts"], edges)
                for s in summaries
            ],
        },
        "loghist": {
            "lo": log["lo"],
            "hi": log["hi"],
            "counts": [None if s is None else s["loghist"]["counts"] for s in summaries],
        },
        "stats": [None if s is None else s["stats"] for s in summaries],
    }


def compare(entries: Sequence[RunEntry], step: int | None) -> dict[str, Any]:
    """The comparison of `entries` at `step` (None: the latest step every run has reached)."""
    at = default_step(entries) if step is None else step
    picked = [record_at(e.records, at) for e in entries]
    runs = []
    for e, rec in zip(entries, picked, strict=True):
        note = None
        if not e.records:
            note = "no layer summaries were recorded for this run (it never took a step)."
        elif rec is None:
            note = f"its first recorded step is {e.records[0]['step']}, after step {at}."
        runs.append(
            {
                **e.run,
                "step_shown": None if rec is None else rec["step"],
                "recorded_steps": [r["step"] for r in e.records],
                "metrics": thin_rows(e.metrics),
                "note": note,
            }
        )
    # Layers matched by id, in the order they first appear (the first run's order first).
    order: list[str] = []
    kinds: dict[str, Any] = {}
    by_run: list[dict[str, dict[str, Any]]] = []
    for rec in picked:
        layers = {layer["id"]: layer for layer in rec["layers"]} if rec else {}
        by_run.append(layers)
        for layer_id, layer in layers.items():
            if layer_id not in kinds:
                order.append(layer_id)
                kinds[layer_id] = layer.get("kind")
    out_layers = []
    for layer_id in order:
        quantities = {}
        for name in QUANTITIES:
            summaries = [layers.get(layer_id, {}).get(name) for layers in by_run]
            if any(s is not None for s in summaries):
                quantities[name] = _quantity(summaries)
        out_layers.append({"id": layer_id, "kind": kinds[layer_id], "quantities": quantities})
    return {"step": at, "runs": runs, "layers": out_layers}


MIN_RUNS, MAX_RUNS = 2, 8


def compare_runs(manager: Any, run_ids: Sequence[str], step: int | None) -> dict[str, Any]:
    """Gather the runs from the run manager and compare them; InvalidSpec (every problem, each
    naming `/query/runs/i`) for a list that is too short, too long, repeats or names no run."""
    from glassnet.runs.errors import InvalidSpec, NotFound

    problems = []
    if not MIN_RUNS <= len(run_ids) <= MAX_RUNS:
        problems.append(
            {
                "pointer": "/query/runs",
                "message": f"compare {MIN_RUNS} to {MAX_RUNS} runs (comma-separated ids); "
                f"got {len(run_ids)}.",
            }
        )
    entries = []
    for i, run_id in enumerate(run_ids):
        if run_id in run_ids[:i]:
            problems.append(
                {"pointer": f"/query/runs/{i}", "message": f"{run_id!r} is listed twice."}
            )
            continue
        try:
            run = manager.get(run_id)
        except NotFound:
            problems.append(
                {"pointer": f"/query/runs/{i}", "message": f"no run with id {run_id!r}."}
            )
            continue
        public = {k: run[k] for k in ("id", "name", "state", "step")}
        entries.append(
            RunEntry(public, manager.metrics(run_id), manager.layer_history.records(run_id))
        )
    if problems:
        raise InvalidSpec("invalid comparison", problems)
    return compare(entries, step)
