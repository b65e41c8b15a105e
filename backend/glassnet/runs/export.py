"""Model exports: safetensors state_dict, a standalone PyTorch source file, and ONNX.

The source file rebuilds the network from plain `torch.nn` modules (an `nn.Sequential` for a chain,
a small module with an explicit `forward` for a DAG), as the network runs in evaluation: dropout
and DropConnect are off there (a dense layer with DropConnect is a plain `nn.Linear`) and a
stochastic-depth add scales its branch by the survival probability and maps the engine's parameter names
(`blocks.<node>.weight`) onto its own, so `load_safetensors(build(), "run.safetensors")` restores the
trained model. ONNX is exported from that same rebuilt module (`torch.onnx.export(dynamo=False)`).
"""

from __future__ import annotations

import io
import json
import warnings
from typing import Any

import numpy as np

from glassnet.runs.errors import Conflict
from shared_schemas.graph import infer_shapes, pair
from shared_schemas.graph_info import GraphInfo
from shared_schemas.runspec import (
    GRU_GATES,
    LSTM_GATES,
    Activation,
    ActivationNode,
    AddNode,
    BatchNormNode,
    ConcatNode,
    Conv2dNode,
    DenseNode,
    DropoutNode,
    FlattenNode,
    GruNode,
    InputNode,
    LstmNode,
    MaxPool2dNode,
    PoolNode,
    RecurrentNode,
    RnnNode,
    RunSpec,
    activation_spec,
)

_SIMPLE_ACTS = {
    "sigmoid": "nn.Sigmoid()",
    "tanh": "nn.Tanh()",
    "relu": "nn.ReLU()",
    "softplus": "nn.Softplus()",
    "gelu": "nn.GELU()",
    "silu": "nn.SiLU()",
    "softmax": "nn.Softmax(dim=-1)",
}
_HELPERS = {
    "recurrent": '''
class Recurrent(nn.Module):
    """rnn, lstm or gru with Glassnet's parameters: per gate W [units][units + F] (the h_(t-1)
    columns first) and b [units]. lstm and gru run torch's own kernels on those weights (torch
    orders lstm gates i, f, g, o and gru gates r, z, n); rnn is h_t = phi(W [h_(t-1); x_t] + b)."""

    ORDER = {
        "rnn": ("hidden",),
        "lstm": ("input", "forget", "candidate", "output"),
        "gru": ("reset", "update", "candidate"),
    }

    def __init__(
        self,
        kind: str,
        features: int,
        units: int,
        return_sequences: bool,
        phi: nn.Module | None = None,
    ) -> None:
        super().__init__()
        self.kind, self.units, self.return_sequences = kind, units, return_sequences
        self.phi = phi if phi is not None else nn.Tanh()
        for gate in self.ORDER[kind]:
            self.register_parameter(f"weight_{gate}", nn.Parameter(torch.zeros(units, units + features)))
            self.register_parameter(f"bias_{gate}", nn.Parameter(torch.zeros(units)))
        if kind == "gru":
            self.bias_candidate_recurrent = nn.Parameter(torch.zeros(units))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        H = self.units
        gates = self.ORDER[self.kind]
        W = torch.cat([getattr(self, f"weight_{g}") for g in gates])
        b = torch.cat([getattr(self, f"bias_{g}") for g in gates])
        h = x.new_zeros(x.shape[0], H)
        if self.kind == "rnn":
            steps = []
            for t in range(x.shape[1]):
                h = self.phi(torch.cat([h, x[:, t]], dim=1) @ W.T + b)
                steps.append(h)
            out = torch.stack(steps, dim=1)
        else:
            zeros = torch.zeros_like(b)
            b_hh = torch.cat([zeros[: 2 * H], self.bias_candidate_recurrent]) if self.kind == "gru" else zeros
            params = [W[:, H:], W[:, :H], b, b_hh]
            h0 = h[None]
            if self.kind == "lstm":
                out = torch.lstm(x, (h0, h0), params, True, 1, 0.0, False, False, True)[0]
            else:
                out = torch.gru(x, h0, params, True, 1, 0.0, False, False, True)[0]
        return out if self.return_sequences else out[:, -1]
''',
    "threshold": '''
class Threshold(nn.Module):
    """a = 1 if z >= threshold else below: the perceptron's step unit (below 0) or sign unit
    (below -1)."""

    def __init__(self, threshold: float = 0.0, below: float = 0.0) -> None:
        super().__init__()
        self.threshold, self.below = threshold, below

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return torch.where(z >= self.threshold, 1.0, self.below).to(z.dtype)
''',
}


