"""A RunSpec in one line, for lists of runs: "2-4-1 tanh · sgd α 0.03 · circle" (and
"· 4 workers" when it trains data-parallel).

Pure: a spec document in, a string out; no validation, no I/O. Fields a spec leaves out read as
the RunSpec's defaults, so a spec and the same spec with its defaults written out read the same.
"""

from __future__ import annotations

from typing import Any

from shared_schemas.runspec import RECURRENT_KINDS

# The RunSpec defaults this line shows (shared_schemas.runspec: DataSpec, OptimizerSpec).
DEFAULT_DATASET = "circle"
DEFAULT_OPTIMIZER = "sgd"
DEFAULT_LR = 0.03
POOLS = ("maxpool2d", "avgpool2d")


def _part(doc: dict[str, Any], key: str) -> dict[str, Any]:
    value = doc.get(key)
    return value if isinstance(value, dict) else {}


def _number(x: Any) -> str:
    return f"{x:g}" if isinstance(x, int | float) and not isinstance(x, bool) else str(x)


def _activation_name(activation: Any) -> str | None:
    if isinstance(activation, str):
        return activation
    if isinstance(activation, dict):
        kind = activation.get("kind")
        if isinstance(kind, str):
            return kind
    return None


def layer_token(node: dict[str, Any]) -> str | None:
    """How one node reads in the chain of sizes; None for nodes that do not change the width
    a reader cares about (flatten, dropout, batch norm, add, concat, a lone activation)."""
    kind = node.get("kind")
    if kind == "input":
        shape = node.get("shape") or []
        return "×".join(_number(d) for d in shape) or "?"
    if kind == "dense":
        return _number(node.get("units", "?"))
    if kind == "conv2d":
        return f"conv{_number(node.get('filters', '?'))}"
    if kind in POOLS:
        return "pool"
    if kind in RECURRENT_KINDS:
        return f"{kind}{_number(node.get('units', '?'))}"
    return None


def hidden_activation(nodes: list[dict[str, Any]]) -> str | None:
    """The activation(s) of the hidden weighted layers ("tanh", "relu/tanh"), or the output
    layer's when there is no hidden one."""
    weighted = [n for n in nodes if n.get("kind") in ("dense", "conv2d", "rnn")]
    if not weighted:
        return None
    hidden = weighted[:-1] or weighted[-1:]
    names: list[str] = []
    for node in hidden:
        name = _activation_name(node.get("activation", "linear"))
        if name and name not in names:
            names.append(name)
    return "/".join(names) or None


def spec_summary(spec: dict[str, Any]) -> str:
    """One line naming the layer sizes, the hidden activation, the optimiser with its learning
    rate, and the dataset: "2-4-1 tanh · sgd α 0.03 · circle"."""
    network = _part(spec, "network")
    nodes = [n for n in network.get("nodes") or [] if isinstance(n, dict)]
    sizes = "-".join(t for t in (layer_token(n) for n in nodes) if t is not None)
    activation = hidden_activation(nodes)
    architecture = f"{sizes} {activation}" if activation else sizes

    optimizer = _part(_part(spec, "training"), "optimizer")
    kind = optimizer.get("kind", DEFAULT_OPTIMIZER)
    lr = optimizer.get("lr", DEFAULT_LR)
    dataset = _part(spec, "data").get("dataset", DEFAULT_DATASET)
    parts = [architecture, f"{kind} α {_number(lr)}", str(dataset), workers_token(spec)]
    return " · ".join(p for p in parts if p)


def workers_token(spec: dict[str, Any]) -> str:
    """ "4 workers", "4 workers async s=4" for a data-parallel spec; "" otherwise."""
    parallel = _part(_part(spec, "training"), "parallel")
    if not parallel:
        return ""
    token = f"{_number(parallel.get('workers', 2))} workers"
    if parallel.get("mode") == "async":
        token += f" async s={_number(parallel.get('staleness', 0))}"
    return token
