"""The textbook trace: one forward pass, backward pass and gradient-descent step, every number kept."""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import Tensor

from glassnet.engine.losses import REDUCTION
from glassnet.engine.model import Dropout, GraphModel, Layer
from glassnet.engine.trace.activation import PerceptronUnit, resolve_activation
from glassnet.engine.trace.batchnorm import BatchNormLayer
from glassnet.engine.trace.chain import ChainNode, chain_of, pair, require_chain
from glassnet.engine.trace.conv import ConvLayer
from glassnet.engine.trace.dense import DenseLayer
from glassnet.engine.trace.dropout import DropoutLayer
from glassnet.engine.trace.errors import TraceError, validated
from glassnet.engine.trace.loss import evaluate
from glassnet.engine.trace.masks import StepMasks
from glassnet.engine.trace.merge import AddLayer, ConcatLayer
from glassnet.engine.trace.parallel import check_parallel_network, parallel_walk
from glassnet.engine.trace.params import initial_model
from glassnet.engine.trace.phi import ActivationLayer
from glassnet.engine.trace.pool import FlattenLayer, PoolLayer
from glassnet.engine.trace.recurrent import build_recurrent_chain, run_recurrent
from glassnet.engine.trace.report import Limits, book_rounding, to_list
from glassnet.engine.trace.weighted import StartState, TracedLayer, WeightedLayer
from shared_schemas.runspec import RECURRENT_KINDS, NetworkSpec, OptimizerSpec

MAX_EXAMPLES = 1024
DTYPES = {"float64": torch.float64, "float32": torch.float32}


def build_layers(
    chain: list[ChainNode], model: GraphModel, dtype: torch.dtype, masks: StepMasks
) -> list[TracedLayer]:
    """One traced layer per node after the input, with the parameters of `model` (the Trainer's
    first ones) by node id and the step's random masks from `masks`.

    The network has passed shape inference, so every window fits and every weight has its shape.
    """
    layers: list[TracedLayer] = []
    for node in chain[1:]:
        spec, ptr = node.spec, node.pointer
        block = model.block(node.id)
        if node.kind in ("dense", "conv2d"):
            assert isinstance(block, Layer)
            # Host copies in the trace's dtype: the trace is small and runs on the CPU.
            W, b = _host(block.weight, dtype), _host(block.bias, dtype)
            act = resolve_activation(spec.get("activation"), f"{ptr}/activation")
            if node.kind == "dense":
                dense = DenseLayer(node.id, ptr, W, b, act)
                p = float(spec.get("drop_connect", 0.0))
                if p > 0:
                    mask = masks.mask(
                        node.id, tuple(W.shape), p, f"dense '{node.id}' ([out][in], 1 keeps)"
                    )
                    dense.use_drop_connect(mask, p)
                layers.append(dense)
            else:
                stride = pair(spec.get("stride", 1), "stride", f"{ptr}/stride")
                padding = pair(spec.get("padding", 0), "padding", f"{ptr}/padding")
                layers.append(ConvLayer(node.id, ptr, W, b, act, stride, padding))
        elif node.kind in ("maxpool2d", "avgpool2d"):
            kernel = pair(spec.get("kernel", 2), "kernel", f"{ptr}/kernel")
            stride = pair(spec.get("stride") or kernel, "stride", f"{ptr}/stride")
            padding = pair(spec.get("padding", 0), "padding", f"{ptr}/padding")
            layers.append(PoolLayer(node.id, ptr, node.kind, kernel, stride, padding))
        elif node.kind == "batchnorm":
            assert isinstance(block, torch.nn.modules.batchnorm._BatchNorm)
            # the engine builds batch norm with the spec's momentum, never torch's cumulative mean
            assert block.momentum is not None
            gamma, beta = _host(block.weight, dtype), _host(block.bias, dtype)
            layers.append(
                BatchNormLayer(node.id, ptr, gamma, beta, float(block.eps), float(block.momentum))
            )
        elif node.kind == "activation":
            act = resolve_activation(spec.get("activation"), f"{ptr}/activation")
            layers.append(ActivationLayer(node.id, ptr, act))
        elif node.kind == "dropout":
            assert isinstance(block, Dropout)
            layers.append(DropoutLayer(node.id, ptr, block.p, masks))
        elif node.kind == "add":
            survival = float(spec.get("survival_probability", 1.0))
            layers.append(AddLayer(node.id, ptr, node.inputs, survival, masks))
        elif node.kind == "concat":
            layers.append(ConcatLayer(node.id, ptr, node.inputs))
        else:
            layers.append(FlattenLayer(node.id, ptr))
    return layers


