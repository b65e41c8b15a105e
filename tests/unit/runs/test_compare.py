"""Comparison maths: histograms spread onto shared edges, and step alignment."""

from __future__ import annotations

import pytest

from glassnet.runs.compare import (
    RunEntry,
    compare,
    default_step,
    rebin,
    record_at,
    shared_edges,
    thin_rows,
)


def test_rebin_onto_the_same_edges_is_the_identity() -> None:
    assert rebin(0.0, 2.0, [3, 1], [0.0, 1.0, 2.0]) == [3.0, 1.0]


def test_rebin_onto_wider_edges_spreads_by_overlap_and_keeps_the_total() -> None:
    out = rebin(0.0, 1.0, [2, 2], [-1.0, 0.0, 1.0, 2.0])
    assert out == [0.0, 4.0, 0.0]
    out = rebin(0.0, 1.0, [4], [0.0, 0.25, 2.0])
    assert out == pytest.approx([1.0, 3.0])


def test_rebin_of_one_value_lands_in_its_bin() -> None:
    assert rebin(1.5, 1.5, [5], [0.0, 1.0, 2.0]) == [0.0, 5.0]


def test_shared_edges_span_every_range() -> None:
    edges = shared_edges([(0.0, 1.0), (-1.0, 0.5)], bins=4)
    assert edges == [-1.0, -0.5, 0.0, 0.5, 1.0]


def test_record_at_takes_the_nearest_step_at_or_before() -> None:
    records = [{"step": 0}, {"step": 10}, {"step": 25}]
    assert record_at(records, 24)["step"] == 10
    assert record_at(records, 25)["step"] == 25
    assert record_at([{"step": 5}], 4) is None


def _layer(lo: float, hi: float, counts: list[int]) -> dict:
    q = {
        "hist": {"lo": lo, "hi": hi, "counts": counts},
        "loghist": {"lo": -12.0, "hi": 4.0, "counts": [1, 2]},
        "stats": {"mean": 0.0, "std": 1.0, "rms": 1.0, "min": lo, "max": hi, "n": sum(counts)},
    }
    return {"id": "h", "kind": "dense", "W": q, "z": q, "a": q, "delta": q}


def _entry(run_id: str, steps: list[int], lo: float, hi: float) -> RunEntry:
    records = [{"step": s, "layers": [_layer(lo, hi, [1, 1])]} for s in steps]
    run = {"id": run_id, "name": None, "state": "finished", "step": steps[-1]}
    return RunEntry(run, [{"step": s, "loss": 1.0} for s in steps], records)


def test_compare_aligns_steps_and_shares_edges() -> None:
    a = _entry("a", [0, 10, 20], 0.0, 1.0)
    b = _entry("b", [0, 7, 30], -1.0, 0.0)
    out = compare([a, b], 15)
    assert [r["step_shown"] for r in out["runs"]] == [10, 7]
    delta = out["layers"][0]["quantities"]["delta"]
    assert delta["hist"]["edges"][0] == -1.0 and delta["hist"]["edges"][-1] == 1.0
    assert [sum(c) for c in delta["hist"]["counts"]] == pytest.approx([2.0, 2.0])
    assert delta["loghist"]["counts"] == [[1, 2], [1, 2]]


def test_default_step_is_the_latest_every_run_reached() -> None:
    a, b = _entry("a", [0, 10, 20], 0, 1), _entry("b", [0, 7, 30], 0, 1)
    assert default_step([a, b]) == 20
    assert compare([a, b], None)["runs"][1]["step_shown"] == 7


def test_a_run_without_a_record_that_early_says_so() -> None:
    a, b = _entry("a", [0, 10], 0, 1), _entry("b", [5, 10], 0, 1)
    out = compare([a, b], 3)
    assert out["runs"][1]["step_shown"] is None
    assert "first recorded step is 5" in out["runs"][1]["note"]
    assert out["layers"][0]["quantities"]["W"]["hist"]["counts"][1] is None


def test_thin_rows_keeps_the_last_row() -> None:
    rows = [{"step": i} for i in range(10)]
    out = thin_rows(rows, cap=4)
    assert len(out) <= 5 and out[-1] == {"step": 9} and out[0] == {"step": 0}
