"""Shape inference and checks of the recurrent nodes (rnn, lstm, gru) and of truncated BPTT.

Kept apart from `shared_schemas.graph` so the graph module stays about the graph; the graph calls
`infer_recurrent` for each recurrent node and `check_recurrent_training` once per spec.
"""

from __future__ import annotations

from shared_schemas.graph_info import GraphInfo, Shape
from shared_schemas.problems import Problem, pointer
from shared_schemas.runspec import (
    GRU_GATES,
    LSTM_GATES,
    RECURRENT_KINDS,
    GruNode,
    LstmNode,
    RnnNode,
    RunSpec,
    activation_spec,
)

RecurrentNode = RnnNode | LstmNode | GruNode
# where a problem lies inside the node: field names below it, e.g. ("weights", "forget")
PointerSuffix = tuple[str, ...]


def _fmt(shape: Shape) -> str:
    return "[" + ", ".join(map(str, shape)) + "]"


def gate_names(kind: str) -> tuple[str, ...]:
    """The gates of a recurrent kind, in the order the weights are laid out and reported."""
    return {"rnn": ("hidden",), "lstm": LSTM_GATES, "gru": GRU_GATES}[kind]


def recurrent_parameters(kind: str, units: int, features: int) -> int:
    """Parameter count: rnn H·H + H·F + H; lstm 4 gates of H·(H+F) + H; gru 3 gates + b_n^h."""
    per_gate = units * (units + features) + units
    if kind == "rnn":
        return per_gate
    if kind == "lstm":
        return 4 * per_gate
    return 3 * per_gate + units


def infer_recurrent(
    node: RecurrentNode, x: Shape, src: str
) -> tuple[Shape, int, str, PointerSuffix]:
    """(output shape, parameters, problem message, pointer suffix) of a recurrent node on input x."""
    if len(x) != 2:
        return (
            (),
            0,
            f"{node.kind} '{node.id}' expects a sequence [T, F] but '{src}' gives {_fmt(x)}; "
            f"give the input node a shape [T, F] (steps, features per step).",
            (),
        )
    steps, features = x
    units = node.units
    if isinstance(node, RnnNode):
        act = activation_spec(node.activation).kind
        if act in ("step", "sign", "softmax", "prelu"):
            return (
                (),
                0,
                f"rnn '{node.id}' cannot use {act} as its φ; use tanh (the usual choice), "
                f"sigmoid or relu.",
                ("activation",),
            )
    problem = _check_explicit(node, units, features)
    if problem:
        return (), 0, problem[0], problem[1]
    shape = (steps, units) if node.return_sequences else (units,)
    return shape, recurrent_parameters(node.kind, units, features), "", ()


def _matrix_shape(value: list[list[float]]) -> Shape | None:
    if not value or any(len(row) != len(value[0]) for row in value):
        return None
    return (len(value), len(value[0]))


def _check_explicit(
    node: RecurrentNode, units: int, features: int
) -> tuple[str, PointerSuffix] | None:
    """Explicit weights and biases must have the layout of DESIGN.md."""
    if isinstance(node, RnnNode):
        expected = {"hh": (units, units), "hx": (units, features)}
        if node.weights is not None:
            for key in ("hh", "hx"):
                if key not in node.weights:
                    return (
                        f"weights of rnn '{node.id}' need both 'hh' [units][units] and "
                        f"'hx' [units][F]; '{key}' is missing.",
                        ("weights",),
                    )
                got = _matrix_shape(node.weights[key])
                if got != expected[key]:
                    return (
                        f"weights.{key} of '{node.id}' must be {_fmt(expected[key])}, got "
                        f"{'ragged rows' if got is None else _fmt(got)}.",
                        ("weights", key),
                    )
        if node.bias is not None and len(node.bias) != units:
            return (
                f"bias of '{node.id}' must have {units} values (one per unit), got {len(node.bias)}.",
                ("bias",),
            )
        return None
    gates = gate_names(node.kind)
    shape = (units, units + features)
    if node.weights is not None:
        weights: dict[str, list[list[float]]] = {g: w for g, w in node.weights.items()}
        for gate in gates:
            if gate not in weights:
                return (
                    f"weights of {node.kind} '{node.id}' need every gate {list(gates)}; "
                    f"'{gate}' is missing.",
                    ("weights",),
                )
            got = _matrix_shape(weights[gate])
            if got != shape:
                return (
                    f"weights.{gate} of '{node.id}' must be [units][units + F] = {_fmt(shape)} "
                    f"(the h_(t−1) columns first, then x_t), got "
                    f"{'ragged rows' if got is None else _fmt(got)}.",
                    ("weights", gate),
                )
    if node.bias is not None:
        bias: dict[str, list[float]] = {g: b for g, b in node.bias.items()}
        for gate, values in bias.items():
            if len(values) != units:
                return (
                    f"bias.{gate} of '{node.id}' must have {units} values, got {len(values)}.",
                    ("bias", gate),
                )
        missing = [g for g in gates if g not in bias]
        if missing:
            return (
                f"bias of {node.kind} '{node.id}' needs every gate {list(gates)}; {missing} "
                f"missing.",
                ("bias",),
            )
    return None


def sequence_length(info: GraphInfo) -> int | None:
    """T of the network's input, when it reads sequences [T, F]."""
    shape = info.shapes.get(info.input_id or "", ())
    return shape[0] if len(shape) == 2 else None


def check_recurrent_training(spec: RunSpec, info: GraphInfo) -> list[Problem]:
    """Truncated BPTT must cut a sequence the network actually reads."""
    truncate = spec.training.bptt.truncate
    if truncate is None:
        return []
    recurrent = [n for n in spec.network.nodes if n.kind in RECURRENT_KINDS]
    steps = sequence_length(info)
    where = pointer("training", "bptt", "truncate")
    if not recurrent:
        return [
            Problem(
                pointer=where,
                message="bptt.truncate only applies to rnn, lstm and gru layers and this network "
                "has none; remove it or set it to null.",
            )
        ]
    if steps is not None and truncate > steps:
        return [
            Problem(
                pointer=where,
                message=f"bptt.truncate is {truncate} but the sequences have only {steps} steps; "
                f"use a value from 1 to {steps}, or null to backpropagate through the whole "
                f"sequence.",
            )
        ]
    return []