def _host(t: Tensor, dtype: torch.dtype) -> Tensor:
    return t.detach().to("cpu", dtype).clone()


def _examples(values: Any, shape: tuple[int, ...], name: str, dtype: torch.dtype) -> Tensor:
    try:
        t = torch.tensor(values, dtype=dtype)
    except (TypeError, ValueError) as exc:
        raise TraceError(f"{name} must be a rectangular array of numbers", f"/{name}") from exc
    if t.dim() == 0 or t.shape[0] == 0:
        raise TraceError(f"{name} must hold at least one example", f"/{name}")
    if t.shape[0] > MAX_EXAMPLES:
        raise TraceError(f"a trace takes at most {MAX_EXAMPLES} examples", f"/{name}")
    if shape and t[0].numel() != math.prod(shape):
        raise TraceError(
            f"each example of {name} has {t[0].numel()} numbers but the network expects "
            f"{list(shape)}",
            f"/{name}",
        )
    return t.reshape(t.shape[0], *shape) if shape else t.reshape(t.shape[0], -1)


def parse_network(network: NetworkSpec | dict[str, Any]) -> NetworkSpec:
    """The network as a validated NetworkSpec (TraceError naming the first problem otherwise)."""
    return validated(NetworkSpec, network, "/network")


def run_trace(
    network: NetworkSpec | dict[str, Any],
    inputs: Any,
    targets: Any,
    loss: str = "half_sse",
    learning_rate: float = 0.1,
    dtype: str = "float64",
    reduction: str | None = None,
    seed: int = 0,
    init_dtype: str | None = None,
    round_to: int | None = None,
    limits: Limits | None = None,
    rule: str = "gradient",
    initial_state: dict[str, Any] | None = None,
    truncate: int | None = None,
    optimizer: OptimizerSpec | None = None,
    masks: dict[str, Any] | None = None,
    optimizer_state: dict[str, dict[str, dict[str, Any]]] | None = None,
    optimizer_t: int = 0,
) -> dict[str, Any]:
    """Trace one iteration of plain gradient descent on the given examples (see `trace`).

    With `optimizer`, the update is instead one step of that training optimiser (its own lr
    replaces `learning_rate`) from fresh state, or from `optimizer_state` after `optimizer_t`
    steps (by layer id, as a previous trace reported it), and each weighted layer reports the
    optimiser's state after the step.

    Layers without `weights` are initialised as the Trainer would with `seed`, drawing in
    `init_dtype` (the run's dtype; default: `dtype`) before converting to `dtype`. `round_to`
    rounds a, ∂a/∂z and δ to that many decimals before they are reused (the book's 4).

    `masks` gives the step's random choices by node id (see TraceRequest.masks); those not given
    are drawn from `seed`, and every layer reports the mask it used.
    """
    if dtype not in DTYPES:
        raise TraceError(f"dtype must be float32 or float64, not {dtype!r}", "/dtype")
    torch_dtype = DTYPES[dtype]
    if optimizer is not None and optimizer.kind == "nesterov" and optimizer.momentum == 0:
        raise TraceError(
            "nesterov needs momentum > 0 (with 0 it is plain sgd; pick sgd).", "/optimizer/momentum"
        )
    reduction = reduction or REDUCTION.get(loss, "sum")
    spec = parse_network(network)
    chain = chain_of(spec)
    if any(node.kind in RECURRENT_KINDS for node in chain):
        require_chain(chain, "a recurrent trace")
        if round_to is not None or rule != "gradient":
            raise TraceError(
                "book rounding and the perceptron rule apply to feed-forward traces; leave "
                "round_to and rule at their defaults for a recurrent network",
                "/round_to" if round_to is not None else "/rule",
            )
        if masks:
            raise TraceError("masks apply to feed-forward traces", "/masks")
        for node in chain:
            if node.spec.get("drop_connect", 0) > 0:
                raise TraceError(
                    "a recurrent trace does not take DropConnect; set drop_connect to 0",
                    f"{node.pointer}/drop_connect",
                )
        return _recurrent_trace(
            spec, chain, inputs, targets, loss, learning_rate, dtype, reduction, seed,
            init_dtype, initial_state, truncate,
        )  # fmt: skip
    if initial_state:
        raise TraceError("initial_state applies to rnn, lstm and gru layers only", "/initial_state")
    if truncate is not None:
        raise TraceError("truncate applies to rnn, lstm and gru layers only", "/truncate")
    model = initial_model(spec, seed, DTYPES[init_dtype or dtype])
    step_masks = StepMasks(masks, seed, torch_dtype)
    layers = build_layers(chain, model, torch_dtype, step_masks)
    if rule == "perceptron":
        _use_perceptron_rule(layers, loss, reduction)
    if round_to is not None:
        for layer in layers:
            if isinstance(layer, WeightedLayer):
                layer.round_values = book_rounding(round_to)
    in_shape = tuple(int(s) for s in chain[0].spec["shape"])
    x = _examples(inputs, in_shape, "inputs", torch_dtype)
    t = _examples(targets, (), "targets", torch_dtype)
    if t.shape[0] != x.shape[0]:
        raise TraceError(f"{x.shape[0]} input rows but {t.shape[0]} target rows", "/targets")
    a = _forward(chain, layers, x, updated=False)
    step_masks.check_all_used()
    last = layers[-1]
    out_act = (
        last.activation.name if isinstance(last, WeightedLayer | ActivationLayer) else "linear"
    )
    result = evaluate(loss, reduction, a, t, out_act)
    _backward(chain, layers, result.dE_da, result.delta)
    given = dict(optimizer_state or {})
    if given and optimizer is None:
        raise TraceError("optimizer_state needs an optimizer to continue", "/optimizer_state")
    for layer in layers:
        if optimizer is not None and isinstance(layer, WeightedLayer | BatchNormLayer):
            pointer = f"/optimizer_state/{layer.id}"
            layer.update_with(optimizer, StartState(given.pop(layer.id, {}), optimizer_t, pointer))
        else:
            layer.update(learning_rate)
    if given:
        unknown = next(iter(given))
        raise TraceError(
            f"no layer {unknown!r} with parameters to continue", f"/optimizer_state/{unknown}"
        )
    if optimizer is not None:
        learning_rate = optimizer.lr

    a_after = _forward(chain, layers, x, updated=True)
    after = evaluate(loss, reduction, a_after, t, out_act)
    limits = limits or Limits()
    return {
        "loss": _finite(float(result.value)),
        "loss_after": _finite(float(after.value)),
        "loss_function": loss,
        "reduction": reduction,
        "learning_rate": learning_rate,
        "dtype": dtype,
        "round_to": round_to,
        "rule": rule,
        "step_optimizer": None if optimizer is None else optimizer.model_dump(),
        "optimizer_t": optimizer_t if optimizer is not None else 0,
        "per_example_loss": to_list(result.per_example),
        "outputs": to_list(result.outputs),
        "outputs_after": to_list(after.outputs),
        "layers": [layer.report(limits) for layer in layers],
    }


