"""Batched segment summaries equal a straightforward numpy computation, tensor by tensor."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from glassnet.engine import summary
from glassnet.engine.summary import (
    HIST_BINS,
    LOG_BINS,
    LOG_HI,
    LOG_LO,
    SAMPLE_CAP,
    example_rows,
    flat_values,
    summarise,
)


@pytest.fixture(autouse=True, params=["compiled", "batched"])
def statistics(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every case runs through both ways of computing the statistics of CPU tensors: the
    compiled loop and the batched torch operations (the only way on a GPU)."""
    import glassnet.engine.summary_kernel  # noqa: F401  (loaded: summarise may use it)

    monkeypatch.setattr(summary, "COMPILED_ON_CPU", request.param == "compiled")
    return str(request.param)


def _reference(x: np.ndarray, flag: np.ndarray | None) -> dict[str, object]:
    """One tensor's summary, written the obvious way."""
    flat = x.reshape(-1).astype(np.float64)
    fin = flat[np.isfinite(flat)]
    stats: dict[str, float | None] = {
        "mean": float(fin.mean()) if fin.size else None,
        "std": float(fin.std()) if fin.size else None,
        "rms": float(np.sqrt((fin * fin).mean())) if fin.size else None,
        "min": float(fin.min()) if fin.size else None,
        "max": float(fin.max()) if fin.size else None,
        "frac_zero": float((flat == 0).mean()),
        "frac_nonfinite": float((~np.isfinite(flat)).mean()),
        "n": flat.size,
        "sampled": flat.size,
    }
    if flag is not None:
        stats["frac_flag"] = float(flag.mean())
    if fin.size:
        lo, hi = fin.min(), fin.max()
        if hi == lo:
            lo, hi = lo - 0.5, hi + 0.5
    else:
        lo, hi = 0.0, 1.0
    bins = np.clip(((fin - lo) * (HIST_BINS / (hi - lo))).astype(np.int64), 0, HIST_BINS - 1)
    counts = np.bincount(bins, minlength=HIST_BINS).tolist()
    nz = fin[fin != 0]
    logs = np.clip(np.log10(np.abs(nz)), LOG_LO, LOG_HI - 1e-9)
    lbins = ((logs - LOG_LO) * (LOG_BINS / (LOG_HI - LOG_LO))).astype(np.int64)
    return {
        "stats": stats,
        "hist": {"lo": float(lo), "hi": float(hi), "counts": counts},
        "loghist": {
            "lo": LOG_LO,
            "hi": LOG_HI,
            "counts": np.bincount(lbins, minlength=LOG_BINS).tolist(),
            "zeros": int((fin == 0).sum()),
        },
    }


def _assert_same(got: dict[str, object], want: dict[str, object]) -> None:
    gs, ws = got["stats"], want["stats"]
    assert isinstance(gs, dict) and isinstance(ws, dict)
    assert gs.keys() == ws.keys()
    for k, v in ws.items():
        if v is None:
            assert gs[k] is None, k
        else:
            assert gs[k] == pytest.approx(v, rel=1e-9, abs=1e-12), k
    gh, wh = got["hist"], want["hist"]
    assert isinstance(gh, dict) and isinstance(wh, dict)
    assert gh["lo"] == pytest.approx(wh["lo"]) and gh["hi"] == pytest.approx(wh["hi"])
    assert gh["counts"] == wh["counts"]
    assert got["loghist"] == want["loghist"]


def _cases() -> list[np.ndarray]:
    rng = np.random.default_rng(7)
    with_nonfinite = rng.normal(size=(5, 7))
    with_nonfinite[0, 0], with_nonfinite[1, 3], with_nonfinite[4, 6] = np.nan, np.inf, -np.inf
    sparse = rng.normal(size=40)
    sparse[::3] = 0.0
    return [
        rng.normal(size=(8, 3)),
        rng.uniform(-5, 5, size=(2, 3, 4, 4)),
        with_nonfinite,
        np.full((4, 4), 0.7),
        np.zeros(10),
        sparse,
        np.array([1e-15, -1e-13, 3e5, 2.5]),  # below and above the log edges
        np.array([np.nan, np.inf]),
        np.array([3.0]),
    ]


