"""Graph-level checks of a RunSpec: ids, edges, cycles, shapes, explicit weights and the loss.

`validate_spec` never raises: it returns the parsed spec or every problem found, each with a JSON
pointer and a plain sentence, so a student fixes everything in one pass.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from pydantic import ValidationError

from shared_schemas.graph_info import GraphInfo, Shape
from shared_schemas.parallel import check_parallel
from shared_schemas.problems import Problem, from_validation_error, pointer
from shared_schemas.recurrent import check_recurrent_training, infer_recurrent
from shared_schemas.runspec import (
    GRADIENT_FREE_ACTIVATIONS,
    MAX_PARAMETERS,
    RECURRENT_KINDS,
    ActivationNode,
    Conv2dNode,
    DenseNode,
    NetworkSpec,
    PoolNode,
    RunSpec,
    activation_spec,
)


def pair(value: int | list[int] | None, default: int = 1) -> tuple[int, int]:
    """An int or [h, w] as an (h, w) tuple."""
    if value is None:
        return (default, default)
    if isinstance(value, int):
        return (value, value)
    return (value[0], value[1])


def window_output_size(n: int, kernel: int, stride: int, padding: int) -> int:
    """Outputs of a sliding window (convolution or pooling) along one axis: ⌊(n + 2p − f)/s⌋ + 1."""
    return (n + 2 * padding - kernel) // stride + 1


def _node_pointer(index: int, *rest: str | int) -> str:
    return pointer("network", "nodes", index, *rest)


def analyse_network(network: NetworkSpec) -> tuple[GraphInfo, list[Problem]]:
    """Topological order, per-node shapes and parameter counts, and every structural problem."""
    info = GraphInfo()
    problems: list[Problem] = []
    index: dict[str, int] = {}
    for i, node in enumerate(network.nodes):
        if node.id in index:
            problems.append(
                Problem(
                    pointer=_node_pointer(i, "id"),
                    message=f"id '{node.id}' is used twice; ids must be unique.",
                )
            )
        index.setdefault(node.id, i)
    by_id = {n.id: n for n in network.nodes}

    succ: dict[str, list[str]] = defaultdict(list)
    preds: dict[str, list[str]] = defaultdict(list)
    for j, (src, dst) in enumerate(network.edge_list()):
        # without `edges` the nodes chain in order: edge j is the link into node j + 1
        edge_at = (
            pointer("network", "edges", j) if network.edges is not None else _node_pointer(j + 1)
        )
        bad = False
        for k, end in ((0, src), (1, dst)):
            if end not in by_id:
                problems.append(
                    Problem(
                        pointer=pointer("network", "edges", j, k),
                        message=f"edge {j} refers to unknown node '{end}'; known nodes are {sorted(by_id)}.",
                    )
                )
                bad = True
        if bad:
            continue
        if src == dst:
            problems.append(
                Problem(
                    pointer=edge_at,
                    message=f"edge {j} connects '{src}' to itself.",
                )
            )
            continue
        if dst in succ[src]:
            problems.append(
                Problem(
                    pointer=edge_at,
                    message=f"edge {src} → {dst} is listed twice.",
                )
            )
            continue
        succ[src].append(dst)
        preds[dst].append(src)
    info.inputs_of = {n.id: list(preds[n.id]) for n in network.nodes}

    inputs = [n.id for n in network.nodes if n.kind == "input"]
    if not inputs:
        problems.append(
            Problem(
                pointer=pointer("network", "nodes"),
                message='the network has no input node; add one {"kind": "input", "shape": [...]}.',
            )
        )
    elif len(inputs) > 1:
        for extra in inputs[1:]:
            problems.append(
                Problem(
                    pointer=_node_pointer(index[extra], "kind"),
                    message=f"only one input node is supported; '{extra}' is a second one.",
                )
            )
    else:
        info.input_id = inputs[0]

    # Kahn's algorithm: what is left over lies on a cycle.
    indegree = {n.id: len(preds[n.id]) for n in network.nodes}
    ready = [n.id for n in network.nodes if indegree[n.id] == 0]
    while ready:
        nid = ready.pop(0)
        info.order.append(nid)
        for nxt in succ[nid]:
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                ready.append(nxt)
    cyclic = [n.id for n in network.nodes if n.id not in info.order]
    if cyclic:
        problems.append(
            Problem(
                pointer=pointer("network", "edges"),
                message=f"the edges form a cycle through {cyclic}; a network must flow one way from input to output.",
            )
        )
        return info, problems

    for nid in info.order:
        node = by_id[nid]
        i = index[nid]
        ins = preds[nid]
        if node.kind == "input":
            if ins:
                problems.append(
                    Problem(
                        pointer=_node_pointer(i),
                        message=f"input '{nid}' cannot receive edges (from {ins}).",
                    )
                )
            continue
        if not ins:
            problems.append(
                Problem(
                    pointer=_node_pointer(i),
                    message=f"'{nid}' is not connected to anything; connect an edge into it or delete it.",
                )
            )
            continue
        if node.kind in ("add", "concat"):
            if len(ins) < 2:
                problems.append(
                    Problem(
                        pointer=_node_pointer(i),
                        message=f"{node.kind} '{nid}' needs at least two incoming edges, it has {len(ins)}.",
                    )
                )
        elif len(ins) > 1:
            problems.append(
                Problem(
                    pointer=_node_pointer(i),
                    message=f"{node.kind} '{nid}' takes one input but has {len(ins)} ({ins}); merge them with an add or concat node first.",
                )
            )

    outputs = [n.id for n in network.nodes if not succ[n.id] and n.kind != "input"]
    if len(outputs) > 1:
        problems.append(
            Problem(
                pointer=pointer("network", "edges"),
                message=f"the network has several outputs {outputs}; connect them so that exactly one node has no outgoing edge.",
            )
        )
    elif outputs:
        info.output_id = outputs[0]
    if info.input_id:
        reach = {info.input_id}
        for nid in info.order:
            if nid in reach:
                reach.update(succ[nid])
        for n in network.nodes:
            if n.id not in reach:
                problems.append(
                    Problem(
                        pointer=_node_pointer(index[n.id]),
                        message=f"'{n.id}' cannot be reached from the input '{info.input_id}'.",
                    )
                )
    if problems:
        return info, problems

    for nid in info.order:
        node = by_id[nid]
        i = index[nid]
        in_shapes = [info.shapes[p] for p in preds[nid] if p in info.shapes]
        if len(in_shapes) != len(preds[nid]):
            continue  # an upstream problem was reported already
        shape, params, problem = _infer(node, in_shapes, [by_id[p] for p in preds[nid]], i)
        if problem:
            problems.append(problem)
            continue
        info.shapes[nid] = shape
        info.parameters[nid] = params
    total = info.parameter_count
    if total > MAX_PARAMETERS:
        problems.append(
            Problem(
                pointer=pointer("network"),
                message=f"the network has {total:,} parameters; the limit is {MAX_PARAMETERS:,}. Use fewer units or filters.",
            )
        )
    return info, problems


def _fmt(shape: Shape) -> str:
    return "[" + ", ".join(map(str, shape)) + "]"


def _window_output(
    node: Any,
    size: tuple[int, int],
    kernel: tuple[int, int],
    stride: tuple[int, int],
    padding: tuple[int, int],
    src: str,
    max_padding: tuple[int, int],
    padding_rule: str,
) -> tuple[tuple[int, int] | None, str, str]:
    """(H', W') of a window (a conv2d's kernel, a pool's window) sliding over an H×W input, or
    None with the message and the node's field at fault: padding outside 0..`max_padding` (which
    the message names `padding_rule`), or a window that does not fit the padded input."""
    (h, w), (kh, kw), (sh, sw), (ph, pw) = size, kernel, stride, padding
    if min(ph, pw) < 0 or ph > max_padding[0] or pw > max_padding[1]:
        message = (
            f"padding of '{node.id}' must be between 0 and {padding_rule} "
            f"{list(max_padding)}, got {[ph, pw]}."
        )
        return None, message, "padding"
    oh, ow = window_output_size(h, kh, sh, ph), window_output_size(w, kw, sw, pw)
    if oh < 1 or ow < 1:
        message = (
            f"{node.kind} '{node.id}': a {kh}×{kw} window does not fit the {h}×{w} input from "
            f"'{src}' (padding {[ph, pw]}); use a smaller kernel or more padding."
        )
        return None, message, "kernel"
    return (oh, ow), "", ""


def _infer(
    node: Any, in_shapes: list[Shape], sources: list[Any], i: int
) -> tuple[Shape, int, Problem | None]:
    """Output shape and parameter count of one node, or the problem that prevents them."""
    kind = node.kind
    src = sources[0].id if sources else "?"

    def fail(message: str, *rest: str | int) -> tuple[Shape, int, Problem]:
        return (), 0, Problem(pointer=_node_pointer(i, *rest), message=message)

    if kind == "input":
        return tuple(node.shape), 0, None
    x = in_shapes[0]
    if kind in RECURRENT_KINDS:
        shape, params, message, where = infer_recurrent(node, x, src)
        if message:
            return fail(message, *where)
        return shape, params, None
    if kind == "dense" and len(x) == 2:
        # a dense node on a sequence [T, H] applies to every step: [T, units]
        n_in, n_out = x[1], node.units
        extra = 1 if activation_spec(node.activation).kind == "prelu" else 0
        problem = _check_explicit(node, (n_out, n_in), i)
        return (x[0], n_out), n_in * n_out + n_out + extra, problem
    if kind == "dense":
        if len(x) != 1:
            return fail(
                f"dense '{node.id}' expects a 1-D input [n] but '{src}' gives {_fmt(x)}; put a flatten node between them."
            )
        n_in, n_out = x[0], node.units
        extra = 1 if activation_spec(node.activation).kind == "prelu" else 0
        problem = _check_explicit(node, (n_out, n_in), i)
        return (n_out,), n_in * n_out + n_out + extra, problem
    if kind == "conv2d":
        if len(x) == 2:
            return fail(
                f"conv2d '{node.id}' expects an image [C,H,W] but '{src}' gives a sequence "
                f"{_fmt(x)} (steps, features); read sequences with an rnn, lstm or gru node."
            )
        if len(x) != 3:
            return fail(
                f"conv2d '{node.id}' expects a 3-D input [C,H,W] but '{src}' gives {_fmt(x)}."
            )
        c, h, w = x
        kh, kw = pair(node.kernel)
        sh, sw = pair(node.stride)
        ph, pw = pair(node.padding, 0)
        for name, value in (("kernel", (kh, kw)), ("stride", (sh, sw))):
            if min(value) < 1 or max(value) > 15:
                return fail(
                    f"{name} of '{node.id}' must be between 1 and 15, got {list(value)}.", name
                )
        out, message, field = _window_output(
            node, (h, w), (kh, kw), (sh, sw), (ph, pw), src, (kh, kw), "the kernel size"
        )
        if out is None:
            return fail(message, field)
        oh, ow = out
        extra = 1 if activation_spec(node.activation).kind == "prelu" else 0
        problem = _check_explicit(node, (node.filters, c, kh, kw), i)
        return (node.filters, oh, ow), node.filters * c * kh * kw + node.filters + extra, problem
    if isinstance(node, PoolNode):
        if len(x) != 3:
            return fail(
                f"{kind} '{node.id}' expects a 3-D input [C,H,W] but '{src}' gives {_fmt(x)}."
            )
        c, h, w = x
        kh, kw = pair(node.kernel)
        sh, sw = pair(node.stride) if node.stride is not None else (kh, kw)
        ph, pw = pair(node.padding, 0)
        if min(kh, kw, sh, sw) < 1 or max(kh, kw) > 15:
            return fail(f"kernel and stride of '{node.id}' must be between 1 and 15.", "kernel")
        # torch pads a pooling window by at most half of it
        out, message, field = _window_output(
            node, (h, w), (kh, kw), (sh, sw), (ph, pw), src, (kh // 2, kw // 2), "half the kernel"
        )
        if out is None:
            return fail(message, field)
        return (c, *out), 0, None
    if kind == "flatten":
        return (math.prod(x),), 0, None
    if kind == "dropout":
        if (
            node.keep_probability is not None
            and "drop_probability" in node.model_fields_set
            and abs(node.drop_probability + node.keep_probability - 1) > 1e-9
        ):
            return fail(
                f"dropout '{node.id}' gives drop_probability {node.drop_probability} and "
                f"keep_probability {node.keep_probability}, which disagree (p = 1 − ρ); give one "
                f"of the two.",
                "keep_probability",
            )
        return x, 0, None
    if kind == "activation":
        act = activation_spec(node.activation).kind
        if act == "softmax" and len(x) != 1:
            return fail(
                f"softmax in '{node.id}' normalises a vector of outputs, but '{src}' gives "
                f"{_fmt(x)}; put a flatten and a dense layer before it.",
                "activation",
            )
        return x, 1 if act == "prelu" else 0, None
    if kind == "batchnorm":
        if len(x) not in (1, 3):
            return fail(
                f"batchnorm '{node.id}' expects [n] or [C,H,W] but '{src}' gives {_fmt(x)}."
            )
        what = "one per feature" if len(x) == 1 else "one per channel"
        for name in ("gamma", "beta"):
            values = getattr(node, name)
            if values is not None and len(values) != x[0]:
                return fail(
                    f"{name} of '{node.id}' must have {x[0]} values ({what} of the {_fmt(x)} "
                    f"input from '{src}'), got {len(values)}.",
                    name,
                )
        return x, 2 * x[0], None
    if kind == "add":
        if any(s != x for s in in_shapes):
            shown = ", ".join(
                f"'{s.id}' {_fmt(t)}" for s, t in zip(sources, in_shapes, strict=True)
            )
            return fail(f"add '{node.id}' needs inputs of one shape, got {shown}.")
        return x, 0, None
    if kind == "concat":
        if any(len(s) != len(x) or s[1:] != x[1:] for s in in_shapes):
            shown = ", ".join(
                f"'{s.id}' {_fmt(t)}" for s, t in zip(sources, in_shapes, strict=True)
            )
            return fail(
                f"concat '{node.id}' joins along the first axis; the other axes must agree, got {shown}."
            )
        return (sum(s[0] for s in in_shapes), *x[1:]), 0, None
    return fail(f"unknown node kind '{kind}'.")


def _nested_shape(value: Any) -> Shape | None:
    """Shape of a rectangular nested list, or None when it is ragged."""
    if not isinstance(value, list):
        return ()
    if not value:
        return (0,)
    inner = [_nested_shape(v) for v in value]
    if any(s is None or s != inner[0] for s in inner):
        return None
    return (len(value), *inner[0])  # type: ignore[misc]


def _check_explicit(node: DenseNode | Conv2dNode, expected: Shape, i: int) -> Problem | None:
    if node.weights is not None:
        got = _nested_shape(node.weights)
        if got != expected:
            what = "[out][in]" if node.kind == "dense" else "[out_ch][in_ch][kh][kw]"
            shown = "ragged rows" if got is None else _fmt(got)
            return Problem(
                pointer=_node_pointer(i, "weights"),
                message=f"weights of '{node.id}' must be {what} = {_fmt(expected)}, got {shown}.",
            )
    if node.bias is not None and len(node.bias) != expected[0]:
        return Problem(
            pointer=_node_pointer(i, "bias"),
            message=f"bias of '{node.id}' must have {expected[0]} values (one per output), got {len(node.bias)}.",
        )
    return None


def _check_training(spec: RunSpec, info: GraphInfo) -> list[Problem]:
    """The loss must fit the output, and gradients must be able to flow."""
    problems: list[Problem] = []
    by_id = {n.id: (i, n) for i, n in enumerate(spec.network.nodes)}
    loss = spec.training.loss
    if info.output_id is None:
        return problems
    oi, out = by_id[info.output_id]
    out_act = (
        activation_spec(out.activation).kind
        if isinstance(out, (DenseNode, Conv2dNode, ActivationNode))
        else None
    )
    out_shape = info.shapes.get(info.output_id, ())
    if loss == "cross_entropy" and out_act != "softmax":
        problems.append(
            Problem(
                pointer=pointer("training", "loss"),
                message=f"cross_entropy expects a softmax output, but the output '{out.id}' uses {out_act or out.kind}; set its activation to softmax.",
            )
        )
    if loss == "bce" and (out_act != "sigmoid" or out_shape != (1,)):
        problems.append(
            Problem(
                pointer=pointer("training", "loss"),
                message=f"bce expects one sigmoid output unit, but '{out.id}' gives {_fmt(out_shape)} with {out_act or out.kind}; use a dense layer of 1 unit with sigmoid.",
            )
        )
    sequence_out = len(out_shape) == 2 and any(
        n.kind in RECURRENT_KINDS for n in spec.network.nodes
    )
    if len(out_shape) != 1 and not sequence_out:
        problems.append(
            Problem(
                pointer=_node_pointer(oi),
                message=f"the output '{out.id}' gives {_fmt(out_shape)}; end the network with a dense layer so it gives one value per target.",
            )
        )
    for nid in info.order:
        i, node = by_id[nid]
        if not isinstance(node, (DenseNode, Conv2dNode, ActivationNode)):
            continue
        act = activation_spec(node.activation).kind
        if act == "softmax" and nid != info.output_id:
            problems.append(
                Problem(
                    pointer=_node_pointer(i, "activation"),
                    message=f"softmax belongs on the output layer only; '{nid}' is hidden. Use relu, tanh or sigmoid here.",
                )
            )
    problems += check_recurrent_training(spec, info)
    problems += check_parallel(spec)
    trainer = spec.training.trainer
    ordered = [by_id[n][1] for n in info.order]
    weighted = [n for n in ordered if isinstance(n, (DenseNode, Conv2dNode))]
    with_activation: list[DenseNode | Conv2dNode | ActivationNode] = [
        *weighted,
        *(n for n in ordered if isinstance(n, ActivationNode)),
    ]
    if trainer == "gradient":
        for node in with_activation:
            act = activation_spec(node.activation).kind
            if act in GRADIENT_FREE_ACTIVATIONS:
                i = by_id[node.id][0]
                problems.append(
                    Problem(
                        pointer=_node_pointer(i, "activation"),
                        message=f"'{node.id}' uses {act}, whose derivative is 0 everywhere (and undefined at θ), so backpropagation cannot train it. Use sigmoid or tanh, or set training.trainer to 'perceptron' for a single threshold layer, or 'forward_only' to evaluate hand-set weights.",
                    )
                )
    elif trainer == "perceptron":
        if len(weighted) != 1 or not isinstance(weighted[0], DenseNode) or len(info.order) != 2:
            problems.append(
                Problem(
                    pointer=pointer("training", "trainer"),
                    message="the perceptron rule w ← w + η(t − o)x trains a single dense layer directly on the input; this network has other layers. Use trainer 'gradient' with differentiable activations.",
                )
            )
        elif activation_spec(weighted[0].activation).kind not in GRADIENT_FREE_ACTIVATIONS:
            problems.append(
                Problem(
                    pointer=_node_pointer(by_id[weighted[0].id][0], "activation"),
                    message="the perceptron rule needs a threshold unit: set the activation to step or sign.",
                )
            )
        elif getattr(weighted[0], "drop_connect", 0.0) > 0:
            problems.append(
                Problem(
                    pointer=_node_pointer(by_id[weighted[0].id][0], "drop_connect"),
                    message="the perceptron rule updates every weight on every mistake; DropConnect belongs to gradient training. Set drop_connect to 0.",
                )
            )
    return problems


def validate_spec(obj: Any) -> tuple[RunSpec | None, list[Problem]]:
    """Parse and check a RunSpec. Returns (spec, []) or (None, every problem found). Never raises."""
    try:
        spec = RunSpec.model_validate(obj)
    except ValidationError as error:
        return None, from_validation_error(error) + _raw_edge_problems(obj)
    except (TypeError, ValueError, RecursionError) as error:  # not a JSON object at all
        return None, [Problem(pointer="", message=f"the spec must be a JSON object: {error}")]
    info, problems = analyse_network(spec.network)
    if not problems:
        problems = _check_training(spec, info)
    return (None, problems) if problems else (spec, [])


def _raw_edge_problems(obj: Any) -> list[Problem]:
    """Edge references checked on the raw document, so they are reported beside field errors."""
    try:
        nodes = obj["network"]["nodes"]
        edges = obj["network"].get("edges") or []
        ids = {n["id"] for n in nodes if isinstance(n, dict) and isinstance(n.get("id"), str)}
    except (KeyError, TypeError, AttributeError):
        return []
    problems = []
    for j, edge in enumerate(edges if isinstance(edges, list) else []):
        if not isinstance(edge, list):
            continue
        for k, end in enumerate(edge[:2]):
            if isinstance(end, str) and end not in ids:
                problems.append(
                    Problem(
                        pointer=pointer("network", "edges", j, k),
                        message=f"edge {j} refers to unknown node '{end}'; known nodes are {sorted(ids)}.",
                    )
                )
    return problems


def infer_shapes(spec: RunSpec | NetworkSpec) -> GraphInfo:
    """Shapes and parameter counts of a valid network (raises ValueError listing problems otherwise)."""
    network = spec.network if isinstance(spec, RunSpec) else spec
    info, problems = analyse_network(network)
    if problems:
        raise ValueError("; ".join(f"{p.pointer}: {p.message}" for p in problems))
    return info
