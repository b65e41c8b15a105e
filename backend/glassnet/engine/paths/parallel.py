"""The data-parallel training path: each batch split across k workers, their gradients all-reduced
into one update (sync), or applied to weights that moved on since the workers read them (async).

The workers run one after another in the run's process (engine/parallel.py); each capture step
leaves a report of what every worker did, for the Data parallel view.
"""

from __future__ import annotations

from collections import deque
from typing import Any

import torch
from torch import Tensor

from glassnet.engine.losses import REDUCTION, compute_loss
from glassnet.engine.model import Capture, GraphModel
from glassnet.engine.parallel import (
    InlineShards,
    ShardResult,
    ShardRunner,
    all_reduce,
    combine_weights,
    combined_correct,
    combined_loss,
    shard_bounds,
)
from glassnet.engine.paths.autograd import AutogradPath, _penalty, _probes
from glassnet.engine.paths.base import StepResult, apply_clipping
from glassnet.engine.probes import LayerProbe, weights_before
from shared_schemas.runspec import TrainingSpec

SAMPLE = 8  # gradient values per parameter shown in the view (the first ones, row-major)


def parameter_names(model: GraphModel) -> list[str]:
    """`<layer id>.W`, `<layer id>.b` (other tensors keep torch's name after the layer id)."""
    names = []
    for name, p in model.named_parameters():
        if not p.requires_grad:
            continue
        name = name.removeprefix("blocks.")
        layer, _, rest = name.partition(".")
        names.append(f"{layer}.{ {'weight': 'W', 'bias': 'b'}.get(rest, rest) }")
    return names


def _norms(names: list[str], tensors: list[Tensor]) -> dict[str, float]:
    return {
        n: float(torch.linalg.vector_norm(g).item()) for n, g in zip(names, tensors, strict=True)
    }


def _sample(names: list[str], tensors: list[Tensor]) -> dict[str, list[float]]:
    return {
        n: g.detach().reshape(-1)[:SAMPLE].tolist() for n, g in zip(names, tensors, strict=True)
    }


