"""The loss-surface lab: 2-D test functions and the paths the training optimisers take on them.

Every path is run by `engine.optimizers.build_optimizer`, the code that trains networks, in float64.
"""

from glassnet.engine.landscape.functions import FUNCTIONS, TestFunction, get_function, surface
from glassnet.engine.landscape.momentum_map import momentum_map
from glassnet.engine.landscape.race import describe, race
from glassnet.engine.landscape.trajectory import run_trajectory
from glassnet.engine.landscape.tuning import LR_GRID, tune_lr

__all__ = [
    "FUNCTIONS",
    "LR_GRID",
    "TestFunction",
    "describe",
    "get_function",
    "momentum_map",
    "race",
    "run_trajectory",
    "surface",
    "tune_lr",
]
