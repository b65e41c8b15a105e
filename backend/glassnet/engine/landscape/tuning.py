""" "Each tuned": a small learning-rate grid search per optimiser, so a race compares each at its best."""

from __future__ import annotations

import math
from typing import Any

import torch

from glassnet.engine.landscape.functions import TestFunction
from glassnet.engine.landscape.trajectory import run_many
from shared_schemas.runspec import OptimizerSpec

# Half-decades from 1e-4 to 3: wide enough for every optimiser here on every test function.
LR_GRID = (1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1.0, 3.0)


def tune_lr(
    fn: TestFunction,
    spec: OptimizerSpec,
    start: tuple[float, float],
    steps: int,
    condition_number: float = 10.0,
    grid: tuple[float, ...] = LR_GRID,
) -> dict[str, Any]:
    """Run `spec` at every α of the grid for `steps` steps; the best α ends lowest.

    A trial diverged when f became non-finite or θ escaped on the way. If every trial diverged the
    spec's own α is kept. Returns the trials ({lr, final_loss, diverged}) and best_lr.
    """
    specs = [spec.model_copy(update={"lr": lr}) for lr in grid]
    history = run_many(fn, specs, start, steps, condition_number)
    diverged = (~torch.isfinite(history)).any(dim=0).tolist()
    finals = history[-1].tolist()
    trials = [
        {"lr": lr, "final_loss": None if bad or not math.isfinite(f) else f, "diverged": bad}
        for lr, f, bad in zip(grid, finals, diverged, strict=True)
    ]
    candidates = [t for t in trials if t["final_loss"] is not None]
    best = min(candidates, key=lambda t: t["final_loss"])["lr"] if candidates else spec.lr
    return {"kind": spec.kind, "trials": trials, "best_lr": best}
