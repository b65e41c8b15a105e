"""What the engine offers, with parameters and defaults: the source of the UI's palette and forms.

Parameter schemas come from the RunSpec models themselves, so the catalog cannot drift from them.
"""

from __future__ import annotations

import typing
from typing import Any

from pydantic import BaseModel

from glassnet.engine.losses import DESCRIPTIONS as LOSS_DESCRIPTIONS
from glassnet.engine.losses import REDUCTION
from shared_schemas.runspec import (
    GRADIENT_FREE_ACTIVATIONS,
    ActivationKind,
    ActivationNode,
    ActivationSpec,
    AddNode,
    AvgPool2dNode,
    BatchNormNode,
    ConcatNode,
    Conv2dNode,
    DenseNode,
    DropoutNode,
    FlattenNode,
    GateInit,
    GruNode,
    InitScheme,
    InitSpec,
    InputNode,
    LayerCategory,
    LstmNode,
    MaxPool2dNode,
    OptimizerKind,
    OptimizerSpec,
    RnnNode,
    ScheduleSpec,
)

LAYERS: list[tuple[type[BaseModel], str, LayerCategory, str]] = [
    (
        InputNode,
        "Input",
        "input",
        "the examples enter here; shape [n], [C, H, W] or a sequence [T, F]",
    ),
    (DenseNode, "Dense", "weighted", "fully connected: z = W·x + b, a = φ(z)"),
    (Conv2dNode, "Conv 2-D", "weighted", "filters slide over the image: z = W ⋆ x + b, a = φ(z)"),
    (MaxPool2dNode, "Max pool", "pooling", "keeps the largest value of each window"),
    (AvgPool2dNode, "Average pool", "pooling", "keeps the mean of each window"),
    (FlattenNode, "Flatten", "shape", "[C, H, W] → [C·H·W], before a dense layer"),
    (
        DropoutNode,
        "Dropout",
        "regularisation",
        "while training, drops each unit with probability p (Kelleher: keeps it with ρ = 1 − p) "
        "and scales the kept ones by 1/ρ; off in evaluation",
    ),
    (
        BatchNormNode,
        "Batch norm",
        "normalisation",
        "standardises each unit over the batch, x̂ = (x − μ_B)/√(σ²_B + ε), then y = γ·x̂ + β; "
        "evaluation uses the running mean and variance",
    ),
    (
        ActivationNode,
        "Activation φ",
        "activation",
        "a = φ(z) on its own, so batch norm can sit between z and φ, or a ReLU follow an add",
    ),
    (
        AddNode,
        "Add",
        "merge",
        "sums its inputs (residual connections); stochastic depth keeps the branch (every input "
        "but the first, which is the skip) with survival_probability while training",
    ),
    (ConcatNode, "Concat", "merge", "joins its inputs along the first axis"),
    (
        RnnNode,
        "Simple RNN",
        "recurrent",
        "reads a sequence [T, F]: h_t = φ(W_hh h_(t−1) + W_hx x_t + b) (Kelleher eq. 110); "
        "weights {hh: [units][units], hx: [units][F]}",
    ),
    (
        LstmNode,
        "LSTM",
        "recurrent",
        "the lecture's cell on hx = [h_(t−1); x_t]: f = σ(W_f hx + b_f), i† = σ(W_i hx + b_i), "
        "i‡ = tanh(W_c hx + b_c), o† = σ(W_o hx + b_o), c_t = f ⊙ c_(t−1) + i† ⊙ i‡, "
        "h_t = o† ⊙ tanh(c_t); weights per gate (forget, input, candidate, output) "
        "[units][units + F], h_(t−1) columns first",
    ),
    (
        GruNode,
        "GRU",
        "recurrent",
        "torch's GRU: r = σ(W_r hx + b_r), u = σ(W_u hx + b_u), "
        "n = tanh(W_n^x x_t + b_n + r ⊙ (W_n^h h_(t−1) + b_n^h)), h_t = (1 − u) ⊙ n + u ⊙ h_(t−1); "
        "weights per gate (reset, update, candidate) [units][units + F], h_(t−1) columns first",
    ),
]

RECURRENT_INIT_NOTE = (
    "Recurrent layers initialise each gate in two blocks: the columns that read x_t with Xavier "
    "(uniform, fan_avg) and the columns that read h_(t−1) with an orthogonal matrix (gain 1), so "
    "that multiplying by W_hh at every step neither shrinks nor grows h at the start; biases start "
    "at 0, except the LSTM forget gate's at 1 (the gate starts open, so the gradient flows along "
    "c). Override per gate with init: {gate: {input, recurrent, bias}}."
)

