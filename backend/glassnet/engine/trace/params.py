"""The first parameters of every traced node, built exactly as the Trainer builds them."""

from __future__ import annotations

import torch

from glassnet.engine.model import GraphModel
from shared_schemas.runspec import NetworkSpec


def initial_model(network: NetworkSpec, seed: int, build_dtype: torch.dtype) -> GraphModel:
    """The Trainer's model before its first step: the nodes' own `weights`/`bias` (`gamma`/`beta`),
    else their initialisers.

    The generator is seeded and consumed as the Trainer does (same seed, same network, same dtype:
    same first weights), so a trace of a run spec starts where training starts.
    """
    return GraphModel(network, torch.Generator().manual_seed(seed), build_dtype)