def _recurrent_trace(
    spec: NetworkSpec,
    chain: list[ChainNode],
    inputs: Any,
    targets: Any,
    loss: str,
    learning_rate: float,
    dtype: str,
    reduction: str,
    seed: int,
    init_dtype: str | None,
    initial_state: dict[str, Any] | None,
    truncate: int | None,
) -> dict[str, Any]:
    """BPTT of a chain with rnn, lstm or gru layers: inputs [N][T][F], targets [N][T][out] or
    [N][out] (see engine/trace/recurrent.py)."""
    torch_dtype = DTYPES[dtype]
    layers = build_recurrent_chain(
        chain, spec, seed, DTYPES[init_dtype or dtype], torch_dtype, truncate, initial_state
    )
    in_shape = tuple(int(s) for s in chain[0].spec["shape"])
    x = _examples(inputs, in_shape, "inputs", torch_dtype)
    t = _examples(targets, (), "targets", torch_dtype)
    if t.shape[0] != x.shape[0]:
        raise TraceError(f"{x.shape[0]} input rows but {t.shape[0]} target rows", "/targets")
    before = run_recurrent(layers, x, t, loss, reduction, learning_rate)
    for layer in layers:
        layer.step(learning_rate)
    after = run_recurrent(layers, x, t, loss, reduction, learning_rate)
    return {
        "loss": _finite(before["loss"]),
        "loss_after": _finite(after["loss"]),
        "loss_function": loss,
        "reduction": reduction,
        "learning_rate": learning_rate,
        "dtype": dtype,
        "round_to": None,
        "rule": "gradient",
        "per_example_loss": before["per_example_loss"],
        "outputs": before["outputs"],
        "outputs_after": after["outputs"],
        "layers": before["layers"],
    }


