"""Textbook trace bodies: `POST /api/v1/trace` takes a TraceRequest and answers a TraceResponse.

Glossary as everywhere: z = W·a_prev + b, a = φ(z), delta = ∂E/∂z, grad_weights = ∂E/∂W.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from typing_extensions import TypeAliasType

from shared_schemas.base import ClientModel
from shared_schemas.runspec import NetworkSpec, OptimizerSpec

# Nested lists of numbers: one row per example, then the quantity's own shape. Non-finite values
# (an overflowing exp, log 0) travel as null.
Tensor = TypeAliasType("Tensor", "float | list[Tensor] | None")
# Nested lists of indices (pooling winners): integers, so they can index the other tensors.
IndexTensor = TypeAliasType("IndexTensor", "int | list[IndexTensor] | None")

LossName = Literal["half_sse", "mse", "cross_entropy", "bce"]
# A recurrent layer keys some quantities by gate (DESIGN.md "Recurrent layers").
GateTensors = dict[str, Tensor]


class InitialState(BaseModel):
    """The state a recurrent layer starts from (zeros when not given)."""

    model_config = ConfigDict(extra="forbid")

    h: list[float] = Field(description="h_0 [units]")
    c: list[float] | None = Field(None, description="lstm: c_0 [units]")


class TraceRequest(ClientModel):
    """One iteration to trace: the network (RunSpec `network`, a chain), examples, loss and α."""

    network: NetworkSpec = Field(
        description="A RunSpec network of input, dense, conv2d, maxpool2d, avgpool2d, flatten, "
        "batchnorm, activation, dropout, add and concat nodes (branches may meet at an add or "
        "a concat), or a chain of input [T, F], rnn, lstm, gru and dense nodes (inputs "
        "[N][T][F]). Weighted nodes may give `weights` ([out][in]; conv [out_ch][in_ch][kh][kw]) "
        "and `bias` ([out]), batchnorm `gamma` and `beta`; others are initialised with `seed`. "
        "The step is a training step: batch norm normalises with the batch's statistics, "
        "dropout, DropConnect and stochastic depth apply their masks."
    )
    inputs: list[Any] = Field(description="One row per example, each of the input node's shape.")
    targets: list[Any] = Field(description="One row per example (one-hot rows for cross_entropy).")
    loss: LossName = Field("half_sse", description="half_sse is the book's ½Σ(t − a)².")
    learning_rate: float = Field(0.1, gt=0, description="α of the plain gradient-descent step.")
    dtype: Literal["float32", "float64"] = "float64"
    reduction: Literal["sum", "mean"] | None = Field(
        None,
        description="How E combines the examples. Default: the loss's own, as in training "
        "(sum for half_sse, the book's convention; mean otherwise). The book sums cross-entropy "
        "gradients too (Table 16).",
    )
    round_to: int | None = Field(
        None,
        ge=0,
        le=12,
        description="Book rounding: round a, ∂a/∂z and δ to this many decimals before they are "
        "reused, as the hand-worked tables do (4). None: full precision.",
    )
    seed: int = Field(
        0,
        ge=0,
        le=2**31 - 1,
        description="Seeds the initialisers of layers given without weights, as a run would.",
    )
    rule: Literal["gradient", "perceptron"] = Field(
        "gradient",
        description="gradient: backpropagation. perceptron: Rosenblatt's rule w ← w + η(t − o)x "
        "for one step/sign layer (δ = o − t, as if ∂a/∂z were 1; needs half_sse, summed).",
    )
    initial_state: dict[str, InitialState] | None = Field(
        None,
        description="recurrent layer id → {h, c}: the state before step 1 (zeros when absent)",
    )
    truncate: int | None = Field(
        None,
        ge=1,
        le=1024,
        description="recurrent: truncated BPTT, cutting the gradient every k steps (None: the "
        "whole sequence), as training.bptt.truncate",
    )
    optimizer: OptimizerSpec | None = Field(
        None,
        description="None: plain gradient descent at learning_rate. Otherwise one step of this "
        "training optimiser (its lr is used), with its state per layer: from fresh state, or "
        "from `optimizer_state`.",
    )
    optimizer_state: dict[str, dict[str, dict[str, Tensor]]] | None = Field(
        None,
        description="With an optimizer: the state its step starts from, as a previous trace "
        "reported it: layer id → parameter (weights, bias; batchnorm gamma, beta) → state by "
        "name (velocity; sum_sq; mean_sq; m, v). Layers left out start from zero. Chaining "
        "traces this way steps an optimiser through the lecture's tables.",
    )
    optimizer_t: int = Field(
        0,
        ge=0,
        le=1_000_000,
        description="Steps `optimizer_state` has already taken (Adam's, AdaGrad's and RMSProp's "
        "t); the traced step is t + 1.",
    )
    parallel_workers: int | None = Field(
        None,
        ge=1,
        le=8,
        description="Walk the step data-parallel as well: the examples dealt out in order into "
        "this many shards (⌊N/k⌋ or ⌈N/k⌉ each), each shard traced alone, and the all-reduce of "
        "their gradients beside the one-worker gradient (`parallel` in the response).",
    )
    masks: dict[str, Tensor] | None = Field(
        None,
        description="The step's random choices by node id, each 0/1 with 1 keeping: a dropout "
        "node's kept units, one row per example ([N] + the node's shape); a dense layer with "
        "drop_connect its kept weights [out][in], one mask for the step (shared by the "
        "examples); an add with survival_probability below 1, 0 or 1, whether its branch "
        "(every input but the first) is kept. Nodes not given draw theirs from `seed`; every "
        "layer reports the mask it used.",
    )


class TraceGradients(BaseModel):
    """One layer's gradients in a data-parallel walk (an lstm's keyed by gate)."""

    id: str
    grad_weights: Tensor | GateTensors = None
    grad_bias: Tensor | GateTensors = None


class TraceShard(BaseModel):
    """One worker of the walk: its examples, its own loss over them, and its gradients."""

    worker: int
    rows: list[int] = Field(description="[start, stop): the examples this worker took")
    weight: float = Field(
        description="its weight in the all-reduce: rows/examples (mean) or 1 (sum)"
    )
    loss: float | None = Field(description="E over this shard alone, with the trace's reduction")
    layers: list[TraceGradients]


class TraceParallel(BaseModel):
    """The data-parallel walk: k shards' gradients, their all-reduce and the one-worker gradient."""

    workers: int
    combine: Literal["mean", "sum"] = Field(
        description="mean: Σ (rows/examples)·gᵢ (E averages); sum: Σ gᵢ (E sums, half_sse)"
    )
    shards: list[TraceShard]
    average: list[TraceGradients] = Field(description="the all-reduce of the shards' gradients")
    full_batch: list[TraceGradients] = Field(
        description="one worker's gradients over all the examples (the trace's own)"
    )
    max_abs_difference: float = Field(
        description="max |all-reduce − one-worker gradient| over every weight and bias"
    )


