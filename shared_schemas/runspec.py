"""The RunSpec: the one document the UI edits, the REST API takes and presets store.

Field names are the contract of DESIGN.md. Everything here is plain pydantic v2; graph-level checks
(ids, cycles, shapes, weights, loss) live in `shared_schemas.graph` so that every problem in a spec is
reported at once, each with a JSON pointer and a sentence a student understands.
"""

from __future__ import annotations

from typing import Annotated, Any, Final, Literal

from pydantic import Field, model_validator

from shared_schemas.base import MAX_ABS_VALUE, ClientModel

SPEC_VERSION: Final = 1

# Caps keep one run small enough for a shared classroom server; the server may lower them.
MAX_NODES = 64
MAX_UNITS = 4096
MAX_FILTERS = 512
MAX_KERNEL = 15
MAX_PARAMETERS = 5_000_000
MAX_EPOCHS = 100_000
MAX_INPUT_DIM = 4096
# A CSV's text, pasted or uploaded (an upload's text takes the place of its `upload_id`).
MAX_CSV_CHARS = 16 * 1024 * 1024
Value = Annotated[
    float,
    Field(ge=-MAX_ABS_VALUE, le=MAX_ABS_VALUE, description="a finite number within ±1e6"),
]


class Strict(ClientModel):
    """Base for spec models: unknown fields are errors, so typos never pass silently; numbers
    are strict (no booleans or strings) and finite."""


# --- activations -----------------------------------------------------------------------------

ActivationKind = Literal[
    "linear",
    "step",
    "sign",
    "sigmoid",
    "tanh",
    "relu",
    "leaky_relu",
    "prelu",
    "elu",
    "softplus",
    "gelu",
    "silu",
    "softmax",
]

GRADIENT_FREE_ACTIVATIONS = frozenset({"step", "sign"})
RELU_FAMILY = frozenset({"relu", "leaky_relu", "prelu", "elu", "gelu", "silu", "softplus"})


class ActivationSpec(Strict):
    """An activation with its parameters; a bare name in a spec means the defaults."""

    kind: ActivationKind
    slope: float = Field(0.01, ge=0, le=1, description="leaky_relu: slope for z < 0")
    alpha: float = Field(1.0, gt=0, le=10, description="elu: saturation value -alpha for z → -∞")
    threshold: float = Field(0.0, ge=-1e6, le=1e6, description="step/sign: θ, fires when z ≥ θ")
    init: float = Field(0.25, ge=-1, le=1, description="prelu: initial learned slope")


Activation = ActivationKind | ActivationSpec


def activation_spec(activation: Activation) -> ActivationSpec:
    """Normalise an activation given by name or object to an `ActivationSpec`."""
    if isinstance(activation, ActivationSpec):
        return activation
    return ActivationSpec(kind=activation)


# --- initialisers ----------------------------------------------------------------------------

InitScheme = Literal[
    "zeros",
    "constant",
    "uniform",
    "normal",
    "xavier_normal",
    "xavier_uniform",
    "he_normal",
    "he_uniform",
    "lecun_normal",
    "lecun_uniform",
    "orthogonal",
]


class InitSpec(Strict):
    """Weight initialiser. Xavier's `mode` picks fan_avg 2/(n_in+n_out) or fan_in 1/n_in."""

    scheme: InitScheme
    value: float = Field(0.0, ge=-1e3, le=1e3, description="constant: the value")
    low: float = Field(-0.5, ge=-1e3, le=1e3, description="uniform: lower bound")
    high: float = Field(0.5, ge=-1e3, le=1e3, description="uniform: upper bound")
    mean: float = Field(0.0, ge=-1e3, le=1e3, description="normal: mean")
    std: float = Field(0.01, ge=0, le=1e3, description="normal: standard deviation")
    mode: Literal["fan_avg", "fan_in", "fan_out"] = Field(
        "fan_avg", description="xavier: fan_avg (Glorot) or fan_in; he: fan_in or fan_out"
    )
    gain: float = Field(1.0, gt=0, le=100, description="orthogonal: gain")

    @model_validator(mode="after")
    def _bounds_ordered(self) -> InitSpec:
        if self.scheme == "uniform" and self.low >= self.high:
            raise ValueError("uniform init needs low < high")
        return self


