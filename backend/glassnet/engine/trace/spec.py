"""Trace mode for a RunSpec: trace one iteration on examples of the spec's own training data."""

from __future__ import annotations

from typing import Any

import numpy as np

from glassnet.data import DataError, load
from glassnet.engine.trace.core import run_trace
from glassnet.engine.trace.errors import TraceError, validated
from shared_schemas.runspec import (
    ActivationNode,
    RnnNode,
    RunSpec,
    WeightedNode,
    activation_spec,
)

MAX_DEFAULT_EXAMPLES = 64


def trace_spec(
    run_spec: RunSpec | dict[str, Any],
    example_indices: list[int] | None = None,
    dtype: str = "float64",
    reduction: str | None = None,
    round_to: int | None = None,
    use_optimizer: bool = False,
    masks: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The textbook trace of a run spec's first iteration.

    Inputs and targets are the training examples at `example_indices` of the spec's data
    (`glassnet.data.load(spec.data, seed)`); None takes the whole training set when it has at most
    64 examples (the book's full batch), else the first 64. Loss and α come from `training`;
    the first weights are the Trainer's (the nodes' own, else their initialisers with the spec's
    seed and dtype), traced in float64 unless told. `reduction` overrides the loss's default
    (e.g. "sum" to reproduce the book's cross-entropy batch gradient); `round_to` = 4 replays the
    book's hand rounding. The update is one plain gradient-descent step at the optimiser's α, or
    with `use_optimizer` one step of the spec's own optimiser, reporting its state. `masks` fixes
    the dropout, DropConnect and stochastic-depth draws by node id, as the trace request's do.
    """
    spec = validated(RunSpec, run_spec)
    optimizer = spec.training.optimizer
    if use_optimizer and optimizer.kind == "nesterov" and optimizer.momentum == 0:
        raise TraceError(
            "nesterov needs momentum > 0 (with 0 it is plain sgd; pick sgd).",
            "/training/optimizer/momentum",
        )
    try:
        dataset = load(spec.data, spec.seed)
    except DataError as error:
        raise TraceError(error.message, error.pointer) from error
    n = dataset.x_train.shape[0]
    if example_indices is None:
        indices = list(range(min(n, MAX_DEFAULT_EXAMPLES)))
    else:
        indices = [int(i) for i in example_indices]
        bad = [i for i in indices if not 0 <= i < n]
        if bad or not indices:
            raise TraceError(
                f"example indices must lie in 0..{n - 1}; got {bad or 'none'}", "/example_indices"
            )
    x = np.asarray(dataset.x_train)[indices]
    y = np.asarray(dataset.y_train)[indices]
    perceptron = spec.training.trainer == "perceptron"
    if perceptron and any(
        isinstance(n, (WeightedNode, ActivationNode, RnnNode))
        and activation_spec(n.activation).kind == "sign"
        for n in spec.network.nodes
    ):
        y = 2 * y - 1  # a sign unit answers ±1: the 0/1 labels are read as −1/+1, as in training
    result = run_trace(
        network=spec.network,
        inputs=x.tolist(),
        targets=y.tolist(),
        loss=spec.training.loss,
        learning_rate=spec.training.optimizer.lr,
        dtype=dtype,
        seed=spec.seed,
        init_dtype=spec.dtype,
        reduction=reduction,
        round_to=round_to,
        rule="perceptron" if perceptron else "gradient",
        truncate=spec.training.bptt.truncate,
        optimizer=spec.training.optimizer if use_optimizer else None,
        masks=masks,
    )
    result["example_indices"] = indices
    # Without use_optimizer the step is plain gradient descent; the run may use another optimiser.
    result["optimizer"] = spec.training.optimizer.kind
    return result
