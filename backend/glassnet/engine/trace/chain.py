"""Turn a RunSpec `network` into the ordered chain of nodes the trace walks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from glassnet.engine.trace.errors import TraceError

TRACEABLE_KINDS = (
    "input",
    "dense",
    "conv2d",
    "maxpool2d",
    "avgpool2d",
    "flatten",
    "rnn",
    "lstm",
    "gru",
)


@dataclass(frozen=True)
class ChainNode:
    """One node of the chain with its position in the request (for error pointers)."""

    id: str
    kind: str
    spec: dict[str, Any]
    pointer: str


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


def chain_of(network: Any) -> list[ChainNode]:
    """The nodes in forward order; the first is the input.

    Chains only: a node with two inputs or two consumers, or a kind the trace does not compute
    (batchnorm, dropout, add, concat, ...), is rejected with an error naming the node.
    """
    net = as_plain(network)
    nodes = net.get("nodes") or []
    if not nodes:
        raise TraceError("the network has no nodes", "/network/nodes")
    by_id: dict[str, ChainNode] = {}
    order: list[ChainNode] = []
    for i, node in enumerate(nodes):
        pointer = f"/network/nodes/{i}"
        node_id = str(node.get("id", f"n{i}"))
        kind = str(node.get("kind", ""))
        if kind not in TRACEABLE_KINDS:
            raise TraceError(
                f"the textbook trace handles {', '.join(TRACEABLE_KINDS)} nodes in a chain; "
                f"node {node_id!r} is a {kind!r}",
                pointer,
            )
        if node_id in by_id:
            raise TraceError(f"two nodes are called {node_id!r}", pointer)
        chain_node = ChainNode(node_id, kind, node, pointer)
        by_id[node_id] = chain_node
        order.append(chain_node)
    edges = net.get("edges")
    chain = _follow_edges(order, by_id, edges) if edges else order
    if chain[0].kind != "input":
        raise TraceError(
            f"the chain must start at an input node, not {chain[0].id!r}", chain[0].pointer
        )
    for node in chain[1:]:
        if node.kind == "input":
            raise TraceError(
                f"only one input node can be traced; {node.id!r} is a second", node.pointer
            )
    return chain


def _follow_edges(
    order: list[ChainNode], by_id: dict[str, ChainNode], edges: list[Any]
) -> list[ChainNode]:
    successor: dict[str, str] = {}
    has_input: set[str] = set()
    for j, edge in enumerate(edges):
        pointer = f"/network/edges/{j}"
        src, dst = str(edge[0]), str(edge[1])
        for end in (src, dst):
            if end not in by_id:
                raise TraceError(f"edge names an unknown node {end!r}", pointer)
        if src in successor:
            raise TraceError(
                f"node {src!r} feeds two nodes; the textbook trace handles chains only", pointer
            )
        if dst in has_input:
            raise TraceError(
                f"node {dst!r} has two inputs; the textbook trace handles chains only", pointer
            )
        successor[src] = dst
        has_input.add(dst)
    starts = [n for n in order if n.id not in has_input]
    if len(starts) != 1:
        raise TraceError("the edges must join every node into one chain", "/network/edges")
    chain = [starts[0]]
    while chain[-1].id in successor:
        chain.append(by_id[successor[chain[-1].id]])
        if len(chain) > len(order):
            raise TraceError("the edges form a cycle", "/network/edges")
    if len(chain) != len(order):
        missing = next(n for n in order if n not in chain)
        raise TraceError(f"node {missing.id!r} is not on the chain", missing.pointer)
    return chain