# --- nodes -----------------------------------------------------------------------------------

NodeId = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z_][A-Za-z0-9_\-]*$")]
Pair = int | Annotated[list[int], Field(min_length=2, max_length=2)]


class NodeBase(Strict):
    id: NodeId
    label: str | None = Field(None, max_length=80, description="display name")


class InputNode(NodeBase):
    kind: Literal["input"] = "input"
    shape: Annotated[
        list[Annotated[int, Field(ge=1, le=MAX_INPUT_DIM)]], Field(min_length=1, max_length=3)
    ]


class WeightedNode(NodeBase):
    """A node that owns z = W·x + b and a = φ(z); the unit every view and trace is organised by."""

    activation: Activation = "linear"
    init: InitSpec | None = Field(
        None,
        description="None: He (normal, fan_in) for the ReLU family, Xavier (uniform) otherwise",
    )
    bias_init: float = Field(0.0, ge=-1e3, le=1e3, description="constant bias (0, or 0.1 for ReLU)")
    weights: list[Any] | None = Field(
        None, description="explicit W [out][in] (conv [out][in][kh][kw])"
    )
    bias: list[Value] | None = Field(None, description="explicit b [out]")


class DenseNode(WeightedNode):
    kind: Literal["dense"] = "dense"
    units: int = Field(ge=1, le=MAX_UNITS)
    weights: list[list[Value]] | None = Field(None, description="explicit W [out][in]")
    drop_connect: float = Field(
        0.0,
        ge=0,
        lt=1,
        description="DropConnect: probability of dropping each weight, drawn afresh every "
        "training step; kept weights are scaled by 1/(1 − p) (as inverted dropout), and every "
        "weight is used in evaluation",
    )


class Conv2dNode(WeightedNode):
    kind: Literal["conv2d"] = "conv2d"
    filters: int = Field(ge=1, le=MAX_FILTERS)
    kernel: Pair = 3
    stride: Pair = 1
    padding: Pair = 0
    weights: list[list[list[list[Value]]]] | None = Field(
        None, description="explicit W [out_ch][in_ch][kh][kw]"
    )


class PoolNode(NodeBase):
    kernel: Pair = 2
    stride: Pair | None = Field(None, description="None: equal to kernel")
    padding: Pair = 0


class MaxPool2dNode(PoolNode):
    kind: Literal["maxpool2d"] = "maxpool2d"


class AvgPool2dNode(PoolNode):
    kind: Literal["avgpool2d"] = "avgpool2d"


class FlattenNode(NodeBase):
    kind: Literal["flatten"] = "flatten"


class DropoutNode(NodeBase):
    """Inverted dropout: while training each unit is kept with probability ρ = 1 − p and the kept
    ones are scaled by 1/ρ; evaluation uses every unit unscaled."""

    kind: Literal["dropout"] = "dropout"
    drop_probability: float = Field(
        0.5,
        ge=0,
        lt=1,
        description="p, the probability of dropping a unit (torch's p)",
    )
    keep_probability: float | None = Field(
        None,
        gt=0,
        le=1,
        description="Kelleher's ρ, the probability of keeping a unit, instead of "
        "drop_probability (p = 1 − ρ); give one of the two",
    )

    @property
    def p(self) -> float:
        """The drop probability the engine uses: 1 − ρ when ρ is given, else p."""
        if self.keep_probability is not None:
            return 1.0 - self.keep_probability
        return self.drop_probability