class ReceptiveFields(BaseModel):
    """A conv2d layer's first example: what each output cell's weighted sum reads."""

    example: int = Field(description="the example shown (the first)")
    padded_input: Tensor = Field(description="the input with its zero padding [C][H][W]")
    patches: Tensor = Field(description="each output cell's input patch [H_out][W_out][C][kh][kw]")
    products: Tensor = Field(description="W ⊙ patch [out_ch][H_out][W_out][C][kh][kw]")


class TraceLayer(BaseModel):
    """One node of the chain. Per-example quantities have one leading row per example."""

    model_config = ConfigDict(extra="allow")

    id: str
    kind: Literal[
        "dense",
        "conv2d",
        "maxpool2d",
        "avgpool2d",
        "flatten",
        "batchnorm",
        "activation",
        "dropout",
        "add",
        "concat",
        "rnn",
        "lstm",
        "gru",
    ]
    activation: str | None = None
    z: Tensor = Field(None, description="z per example (activation node: its input).")
    a: Tensor = None
    da_dz: Tensor = Field(None, description="∂a/∂z elementwise (softmax: the Jacobian's diagonal).")
    dE_da: Tensor = Field(None, description="∂E/∂a per example.")
    delta: Tensor | GateTensors = Field(
        None,
        description="δ = ∂E/∂z per example (lstm/gru: per gate, plus c and h, [N][T][units]; "
        "batchnorm: ∂E/∂a, its output's gradient).",
    )
    dE_dx: Tensor = Field(
        None, description="batchnorm, dropout: ∂E/∂x per example, what the node passes back."
    )
    x: Tensor = Field(None, description="batchnorm, dropout: the input per example.")
    mean: Tensor = Field(None, description="batchnorm: μ_B per feature (channel).")
    var: Tensor = Field(None, description="batchnorm: σ²_B per feature, biased (1/m).")
    x_hat: Tensor = Field(None, description="batchnorm: (x − μ_B)/√(σ²_B + ε) per example.")
    eps: float | None = Field(None, description="batchnorm: ε.")
    momentum: float | None = Field(None, description="batchnorm: the running averages' momentum.")
    gamma: Tensor = Field(None, description="batchnorm: γ before the step.")
    beta: Tensor = Field(None, description="batchnorm: β before the step.")
    grad_gamma: Tensor = Field(None, description="batchnorm: ∂E/∂γ = Σ δ·x̂.")
    grad_beta: Tensor = Field(None, description="batchnorm: ∂E/∂β = Σ δ.")
    gamma_after: Tensor = Field(None, description="batchnorm: γ − α ∂E/∂γ.")
    beta_after: Tensor = Field(None, description="batchnorm: β − α ∂E/∂β.")
    running_mean_after: Tensor = Field(
        None, description="batchnorm: the running mean after the step (from 0)."
    )
    running_var_after: Tensor = Field(
        None, description="batchnorm: the running variance after the step (from 1, unbiased σ²_B)."
    )
    mask: Tensor = Field(None, description="dropout: the units kept (1) per example.")
    drop_probability: float | None = Field(None, description="dropout: p.")
    keep_probability: float | None = Field(None, description="dropout: ρ = 1 − p.")
    scale: float | None = Field(None, description="dropout: 1/ρ, applied to the kept units.")
    drop_connect: float | None = Field(None, description="dense: DropConnect's drop probability.")
    drop_connect_mask: Tensor = Field(None, description="dense: the weights kept (1) this step.")
    weights_used: Tensor = Field(
        None, description="dense with DropConnect: W ⊙ mask / (1 − p), the weights of the step."
    )
    inputs: list[str] | None = Field(
        None,
        description="add, concat: the input node ids in edge order (an add's first: the skip).",
    )
    dE_dinputs: dict[str, Tensor] | None = Field(
        None,
        description="add, concat: ∂E/∂(each input) by input id; at an add every input gets the "
        "same ∂E/∂a (the dropped branch of stochastic depth 0).",
    )
    survival_probability: float | None = Field(None, description="add: stochastic depth's p_L.")
    branch_kept: float | None = Field(
        None, description="add: 1 when the residual branch was kept this step, else 0."
    )
    weights: Tensor | GateTensors = Field(None, description="W before the step.")
    bias: Tensor | GateTensors = Field(None, description="b before the step.")
    grad_weights: Tensor | GateTensors = Field(
        None, description="∂E/∂W, summed over the examples (and steps)."
    )
    grad_bias: Tensor | GateTensors = None
    grad_weights_per_example: Tensor = Field(
        None, description="∂E/∂W of each example (omitted (null) when large)."
    )
    grad_bias_per_example: Tensor = None
    weights_after: Tensor | GateTensors = Field(None, description="W − α ∂E/∂W.")
    bias_after: Tensor | GateTensors = None
    gates: GateTensors | None = Field(
        None, description="lstm/gru: each gate's activation per example and step [N][T][units]."
    )
    gate_z: GateTensors | None = Field(
        None, description="lstm/gru: each gate's z per example and step [N][T][units]."
    )
    c: Tensor = Field(None, description="lstm: the cell state c_t [N][T][units].")
    h: Tensor = Field(None, description="lstm/gru: h_t [N][T][units] (rnn: a).")
    initial_state: dict[str, Tensor] | None = Field(
        None, description="recurrent: the h_0 (and c_0) the sequences started from."
    )
    grad_weights_per_step: dict[str, Tensor] | None = Field(
        None,
        description="rnn: ∂E/∂W contributed at each step t, summed over examples, [T][…]: the "
        "gradients BPTT sums (the lecture's gradient counts).",
    )
    stride: list[int] | None = None
    padding: list[int] | None = None
    kernel: list[int] | None = None
    receptive_fields: ReceptiveFields | None = Field(
        None, description="conv2d: the first example's patches and products (null when large)."
    )
    winners: IndexTensor = Field(
        None, description="maxpool2d: (row, col) in the input map of each window's maximum."
    )
    routed_delta: Tensor = Field(
        None, description="pooling: ∂E/∂a of the pooled map's input, δ routed to the winners."
    )
    optimizer_state: dict[str, dict[str, Tensor]] | None = Field(
        None,
        description="With an optimizer: its state after the step for `weights` and `bias`, by "
        "name: velocity, sum_sq, mean_sq, m, v, m_hat = m/(1 − β1ᵗ), v_hat = v/(1 − β2ᵗ).",
    )


