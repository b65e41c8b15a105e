"""The random choices of one training step, given or drawn: dropout's kept units, DropConnect's
kept weights and stochastic depth's kept branch."""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor

from glassnet.engine.trace.errors import TraceError


class StepMasks:
    """Masks by node id from the request (`masks`), the rest drawn from one generator seeded with
    the trace's seed, in forward order. Every mask is 0/1: 1 keeps."""

    def __init__(self, given: dict[str, Any] | None, seed: int, dtype: torch.dtype) -> None:
        self.given = dict(given or {})
        self.used: set[str] = set()
        self.dtype = dtype
        self.generator = torch.Generator().manual_seed(seed)

    def mask(self, node_id: str, shape: tuple[int, ...], drop: float, what: str) -> Tensor:
        """The 0/1 mask of `node_id` of `shape`: the given one (checked), else kept where a
        uniform draw is ≥ the drop probability, as the engine draws it."""
        if node_id not in self.given:
            draw = torch.rand(shape, generator=self.generator, dtype=torch.float64)
            return (draw >= drop).to(self.dtype)
        self.used.add(node_id)
        pointer = f"/masks/{node_id}"
        try:
            t = torch.tensor(self.given[node_id], dtype=self.dtype)
        except (TypeError, ValueError) as exc:
            raise TraceError(f"the mask of {what} must be an array of 0 and 1", pointer) from exc
        if tuple(t.shape) != shape:
            raise TraceError(
                f"the mask of {what} must have shape {list(shape)}, got {list(t.shape)}", pointer
            )
        if not bool(((t == 0) | (t == 1)).all()):
            raise TraceError(f"the mask of {what} holds values other than 0 and 1", pointer)
        return t

    def check_all_used(self) -> None:
        """Refuse masks for nodes that draw none."""
        for node_id in self.given:
            if node_id not in self.used:
                raise TraceError(
                    f"masks names {node_id!r}, which draws no mask: masks belong to dropout "
                    f"nodes, dense layers with drop_connect and adds with survival_probability "
                    f"below 1",
                    f"/masks/{node_id}",
                )
