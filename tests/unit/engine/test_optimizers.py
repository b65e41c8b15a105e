"""Optimisers against the lecture's worked numbers (Adam table, EMA vs torch momentum, L1/L2)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch

from glassnet.engine import Trainer
from glassnet.engine.optimizers import build_optimizer
from glassnet.engine.paths.lean_optim import NumpyOptimizer
from shared_schemas.runspec import OptimizerSpec

ADAM = OptimizerSpec(kind="adam", lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8)
ADAM_GRADS = (0.5, 0.5, -0.2)
ADAM_TABLE = [  # t, m, v, θ
    (1, 0.05, 0.00025, -0.001),
    (2, 0.095, 0.00049975, -0.002),
    (3, 0.0655, 0.00053925, -0.0025698),
]
EMA_THETA = [-0.01, -0.029, -0.0561, -0.09049, -0.13144]
TORCH_MOMENTUM_THETA = [-0.1, -0.29, -0.561, -0.9049, -1.31441]


def _torch_run(
    spec: OptimizerSpec, grads: list[float]
) -> tuple[list[float], torch.optim.Optimizer, torch.nn.Parameter]:
    p = torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))
    opt = build_optimizer(spec, [p])
    thetas = []
    for g in grads:
        p.grad = torch.tensor([g], dtype=torch.float64)
        opt.step()
        thetas.append(float(p.detach()))
    return thetas, opt, p


def _numpy_run(spec: OptimizerSpec, grads: list[float]) -> tuple[list[float], NumpyOptimizer]:
    p = np.zeros(1)
    opt = NumpyOptimizer(spec, [p])
    thetas = []
    for g in grads:
        opt.step([np.array([g])])
        thetas.append(float(p[0]))
    return thetas, opt


@pytest.mark.parametrize(("t", "m", "v", "theta"), ADAM_TABLE)
def test_torch_adam_reproduces_the_lecture_table(t: int, m: float, v: float, theta: float) -> None:
    thetas, opt, p = _torch_run(ADAM, list(ADAM_GRADS[:t]))
    state = opt.state[p]
    assert float(state["exp_avg"]) == pytest.approx(m, abs=1e-12)
    assert float(state["exp_avg_sq"]) == pytest.approx(v, abs=5e-9)  # the table rounds to 1e-8
    assert thetas[-1] == pytest.approx(theta, abs=5e-8)


@pytest.mark.parametrize(("t", "m", "v", "theta"), ADAM_TABLE)
def test_numpy_adam_reproduces_the_lecture_table(t: int, m: float, v: float, theta: float) -> None:
    thetas, opt = _numpy_run(ADAM, list(ADAM_GRADS[:t]))
    assert float(opt.m[0][0]) == pytest.approx(m, abs=1e-12)
    assert float(opt.v[0][0]) == pytest.approx(v, abs=5e-9)  # the table rounds to 1e-8
    assert thetas[-1] == pytest.approx(theta, abs=5e-8)


def test_adam_first_step_is_about_lr_times_sign_of_gradient() -> None:
    assert _torch_run(ADAM, [-123.0])[0][0] == pytest.approx(1e-3, rel=1e-6)


@pytest.mark.parametrize("runner", [_torch_run, _numpy_run], ids=["torch", "numpy"])
def test_ema_momentum_follows_the_lecture(runner: Any) -> None:
    spec = OptimizerSpec(kind="momentum_ema", lr=0.1, momentum=0.9)
    assert runner(spec, [1.0] * 5)[0] == pytest.approx(EMA_THETA, abs=5e-6)  # table rounded


@pytest.mark.parametrize("runner", [_torch_run, _numpy_run], ids=["torch", "numpy"])
def test_torch_momentum_takes_ten_times_larger_steps(runner: Any) -> None:
    spec = OptimizerSpec(kind="momentum", lr=0.1, momentum=0.9)
    thetas = runner(spec, [1.0] * 5)[0]
    assert thetas == pytest.approx(TORCH_MOMENTUM_THETA, abs=5e-6)  # table rounded
    ema = runner(OptimizerSpec(kind="momentum_ema", lr=0.1, momentum=0.9), [1.0] * 5)[0]
    assert thetas == pytest.approx([10 * t for t in ema], rel=1e-12)


def _one_weight_trainer(w: float, l1: float, l2: float, path: str) -> Trainer:
    """y = w·x with x = 1 and MSE, targets chosen so that ∂MSE/∂w = 2(w − t) = 0.1."""
    t = w - 0.05
    spec = {
        "network": {
            "nodes": [
                {"id": "x", "kind": "input", "shape": [1]},
                {"id": "y", "kind": "dense", "units": 1, "weights": [[w]], "bias": [0.0]},
            ]
        },
        "data": {
            "dataset": "inline",
            "inputs": [[1.0], [1.0]],
            "targets": [[t], [t]],
            "train_fraction": 1.0,
        },
        "training": {
            "loss": "mse",
            "optimizer": {"kind": "sgd", "lr": 0.1},
            "regularization": {"l1": l1, "l2": l2},
            "epochs": 10,
        },
        "dtype": "float64",
        "device": "cpu",
    }
    return Trainer(spec, path="auto" if path == "compiled" else path)  # type: ignore[arg-type]


PATHS = ["compiled", "lean", "autograd"]
L1_L2_CASES = [  # w, λ1, λ2, w after one step
    (2.0, 0.01, 0.0, 1.989),
    (2.0, 0.0, 0.01, 1.986),
    (-0.25, 0.01, 0.0, -0.259),
    (-0.25, 0.0, 0.01, -0.2595),
]


@pytest.mark.parametrize(("w", "l1", "l2", "after"), L1_L2_CASES)
@pytest.mark.parametrize("path", PATHS)
def test_l1_l2_updates_follow_the_lecture(
    w: float, l1: float, l2: float, after: float, path: str
) -> None:
    trainer = _one_weight_trainer(w, l1, l2, path)
    trainer.step()
    assert trainer.path_name == path
    assert float(trainer.model.layers[0].weight.detach()) == pytest.approx(after, abs=1e-12)


@pytest.mark.parametrize("path", PATHS)
def test_biases_are_not_regularised(path: str) -> None:
    plain, reg = (
        _one_weight_trainer(2.0, 0, 0, path),
        _one_weight_trainer(2.0, 0.5, 0.5, path),
    )
    plain.step()
    reg.step()
    assert float(plain.model.layers[0].bias.detach()) == float(reg.model.layers[0].bias.detach())


KINDS = [
    "sgd",
    "momentum",
    "momentum_ema",
    "nesterov",
    "adagrad",
    "rmsprop",
    "adam",
    "nadam",
    "adamw",
]


@pytest.mark.parametrize("kind", KINDS)
def test_numpy_optimizer_matches_torch_optim(kind: str) -> None:
    rng = np.random.default_rng(3)
    spec = OptimizerSpec(kind=kind, lr=0.05)
    shapes = [(4, 3), (4,)]
    start = [rng.normal(size=s) for s in shapes]
    grads = [[rng.normal(size=s) for s in shapes] for _ in range(12)]
    tp = [torch.nn.Parameter(torch.tensor(s)) for s in start]
    topt = build_optimizer(spec, tp)
    npp = [s.copy() for s in start]
    nopt = NumpyOptimizer(spec, npp)
    for g in grads:
        for p, gi in zip(tp, g, strict=True):
            p.grad = torch.tensor(gi)
        topt.step()
        nopt.step([gi.copy() for gi in g])
    for p, q in zip(tp, npp, strict=True):
        np.testing.assert_allclose(p.detach().numpy(), q, rtol=0, atol=1e-12)