def safetensors_bytes(spec: dict[str, Any], arrays: dict[str, Any]) -> bytes:
    """The state_dict as safetensors, with the RunSpec in the metadata (no pickle anywhere)."""
    from safetensors.numpy import save

    tensors = {k: np.ascontiguousarray(v) for k, v in arrays.items()}
    return save(tensors, metadata={"glassnet_spec": json.dumps(spec)})


def _activation(activation: Activation) -> tuple[str | None, str | None]:
    """(module expression, helper class needed) for a node's φ (weighted or activation node);
    None for linear."""
    act = activation_spec(activation)
    kind = act.kind
    if kind == "linear":
        return None, None
    if kind in _SIMPLE_ACTS:
        return _SIMPLE_ACTS[kind], None
    if kind == "leaky_relu":
        return f"nn.LeakyReLU({act.slope!r})", None
    if kind == "prelu":
        return f"nn.PReLU(1, init={act.init!r})", None
    if kind == "elu":
        return f"nn.ELU({act.alpha!r})", None
    if kind in ("step", "sign"):
        below = 0.0 if kind == "step" else -1.0
        return f"Threshold({act.threshold!r}, below={below!r})", "threshold"
    raise Conflict(f"no PyTorch export for activation {kind!r}")


def _modules(spec: RunSpec) -> tuple[list[tuple[str, str]], dict[str, str], set[str], GraphInfo]:
    """[(module name, expression)], engine key → module key, helpers, graph info."""
    info = infer_shapes(spec)
    nodes = {n.id: n for n in spec.network.nodes}
    mods: list[tuple[str, str]] = []
    keys: dict[str, str] = {}
    helpers: set[str] = set()
    for nid in info.order:
        node = nodes[nid]
        if isinstance(node, InputNode):
            continue
        in_shape = info.shapes[info.inputs_of[nid][0]]
        if isinstance(node, DenseNode):
            # on a sequence [T, H] nn.Linear applies to every step, as the engine's dense does
            mods.append((nid, f"nn.Linear({in_shape[-1]}, {node.units})"))
        elif isinstance(node, Conv2dNode):
            k, s, p = pair(node.kernel), pair(node.stride), pair(node.padding, 0)
            mods.append(
                (nid, f"nn.Conv2d({in_shape[0]}, {node.filters}, {k}, stride={s}, padding={p})")
            )
        elif isinstance(node, PoolNode):
            k = pair(node.kernel)
            s = pair(node.stride) if node.stride is not None else k
            cls = "nn.MaxPool2d" if isinstance(node, MaxPool2dNode) else "nn.AvgPool2d"
            mods.append((nid, f"{cls}({k}, stride={s}, padding={pair(node.padding, 0)})"))
        elif isinstance(node, FlattenNode):
            mods.append((nid, "nn.Flatten()"))
        elif isinstance(node, DropoutNode):
            mods.append((nid, f"nn.Dropout({node.p!r})"))
        elif isinstance(node, ActivationNode):
            expr, helper = _activation(node.activation)
            if helper:
                helpers.add(helper)
            mods.append((nid, expr or "nn.Identity()"))
            if expr and expr.startswith("nn.PReLU"):
                keys[f"blocks.{nid}.slope"] = f"{nid}.weight"
        elif isinstance(node, RecurrentNode):
            helpers.add("recurrent")
            phi = ""
            if isinstance(node, RnnNode):
                phi_expr, helper = _activation(node.activation)
                if helper:
                    helpers.add(helper)
                phi = f", phi={phi_expr or 'nn.Identity()'}"
            mods.append(
                (
                    nid,
                    f"Recurrent({node.kind!r}, {in_shape[-1]}, {node.units}, "
                    f"{node.return_sequences!r}{phi})",
                )
            )
            gates: tuple[str, ...] = (
                LSTM_GATES
                if isinstance(node, LstmNode)
                else GRU_GATES
                if isinstance(node, GruNode)
                else ("hidden",)
            )
            for gate in gates:
                for param in ("weight", "bias"):
                    keys[f"blocks.{nid}.{param}_{gate}"] = f"{nid}.{param}_{gate}"
            if isinstance(node, GruNode):
                keys[f"blocks.{nid}.bias_candidate_recurrent"] = f"{nid}.bias_candidate_recurrent"
        elif isinstance(node, BatchNormNode):
            cls = "nn.BatchNorm1d" if len(in_shape) == 1 else "nn.BatchNorm2d"
            mods.append(
                (nid, f"{cls}({in_shape[0]}, eps={node.eps!r}, momentum={node.momentum!r})")
            )
            for param in ("weight", "bias", "running_mean", "running_var", "num_batches_tracked"):
                keys[f"blocks.{nid}.{param}"] = f"{nid}.{param}"
        if isinstance(node, (DenseNode, Conv2dNode)):
            keys[f"blocks.{nid}.weight"] = f"{nid}.weight"
            keys[f"blocks.{nid}.bias"] = f"{nid}.bias"
            expr, helper = _activation(node.activation)
            if helper:
                helpers.add(helper)
            if expr:
                mods.append((f"{nid}__phi", expr))
                if expr.startswith("nn.PReLU"):
                    keys[f"blocks.{nid}.activation.slope"] = f"{nid}__phi.weight"
    return mods, keys, helpers, info


