"""A race: several optimisers from one start on one test function, optionally each at its tuned α."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any, Literal

from glassnet.engine.landscape.functions import FUNCTIONS, TestFunction, surface
from glassnet.engine.landscape.momentum_map import momentum_map
from glassnet.engine.landscape.trajectory import run_trajectory
from glassnet.engine.landscape.tuning import tune_lr
from shared_schemas.runspec import OptimizerSpec


def describe(fn: TestFunction) -> dict[str, Any]:
    """A test function as the wire describes it (without its torch expression)."""
    out = asdict(fn)
    del out["f"]
    out["minima"] = [list(m) for m in fn.minima]
    out["x_range"], out["y_range"], out["start"] = (
        list(fn.x_range),
        list(fn.y_range),
        list(fn.start),
    )
    return out


def race(
    function: str,
    start: tuple[float, float],
    steps: int,
    optimizers: Sequence[OptimizerSpec],
    condition_number: float = 10.0,
    mode: Literal["same", "tuned"] = "same",
    map_setting: OptimizerSpec | None = None,
    surface_resolution: int = 80,
) -> dict[str, Any]:
    """Every optimiser's path, the tuning grids in tuned mode, the (α, β) map when asked, and f's grid.

    The (α, β) map is always on the quadratic with this κ; it starts from `start` when the race is on
    the quadratic too, else from the quadratic's own default start.
    """
    fn = FUNCTIONS[function]
    tuning = None
    if mode == "tuned":
        tuning = [tune_lr(fn, spec, start, steps, condition_number) for spec in optimizers]
        optimizers = [
            spec.model_copy(update={"lr": t["best_lr"]})
            for spec, t in zip(optimizers, tuning, strict=True)
        ]
    trajectories = [run_trajectory(fn, s, start, steps, condition_number) for s in optimizers]
    mapped = None
    if map_setting is not None:
        map_start = start if function == "quadratic" else FUNCTIONS["quadratic"].start
        mapped = momentum_map(map_setting, condition_number, map_start)
    return {
        "function": describe(fn),
        "condition_number": condition_number,
        "trajectories": trajectories,
        "tuning": tuning,
        "momentum_map": mapped,
        "surface": {
            "x_range": fn.x_range,
            "y_range": fn.y_range,
            "values": surface(fn, condition_number, surface_resolution),
        },
    }