class BatchNormNode(NodeBase):
    """y = γ·x̂ + β with x̂ = (x − μ_B)/√(σ²_B + ε), per feature (per channel on [C, H, W])."""

    kind: Literal["batchnorm"] = "batchnorm"
    momentum: float = Field(
        0.1, gt=0, le=1, description="running mean/var ← (1 − momentum)·running + momentum·batch"
    )
    eps: float = Field(1e-5, gt=0, le=1, description="ε, added to σ²_B before the square root")
    gamma: list[Value] | None = Field(
        None, description="explicit γ [features] ([channels] after a conv); None: ones"
    )
    beta: list[Value] | None = Field(
        None, description="explicit β [features] ([channels] after a conv); None: zeros"
    )


class ActivationNode(NodeBase):
    """φ on its own, a = φ(z) elementwise on any shape: batch norm can then sit between z and φ,
    and a ReLU can follow an add."""

    kind: Literal["activation"] = "activation"
    activation: Activation = "relu"


# --- recurrent nodes (DESIGN.md "Recurrent layers") ---------------------------------------------

RNN_KEYS = ("hh", "hx")
LSTM_GATES = ("forget", "input", "candidate", "output")
GRU_GATES = ("reset", "update", "candidate")
MAX_SEQUENCE = 1024


class GateInit(Strict):
    """How one gate's weights start: the columns that read x_t, those that read h_{t−1}, its bias."""

    input: InitSpec | None = Field(
        None,
        description="W on x_t; None: Xavier (uniform, fan_avg) for the gate's [units][F] block",
    )
    recurrent: InitSpec | None = Field(
        None,
        description="W on h_{t−1}; None: orthogonal (gain 1), which keeps ‖W_hh h‖ = ‖h‖ at the start",
    )
    bias: float | None = Field(
        None, ge=-1e3, le=1e3, description="constant bias; None: 0 (lstm forget gate: 1)"
    )


class RecurrentNode(NodeBase):
    """A layer that reads a sequence [T, F] and carries a state h (and c for lstm) across steps."""

    units: int = Field(ge=1, le=MAX_UNITS)
    return_sequences: bool = Field(
        True, description="true: every step's h, [T, units]; false: the last step's h, [units]"
    )


class RnnNode(RecurrentNode):
    """Kelleher's simple RNN (eq. 110): h_t = φ(W_hh h_{t−1} + W_hx x_t + b)."""

    kind: Literal["rnn"] = "rnn"
    activation: Activation = "tanh"
    init: GateInit | None = Field(None, description="initialisers of W_hx, W_hh and b")
    weights: dict[Literal["hh", "hx"], list[list[float]]] | None = Field(
        None, description="explicit {hh: [units][units], hx: [units][F]}"
    )
    bias: list[float] | None = Field(None, description="explicit b [units]")


class LstmNode(RecurrentNode):
    """The lecture's LSTM cell on hx_t = [h_{t−1}; x_t]: forget, input (i†), candidate (i‡), output
    (o†) gates, c_t = f ⊙ c_{t−1} + i† ⊙ i‡, h_t = o† ⊙ tanh(c_t)."""

    kind: Literal["lstm"] = "lstm"
    init: dict[Literal["forget", "input", "candidate", "output"], GateInit] | None = Field(
        None, description="per-gate initialisers; gates left out take the defaults"
    )
    weights: dict[Literal["forget", "input", "candidate", "output"], list[list[float]]] | None = (
        Field(None, description="explicit W per gate, [units][units + F]: h_{t−1} columns first")
    )
    bias: dict[Literal["forget", "input", "candidate", "output"], list[float]] | None = Field(
        None, description="explicit b per gate, [units]"
    )


class GruNode(RecurrentNode):
    """torch's GRU: r = σ(W_r hx + b_r), u = σ(W_u hx + b_u),
    n = tanh(W_n^x x + b_n + r ⊙ (W_n^h h + b_n^h)), h_t = (1 − u) ⊙ n + u ⊙ h_{t−1}."""

    kind: Literal["gru"] = "gru"
    init: dict[Literal["reset", "update", "candidate"], GateInit] | None = Field(
        None, description="per-gate initialisers; gates left out take the defaults"
    )
    weights: dict[Literal["reset", "update", "candidate"], list[list[float]]] | None = Field(
        None, description="explicit W per gate, [units][units + F]: h_{t−1} columns first"
    )
    bias: (
        dict[Literal["reset", "update", "candidate", "candidate_recurrent"], list[float]] | None
    ) = Field(
        None,
        description="explicit b per gate, [units]; candidate_recurrent is b_n^h, inside r ⊙ (…)",
    )


