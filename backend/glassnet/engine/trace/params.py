"""Initial W and b of every traced layer, built exactly as the Trainer builds them."""

from __future__ import annotations

import torch
from torch import Tensor

from glassnet.engine.model import GraphModel
from glassnet.engine.trace.errors import TraceError
from shared_schemas.graph import analyse_network
from shared_schemas.runspec import NetworkSpec


def checked_network(network: NetworkSpec) -> None:
    """Raise TraceError with every problem shape inference finds (wrong weights, shapes, ...)."""
    _, problems = analyse_network(network)
    if problems:
        raise TraceError("; ".join(p.message for p in problems), problems[0].pointer)


def initial_parameters(
    network: NetworkSpec, seed: int, build_dtype: torch.dtype
) -> dict[str, tuple[Tensor, Tensor]]:
    """W, b by layer id: the nodes' own `weights`/`bias`, else their initialisers.

    The generator is seeded and consumed as the Trainer does (same seed, same network, same dtype:
    same first weights), so a trace of a run spec starts where training starts.
    """
    model = GraphModel(network, torch.Generator().manual_seed(seed), build_dtype)
    return {layer.id: (layer.weight.detach(), layer.bias.detach()) for layer in model.layers}
