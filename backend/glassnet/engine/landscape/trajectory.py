"""One optimiser's path on a test function, with its internal state after every step.

The optimiser is `build_optimizer(spec, [θ])`, the code that trains networks; θ = (x, y) in float64.
"""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import nn

from glassnet.engine.landscape.functions import TestFunction
from glassnet.engine.optimizer_state import optimizer_state
from glassnet.engine.optimizers import build_optimizer
from shared_schemas.runspec import OptimizerSpec

# Past this distance from the origin a path has left every function's picture for good: stop it
# there rather than overflow to inf a few steps later.
ESCAPE = 1e6


def _finite(values: list[float]) -> list[float | None]:
    return [v if math.isfinite(v) else None for v in values]


def _pair(t: torch.Tensor) -> list[float | None]:
    return _finite(t.detach().tolist())


def run_trajectory(
    fn: TestFunction,
    spec: OptimizerSpec,
    start: tuple[float, float],
    steps: int,
    condition_number: float = 10.0,
) -> dict[str, Any]:
    """`steps` updates of `spec` from `start` on `fn`.

    Returns points [[x, y, f], ...] (the start first; a path that diverges stops at its first
    non-finite or escaped point), the state after each step (step t, the gradient g it used, the
    update Δθ and the optimiser's own state), and whether it diverged.
    """
    theta = nn.Parameter(torch.tensor(start, dtype=torch.float64))
    optimizer = build_optimizer(spec, [theta])
    points: list[list[float | None]] = []
    states: list[dict[str, Any]] = []
    diverged = False
    for t in range(steps + 1):
        optimizer.zero_grad()
        value = fn(theta[0], theta[1], condition_number)
        points.append(_finite([*theta.detach().tolist(), float(value.detach())]))
        if (
            not torch.isfinite(value)
            or not torch.isfinite(theta).all()
            or theta.abs().max() > ESCAPE
        ):
            diverged = True
            break
        if t == steps:
            break
        value.backward()
        assert theta.grad is not None
        grad = theta.grad.detach().clone()
        before = theta.detach().clone()
        optimizer.step()
        states.append(
            {
                "step": t + 1,
                "grad": _pair(grad),
                "update": _pair(theta.detach() - before),
                **{k: _pair(v) for k, v in optimizer_state(spec, optimizer, theta).items()},
            }
        )
    return {"optimizer": spec, "points": points, "state": states, "diverged": diverged}


def run_many(
    fn: TestFunction,
    specs: list[OptimizerSpec],
    start: tuple[float, float],
    steps: int,
    condition_number: float = 10.0,
) -> torch.Tensor:
    """f after each of `steps` updates for many optimisers at once: a (steps + 1, len(specs)) tensor.

    Each spec gets its own θ and its own optimiser (the training code again); one forward and one
    backward serve them all, since the surface is evaluated on the stacked θs and each f depends on
    its own θ only. A diverged column keeps its inf or nan; the callers read that as diverged.
    """
    thetas = [nn.Parameter(torch.tensor(start, dtype=torch.float64)) for _ in specs]
    optimizers = [build_optimizer(s, [p]) for s, p in zip(specs, thetas, strict=True)]
    history = torch.empty(steps + 1, len(specs), dtype=torch.float64)
    for t in range(steps + 1):
        stacked = torch.stack(tuple(thetas))
        values = fn(stacked[:, 0], stacked[:, 1], condition_number)
        history[t] = values.detach()
        if t == steps:
            break
        for p in thetas:
            p.grad = None
        # Rows that overflowed would poison nothing (each θ's gradient is its own row), but keep
        # their nan out of the sum so autograd's warnings stay quiet.
        torch.where(torch.isfinite(values), values, torch.zeros_like(values)).sum().backward()
        with torch.no_grad():
            for p in thetas:
                if not torch.isfinite(p).all() or p.abs().max() > ESCAPE:
                    p.fill_(float("nan"))
        for opt in optimizers:
            opt.step()
    return history