def _is_chain(spec: RunSpec, info: GraphInfo) -> bool:
    prev = info.input_id
    for nid in info.order[1:]:
        if info.inputs_of[nid] != [prev]:
            return False
        prev = nid
    return prev == info.output_id and all(
        n.kind not in ("add", "concat") for n in spec.network.nodes
    )


def pytorch_source(spec_doc: dict[str, Any], run_id: str) -> str:
    """A standalone Python file that rebuilds the network with torch.nn."""
    spec = RunSpec.model_validate(spec_doc)
    mods, keys, helpers, info = _modules(spec)
    prefix = "" if _is_chain(spec, info) else "m."
    lines = [
        f'"""The network of Glassnet run {run_id}, rebuilt with plain torch.nn.',
        "",
        "    model = load_safetensors(build(), 'run.safetensors')  # the run's exported weights",
        f"    y = model(x)  # x: [batch, {', '.join(map(str, info.shapes[info.input_node]))}]",
        '"""',
        "",
        "from collections import OrderedDict",
        "",
        "import torch",
        "from torch import nn",
    ]
    for h in sorted(helpers):
        lines += ["", _HELPERS[h].strip("\n"), ""]
    body = ",\n".join(f"        ({name!r}, {expr})" for name, expr in mods)
    if not prefix:
        lines += [
            "",
            "",
            "def build() -> nn.Module:",
            '    """The network as an nn.Sequential (one entry per node; __phi entries are φ)."""',
            "    return nn.Sequential(OrderedDict([",
            body,
            "    ]))",
        ]
    else:
        lines += ["", "", *_dag_class(spec, info, body)]
    mapping = ",\n".join(f"    {k!r}: {prefix + v!r}" for k, v in keys.items())
    lines += [
        "",
        "",
        "# The engine's parameter names -> this module's",
        "KEYS = {",
        mapping,
        "}",
        "",
        "",
        "def load_safetensors(model: nn.Module, path: str) -> nn.Module:",
        '    """Load the weights exported by GET /api/v1/runs/{id}/export?format=safetensors."""',
        "    from safetensors.torch import load_file",
        "",
        "    state = load_file(path)",
        "    model.load_state_dict({KEYS[k]: v for k, v in state.items() if k in KEYS})",
        "    return model.eval()",
        "",
    ]
    return "\n".join(lines)


