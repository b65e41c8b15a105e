"""Loss-surface lab bodies: `POST /api/v1/landscape/trajectories` and `GET /api/v1/landscape/functions`.

Points are [x, y, f]; a value that overflowed (a diverging path) travels as null.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, model_validator

from shared_schemas.runspec import OptimizerSpec

LandscapeFunctionName = Literal[
    "quadratic", "rosenbrock", "beale", "himmelblau", "saddle", "monkey_saddle", "plateau"
]
# Start points beyond this are off every function's picture by a factor of 10⁵.
Coordinate = Annotated[StrictFloat, Field(ge=-1e6, le=1e6)]
MaybeFloat = float | None
Pair = list[MaybeFloat]


class RaceOptimizer(OptimizerSpec):
    """A RunSpec OptimizerSpec, read strictly: JSON true is not the number 1 here."""

    model_config = ConfigDict(extra="forbid", strict=True)

    @model_validator(mode="after")
    def _nesterov_needs_momentum(self) -> RaceOptimizer:
        if self.kind == "nesterov" and self.momentum == 0:
            raise ValueError("nesterov needs momentum > 0 (with 0 it is plain sgd; pick sgd).")
        return self


class MomentumMapRequest(BaseModel):
    """The momentum setting whose (α, β) neighbourhood to map on the quadratic."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["momentum", "momentum_ema", "nesterov"] = Field(
        "momentum", description="momentum is torch's v = βv + g; momentum_ema the lecture's."
    )
    lr: StrictFloat = Field(0.02, gt=0, le=100, description="α, marked on the map")
    momentum: StrictFloat = Field(0.9, ge=0, lt=1, description="β, marked on the map")


class TrajectoryRequest(BaseModel):
    """A race: optimisers from one start point on one test function."""

    model_config = ConfigDict(extra="forbid")

    function: LandscapeFunctionName = "quadratic"
    condition_number: StrictFloat = Field(
        10.0,
        ge=1,
        le=1000,
        description="quadratic x² + κ·y² only: κ, the Hessian's condition number",
    )
    start: tuple[Coordinate, Coordinate] = Field(
        description="(x, y) the paths start from", examples=[[-2.5, 1.5]]
    )
    steps: StrictInt = Field(100, ge=1, le=1000)
    optimizers: list[RaceOptimizer] = Field(
        min_length=1, max_length=8, description="RunSpec optimiser settings, one path each"
    )
    mode: Literal["same", "tuned"] = Field(
        "same",
        description="same: each optimiser's own lr as sent. tuned: each runs at the lr of a small "
        "grid that ends lowest after `steps` steps (the grid is returned in `tuning`).",
    )
    momentum_map: MomentumMapRequest | None = Field(
        None, description="Also map steps-to-converge over (α, β) on the quadratic with this κ."
    )
    surface_resolution: StrictInt = Field(
        80, ge=8, le=160, description="f is sampled on this many points per side for contours"
    )


class OptimizerStepState(BaseModel):
    """An optimiser after step t: the gradient it used, the update Δθ and its own state."""

    # inside a Trajectory (exported as validation) it is still what the server writes
    model_config = ConfigDict(json_schema_mode_override="serialization")

    step: int
    grad: Pair
    update: Pair
    velocity: Pair | None = Field(None, description="momentum, nesterov, momentum_ema: v")
    sum_sq: Pair | None = Field(None, description="adagrad: Σ g²")
    mean_sq: Pair | None = Field(None, description="rmsprop: running mean of g²")
    m: Pair | None = Field(None, description="adam, nadam, adamw: first moment")
    v: Pair | None = Field(None, description="adam, nadam, adamw: second moment")
    m_hat: Pair | None = Field(None, description="adam, adamw: m / (1 − β1ᵗ)")
    v_hat: Pair | None = Field(None, description="adam, nadam, adamw: v / (1 − β2ᵗ)")


