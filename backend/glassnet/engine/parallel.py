"""Data parallelism, as the backprop lecture's last slides teach it.

A batch of b rows is split into k shards (rows dealt out in order: the first b mod k shards hold
⌈b/k⌉ rows, the others ⌊b/k⌋, as np.array_split does). Each worker computes its shard's loss and
gradient with the run's own loss, and the all-reduce combines them into the batch's gradient:

- a loss that averages over the batch (mse, cross_entropy, bce): g = Σᵢ (bᵢ/b)·gᵢ, the shard means
  weighted by their share of the batch (the plain mean of the gᵢ when the shards are equal);
- a loss that sums over the batch (half_sse): g = Σᵢ gᵢ.

Either way g is the one-worker gradient of the whole batch, up to the order of floating-point
additions (a few units in the last place). Where the workers run is a ShardRunner's business:
`InlineShards` runs them one after another in the run's own process (the default); the run
layer can hand the path one that runs each shard in a worker process of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import torch
from torch import Tensor

from glassnet.engine.losses import REDUCTION, compute_loss, correct
from glassnet.engine.model import GraphModel


def shard_bounds(rows: int, workers: int) -> list[tuple[int, int]]:
    """[start, stop) of each worker's shard of a batch of `rows` rows (empty shards at the end when
    a short last batch has fewer rows than workers)."""
    size, extra = divmod(rows, workers)
    bounds, start = [], 0
    for i in range(workers):
        stop = start + size + (1 if i < extra else 0)
        bounds.append((start, stop))
        start = stop
    return bounds


def combine_weights(loss: str, sizes: list[int]) -> list[float]:
    """The all-reduce's weight of each shard's gradient: bᵢ/b for a mean loss, 1 for a summed one."""
    total = sum(sizes)
    if REDUCTION.get(loss) == "sum":
        return [1.0 if n else 0.0 for n in sizes]
    return [n / total for n in sizes]


@dataclass
class ShardResult:
    """What one worker sends to the all-reduce: its rows, loss, number correct and gradient."""

    start: int
    stop: int
    loss: Tensor | None
    correct: Tensor | None
    grads: list[Tensor] | None  # one per parameter, None for an idle worker (no rows)

    @property
    def size(self) -> int:
        return self.stop - self.start


def shard_gradient(
    model: GraphModel,
    params: list[torch.nn.Parameter],
    loss_kind: str,
    x: Tensor,
    t: Tensor,
    start: int,
    stop: int,
) -> ShardResult:
    """One worker's step: forward its shard, its loss (the run's loss over the shard alone) and
    ∂loss/∂θ for every parameter. Parameters a shard does not reach get a zero gradient."""
    if stop <= start:
        return ShardResult(start, stop, None, None, None)
    z, a = model.forward_zy(x[start:stop])
    loss = compute_loss(loss_kind, z, a, t[start:stop])
    grads = torch.autograd.grad(loss, params, allow_unused=True)
    filled = [torch.zeros_like(p) if g is None else g for p, g in zip(params, grads, strict=True)]
    return ShardResult(start, stop, loss.detach(), correct(a.detach(), t[start:stop]), filled)


class ShardRunner(Protocol):
    """Computes every worker's shard gradient at the model's current parameters."""

    in_process: bool  # True: the workers run one after another in the run's own process

    def run(self, x: Tensor, t: Tensor, bounds: list[tuple[int, int]]) -> list[ShardResult]: ...

    def close(self) -> None: ...


class InlineShards:
    """The k workers one after another, in this process, on the run's own model."""

    in_process = True

    def __init__(self, model: GraphModel, params: list[torch.nn.Parameter], loss: str) -> None:
        self.model, self.params, self.loss = model, params, loss

    def run(self, x: Tensor, t: Tensor, bounds: list[tuple[int, int]]) -> list[ShardResult]:
        return [shard_gradient(self.model, self.params, self.loss, x, t, a, b) for a, b in bounds]

    def close(self) -> None:
        return None


def all_reduce(shards: list[ShardResult], weights: list[float]) -> list[Tensor]:
    """Σᵢ wᵢ·gᵢ per parameter over the workers that had rows."""
    busy = [(s, w) for s, w in zip(shards, weights, strict=True) if s.grads is not None]
    first, w0 = busy[0]
    assert first.grads is not None
    total = [g * w0 for g in first.grads]
    for shard, w in busy[1:]:
        assert shard.grads is not None
        for acc, g in zip(total, shard.grads, strict=True):
            acc.add_(g, alpha=w)
    return total


def combined_loss(shards: list[ShardResult], weights: list[float]) -> Tensor:
    """The batch loss from the workers' losses, combined as their gradients are."""
    losses = [s.loss * w for s, w in zip(shards, weights, strict=True) if s.loss is not None]
    return torch.stack(losses).sum()


def combined_correct(shards: list[ShardResult]) -> Tensor:
    """Predictions right over the whole batch: the workers' counts added."""
    return torch.stack([s.correct for s in shards if s.correct is not None]).sum()