ACTIVATIONS = {
    "linear": "a = z",
    "step": "1 if z ≥ θ else 0 (no gradient)",
    "sign": "+1 if z ≥ θ else −1 (no gradient)",
    "sigmoid": "logistic 1/(1 + e^−z); saturates for large |z|",
    "tanh": "(e^z − e^−z)/(e^z + e^−z); zero-centred, saturates",
    "relu": "max(0, z); units can die",
    "leaky_relu": "z if z > 0 else slope·z",
    "prelu": "like leaky ReLU with a learned slope",
    "elu": "z if z > 0 else α(e^z − 1)",
    "softplus": "log(1 + e^z), a smooth ReLU",
    "gelu": "z·Φ(z)",
    "silu": "z·σ(z) (swish)",
    "softmax": "e^z_i / Σ e^z_j over the output layer",
}

ACTIVATION_PARAMETERS = {
    "step": ("threshold",),
    "sign": ("threshold",),
    "leaky_relu": ("slope",),
    "prelu": ("init",),
    "elu": ("alpha",),
}

INITIALISERS = {
    "zeros": "all 0 (every unit learns the same thing)",
    "constant": "all equal to value",
    "uniform": "U(low, high)",
    "normal": "N(mean, std²)",
    "xavier_normal": "N(0, 2/(n_in+n_out)), or 1/n_in with mode fan_in",
    "xavier_uniform": "U(±√(6/(n_in+n_out))), or ±√(3/n_in) with mode fan_in",
    "he_normal": "N(0, 2/n_in) for ReLU",
    "he_uniform": "U(±√(6/n_in)) for ReLU",
    "lecun_normal": "N(0, 1/n_in)",
    "lecun_uniform": "U(±√(3/n_in))",
    "orthogonal": "a random orthogonal matrix times gain",
}

OPTIMISERS = {
    "sgd": "θ ← θ − α·g",
    "momentum": "torch form: v ← μv + g; θ ← θ − αv",
    "momentum_ema": "lecture form: v ← βv + (1−β)g; θ ← θ − αv",
    "nesterov": "momentum with the gradient at the look-ahead point",
    "adagrad": "s ← s + g²; θ ← θ − α·g/(√s + ε)",
    "rmsprop": "s ← ρs + (1−ρ)g²; θ ← θ − α·g/(√s + ε)",
    "adam": "moment estimates m, v with bias correction",
    "nadam": "Adam with Nesterov momentum",
    "adamw": "Adam with decoupled weight decay",
}

SCHEDULES = {
    "constant": "α stays α0",
    "inverse_time": "α0 / (1 + decay·epoch)",
    "step": "α0 · gamma^⌊epoch/step_size⌋",
    "exponential": "α0 · gamma^epoch",
    "cosine": "from α0 down to min_lr over t_max epochs",
}


def _fields(model: type[BaseModel], skip: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    schema = model.model_json_schema()
    props = schema.get("properties", {})
    out = []
    for name, info in model.model_fields.items():
        if name in skip:
            continue
        prop = props.get(name, {})
        entry: dict[str, Any] = {"name": name, "description": info.description}
        if info.is_required():  # no default to show (and pydantic's marker is not JSON)
            entry["required"], default = True, None
        else:
            default = info.get_default(call_default_factory=True)
        entry["default"] = default.model_dump() if isinstance(default, BaseModel) else default
        for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum", "type"):
            if key in prop:
                entry[key] = prop[key]
        if "anyOf" in prop:
            entry["anyOf"] = prop["anyOf"]
        out.append(entry)
    return out


def catalog() -> dict[str, Any]:
    """Every layer kind, activation, initialiser, optimiser, schedule and loss, with parameters."""
    act_params = _fields(ActivationSpec, skip=("kind",))
    return {
        "layers": [
            {
                "kind": model.model_fields["kind"].default,
                "title": title,
                "category": category,
                "description": description,
                "parameters": _fields(model, skip=("kind", "id")),
            }
            for model, title, category, description in LAYERS
        ],
        "activations": [
            {
                "kind": kind,
                "description": ACTIVATIONS[kind],
                "has_gradient": kind not in GRADIENT_FREE_ACTIVATIONS,
                "parameters": [
                    p for p in act_params if p["name"] in ACTIVATION_PARAMETERS.get(kind, ())
                ],
            }
            for kind in typing.get_args(ActivationKind)
        ],
        "initialisers": [
            {"scheme": s, "description": INITIALISERS[s]} for s in typing.get_args(InitScheme)
        ],
        "init_parameters": _fields(InitSpec, skip=("scheme",)),
        "recurrent_init": {
            "description": RECURRENT_INIT_NOTE,
            "parameters": _fields(GateInit),
        },
        "optimisers": [
            {"kind": k, "description": OPTIMISERS[k]} for k in typing.get_args(OptimizerKind)
        ],
        "optimiser_parameters": _fields(OptimizerSpec, skip=("kind",)),
        "schedules": [{"kind": k, "description": d} for k, d in SCHEDULES.items()],
        "schedule_parameters": _fields(ScheduleSpec, skip=("kind",)),
        "losses": [
            {"kind": k, "description": LOSS_DESCRIPTIONS[k], "reduction": REDUCTION[k]}
            for k in LOSS_DESCRIPTIONS
        ],
    }