RECURRENT_KINDS = frozenset({"rnn", "lstm", "gru"})


class AddNode(NodeBase):
    """Sums its inputs. With stochastic depth (Huang et al. 2016) the first input (the first edge
    into the add) is the identity skip and the others are the residual branch: while training the
    branch is kept with probability survival_probability each step (dropped for the whole batch
    otherwise, unscaled); in evaluation it is scaled by survival_probability."""

    kind: Literal["add"] = "add"
    survival_probability: float = Field(
        1.0,
        gt=0,
        le=1,
        description="stochastic depth: probability that the residual branch (every input but the "
        "first) is kept in a training step; 1: always (a plain sum)",
    )


class ConcatNode(NodeBase):
    kind: Literal["concat"] = "concat"


Node = Annotated[
    InputNode
    | DenseNode
    | Conv2dNode
    | MaxPool2dNode
    | AvgPool2dNode
    | FlattenNode
    | DropoutNode
    | BatchNormNode
    | ActivationNode
    | AddNode
    | ConcatNode
    | RnnNode
    | LstmNode
    | GruNode,
    Field(discriminator="kind"),
]

NODE_KINDS: tuple[str, ...] = (
    "input",
    "dense",
    "conv2d",
    "maxpool2d",
    "avgpool2d",
    "flatten",
    "dropout",
    "batchnorm",
    "activation",
    "add",
    "concat",
    "rnn",
    "lstm",
    "gru",
)
WEIGHTED_KINDS = frozenset({"dense", "conv2d"})

# How the palette groups the node kinds; one spelling for the engine's catalog and the app.
LayerCategory = Literal[
    "input",
    "weighted",
    "activation",
    "recurrent",
    "pooling",
    "shape",
    "regularisation",
    "normalisation",
    "merge",
]


class NetworkSpec(Strict):
    """Nodes and edges. Without `edges`, nodes chain in the order given."""

    nodes: Annotated[list[Node], Field(min_length=2, max_length=MAX_NODES)]
    edges: (
        Annotated[
            list[Annotated[list[NodeId], Field(min_length=2, max_length=2)]],
            Field(max_length=4 * MAX_NODES),
        ]
        | None
    ) = None

    def edge_list(self) -> list[tuple[str, str]]:
        """Edges as (source, target) pairs, chaining the nodes in order when none are given."""
        if self.edges is None:
            return [(a.id, b.id) for a, b in zip(self.nodes, self.nodes[1:], strict=False)]
        return [(e[0], e[1]) for e in self.edges]


# --- data ------------------------------------------------------------------------------------

DatasetName = Literal[
    "xor",
    "circle",
    "spiral",
    "gaussian",
    "moons",
    "linear",
    "and",
    "or",
    "xor_gate",
    "power_plant",
    "init_experiment",
    "digits",
    "mnist",
    "inline",
    "csv",
    "sine",
    "adding",
    "long_lag",
    "parity",
    "text_chars",
]
Feature2D = Literal["x", "y", "x2", "y2", "xy", "sin_x", "sin_y"]


