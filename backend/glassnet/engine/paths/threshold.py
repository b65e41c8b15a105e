"""Threshold networks: the perceptron rule, and forward-only evaluation of hand-set weights."""

from __future__ import annotations

import torch
from torch import Tensor

from glassnet.engine.losses import compute_loss, correct
from glassnet.engine.model import Capture, GraphModel
from glassnet.engine.paths.autograd import AutogradPath
from glassnet.engine.paths.base import StepResult
from glassnet.engine.probes import LayerProbe, layer_probe
from shared_schemas.runspec import TrainingSpec


class ForwardOnlyPath(AutogradPath):
    """Evaluates the network each step without changing it (XOR from hand-set threshold units)."""

    name = "forward_only"

    @torch.no_grad()
    def train_step(self, x: Tensor, t: Tensor, capture: bool) -> StepResult:
        cap = Capture() if capture else None
        z, a = self.model.forward_zy(x, cap)
        probes = self._probes_from(cap) if cap is not None else None
        return StepResult(compute_loss(self.training.loss, z, a, t), correct(a, t), probes)

    def _probes_from(self, cap: Capture) -> list[LayerProbe]:
        return [
            layer_probe(
                layer,
                x=cap.layers[layer.id].x,
                z=cap.layers[layer.id].z,
                a=cap.layers[layer.id].a,
            )
            for layer in self.model.layers
        ]

    def probe(self, x: Tensor, t: Tensor) -> list[LayerProbe]:
        cap = Capture()
        with torch.no_grad():
            self.model.forward_zy(x, cap)
        return self._probes_from(cap)


class PerceptronPath(ForwardOnlyPath):
    """Rosenblatt's rule for one threshold layer: w ← w + η(t − o)x, b ← b + η(t − o).

    With a sign unit the 0/1 targets are read as −1/+1, so that t − o is 0 or ±2.
    """

    name = "perceptron"

    def __init__(
        self, model: GraphModel, optimizer: torch.optim.Optimizer, training: TrainingSpec
    ) -> None:
        super().__init__(model, optimizer, training)
        self.layer = model.layers[0]

    def targets(self, t: Tensor) -> Tensor:
        return 2 * t - 1 if self.layer.fn.name == "sign" else t

    @torch.no_grad()
    def train_step(self, x: Tensor, t: Tensor, capture: bool) -> StepResult:
        layer, lr = self.layer, self.optimizer.param_groups[0]["lr"]
        cap = Capture() if capture else None
        _, o = self.model.forward_zy(x, cap)
        probes = self._probes_from(cap) if cap is not None else None
        if probes is not None:
            probes[0].W_before = layer.weight.detach().clone()
        target = self.targets(t)
        error = target - o
        layer.weight.add_(error.T @ x, alpha=lr)
        layer.bias.add_(error.sum(dim=0), alpha=lr)
        return StepResult(0.5 * (error * error).sum(), correct_threshold(o, target), probes)

    @torch.no_grad()
    def evaluate(self, x: Tensor, t: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        _, o = self.model.forward_zy(x)
        error = self.targets(t) - o
        return 0.5 * (error * error).sum(), correct_threshold(o, self.targets(t)), o


def correct_threshold(o: Tensor, target: Tensor) -> Tensor:
    """A threshold unit is right when its output equals the target exactly."""
    return (o == target).all(dim=-1).sum()
