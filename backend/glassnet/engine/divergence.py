"""Divergence: the handler that ends a run whose loss stopped being a number, and its diagnosis
(which layer went non-finite first, and the likely cause)."""

from __future__ import annotations

import math
from typing import Any, Protocol

import torch
from torch import Tensor

from glassnet.engine.model import GraphModel
from glassnet.engine.paths.base import TrainingPath
from shared_schemas.runspec import RunSpec


class DivergedRun(Protocol):
    """What the report reads of the run that diverged (the Trainer, at the step it happened)."""

    model: GraphModel
    path: TrainingPath
    spec: RunSpec
    lr: float
    step_count: int
    epoch: int

    @property
    def last_batch(self) -> tuple[Tensor, Tensor] | None:
        """The batch of the last step run."""
        ...


class DivergingRun(DivergedRun, Protocol):
    """What the divergence handler reads of the run, beyond the report's, and how it ends it."""

    diagnosis: dict[str, Any] | None

    @property
    def done(self) -> bool:
        """Whether the run has ended."""
        ...

    @property
    def batch_loss(self) -> float | None:
        """The loss of the last step run."""
        ...

    @property
    def epoch_metrics(self) -> dict[str, Any] | None:
        """The last finished epoch's metrics row."""
        ...

    def stop(self, status: str = ..., reason: str = ...) -> None:
        """End the run with a final status and its reason."""
        ...


def stop_diverged(run: DivergingRun) -> None:
    """End the run as diverged, with a diagnosis (attached to the trainer's LOSS_NOT_FINITE
    event: a step's loss, or an epoch's mean loss, that is not a number)."""
    if run.done:
        return
    loss = run.batch_loss
    if loss is None or math.isfinite(loss):
        # every step's loss was a number, their epoch mean was not (it overflowed)
        loss = float(run.epoch_metrics["loss"]) if run.epoch_metrics else math.nan
    run.diagnosis = diagnose(run, loss)
    run.stop("diverged", run.diagnosis["message"])


def _first_nonfinite_layer(trainer: DivergedRun) -> tuple[str | None, str | None]:
    """(layer id, quantity) of the first layer, input to output, with non-finite values."""
    layers = trainer.model.layers
    for layer in layers:
        if not torch.isfinite(layer.weight).all() or not torch.isfinite(layer.bias).all():
            return layer.id, "weights"
    if trainer.last_batch is not None:
        x, _ = trainer.last_batch
        with torch.no_grad():
            outputs, _ = trainer.path.layer_outputs(x)
        for layer in layers:
            a = outputs.get(layer.id)
            if a is not None and not torch.isfinite(a).all():
                return layer.id, "activations"
    return (layers[-1].id if layers else None), "loss"


def _gradient_norms(trainer: DivergedRun) -> list[float]:
    norms = []
    for layer in trainer.model.layers:
        g = layer.weight.grad
        norms.append(float(g.norm()) if g is not None else math.nan)
    return norms


def diagnose(trainer: DivergedRun, loss_value: float) -> dict[str, Any]:
    """A plain-language explanation of why the loss stopped being a number."""
    layer_id, quantity = _first_nonfinite_layer(trainer)
    norms = _gradient_norms(trainer)
    finite = [n for n in norms if math.isfinite(n) and n > 0]
    # Gradients that grow toward the input layer by more than 10× overall point at exploding
    # gradients; otherwise the steps were simply too large for the loss surface.
    exploding = len(finite) >= 2 and finite[0] > 10 * finite[-1]
    spec = trainer.spec.training
    lr = trainer.lr
    what = "NaN" if math.isnan(loss_value) else "infinite"
    cause = "exploding_gradients" if exploding else "learning_rate_too_high"
    advice = [f"a learning rate about 10× smaller (now {lr:g})"]
    if spec.clip.norm is None:
        advice.append("gradient clipping (training.clip.norm = 1)")
    if exploding:
        advice.append("Xavier or He initialisation, or batch normalisation")
    explanation = (
        "gradients grew as they flowed back toward the input, so the early layers' updates exploded"
        if exploding
        else f"each update overshot the minimum by more than it corrected (learning rate {lr:g} "
        f"with {spec.optimizer.kind})"
    )
    message = (
        f"Training diverged at step {trainer.step_count} (epoch {trainer.epoch}): the loss became "
        f"{what}. Layer '{layer_id}' was the first to go non-finite ({quantity}). Likely cause: "
        f"{explanation}. Try {', or '.join(advice)}."
    )
    return {
        "step": trainer.step_count,
        "epoch": trainer.epoch,
        "layer": layer_id,
        "quantity": quantity,
        "cause": cause,
        "lr": lr,
        "grad_norms": [n if math.isfinite(n) else None for n in norms],
        "message": message,
    }
