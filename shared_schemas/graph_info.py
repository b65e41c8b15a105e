"""What shape inference learns about a network: its order, shapes and parameter counts.

Apart from `shared_schemas.graph` so the recurrent checks, which the graph calls, can read it too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Shape = tuple[int, ...]


@dataclass
class GraphInfo:
    """What shape inference learned about a network."""

    order: list[str] = field(default_factory=list)  # topological order
    inputs_of: dict[str, list[str]] = field(default_factory=dict)
    shapes: dict[str, Shape] = field(default_factory=dict)  # per-example output shape
    parameters: dict[str, int] = field(default_factory=dict)
    input_id: str | None = None
    output_id: str | None = None

    @property
    def parameter_count(self) -> int:
        return sum(self.parameters.values())

    @property
    def input_node(self) -> str:
        """The input node's id (set on every network that `infer_shapes` accepts)."""
        if self.input_id is None:
            raise ValueError("the network has no input node")
        return self.input_id

    @property
    def output_node(self) -> str:
        """The output node's id (set on every network that `infer_shapes` accepts)."""
        if self.output_id is None:
            raise ValueError("the network has no output node")
        return self.output_id
