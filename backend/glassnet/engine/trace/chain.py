"""Turn a RunSpec `network` into the nodes the trace walks, in forward order with their inputs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from glassnet.engine.trace.errors import TraceError
from shared_schemas.graph import analyse_network
from shared_schemas.runspec import NODE_KINDS, NetworkSpec

# Every node kind the RunSpec schema knows has a textbook trace; anything else is refused.
TRACEABLE_KINDS = NODE_KINDS


@dataclass(frozen=True)
class ChainNode:
    """One node with its position in the request (for error pointers) and the nodes feeding it,
    in the order of the edges (an add's first input is its skip)."""

    id: str
    kind: str
    spec: dict[str, Any]
    pointer: str
    inputs: tuple[str, ...] = ()


def as_plain(obj: Any) -> Any:
    """A pydantic model (or anything holding them) as plain dicts and lists."""
    if hasattr(obj, "model_dump"):
        return obj.model_dump(mode="json", exclude_none=True)
    if isinstance(obj, dict):
        return {k: as_plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [as_plain(v) for v in obj]
    return obj


def pair(value: Any, name: str, pointer: str) -> tuple[int, int]:
    """`kernel`, `stride` or `padding` given as an int or `[h, w]`."""
    if isinstance(value, int):
        return value, value
    if (
        isinstance(value, list | tuple)
        and len(value) == 2
        and all(isinstance(v, int) for v in value)
    ):
        return int(value[0]), int(value[1])
    raise TraceError(f"{name} must be an integer or [h, w], got {value!r}", pointer)


def chain_of(network: NetworkSpec) -> list[ChainNode]:
    """The nodes in forward (topological) order, each with its inputs; the first is the input.

    A node of a kind the trace does not compute is rejected with an error naming it; so is every
    structural problem (cycles, several outputs, wrong shapes), each with its pointer.
    """
    net = as_plain(network)
    nodes = net.get("nodes") or []
    if not nodes:
        raise TraceError("the network has no nodes", "/network/nodes")
    for i, node in enumerate(nodes):
        kind = str(node.get("kind", ""))
        if kind not in TRACEABLE_KINDS:
            raise TraceError(
                f"the textbook trace handles {', '.join(TRACEABLE_KINDS)} nodes; "
                f"node {node.get('id')!r} is a {kind!r}",
                f"/network/nodes/{i}",
            )
    info, problems = analyse_network(network)
    if problems:
        raise TraceError("; ".join(p.message for p in problems), problems[0].pointer)
    index = {str(node["id"]): i for i, node in enumerate(nodes)}
    return [
        ChainNode(
            nid,
            str(nodes[index[nid]]["kind"]),
            nodes[index[nid]],
            f"/network/nodes/{index[nid]}",
            tuple(info.inputs_of[nid]),
        )
        for nid in info.order
    ]


def require_chain(nodes: list[ChainNode], what: str) -> None:
    """Refuse a branching network where the trace follows a single path (recurrent traces)."""
    for node in nodes[1:]:
        if len(node.inputs) != 1:
            raise TraceError(
                f"{what} handles chains only; {node.id!r} merges branches", node.pointer
            )
    consumers: dict[str, int] = {}
    for node in nodes[1:]:
        consumers[node.inputs[0]] = consumers.get(node.inputs[0], 0) + 1
    for node in nodes:
        if consumers.get(node.id, 0) > 1:
            raise TraceError(
                f"{what} handles chains only; {node.id!r} feeds two nodes", node.pointer
            )