class DataSpec(Strict):
    """Which data to train on. Parameters a dataset does not use are ignored."""

    dataset: DatasetName = "circle"
    n: int | None = Field(
        None, ge=1, le=70_000, description="examples (None: the dataset's default)"
    )
    noise: float = Field(
        0.0, ge=0, le=50, description="2-D sets: noise level (TF Playground's 0–50)"
    )
    train_fraction: float | None = Field(
        None, gt=0, le=1, description="share used for training; the rest validates"
    )
    seed: int | None = Field(None, ge=0, le=2**31 - 1, description="None: the run's seed")
    preprocess: Literal["none", "minmax", "standardize"] = "none"
    features: list[Feature2D] | None = Field(None, min_length=1, description="2-D sets' inputs")
    classes: int | None = Field(None, ge=2, le=10, description="gaussian: number of clusters")
    variant: Literal["normalized", "raw"] | None = Field(None, description="power_plant table")
    target: Literal["value", "onehot"] | None = Field(None, description="power_plant target")
    n_features: int | None = Field(None, ge=1, le=1024, description="init_experiment: inputs")
    flatten: bool = Field(False, description="images as flat vectors instead of [C,H,W]")
    task: Literal["regression", "binary", "multiclass"] | None = Field(
        None, description="csv/inline: how to read the target"
    )
    inputs: list[list[Value]] | list[list[list[Value]]] | None = Field(
        None, description="inline: one row per example, or sequences [N][T][F]"
    )
    targets: list[list[Value]] | list[list[list[Value]]] | None = Field(
        None, description="inline: one row per example; sequences [N][T][out] or [N][out]"
    )
    csv_text: str | None = Field(
        None, max_length=MAX_CSV_CHARS, description="csv: the file's text (up to 16 MiB)"
    )
    upload_id: str | None = Field(None, max_length=64, description="csv: an uploaded file's id")
    target_column: str | int | None = Field(None, description="csv: target column name or index")
    sequence_column: str | int | None = Field(
        None, description="csv: the sequence id column (rows sharing an id are one sequence)"
    )
    sequence_target: Literal["every_step", "last_step"] | None = Field(
        None, description="csv sequences: a target at every step or from the last row"
    )
    steps: int | None = Field(None, ge=2, le=MAX_SEQUENCE, description="sequences: steps T")
    lag: int | None = Field(None, ge=1, le=200, description="long_lag: steps to remember across")
    memory_task: Literal["first_symbol", "temporal_order"] | None = Field(
        None, description="long_lag: which of the 1997 memory tasks"
    )


# --- training --------------------------------------------------------------------------------

LossKind = Literal["half_sse", "mse", "cross_entropy", "bce"]
OptimizerKind = Literal[
    "sgd", "momentum", "momentum_ema", "nesterov", "adagrad", "rmsprop", "adam", "nadam", "adamw"
]


class OptimizerSpec(Strict):
    """`momentum` is torch's form (v = μv + g); `momentum_ema` is the lecture's v = βv + (1−β)g."""

    kind: OptimizerKind = "sgd"
    lr: float = Field(0.03, gt=0, le=100)
    momentum: float = Field(0.9, ge=0, lt=1, description="momentum, momentum_ema, nesterov: β")
    beta1: float = Field(0.9, ge=0, lt=1, description="adam, nadam, adamw")
    beta2: float = Field(0.999, ge=0, lt=1, description="adam, nadam, adamw")
    eps: float = Field(1e-8, gt=0, le=1)
    rho: float = Field(0.9, ge=0, lt=1, description="rmsprop: decay of the squared-gradient mean")
    weight_decay: float = Field(0.01, ge=0, le=1, description="adamw: decoupled weight decay")


class ScheduleSpec(Strict):
    """Learning-rate schedule, applied per epoch."""

    kind: Literal["constant", "inverse_time", "step", "exponential", "cosine"] = "constant"
    decay: float = Field(0.0, ge=0, le=100, description="inverse_time: α = α0 / (1 + k·epoch)")
    step_size: int = Field(100, ge=1, le=MAX_EPOCHS, description="step: epochs between drops")
    gamma: float = Field(0.5, gt=0, le=1, description="step, exponential: factor")
    t_max: int | None = Field(
        None, ge=1, le=MAX_EPOCHS, description="cosine: period (None: epochs)"
    )
    min_lr: float = Field(0.0, ge=0, le=100, description="cosine: floor")


class RegularizationSpec(Strict):
    """Penalties on weights (not biases): L1 adds λ·Σ|w|, L2 adds λ·Σw² (gradient 2λw)."""

    l1: float = Field(0.0, ge=0, le=10)
    l2: float = Field(0.0, ge=0, le=10)


