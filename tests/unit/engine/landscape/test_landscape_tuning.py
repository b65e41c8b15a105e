"""The learning-rate grid search and the (α, β) map agree with single paths run one by one."""

from __future__ import annotations

import pytest

from glassnet.engine.landscape import FUNCTIONS, momentum_map, run_trajectory, tune_lr
from glassnet.engine.landscape.momentum_map import MOMENTA, TOLERANCE
from shared_schemas.runspec import OptimizerSpec

START = (-2.5, 1.5)


def test_each_trial_ends_where_the_single_path_at_that_lr_ends() -> None:
    fn = FUNCTIONS["rosenbrock"]
    spec = OptimizerSpec(kind="adam", beta1=0.9, beta2=0.999)
    out = tune_lr(fn, spec, fn.start, 30, grid=(1e-3, 1e-2, 0.1))
    for trial in out["trials"]:
        path = run_trajectory(fn, spec.model_copy(update={"lr": trial["lr"]}), fn.start, 30)
        assert trial["final_loss"] == pytest.approx(path["points"][-1][2], abs=1e-9)


def test_the_best_lr_ends_lowest_and_diverged_trials_are_never_best() -> None:
    fn = FUNCTIONS["quadratic"]
    out = tune_lr(fn, OptimizerSpec(kind="sgd"), START, 20, grid=(0.01, 0.1, 0.3, 3.0))
    by_lr = {t["lr"]: t for t in out["trials"]}
    assert by_lr[3.0]["diverged"] and by_lr[3.0]["final_loss"] is None
    finite = [t for t in out["trials"] if t["final_loss"] is not None]
    assert out["best_lr"] == min(finite, key=lambda t: t["final_loss"])["lr"]


def test_a_map_cell_counts_the_steps_its_own_path_needs() -> None:
    spec = OptimizerSpec(kind="momentum", lr=0.02, momentum=0.9)
    out = momentum_map(spec, 10.0, START, max_steps=120)
    f0 = out["start_loss"]
    checked = 0
    for i in (2, 6, 9):
        for j in (0, 5, 9):
            cell = spec.model_copy(update={"lr": out["learning_rates"][i], "momentum": MOMENTA[j]})
            path = run_trajectory(FUNCTIONS["quadratic"], cell, START, 120, condition_number=10.0)
            losses = [p[2] for p in path["points"]]
            hits = [t for t, f in enumerate(losses) if f is not None and f <= TOLERANCE * f0]
            assert out["steps"][i][j] == (hits[0] if hits else None)
            checked += hits != []
    assert checked > 0  # some of the cells converge, so the comparison has teeth


def test_the_maps_lr_axis_includes_the_current_setting() -> None:
    for lr in (1e-5, 0.02, 5.0):
        out = momentum_map(OptimizerSpec(kind="momentum", lr=lr), 10.0, START, max_steps=5)
        assert min(out["learning_rates"]) <= lr <= max(out["learning_rates"])
        assert out["current"] == {"lr": lr, "momentum": 0.9}


def test_too_much_momentum_and_too_large_a_step_diverge_on_the_map() -> None:
    out = momentum_map(OptimizerSpec(kind="momentum", lr=0.02), 10.0, START)
    assert out["diverged"][-1][0]  # the largest α with β = 0 is past 2/λ_max
    assert not out["diverged"][0][0]


def test_nesterovs_map_leaves_out_beta_zero_which_torch_refuses() -> None:
    out = momentum_map(OptimizerSpec(kind="nesterov", lr=0.02), 10.0, START, max_steps=5)
    assert out["momenta"] == list(MOMENTA[1:])
    assert all(len(row) == len(MOMENTA) - 1 for row in out["steps"])
