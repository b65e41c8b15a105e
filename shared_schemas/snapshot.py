"""The telemetry frame (snapshot): what `GET /runs/{id}/snapshot` returns and `tel` messages carry.

Quantities are named with one glossary everywhere: W, b, z (weighted sum), a (activation),
delta (δ = ∂L/∂z), grad_W (∂L/∂W). The engine builds frames as plain dicts; these models document
and validate that shape and generate the frontend's types.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SNAPSHOT_VERSION = 1


class Stats(BaseModel):
    """Statistics over the finite values; fractions are over all values."""

    mean: float | None
    std: float | None
    rms: float | None
    min: float | None
    max: float | None
    frac_zero: float
    frac_nonfinite: float
    n: int = Field(description="values in the tensor")
    sampled: int = Field(description="values summarised (a fixed random sample above 1,024)")
    frac_saturated: float | None = Field(None, description="sigmoid/tanh: φ′ below 2 % of its peak")
    frac_dead: float | None = Field(
        None, description="ReLU: units at 0 for every example of the batch"
    )


class Histogram(BaseModel):
    """Counts over equal bins between lo and hi (the quantity's min and max)."""

    lo: float
    hi: float
    counts: list[int]


class LogHistogram(BaseModel):
    """Counts of log10|x| over fixed edges [lo, hi]; exact zeros are counted apart."""

    lo: float
    hi: float
    counts: list[int]
    zeros: int


class Quantity(BaseModel):
    stats: Stats
    hist: Histogram
    loghist: LogHistogram


class DropMask(BaseModel):
    """A dropout or DropConnect mask of one training step, capped for the wire: 1 kept, 0 dropped.

    Dropout: rows are the batch's first examples, columns its first units (a conv map's values
    in memory order); DropConnect: rows are the layer's first units, columns their first inputs,
    W[out][in]. The last training step's mask (a paused run's frame shows the step that ran)."""

    drop_probability: float = Field(description="p, the probability of dropping (torch's p)")
    keep_probability: float = Field(description="Kelleher's ρ = 1 − p")
    kept_fraction: float = Field(description="share of the whole mask that was kept this step")
    full_shape: list[int] = Field(description="[rows, columns] of the whole mask")
    shape: list[int] = Field(
        description="[rows, columns] of `mask` (first 8 × 64 for dropout, 64 × 64 for DropConnect)"
    )
    mask: list[int] = Field(description="row-major, 1 kept, 0 dropped")


class LayerFrame(BaseModel):
    """One weighted layer (dense or conv): z = W·x + b, a = φ(z)."""

    id: str
    kind: str
    activation: str
    n_in: int = Field(description="fan-in: inputs feeding one unit")
    n_out: int
    saturation_zone: list[float] | None = Field(
        None, description="|z| beyond which the activation is saturated"
    )
    W: Quantity
    b: Quantity
    z: Quantity
    a: Quantity
    delta: Quantity | None
    grad_W: Quantity | None
    update_ratio: float | None = Field(description="‖ΔW‖/‖W‖ of the step that was captured")
    var_z_predicted: float | None = Field(description="n_in·var(W)·E[x²]")
    var_z_measured: float | None
    grad_W_norm: float | None
    delta_rms: float | None
    W_values: list[float] | None = Field(
        None, description="dense layers of at most 1,024 weights: every W[out][in], row-major"
    )
    a_mean: list[float] | None = Field(
        None, description="dense layers of at most 1,024 weights: each unit's mean a over the batch"
    )
    drop_connect: DropMask | None = Field(
        None, description="DropConnect layers: which weights the captured step dropped"
    )


class BatchNormStats(BaseModel):
    """A batch-norm node's statistics per feature (dense input) or channel (conv), first 64."""

    channels: int = Field(
        description="features or channels normalised (the lists hold the first 64)"
    )
    eps: float
    momentum: float | None
    batch_mean: list[float] | None = Field(description="μ_B of the captured batch")
    batch_var: list[float] | None = Field(description="σ²_B of the captured batch (biased)")
    running_mean: list[float] = Field(description="what evaluation normalises with")
    running_var: list[float] = Field(description="unbiased running variance")
    gamma: list[float] = Field(description="γ as the step used it")
    beta: list[float] = Field(description="β as the step used it")


class NodeBranch(BaseModel):
    """One input of a node: the value arriving and the δ the node sends back into it."""

    id: str = Field(description="the input node")
    value: Quantity | None = Field(description="the value arriving from it")
    delta_rms: float | None = Field(
        description="RMS of ∂L/∂(this input) through this node alone (at an add: δ at the add)"
    )


class NodeFrame(BaseModel):
    """A node without weights of its own: batchnorm, dropout, add or activation."""

    id: str
    kind: Literal["batchnorm", "dropout", "add", "activation"]
    inputs: list[str]
    units: int = Field(description="values per example leaving the node (features, or C·H·W)")
    activation: str | None = Field(None, description="activation nodes: φ")
    saturation_zone: list[float] | None = Field(
        None, description="activation nodes: |z| beyond which φ is saturated"
    )
    x: Quantity | None = Field(
        description="the value entering (batchnorm: the z it normalises; activation: z; "
        "add: the sum of its inputs is y)"
    )
    x_hat: Quantity | None = Field(None, description="batchnorm: (x − μ_B)/√(σ²_B + ε)")
    y: Quantity | None = Field(
        description="the value leaving (batchnorm: γ·x̂ + β; dropout: x·mask/ρ; activation: a)"
    )
    delta: Quantity | None = Field(
        description="δ at the node: ∂L/∂y (activation: ∂L/∂z, as the trace reports it)"
    )
    branches: list[NodeBranch] = Field(
        default_factory=list, description="each input with the δ the node sends into it"
    )
    batchnorm: BatchNormStats | None = None
    mask: DropMask | None = Field(None, description="dropout: the units the step dropped")
    kept: bool | None = Field(
        None, description="stochastic depth: whether the add kept its residual branch this step"
    )
    survival_probability: float | None = Field(
        None, description="stochastic depth: the probability of keeping the residual branch"
    )


class Boundary(BaseModel):
    """Decision-boundary grids in the data's raw 2-D coordinates, row-major, row 0 at y_range[0]."""

    x_range: list[float]
    y_range: list[float]
    resolution: int
    neuron_resolution: int
    output: list[float] | None = Field(None, description="one output unit: its value per cell")
    classes: list[int] | None = Field(
        None, description="several outputs: the winning class per cell"
    )
    confidence: list[float] | None = Field(None, description="several outputs: the winner's a")
    neurons: dict[str, list[list[float]]] = Field(
        description="hidden dense layer id → each neuron's activation per cell (first 16 neurons)"
    )


class FeatureMapLayer(BaseModel):
    id: str
    kind: str
    input: str
    shape: list[int] = Field(description="[C, H, W] of maps (first 16 channels)")
    maps: list[float]
    kernel: int | list[int] = Field(description="the node's kernel: one size or [h, w]")
    stride: int | list[int] | None = Field(
        description="the node's stride (pooling: None, the kernel)"
    )
    padding: int | list[int]
    filter_shape: list[int] | None = None
    filters: list[float] | None = None
    z_shape: list[int] | None = None


class FeatureMapInput(BaseModel):
    """The example's image, flat."""

    shape: list[int] = Field(description="[C, H, W]")
    values: list[float]


class FeatureMaps(BaseModel):
    example: int
    label: float | int
    input: FeatureMapInput
    layers: list[FeatureMapLayer]


class PredictedExample(BaseModel):
    """One of the split's first examples (24 at most), in split order."""

    index: int = Field(description="position in the split (GET /runs/{id}/examples has its input)")
    target: float | int = Field(description="true class, or the first target value (regression)")
    predicted: float | int | None = Field(
        description="predicted class, or the first output (regression; None if not finite)"
    )
    outputs: list[float | None] = Field(
        description="the output layer's a (first 20 units; None where not finite)"
    )


class Scatter(BaseModel):
    """Regression: the first target against the first output, for the split's first 500 examples."""

    target: list[float]
    predicted: list[float | None] = Field(description="None where the output is not finite")


class Predictions(BaseModel):
    """What the network predicts on the validation split (the training split when there is none),
    over its first 2,000 examples. While a run trains it is refreshed once an epoch."""

    split: Literal["val", "train"]
    step: int = Field(description="the step the outputs were computed at")
    epoch: int
    task: Literal["binary", "multiclass", "regression"]
    n: int = Field(description="examples evaluated")
    class_names: list[str] | None = Field(None, description="classification: one name per class")
    correct: int | None = Field(None, description="classification: examples predicted right")
    confusion: list[list[int]] | None = Field(
        None, description="classification: counts [true class][predicted class]"
    )
    scatter: Scatter | None = None
    examples: list[PredictedExample]
    sequence: SequencePredictions | None = Field(
        None, description="sequence outputs: whole sequences (the rest reads the last step)"
    )


class GateFrame(BaseModel):
    """One gate of a recurrent layer (rnn: its one 'hidden' gate): z_t = W·[h_(t−1); x_t] + b."""

    W: Quantity = Field(description="the gate's weights [units][units + F], h_(t−1) columns first")
    z: Quantity = Field(description="over every example, step and unit")
    a: Quantity
    delta: Quantity | None = Field(description="δ = ∂L/∂z of the gate, every step")
    grad_W: Quantity | None = Field(description="∂L/∂W summed over steps and examples")
    saturation: float | None = Field(
        None, description="sigmoid gates: share of a below 0.05 or above 0.95 (shut or open)"
    )


class ThroughTimeDiagnosis(BaseModel):
    """What the δ-through-time curve says, in a sentence."""

    kind: Literal["vanishing", "exploding", "healthy", "truncated"]
    ratio: float = Field(description="RMS ∂L/∂h at step 1 over that at the last step with one")
    message: str


class RecurrentFrame(BaseModel):
    """One recurrent layer (rnn, lstm, gru): per-gate quantities, h, c and δ through time."""

    id: str
    kind: Literal["rnn", "lstm", "gru"]
    activation: str = Field(description="rnn: its φ; lstm and gru: 'gates'")
    units: int
    n_features: int = Field(description="F, features per step of the layer's input")
    steps: int = Field(description="T, steps of the batch's sequences")
    gate_names: list[str] = Field(
        description="rnn [hidden]; lstm [forget, input, candidate, output]; "
        "gru [reset, update, candidate]"
    )
    gates: dict[str, GateFrame]
    h: Quantity = Field(description="h_t over every example, step and unit")
    c: Quantity | None = Field(description="lstm: the cell state c_t")
    delta_through_time: dict[str, list[float | None]] | None = Field(
        description="per step t (index 0 = step 1): RMS over the batch and units of ∂L/∂h_t "
        "(key 'h', every path) and of each gate's δ_t (keyed by gate)"
    )
    diagnosis: ThroughTimeDiagnosis | None
    h_through_time: list[float | None] = Field(
        description="per step t (index 0 = step 1): RMS over the batch and units of h_t, the "
        "state the layer carries"
    )


class SequenceExample(BaseModel):
    """One example's sequences: regression the first output per step, classification the class."""

    index: int
    target: list[float]
    predicted: list[float | None]


class SequenceText(BaseModel):
    """The character model: the target text and the predicted next characters, step by step."""

    index: int
    target: str
    predicted: str


class GeneratedText(BaseModel):
    """The character model writing on its own: greedy, one character at a time."""

    prompt: str = Field(description="the split's first window, as text")
    generated: str = Field(description="the characters the network wrote after it (40)")


class SequencePredictions(BaseModel):
    """Sequence outputs [T, out]: the split's first examples, predicted against target."""

    examples: list[SequenceExample]
    text: list[SequenceText] | None
    generated: GeneratedText | None = None


class Diagnostic(BaseModel):
    """One finding of the plain-language diagnosis: what is wrong, where, and what to try."""

    code: Literal[
        "nonfinite",
        "vanishing",
        "exploding",
        "z_vanishing",
        "z_exploding",
        "saturated",
        "dead_relu",
        "update_small",
        "update_large",
    ]
    severity: Literal["error", "warning", "info"]
    layer: str = Field(description="the layer the finding names (the worst one when several)")
    value: float = Field(description="the measured ratio or fraction the rule fired on")
    message: str = Field(description="the sentence the app, the REST API and the client show")


class ParallelGradient(BaseModel):
    """A gradient as the Data parallel view shows it: per parameter (`<layer>.W`, `<layer>.b`)
    its L2 norm and its first values (row-major)."""

    grad_norms: dict[str, float]
    grad_sample: dict[str, list[float]]


class ParallelShard(BaseModel):
    """One worker's part of a data-parallel step."""

    worker: int = Field(description="0-based worker number")
    rows: list[int] = Field(description="[start, stop): the rows of the batch this worker took")
    examples: list[int] = Field(
        default_factory=list, description="the training-example indices of those rows (first 16)"
    )
    weight: float = Field(description="its weight in the all-reduce: rows/batch (mean loss) or 1")
    loss: float | None = Field(description="the run's loss over this shard alone; null: no rows")
    grad_norms: dict[str, float] | None
    grad_sample: dict[str, list[float]] | None


class ParallelUpdate(BaseModel):
    """Δθ of the step per parameter: norms and first values."""

    norms: dict[str, float]
    sample: dict[str, list[float]]


class ParallelFrame(BaseModel):
    """What the k workers of a data-parallel run did on the frame's captured step."""

    step: int = Field(description="the step these numbers belong to")
    workers: int
    mode: Literal["sync", "async"]
    staleness: int = Field(
        description="updates between the weights the workers read and the weights the update "
        "landed on (0 in sync mode; less than asked during the first steps of an async run)"
    )
    combine: Literal["mean", "sum"] = Field(
        description="mean: Σ (rows/batch)·gᵢ, the loss averages over the batch; sum: Σ gᵢ"
    )
    in_process: bool = Field(
        description="true: the workers ran one after another in the run's own process"
    )
    shards: list[ParallelShard]
    average: ParallelGradient = Field(description="the all-reduce of the workers' gradients")
    full_batch: ParallelGradient | None = Field(
        description="one worker on the whole batch at the same weights (null with dropout, "
        "whose masks differ from pass to pass)"
    )
    max_abs_difference: float | None = Field(
        description="max |all-reduce − one-worker gradient| over every parameter"
    )
    update: ParallelUpdate


class TelemetryFrame(BaseModel):
    """A snapshot of a run."""

    model_config = ConfigDict(extra="allow")

    v: int = SNAPSHOT_VERSION
    run: str | None
    seq: int
    step: int = Field(description="iterations (batches) so far")
    epoch: int = Field(description="completed passes over the training set")
    status: str
    lr: float
    loss: float | None
    val_loss: float | None
    accuracy: float | None
    val_accuracy: float | None
    batch_loss: float | None
    path: str = Field(
        description="training path: compiled, lean, autograd, perceptron or forward_only"
    )
    device: str | None = Field(
        None, description="the device the run trains on: `cpu`, or `cuda:0` and the GPU's name"
    )
    frame_note: str | None = Field(
        None,
        description="while the telemetry budget slows a training run's frames down or leaves "
        "parts out, why (e.g. '12 frames/s: a frame costs 9 ms on this network', ending 'and "
        "this run gets 22 % of a core' where other runs share its core), for the status bar; "
        "None on the frames of a run that does not train (paused, ended)",
    )
    layers: list[LayerFrame]
    diagnostics: list[Diagnostic] = Field(
        default_factory=list, description="the diagnosis of these layers, errors first"
    )
    boundary: Boundary | None
    feature_maps: FeatureMaps | None
    predictions: Predictions | None = None
    recurrent: list[RecurrentFrame] | None = Field(
        None, description="rnn, lstm and gru layers (null when the network has none)"
    )
    parallel: ParallelFrame | None = Field(
        None,
        description="data-parallel runs: the workers of the last captured step (null otherwise)",
    )
    nodes: list[NodeFrame] | None = Field(
        None,
        description="batchnorm, dropout, add and activation nodes in graph order (null when the "
        "network has none)",
    )