class EarlyStoppingSpec(Strict):
    patience: int = Field(10, ge=1, le=MAX_EPOCHS, description="epochs without improvement")
    min_delta: float = Field(0.0, ge=0, le=1e6)
    monitor: Literal["val_loss", "loss"] = "val_loss"
    restore_best: bool = True


class StopSpec(Strict):
    loss_below: float | None = Field(None, gt=0, le=1e6, description="stop when the loss is below")
    early_stopping: EarlyStoppingSpec | None = None


class ClipSpec(Strict):
    value: float | None = Field(None, gt=0, le=1e6, description="clamp every gradient to ±value")
    norm: float | None = Field(None, gt=0, le=1e6, description="rescale when ‖g‖₂ exceeds norm")


class BpttSpec(Strict):
    """Backpropagation through time: the whole sequence, or Kelleher's truncated BPTT."""

    truncate: int | None = Field(
        None,
        ge=1,
        le=MAX_SEQUENCE,
        description="None: through the whole sequence; k: cut the gradient every k steps and "
        "carry the state on",
    )


MAX_WORKERS = 8
MAX_STALENESS = 16


class ParallelSpec(Strict):
    """Data parallelism, as the backprop lecture's last slides teach it: each batch is split into
    `workers` shards, every worker computes its shard's gradient, and an all-reduce combines them
    (weighted by shard size) into the batch's gradient before the one update."""

    workers: int = Field(
        2,
        ge=1,
        le=MAX_WORKERS,
        description="k: shards per batch, one per worker. Rows are dealt out in order, "
        "np.array_split style: with b rows each shard holds ⌊b/k⌋ or ⌈b/k⌉ of them, and the "
        "all-reduce weighs each shard's mean gradient by its share of the batch, so uneven "
        "shards still give the batch gradient",
    )
    mode: Literal["sync", "async"] = Field(
        "sync",
        description="sync: every step's update uses gradients of the current weights (equal to "
        "one worker on the whole batch); async: the update applies gradients computed on the "
        "weights of `staleness` steps ago, as workers that read the weights earlier deliver them",
    )
    staleness: int = Field(
        0,
        ge=0,
        le=MAX_STALENESS,
        description="async: how many updates old the weights are that the gradients were "
        "computed on (0 in sync mode; 0 in async mode equals sync)",
    )


class TrainingSpec(Strict):
    loss: LossKind = "mse"
    optimizer: OptimizerSpec = Field(default_factory=OptimizerSpec)
    schedule: ScheduleSpec = Field(default_factory=ScheduleSpec)
    regularization: RegularizationSpec = Field(default_factory=RegularizationSpec)
    batch_size: int | None = Field(
        None, ge=1, le=100_000, description="None: full batch; 1: stochastic; n: mini-batch"
    )
    epochs: int = Field(100, ge=1, le=MAX_EPOCHS)
    stop: StopSpec = Field(default_factory=StopSpec)
    clip: ClipSpec = Field(default_factory=ClipSpec)
    bptt: BpttSpec = Field(default_factory=BpttSpec)
    trainer: Literal["gradient", "perceptron", "forward_only"] = Field(
        "gradient",
        description="gradient: backprop; perceptron: w ← w + η(t − o)x for one threshold layer; "
        "forward_only: evaluate without updates (hand-set threshold networks)",
    )
    parallel: ParallelSpec | None = Field(
        None,
        description="None: one worker takes the whole batch; set: the batch is split across "
        "k workers whose shard gradients are all-reduced (sync) or applied stale (async)",
    )


# --- the run spec ----------------------------------------------------------------------------


class RunSpec(Strict):
    """Everything needed to build, train and observe one network."""

    version: Literal[1] = SPEC_VERSION
    network: NetworkSpec
    data: DataSpec = Field(default_factory=DataSpec)
    training: TrainingSpec = Field(default_factory=TrainingSpec)
    seed: int = Field(0, ge=0, le=2**31 - 1)
    dtype: Literal["float32", "float64"] = "float32"
    device: Literal["auto", "cpu", "cuda"] = "auto"
