"""The (α, β) map of momentum on the quadratic: how many steps each setting needs to converge."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch

from glassnet.engine.landscape.functions import FUNCTIONS
from glassnet.engine.landscape.trajectory import run_many
from shared_schemas.runspec import OptimizerSpec

MOMENTA = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99)
MAP_STEPS = 200
TOLERANCE = 1e-6  # converged once f ≤ TOLERANCE · f(start)
GRID_SIZE = 12


def learning_rates(condition_number: float, current: float, n: int = GRID_SIZE) -> list[float]:
    """A log-spaced α axis around the quadratic's stable range, stretched to include `current`.

    The steepest curvature is λ_max = 2·max(1, κ); plain gradient descent needs α < 2/λ_max and
    momentum stretches that to 2(1 + β)/λ_max, so 0.05/λ_max to 4/λ_max spans crawl to blow-up.
    """
    lam = 2 * max(1.0, condition_number)
    lo, hi = min(0.05 / lam, current), max(4 / lam, current)
    return [float(a) for a in np.geomspace(lo, hi, n)]


def momentum_map(
    spec: OptimizerSpec,
    condition_number: float,
    start: tuple[float, float],
    max_steps: int = MAP_STEPS,
) -> dict[str, Any]:
    """Steps to converge for every (α, β) on a grid, for spec's momentum form on x² + κ·y².

    `steps[i][j]` is for learning_rates[i] and momenta[j]: the first step with f ≤ tolerance·f(start),
    None if it did not get there within max_steps; `diverged[i][j]` when f became non-finite.
    """
    fn = FUNCTIONS["quadratic"]
    alphas = learning_rates(condition_number, spec.lr)
    # torch refuses Nesterov without momentum (it would be plain gradient descent).
    momenta = MOMENTA[1:] if spec.kind == "nesterov" else MOMENTA
    specs = [spec.model_copy(update={"lr": a, "momentum": b}) for a in alphas for b in momenta]
    history = run_many(fn, specs, start, max_steps, condition_number)
    f0 = float(history[0, 0])
    done = history <= TOLERANCE * f0
    first = torch.where(
        done.any(dim=0), done.float().argmax(dim=0), torch.full_like(done[0], -1, dtype=torch.long)
    )
    bad = (~torch.isfinite(history)).any(dim=0)
    shape = (len(alphas), len(momenta))
    steps = [[None if s < 0 else s for s in row] for row in first.reshape(shape).tolist()]
    return {
        "kind": spec.kind,
        "condition_number": condition_number,
        "start": list(start),
        "learning_rates": alphas,
        "momenta": list(momenta),
        "steps": steps,
        "diverged": bad.reshape(shape).tolist(),
        "max_steps": max_steps,
        "tolerance": TOLERANCE,
        "current": {"lr": spec.lr, "momentum": spec.momentum},
        "start_loss": f0 if math.isfinite(f0) else None,
    }
