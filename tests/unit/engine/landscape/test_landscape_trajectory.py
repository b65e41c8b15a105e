"""Paths on the test functions are torch.optim's own paths, and the recorded state is theirs too."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import torch

from glassnet.engine.landscape import FUNCTIONS, run_trajectory
from shared_schemas.runspec import OptimizerSpec

STEPS = 40
START = (-1.2, 1.7)
# α small enough that no path leaves Rosenbrock's picture in STEPS steps.
SPECS = {
    "sgd": OptimizerSpec(kind="sgd", lr=2e-4),
    "momentum": OptimizerSpec(kind="momentum", lr=2e-4, momentum=0.8),
    "nesterov": OptimizerSpec(kind="nesterov", lr=2e-4, momentum=0.8),
    "adagrad": OptimizerSpec(kind="adagrad", lr=0.05, eps=1e-10),
    "rmsprop": OptimizerSpec(kind="rmsprop", lr=0.01, rho=0.9, eps=1e-8),
    "adam": OptimizerSpec(kind="adam", lr=0.02, beta1=0.85, beta2=0.99, eps=1e-8),
    "nadam": OptimizerSpec(kind="nadam", lr=0.02, beta1=0.85, beta2=0.99, eps=1e-8),
    "adamw": OptimizerSpec(kind="adamw", lr=0.02, beta1=0.85, beta2=0.99, weight_decay=0.05),
}
TORCH: dict[str, Callable[[list[torch.nn.Parameter], OptimizerSpec], torch.optim.Optimizer]] = {
    "sgd": lambda p, s: torch.optim.SGD(p, lr=s.lr),
    "momentum": lambda p, s: torch.optim.SGD(p, lr=s.lr, momentum=s.momentum),
    "nesterov": lambda p, s: torch.optim.SGD(p, lr=s.lr, momentum=s.momentum, nesterov=True),
    "adagrad": lambda p, s: torch.optim.Adagrad(p, lr=s.lr, eps=s.eps),
    "rmsprop": lambda p, s: torch.optim.RMSprop(p, lr=s.lr, alpha=s.rho, eps=s.eps),
    "adam": lambda p, s: torch.optim.Adam(p, lr=s.lr, betas=(s.beta1, s.beta2), eps=s.eps),
    "nadam": lambda p, s: torch.optim.NAdam(p, lr=s.lr, betas=(s.beta1, s.beta2), eps=s.eps),
    "adamw": lambda p, s: torch.optim.AdamW(
        p, lr=s.lr, betas=(s.beta1, s.beta2), eps=s.eps, weight_decay=s.weight_decay
    ),
}


def _by_hand(
    kind: str, function: str
) -> tuple[list[list[float]], torch.optim.Optimizer, torch.Tensor]:
    fn = FUNCTIONS[function]
    theta = torch.nn.Parameter(torch.tensor(START, dtype=torch.float64))
    opt = TORCH[kind]([theta], SPECS[kind])
    points = []
    for _ in range(STEPS):
        opt.zero_grad()
        f = fn(theta[0], theta[1])
        points.append([*theta.tolist(), f.item()])
        f.backward()
        opt.step()
    points.append([*theta.tolist(), fn(theta[0], theta[1]).item()])
    return points, opt, theta


@pytest.mark.parametrize("function", ["rosenbrock", "beale"])
@pytest.mark.parametrize("kind", sorted(SPECS))
def test_every_optimisers_path_equals_torch_optim_run_by_hand(kind: str, function: str) -> None:
    expected, _, _ = _by_hand(kind, function)
    got = run_trajectory(FUNCTIONS[function], SPECS[kind], START, STEPS)
    assert not got["diverged"]
    assert len(got["points"]) == STEPS + 1
    assert torch.allclose(torch.tensor(got["points"]), torch.tensor(expected), rtol=0, atol=1e-9)


@pytest.mark.parametrize(
    ("kind", "ours", "theirs"),
    [
        ("momentum", "velocity", "momentum_buffer"),
        ("nesterov", "velocity", "momentum_buffer"),
        ("adagrad", "sum_sq", "sum"),
        ("rmsprop", "mean_sq", "square_avg"),
        ("adam", "m", "exp_avg"),
        ("adam", "v", "exp_avg_sq"),
        ("nadam", "v", "exp_avg_sq"),
    ],
)
def test_the_last_recorded_state_is_torch_optims_state(kind: str, ours: str, theirs: str) -> None:
    _, opt, theta = _by_hand(kind, "rosenbrock")
    got = run_trajectory(FUNCTIONS["rosenbrock"], SPECS[kind], START, STEPS)
    assert got["state"][-1]["step"] == STEPS
    assert got["state"][-1][ours] == pytest.approx(opt.state[theta][theirs].tolist(), abs=1e-9)


def test_adams_bias_corrected_moments_follow_their_formula() -> None:
    spec = SPECS["adam"]
    got = run_trajectory(FUNCTIONS["beale"], spec, START, 3)
    for s in got["state"]:
        t = s["step"]
        assert s["m_hat"] == pytest.approx([m / (1 - spec.beta1**t) for m in s["m"]], abs=1e-12)
        assert s["v_hat"] == pytest.approx([v / (1 - spec.beta2**t) for v in s["v"]], abs=1e-12)


def test_the_seed_form_momentum_path_equals_its_formula_by_hand() -> None:
    # v = βv + (1 − β)g; θ = θ − αv, written out with plain floats.
    beta, alpha = 0.9, 0.01
    fn = FUNCTIONS["quadratic"]
    kappa = 5.0
    x, y = START
    vx = vy = 0.0
    expected = []
    for _ in range(STEPS):
        expected.append([x, y, x * x + kappa * y * y])
        gx, gy = 2 * x, 2 * kappa * y
        vx, vy = beta * vx + (1 - beta) * gx, beta * vy + (1 - beta) * gy
        x, y = x - alpha * vx, y - alpha * vy
    expected.append([x, y, x * x + kappa * y * y])
    spec = OptimizerSpec(kind="momentum_ema", lr=alpha, momentum=beta)
    got = run_trajectory(fn, spec, START, STEPS, condition_number=kappa)
    assert torch.allclose(torch.tensor(got["points"]), torch.tensor(expected), rtol=0, atol=1e-12)
    assert got["state"][-1]["velocity"] == pytest.approx([vx, vy], abs=1e-12)


def test_each_step_records_the_gradient_it_used_and_the_update_it_made() -> None:
    got = run_trajectory(FUNCTIONS["quadratic"], OptimizerSpec(kind="sgd", lr=0.1), (1.0, 1.0), 2)
    first = got["state"][0]
    assert first["step"] == 1
    assert first["grad"] == pytest.approx([2.0, 20.0])
    assert first["update"] == pytest.approx([-0.2, -2.0])


@pytest.mark.parametrize(("lr", "factor"), [(0.05, 0.9), (0.5, 0.0), (0.9, -0.8), (1.1, -1.2)])
def test_gradient_descent_on_w_squared_scales_w_by_one_minus_two_alpha(
    lr: float, factor: float
) -> None:
    # Along y = 0 the quadratic is the lecture's f(w) = w²: w ← w − α·2w = (1 − 2α)·w.
    got = run_trajectory(FUNCTIONS["quadratic"], OptimizerSpec(kind="sgd", lr=lr), (2.0, 0.0), 5)
    ws = [p[0] for p in got["points"]]
    assert ws == pytest.approx([2.0 * factor**t for t in range(6)], abs=1e-12)


def test_a_diverging_path_stops_at_its_first_escaped_point_and_says_so() -> None:
    spec = OptimizerSpec(kind="sgd", lr=5.0)
    got = run_trajectory(FUNCTIONS["quadratic"], spec, (2.0, 0.0), 100)
    assert got["diverged"]
    assert len(got["points"]) < 101
    assert abs(got["points"][-1][0]) > 1e6
    assert len(got["state"]) == len(got["points"]) - 1