class Trajectory(BaseModel):
    # the optimiser echoes a RunSpec's OptimizerSpec, which clients send: one schema for both ways
    model_config = ConfigDict(json_schema_mode_override="validation")

    optimizer: OptimizerSpec = Field(description="as run (in tuned mode with the tuned lr)")
    points: list[list[MaybeFloat]] = Field(description="[x, y, f] per step, the start first")
    state: list[OptimizerStepState] = Field(description="one entry per step taken")
    diverged: bool = Field(description="f overflowed or θ left |θ| ≤ 1e6; the path stops there")


class LrTrial(BaseModel):
    lr: float
    final_loss: MaybeFloat = Field(description="f after the last step; null when it diverged")
    diverged: bool


class LrTuning(BaseModel):
    """One optimiser's learning-rate grid search."""

    kind: str
    trials: list[LrTrial]
    best_lr: float


class MomentumMapSetting(BaseModel):
    lr: float
    momentum: float


class MomentumMap(BaseModel):
    """Steps to converge over (α, β): steps[i][j] is for learning_rates[i] and momenta[j]."""

    kind: str
    condition_number: float
    start: list[float]
    learning_rates: list[float]
    momenta: list[float]
    steps: list[list[int | None]] = Field(
        description="first step with f ≤ tolerance·f(start); null: not within max_steps"
    )
    diverged: list[list[bool]]
    max_steps: int
    tolerance: float
    current: MomentumMapSetting
    start_loss: MaybeFloat


class LandscapeFunction(BaseModel):
    """A test function: its formula, the square it is drawn on, its minima and a default start."""

    name: LandscapeFunctionName
    title: str
    formula: str
    x_range: list[float] = Field(min_length=2, max_length=2)
    y_range: list[float] = Field(min_length=2, max_length=2)
    minima: list[list[float]] = Field(description="[x, y] of each minimum")
    start: list[float] = Field(min_length=2, max_length=2)


class Surface(BaseModel):
    """f on a grid over the function's square: values[row][col], rows along y low to high."""

    x_range: list[float] = Field(min_length=2, max_length=2)
    y_range: list[float] = Field(min_length=2, max_length=2)
    values: list[list[MaybeFloat]]


class TrajectoryResponse(BaseModel):
    function: LandscapeFunction
    condition_number: float
    trajectories: list[Trajectory]
    tuning: list[LrTuning] | None = None
    momentum_map: MomentumMap | None = None
    surface: Surface


class LandscapeFunctionList(BaseModel):
    functions: list[LandscapeFunction]


# --- the network's own landscape: POST /api/v1/runs/{id}/landscape -------------------------------


class NetworkLandscapeRequest(BaseModel):
    """A 2-D slice of a run's parameters to compute the training loss on."""

    model_config = ConfigDict(extra="forbid")

    directions: Literal["random", "path"] = Field(
        "random",
        description="random: two filter-normalised random directions (Li et al. 2018) from "
        "`seed`; path: the two principal directions of the run's path so far, which show most "
        "of its movement",
    )
    resolution: StrictInt = Field(21, ge=3, le=41, description="grid points per side")
    span: StrictFloat = Field(
        1.0, gt=0, le=10, description="random directions: α, β ∈ [−span, span]"
    )
    seed: StrictInt = Field(0, ge=0, le=2**31 - 1, description="random directions: their seed")


class NetworkPathPoint(BaseModel):
    """θ_t of the run projected on the plane, with the training loss at θ_t itself."""

    step: int
    alpha: float
    beta: float
    loss: float | None


class NetworkLandscape(BaseModel):
    """The training loss over the plane θ* + α·d₁ + β·d₂ through the run's current parameters θ*."""

    run: str
    step: int = Field(description="the step of θ*, the plane's centre")
    directions: Literal["random", "path"]
    alphas: list[float] = Field(description="the grid's α values (columns)")
    betas: list[float] = Field(description="the grid's β values (rows)")
    loss: list[list[MaybeFloat]] = Field(
        description="[β index][α index] training loss; null where it overflowed"
    )
    center_loss: MaybeFloat
    path: list[NetworkPathPoint] = Field(
        description="the recorded path (the start, then epoch ends; evenly thinned on long runs) "
        "ending at θ*"
    )
    off_plane: MaybeFloat = Field(
        description="share of the path's squared movement from θ* that lies off the plane"
    )
    parameters: int
    examples: int = Field(description="training examples the loss is computed over")