@pytest.mark.parametrize("index", range(len(_cases())))
def test_summary_of_one_tensor_equals_numpy(index: int) -> None:
    x = _cases()[index]
    (got,) = summarise([torch.from_numpy(x)], [None])
    _assert_same(got, _reference(x, None))


def test_batched_summary_equals_one_by_one() -> None:
    cases = _cases()
    rng = np.random.default_rng(1)
    flags = [rng.random(c.shape) < 0.3 if i % 2 else None for i, c in enumerate(cases)]
    got = summarise(
        [torch.from_numpy(c) for c in cases],
        [torch.from_numpy(f) if f is not None else None for f in flags],
    )
    assert len(got) == len(cases)
    for g, c, f in zip(got, cases, flags, strict=True):
        _assert_same(g, _reference(c, f))


def test_float32_tensors_are_summarised_in_float64() -> None:
    x = np.random.default_rng(2).normal(size=100).astype(np.float32)
    (got,) = summarise([torch.from_numpy(x)], [None])
    _assert_same(got, _reference(x, None))


def test_log_histogram_counts_zeros_apart() -> None:
    (got,) = summarise([torch.tensor([0.0, 0.0, 1.0, -10.0, 0.0])], [None])
    loghist = got["loghist"]
    assert isinstance(loghist, dict)
    assert loghist["zeros"] == 3
    assert sum(loghist["counts"]) == 2


def test_every_finite_value_lands_in_a_bin() -> None:
    x = np.random.default_rng(4).standard_cauchy(size=1000)
    (got,) = summarise([torch.from_numpy(x)], [None])
    hist = got["hist"]
    assert isinstance(hist, dict)
    assert sum(hist["counts"]) == 1000
    assert hist["lo"] == x.min() and hist["hi"] == x.max()


def test_empty_input_gives_no_summaries() -> None:
    assert summarise([], []) == []


