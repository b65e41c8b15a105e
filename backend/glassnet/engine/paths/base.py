"""What every training path returns, and the pieces they share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import torch
from torch import Tensor

from glassnet.engine.node_probes import NodeProbe
from glassnet.engine.probes import LayerProbe
from glassnet.engine.recurrent_probes import RecurrentProbe
from shared_schemas.runspec import TrainingSpec

Probe = LayerProbe | RecurrentProbe | NodeProbe  # what a capturing step reports, per layer or node


@dataclass
class StepResult:
    """Loss and number correct of one batch (device scalars), and probes when captured."""

    loss: Tensor | float
    correct: Tensor | float
    probes: Sequence[Probe] | None


class TrainingPath(Protocol):
    """What the trainer asks of a training path (autograd, lean, compiled, data-parallel,
    perceptron, forward-only). Batches come as tensors, or as numpy views for a path whose
    `native` cuts them so (the lean paths accept both)."""

    @property
    def name(self) -> str: ...

    def set_lr(self, lr: float) -> None: ...

    def train_step(self, x: Tensor, t: Tensor, capture: bool) -> StepResult:
        """One training step on the batch (x, t); `capture` returns its probes."""
        ...

    def evaluate(
        self, x: Tensor, t: Tensor
    ) -> tuple[Tensor | float, Tensor | float, Tensor | np.ndarray]:
        """(loss, number correct, outputs) without dropout."""
        ...

    def probe(self, x: Tensor, t: Tensor) -> Sequence[Probe]:
        """Probes at the current parameters, without an update."""
        ...

    def outputs(self, x: Tensor) -> Tensor:
        """The network's output for a batch."""
        ...

    def layer_outputs(self, x: Tensor) -> tuple[dict[str, Tensor], Tensor]:
        """Every layer's output and the network's output for a batch."""
        ...


def apply_clipping(params: list[torch.nn.Parameter], training: TrainingSpec) -> None:
    """Clip by value, then by global norm, as the spec asks (torch's own utilities)."""
    clip = training.clip
    if clip.value is not None:
        torch.nn.utils.clip_grad_value_(params, clip.value)
    if clip.norm is not None:
        torch.nn.utils.clip_grad_norm_(params, clip.norm, foreach=False)