def _forward(chain: list[ChainNode], layers: list[TracedLayer], x: Tensor, updated: bool) -> Tensor:
    """The output, one row per example, running every node on its inputs' values: with the
    parameters before the step (recording every quantity) or after it."""
    values = {chain[0].id: x}
    for node, layer in zip(chain[1:], layers, strict=True):
        xs = [values[i] for i in node.inputs]
        if updated:
            values[node.id] = layer.forward_with_updated_inputs(xs)
        else:
            values[node.id] = layer.forward_inputs(xs)
    out = values[chain[-1].id]
    return out.reshape(out.shape[0], -1)


def _backward(
    chain: list[ChainNode], layers: list[TracedLayer], dE_da: Tensor, delta: Tensor | None
) -> None:
    """Backpropagation in reverse order: each node receives ∂E/∂a summed over the nodes it feeds
    (a skip connection's source gets its own branch's share plus the add's), and passes ∂E/∂x
    on to its inputs. The loss hands the output node δ directly when it knows it."""
    out_shape = layers[-1].a.shape
    grads: dict[str, Tensor] = {chain[-1].id: dE_da.reshape(out_shape)}
    output_delta = None if delta is None else delta.reshape(out_shape)
    for node, layer in zip(reversed(chain[1:]), reversed(layers), strict=True):
        given = output_delta if node.id == chain[-1].id else None
        for source, g in zip(
            node.inputs, layer.backward_inputs(grads[node.id], given), strict=True
        ):
            if source != chain[0].id:
                grads[source] = grads[source] + g if source in grads else g


def _use_perceptron_rule(layers: list[Any], loss: str, reduction: str) -> None:
    """Swap the one threshold layer's φ′ for the perceptron's stand-in (see PerceptronUnit)."""
    weighted = [layer for layer in layers if isinstance(layer, WeightedLayer)]
    if (
        len(layers) != 1
        or len(weighted) != 1
        or weighted[0].activation.name not in ("step", "sign")
    ):
        raise TraceError(
            "the perceptron rule updates a single dense layer of step or sign units on the input",
            "/rule",
        )
    if loss != "half_sse" or reduction != "sum":
        raise TraceError(
            "the perceptron rule is traced with half_sse summed over the batch", "/loss"
        )
    weighted[0].activation = PerceptronUnit(weighted[0].activation)


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def trace(request: Any) -> dict[str, Any]:
    """The textbook trace behind `POST /api/v1/trace`.

    `request` is a TraceRequest or its dict: `network` (a RunSpec network; branches meet at add
    or concat nodes), `inputs`, `targets`, `loss`, `learning_rate`, `dtype` (float64 by default),
    and optionally `reduction`, `seed` (for layers without given weights) and `masks` (dropout,
    DropConnect and stochastic depth in this step). Returns the TraceResponse dict: the loss before
    and after one plain gradient-descent step, the outputs, and per layer the per-example z, a,
    ∂a/∂z, ∂E/∂a, δ, the summed ∂E/∂W and ∂E/∂b and the parameters after the step.
    Raises TraceError for a network or request the trace cannot handle.
    """
    from shared_schemas.trace import TraceRequest

    req = request if isinstance(request, TraceRequest) else TraceRequest.model_validate(request)
    workers = req.parallel_workers
    if workers is not None:
        check_parallel_network(req.network, len(req.inputs), workers)

    def trace_rows(inputs: list[Any], targets: list[Any], reduction: str | None) -> dict[str, Any]:
        return run_trace(
            network=req.network,
            inputs=inputs,
            targets=targets,
            loss=req.loss,
            learning_rate=req.learning_rate,
            dtype=req.dtype,
            reduction=reduction,
            seed=req.seed,
            round_to=req.round_to,
            rule=req.rule,
            initial_state=req.initial_state,
            truncate=req.truncate,
            optimizer=req.optimizer,
            masks=req.masks,
            optimizer_state=req.optimizer_state,
            optimizer_t=req.optimizer_t,
        )

    result = trace_rows(req.inputs, req.targets, req.reduction)
    if workers is not None:
        # each shard is traced with the whole trace's reduction, so a mean is over the shard
        result["parallel"] = parallel_walk(
            result,
            req.inputs,
            req.targets,
            workers,
            lambda x, t: trace_rows(x, t, result["reduction"]),
        )
    return result