class ParallelPath(AutogradPath):
    """Autograd, one shard per worker; the torch optimiser applies the all-reduced gradient."""

    name = "parallel"

    def __init__(
        self, model: GraphModel, optimizer: torch.optim.Optimizer, training: TrainingSpec
    ) -> None:
        super().__init__(model, optimizer, training)
        assert training.parallel is not None
        self.parallel = training.parallel
        self.names = parameter_names(model)
        staleness = self.parallel.staleness if self.parallel.mode == "async" else 0
        # θ of the last s+1 steps, oldest first: the async workers read the oldest (checkpointed)
        self.history: deque[list[Tensor]] = deque(maxlen=staleness + 1)
        self.steps = 0
        # where the workers run: one after another here, unless the run layer hands in another
        self.runner: ShardRunner = InlineShards(model, self.params, training.loss)
        self.report: dict[str, Any] | None = None  # what the workers did on the last capture step

    def train_step(self, x: Tensor, t: Tensor, capture: bool) -> StepResult:
        params, training = self.params, self.training
        for p in params:
            p.grad = None
        now: list[Tensor] | None = None
        if self.history.maxlen is not None and self.history.maxlen > 1:
            self.history.append([p.detach().clone() for p in params])
            if len(self.history) > 1:
                now = self.history[-1]
                self._load(self.history[0])  # the workers read the weights of s steps ago
        read_at = self.steps - (len(self.history) - 1 if now is not None else 0)

        bounds = shard_bounds(x.shape[0], self.parallel.workers)
        shards = self.runner.run(x, t, bounds)
        weights = combine_weights(training.loss, [s.size for s in shards])
        grads = all_reduce(shards, weights)
        penalty = _penalty(self.model, training)
        if penalty is not None:  # the penalty belongs to the weights, not to any shard: once
            extra = torch.autograd.grad(penalty, params, allow_unused=True)
            for g, e in zip(grads, extra, strict=True):
                if e is not None:
                    g.add_(e)
        probes: list[Any] | None = None
        seen: dict[str, Any] = {}
        if capture:
            probes, full = self._capture(x, t)
            seen = self._compare(grads, full)
        if now is not None:
            self._load(now)  # the update lands on the weights as they are now
        for p, g in zip(params, grads, strict=True):
            p.grad = g
        apply_clipping(params, training)
        before: list[Tensor] = []
        if probes is not None:
            by_layer = {layer.id: layer.weight.grad for layer in self.model.layers}
            for probe in probes:
                if isinstance(probe, LayerProbe):
                    probe.grad_W = by_layer.get(probe.id)
                    probe.W_before = weights_before(probe.W)
            before = [p.detach().clone() for p in params]
        if self._plain_sgd:
            self._sgd_step()
        else:
            self.optimizer.step()
        if probes is not None:
            self.report = self._report(shards, weights, seen, before, read_at)
        self.steps += 1
        return StepResult(combined_loss(shards, weights), combined_correct(shards), probes)

    @torch.no_grad()
    def _load(self, values: list[Tensor]) -> None:
        for p, v in zip(self.params, values, strict=True):
            p.copy_(v)

    def _capture(self, x: Tensor, t: Tensor) -> tuple[list[Any], list[Tensor] | None]:
        """Probes of the whole batch at the weights the workers read, and the one-worker batch
        gradient to compare the all-reduce with (None when dropout makes every pass differ)."""
        model = self.model
        stochastic = model.stochastic_modules()
        for m in stochastic:
            m.eval()  # the probe pass draws no masks: the run's random stream stays the workers'
        try:
            cap = Capture()
            z, a = model.forward_zy(x, cap)
            loss = compute_loss(self.training.loss, z, a, t)
            full = list(torch.autograd.grad(loss, self.params, allow_unused=True))
        finally:
            for m in stochastic:
                m.train()
        full = [
            torch.zeros_like(p) if g is None else g for p, g in zip(self.params, full, strict=True)
        ]
        penalty = _penalty(model, self.training)
        if penalty is not None:
            extra = torch.autograd.grad(penalty, self.params, allow_unused=True)
            full = [g if e is None else g + e for g, e in zip(full, extra, strict=True)]
        probes = _probes(model, cap, {}, with_grads=False)
        return probes, (None if stochastic else full)

    def _compare(self, grads: list[Tensor], full: list[Tensor] | None) -> dict[str, Any]:
        """The all-reduced gradient (before any clipping) beside the one-worker batch gradient."""
        names = self.names
        seen: dict[str, Any] = {
            "average": {"grad_norms": _norms(names, grads), "grad_sample": _sample(names, grads)},
            "full_batch": None,
            "max_abs_difference": None,
        }
        if full is not None:
            seen["full_batch"] = {
                "grad_norms": _norms(names, full),
                "grad_sample": _sample(names, full),
            }
            seen["max_abs_difference"] = max(
                float((g - f).abs().max().item()) for g, f in zip(grads, full, strict=True)
            )
        return seen

    def _report(
        self,
        shards: list[ShardResult],
        weights: list[float],
        seen: dict[str, Any],
        before: list[Tensor],
        read_at: int,
    ) -> dict[str, Any]:
        names = self.names
        update = [p.detach() - b for p, b in zip(self.params, before, strict=True)]
        return {
            "workers": self.parallel.workers,
            "mode": self.parallel.mode,
            "staleness": self.steps - read_at,
            "combine": "sum" if REDUCTION.get(self.training.loss) == "sum" else "mean",
            "in_process": self.runner.in_process,
            "shards": [
                {
                    "worker": i,
                    "rows": [s.start, s.stop],
                    "weight": w,
                    "loss": None if s.loss is None else float(s.loss.item()),
                    "grad_norms": None if s.grads is None else _norms(names, s.grads),
                    "grad_sample": None if s.grads is None else _sample(names, s.grads),
                }
                for i, (s, w) in enumerate(zip(shards, weights, strict=True))
            ],
            **seen,
            "update": {"norms": _norms(names, update), "sample": _sample(names, update)},
        }
