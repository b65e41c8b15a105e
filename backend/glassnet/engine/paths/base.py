"""What every training path returns, and the pieces they share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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


def apply_clipping(params: list[torch.nn.Parameter], training: TrainingSpec) -> None:
    """Clip by value, then by global norm, as the spec asks (torch's own utilities)."""
    clip = training.clip
    if clip.value is not None:
        torch.nn.utils.clip_grad_value_(params, clip.value)
    if clip.norm is not None:
        torch.nn.utils.clip_grad_norm_(params, clip.norm, foreach=False)