class TraceResponse(BaseModel):
    """The trace of one iteration: forward pass, backward pass and one plain GD step."""

    model_config = ConfigDict(extra="allow")

    loss: float | None
    loss_after: float | None = Field(None, description="E on the same examples after the step.")
    loss_function: LossName
    reduction: Literal["sum", "mean"]
    learning_rate: float
    dtype: Literal["float32", "float64"]
    round_to: int | None = None
    rule: Literal["gradient", "perceptron"] = "gradient"
    step_optimizer: OptimizerSpec | None = Field(
        None, description="the optimiser the traced step used; null: plain gradient descent"
    )
    optimizer_t: int = Field(
        0, description="steps the optimiser's state had taken before this one (it is step t + 1)"
    )
    per_example_loss: Tensor = None
    outputs: Tensor = Field(
        None, description="The network's outputs (softmax probabilities for cross_entropy)."
    )
    outputs_after: Tensor = None
    layers: list[TraceLayer]
    parallel: TraceParallel | None = Field(
        None, description="with parallel_workers: the data-parallel walk of the same step"
    )


class TraceSpecRequest(ClientModel):
    """Trace the first iteration of a whole RunSpec on some of its training examples."""

    spec: dict[str, Any] = Field(description="a RunSpec (shared_schemas/json/runspec.json)")
    example_indices: list[int] | None = Field(
        None,
        max_length=64,
        description="training examples to trace; None: the whole training set up to 64 examples",
    )
    dtype: Literal["float32", "float64"] = "float64"
    reduction: Literal["sum", "mean"] | None = Field(
        None, description="override the loss's reduction (the book sums cross-entropy gradients)"
    )
    round_to: int | None = Field(
        None, ge=0, le=12, description="book rounding of a, ∂a/∂z and δ before reuse (4)"
    )
    use_optimizer: bool = Field(
        False,
        description="false: one plain gradient-descent step at the optimiser's lr. true: one step "
        "of the spec's own optimiser from fresh state, with its state per layer.",
    )
    masks: dict[str, Tensor] | None = Field(
        None,
        description="The step's dropout, DropConnect and stochastic-depth choices by node id, as "
        "TraceRequest's `masks`; nodes not given draw theirs from the spec's seed.",
    )
