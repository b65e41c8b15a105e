"""The cost estimates the server's caps compare against, worked by hand."""

from __future__ import annotations

from glassnet.engine.costs import activation_bytes, mebibytes, trace_values


def test_activation_bytes_is_batch_times_layer_outputs_plus_the_data() -> None:
    # a 1×1 conv of 4 filters on 28×28 images, flattened, then 10 units; batch 100, float32,
    # 1000 examples of 784 inputs and 10 targets on the device
    layers = [(4, 28, 28), (3136,), (10,)]
    expected = 100 * (3136 + 3136 + 10) * 4 + 1000 * (784 + 10) * 4
    assert activation_bytes(layers, 100, 1000, 794, "float32") == expected


def test_float64_doubles_the_activation_bytes() -> None:
    layers = [(3,), (1,)]
    assert activation_bytes(layers, 8, 10, 3, "float64") == 2 * activation_bytes(
        layers, 8, 10, 3, "float32"
    )


def test_trace_values_count_five_per_output_and_three_per_parameter() -> None:
    assert trace_values([(4,), (1,)], {"h": 12, "y": 5}, 3) == 3 * 5 * 5 + 17 * 3


def test_mebibytes_reads_with_one_decimal() -> None:
    assert mebibytes(3 * 2**20 + 2**19) == "3.5 MiB"
