"""An optimiser's internal state for one parameter, in the lecture's names.

Shared by the loss-surface lab and the textbook trace, so both show the same quantities: velocity
(momentum's v: torch's buffer for momentum/nesterov, the EMA for momentum_ema), sum_sq (AdaGrad's
Σg²), mean_sq (RMSProp's running mean of g²), m and v (Adam's first and second moments) with
m_hat = m/(1 − β1ᵗ) and v_hat = v/(1 − β2ᵗ). NAdam corrects m with its own momentum schedule, so
only its v_hat is the plain formula and its m_hat is left out.
"""

from __future__ import annotations

import torch
from torch.optim import Optimizer

from shared_schemas.runspec import OptimizerSpec


def optimizer_state(
    spec: OptimizerSpec, optimizer: Optimizer, param: torch.Tensor
) -> dict[str, torch.Tensor]:
    """The state `optimizer` (built from `spec`) keeps for `param`, copied out of it."""
    state = optimizer.state[param]
    out: dict[str, torch.Tensor] = {}
    if state.get("momentum_buffer") is not None:
        out["velocity"] = state["momentum_buffer"]
    if "velocity" in state:
        out["velocity"] = state["velocity"]
    if spec.kind == "adagrad":
        out["sum_sq"] = state["sum"]
    if spec.kind == "rmsprop":
        out["mean_sq"] = state["square_avg"]
    if spec.kind in ("adam", "adamw", "nadam"):
        t = float(state["step"])
        out["m"], out["v"] = state["exp_avg"], state["exp_avg_sq"]
        out["v_hat"] = state["exp_avg_sq"] / (1 - spec.beta2**t)
        if spec.kind != "nadam":
            out["m_hat"] = state["exp_avg"] / (1 - spec.beta1**t)
    return {k: v.detach().clone() for k, v in out.items()}