def _dag_class(spec: RunSpec, info: GraphInfo, body: str) -> list[str]:
    names = {name for name, _ in _modules(spec)[0]}
    nodes = {n.id: n for n in spec.network.nodes}
    fwd = [f"        v = {{{info.input_node!r}: x}}"]
    for nid in info.order:
        node = nodes[nid]
        if isinstance(node, InputNode):
            continue
        ins = [f"v[{i!r}]" for i in info.inputs_of[nid]]
        if isinstance(node, AddNode):
            survival = node.survival_probability
            if survival < 1 and len(ins) > 1:
                # stochastic depth in evaluation: the skip plus the branch scaled by its survival
                expr = f"{ins[0]} + {survival!r} * ({' + '.join(ins[1:])})"
            else:
                expr = " + ".join(ins)
        elif isinstance(node, ConcatNode):
            expr = f"torch.cat([{', '.join(ins)}], dim=1)"
        else:
            expr = f"self.m[{nid!r}]({ins[0]})"
            if f"{nid}__phi" in names:
                expr = f"self.m[{nid + '__phi'!r}]({expr})"
        fwd.append(f"        v[{nid!r}] = {expr}")
    fwd.append(f"        return v[{info.output_node!r}]")
    return [
        "class Net(nn.Module):",
        '    """The network as a DAG: one module per node (__phi entries are φ)."""',
        "",
        "    def __init__(self) -> None:",
        "        super().__init__()",
        "        self.m = nn.ModuleDict(OrderedDict([",
        body.replace("\n        ", "\n            ").replace("        (", "            (", 1),
        "        ]))",
        "",
        "    def forward(self, x: torch.Tensor) -> torch.Tensor:",
        *fwd,
        "",
        "",
        "def build() -> nn.Module:",
        "    return Net()",
    ]


def rebuild(spec_doc: dict[str, Any], arrays: dict[str, Any]) -> Any:
    """The exported source, executed: a torch module holding the run's weights."""
    import torch

    namespace: dict[str, Any] = {"__name__": "glassnet_export"}
    # Our own generated code: node ids only ever appear inside repr() string literals.
    exec(compile(pytorch_source(spec_doc, "export"), "<glassnet-export>", "exec"), namespace)
    model = namespace["build"]()
    keys = namespace["KEYS"]
    state = {keys[k]: torch.from_numpy(np.array(v)) for k, v in arrays.items() if k in keys}
    dtype = torch.float64 if spec_doc.get("dtype") == "float64" else torch.float32
    model.to(dtype).load_state_dict(state)
    return model.eval()


def onnx_bytes(spec_doc: dict[str, Any], arrays: dict[str, Any]) -> bytes:
    """ONNX (opset chosen by torch) of the rebuilt module; 409 when torch cannot export it."""
    import torch

    spec = RunSpec.model_validate(spec_doc)
    info = infer_shapes(spec)
    model = rebuild(spec_doc, arrays)
    dtype = next(model.parameters()).dtype
    example = torch.zeros((1, *info.shapes[info.input_node]), dtype=dtype)
    buf = io.BytesIO()
    try:
        with warnings.catch_warnings():
            # dynamo=False is the TorchScript exporter, chosen on purpose; torch warns about it.
            warnings.simplefilter("ignore", DeprecationWarning)
            torch.onnx.export(
                model,
                (example,),
                # the TorchScript exporter writes to a file object as well; torch annotates paths only
                buf,  # type: ignore[arg-type]
                dynamo=False,
                input_names=["x"],
                output_names=["y"],
                dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}},
            )
    except Exception as exc:
        raise Conflict(f"this network cannot be exported to ONNX: {exc}") from exc
    return buf.getvalue()