def test_constant_tensor_lands_in_the_middle_bin() -> None:
    (got,) = summarise([torch.full((6,), -2.0, dtype=torch.float64)], [None])
    hist = got["hist"]
    assert isinstance(hist, dict)
    assert hist["counts"][HIST_BINS // 2] == 6
    stats = got["stats"]
    assert isinstance(stats, dict) and stats["std"] == 0.0 and not math.isnan(stats["mean"])


def test_large_tensors_are_summarised_from_a_sample_with_exact_extremes() -> None:
    x = torch.linspace(-3.0, 5.0, 3 * SAMPLE_CAP + 7, dtype=torch.float64)
    x[5] = float("nan")
    (got,) = summarise([x], [None])
    stats = got["stats"]
    assert isinstance(stats, dict)
    assert stats["n"] == x.numel()
    assert stats["sampled"] <= SAMPLE_CAP
    assert stats["min"] == -3.0 and stats["max"] == 5.0
    assert stats["frac_nonfinite"] == pytest.approx(1 / x.numel())
    # a sample of 1,024 values of a uniform spread of width 8: standard error ≈ 0.07
    assert stats["mean"] == pytest.approx(1.0, abs=0.25)


def test_large_finite_tensors_report_their_exact_extremes() -> None:
    x = torch.from_numpy(np.random.default_rng(5).normal(size=(40, 300)))
    (got,) = summarise([x], [None])
    stats = got["stats"]
    assert isinstance(stats, dict)
    assert (stats["min"], stats["max"]) == (float(x.min()), float(x.max()))
    assert stats["frac_nonfinite"] == 0.0
    hist = got["hist"]
    assert isinstance(hist, dict)
    assert sum(hist["counts"]) == SAMPLE_CAP


def test_moment_only_tensors_have_the_moments_of_their_full_summary() -> None:
    rng = np.random.default_rng(6)
    big = rng.normal(size=3 * SAMPLE_CAP)
    with_nan = rng.normal(size=30)
    with_nan[4] = np.nan
    cases = [torch.from_numpy(c) for c in (rng.normal(size=7), big, with_nan)]
    full = summarise(cases, [None] * 3)
    mixed = summarise([cases[0].clone(), *cases], [None] * 4, [False, True, False, False])
    for got, want in zip([mixed[0], *mixed[2:]], [full[0], *full[1:]], strict=True):
        gs, ws = got["stats"], want["stats"]
        assert isinstance(gs, dict) and isinstance(ws, dict)
        assert got.keys() == {"stats"}
        assert gs.keys() == {"mean", "std", "rms", "frac_nonfinite", "n", "sampled"}
        for k, v in gs.items():
            assert v == pytest.approx(ws[k], rel=1e-12), k
    _assert_same(mixed[1], _reference(cases[0].numpy(), None))


def test_a_flag_shared_by_two_tensors_is_reported_for_both() -> None:
    x = torch.from_numpy(np.random.default_rng(8).normal(size=(50, 40)))
    flag = x > 1.0
    z, a = summarise([x, torch.tanh(x)], [flag, flag])
    for s in (z, a):
        stats = s["stats"]
        assert isinstance(stats, dict)
        # sampled like the tensor: the same fixed positions of the 2,000 values
        assert stats["frac_flag"] == pytest.approx(float(flag.double().mean()), abs=0.05)
    assert z["stats"]["frac_flag"] == a["stats"]["frac_flag"]  # type: ignore[index]


def test_a_tensor_given_twice_is_summarised_once_with_equal_results() -> None:
    x = torch.from_numpy(np.random.default_rng(9).normal(size=(64, 32)))
    view = x.view(-1)[: x.numel()].view(64, 32)  # the same memory, read the same way
    first, second, moments = summarise([x, view, x], [None, None, None], [True, True, False])
    assert first == second
    assert first is not second  # callers may edit one without touching the other
    assert moments == first  # a moment-only request sharing a full row gets the full summary


def _channels_last(shape: tuple[int, ...]) -> torch.Tensor:
    x = torch.from_numpy(np.random.default_rng(10).normal(size=shape))
    return x.contiguous(memory_format=torch.channels_last)


def test_flat_values_of_a_channels_last_tensor_is_a_view_of_every_value() -> None:
    x = _channels_last((4, 3, 5, 5))
    flat = flat_values(x)
    assert flat.data_ptr() == x.data_ptr() and flat.shape == (x.numel(),)
    assert torch.equal(flat.sort().values, x.reshape(-1).sort().values)


def test_example_rows_hold_each_example_in_its_own_row() -> None:
    x = _channels_last((4, 3, 5, 5))
    rows = example_rows(x)
    assert rows.data_ptr() == x.data_ptr() and rows.shape == (4, 75)
    for i in range(4):
        assert torch.equal(rows[i].sort().values, x[i].reshape(-1).sort().values)


def test_flat_values_of_a_strided_tensor_is_every_value_in_order() -> None:
    x = torch.arange(24.0).reshape(4, 6)[:, ::2]
    assert torch.equal(flat_values(x), x.reshape(-1))


def test_a_channels_last_tensor_is_summarised_like_its_contiguous_copy() -> None:
    x = _channels_last((4, 3, 5, 5))
    _assert_same(summarise([x], [None])[0], _reference(x.contiguous().numpy(), None))


def test_a_large_channels_last_tensor_keeps_its_exact_extremes_and_zeros() -> None:
    x = _channels_last((16, 8, 12, 12)).relu()
    (got,) = summarise([x], [None])
    stats = got["stats"]
    assert isinstance(stats, dict)
    assert (stats["min"], stats["max"]) == (0.0, float(x.max()))
    assert stats["n"] == x.numel() and stats["sampled"] == SAMPLE_CAP
    # a sample of 1,024 values of a half-zero tensor: standard error ≈ 0.016
    assert stats["frac_zero"] == pytest.approx(0.5, abs=0.08)


def test_compiled_and_batched_statistics_agree_on_every_kind_of_row(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = np.random.default_rng(11)
    rows: list[torch.Tensor] = []
    for i in range(40):
        n = int(rng.integers(0, 60)) if i % 9 else int(rng.integers(SAMPLE_CAP, 3 * SAMPLE_CAP))
        x = rng.normal(scale=10.0 ** rng.integers(-14, 6), size=n)
        if i % 4 == 1 and n:
            x[rng.integers(0, n, size=3)] = rng.choice([np.nan, np.inf, -np.inf, 0.0], size=3)
        if i % 5 == 2:
            x[:] = 0.25
        rows.append(torch.from_numpy(x).float() if i % 3 == 0 else torch.from_numpy(x))
    rows.append(torch.empty(0, dtype=torch.float64))
    # big rows holding a NaN or ±inf go the batched way in both runs; the finite ones are
    # summarised from their sample by the compiled loop, with their exact extremes
    full = [i % 6 != 5 for i in range(len(rows))]
    flags = [t > 0 if i % 7 == 3 else None for i, t in enumerate(rows)]
    monkeypatch.setattr(summary, "COMPILED_ON_CPU", True)
    compiled = summarise(rows, flags, full)
    monkeypatch.setattr(summary, "COMPILED_ON_CPU", False)
    batched = summarise(rows, flags, full)
    for got, want in zip(compiled, batched, strict=True):
        assert got.keys() == want.keys()
        gs, ws = got["stats"], want["stats"]
        assert isinstance(gs, dict) and isinstance(ws, dict) and gs.keys() == ws.keys()
        for k, v in ws.items():
            if v is None or (isinstance(v, float) and math.isnan(v)):
                assert gs[k] is None or math.isnan(gs[k]), k
            else:
                assert gs[k] == pytest.approx(v, rel=1e-12, abs=1e-300), k
        if "hist" in want:
            gh, wh = got["hist"], want["hist"]
            assert isinstance(gh, dict) and isinstance(wh, dict)
            assert gh["counts"] == wh["counts"]
            assert (gh["lo"], gh["hi"]) == pytest.approx((wh["lo"], wh["hi"]), rel=1e-15)
            assert got["loghist"] == want["loghist"]


def test_big_finite_tensors_on_the_cpu_are_summarised_by_the_compiled_loop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(summary, "COMPILED_ON_CPU", True)  # the fixture loaded the loop

    def refuse(*args: object) -> None:
        raise AssertionError("the batched torch form ran")

    monkeypatch.setattr(summary, "_batched_statistics", refuse)
    w = torch.linspace(-3.0, 5.0, 4 * SAMPLE_CAP).reshape(64, -1)
    (got,) = summarise([w], [None])
    stats = got["stats"]
    assert isinstance(stats, dict) and stats["sampled"] == SAMPLE_CAP
    assert (stats["min"], stats["max"]) == (-3.0, 5.0)  # over every value, not the sample's
    assert (got["hist"]["lo"], got["hist"]["hi"]) == (-3.0, 5.0)  # type: ignore[index]


def test_a_big_tensor_holding_a_nan_counts_it_over_every_value_on_either_path() -> None:
    x = torch.ones(4 * SAMPLE_CAP)
    x[7] = math.nan
    (got,) = summarise([x], [None])
    stats = got["stats"]
    assert isinstance(stats, dict)
    assert stats["frac_nonfinite"] == pytest.approx(1 / x.numel())
    assert (stats["min"], stats["max"]) == (1.0, 1.0)
