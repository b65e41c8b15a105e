"""What a run or a trace will cost before it starts: activation memory and numbers in an answer.

Parameters alone do not bound a run's memory: a 1×1 convolution on MNIST has a few hundred
parameters but, full batch, holds every example's feature maps at once. These estimates are what
the server's caps compare against; they are deliberately simple so that a student can redo them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

DTYPE_BYTES = {"float32": 4, "float64": 8}
# A trace reports, per example and node, z, a, ∂a/∂z, ∂E/∂a and δ; per parameter its value
# before, its gradient and its value after the step.
TRACE_VALUES_PER_OUTPUT = 5
TRACE_VALUES_PER_PARAMETER = 3


def activation_bytes(
    layer_shapes: Iterable[Sequence[int]],
    batch: int,
    examples: int,
    example_values: int,
    dtype: str,
) -> int:
    """batch × Σ layer output sizes × dtype bytes, plus the data held on the device.

    `layer_shapes` are the per-example output shapes of the layers (not the input node),
    `examples` the number of examples the run keeps on the device and `example_values` the
    numbers of one example (its inputs and its targets).
    """
    size = DTYPE_BYTES[dtype]
    outputs = sum(math.prod(shape) for shape in layer_shapes)
    return batch * outputs * size + examples * example_values * size


def trace_values(
    output_shapes: Iterable[Sequence[int]], parameters: Mapping[str, int], examples: int
) -> int:
    """How many numbers a trace of `examples` examples answers with (an upper estimate)."""
    outputs = sum(math.prod(shape) for shape in output_shapes)
    return (
        examples * outputs * TRACE_VALUES_PER_OUTPUT
        + sum(parameters.values()) * TRACE_VALUES_PER_PARAMETER
    )


def mebibytes(n_bytes: int) -> str:
    """A byte count as MiB with one decimal, for messages."""
    return f"{n_bytes / 2**20:,.1f} MiB"
