"""The textbook walk of one data-parallel step: the examples split into k shards, each shard traced
on its own (its own loss and gradients, by the same hand-written backprop as the whole trace), the
all-reduce of their gradients, and the one-worker gradient of all the examples beside it.

The all-reduce weighs each shard by bᵢ/b when E averages over the examples and by 1 when it sums
them, so it is the one-worker gradient exactly, up to the order of floating-point additions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from glassnet.engine.parallel import shard_bounds
from glassnet.engine.trace.errors import TraceError

POINTER = "/parallel_workers"
GRADIENTS = ("grad_weights", "grad_bias")
STOCHASTIC_KINDS = ("dropout", "batchnorm")


def check_parallel_network(network: Any, examples: int, workers: int) -> None:
    """Refuse a walk whose shards could not add up to the batch (TraceError on parallel_workers)."""
    if workers > examples:
        raise TraceError(
            f"{workers} workers cannot share {examples} examples: each worker needs at least one. "
            f"Give at most {examples} workers or more examples.",
            POINTER,
        )
    for node in network.nodes:
        random_step = getattr(node, "drop_connect", 0) or (
            getattr(node, "survival_probability", 1) < 1
        )
        if node.kind in STOCHASTIC_KINDS or random_step:
            raise TraceError(
                f"'{node.id}' ({node.kind}) makes each worker's shard step differ from the batch's "
                f"(batch statistics or random masks per pass), so the walk could not show the "
                f"average equal to the one-worker gradient. Walk a network without it, or leave "
                f"parallel_workers out.",
                POINTER,
            )


def _weighted_sum(values: list[Any], weights: list[float]) -> Any:
    """Σ wᵢ·vᵢ over nested lists of numbers (or dicts of them, e.g. an lstm's gates)."""
    if isinstance(values[0], dict):
        return {k: _weighted_sum([v[k] for v in values], weights) for k in values[0]}
    if values[0] is None:
        return None
    tensors = [torch.tensor(v, dtype=torch.float64) for v in values]
    total = tensors[0] * weights[0]
    for t, w in zip(tensors[1:], weights[1:], strict=True):
        total = total + t * w
    return total.tolist()


def _max_difference(a: Any, b: Any) -> float:
    if isinstance(a, dict):
        return max((_max_difference(a[k], b[k]) for k in a), default=0.0)
    if a is None or b is None:
        return 0.0
    diff = torch.tensor(a, dtype=torch.float64) - torch.tensor(b, dtype=torch.float64)
    return float(diff.abs().max()) if diff.numel() else 0.0


def _gradients(layers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"id": layer["id"], **{k: layer.get(k) for k in GRADIENTS}}
        for layer in layers
        if any(layer.get(k) is not None for k in GRADIENTS)
    ]


def parallel_walk(
    full: dict[str, Any],
    inputs: list[Any],
    targets: list[Any],
    workers: int,
    trace_rows: Callable[[list[Any], list[Any]], dict[str, Any]],
) -> dict[str, Any]:
    """The `parallel` part of a trace response. `full` is the trace of all the examples;
    `trace_rows(inputs, targets)` traces some of them with the same network and settings."""
    bounds = shard_bounds(len(inputs), workers)
    summed = full["reduction"] == "sum"
    weights = [1.0 if summed else (b - a) / len(inputs) for a, b in bounds]
    shards = []
    for i, (a, b) in enumerate(bounds):
        shard = trace_rows(inputs[a:b], targets[a:b])
        shards.append(
            {
                "worker": i,
                "rows": [a, b],
                "weight": weights[i],
                "loss": shard["loss"],
                "layers": _gradients(shard["layers"]),
            }
        )
    one_worker = _gradients(full["layers"])
    average = []
    for j, layer in enumerate(one_worker):
        average.append(
            {
                "id": layer["id"],
                **{
                    k: _weighted_sum([s["layers"][j][k] for s in shards], weights)
                    for k in GRADIENTS
                },
            }
        )
    difference = max(
        (
            _max_difference(avg[k], one[k])
            for avg, one in zip(average, one_worker, strict=True)
            for k in GRADIENTS
        ),
        default=0.0,
    )
    return {
        "workers": workers,
        "combine": "sum" if summed else "mean",
        "shards": shards,
        "average": average,
        "full_batch": one_worker,
        "max_abs_difference": difference,
    }
