"""The textbook presets replay the book: trace mode on each preset's own data and weights."""

from __future__ import annotations

from typing import Any

import expected as E
import pytest

from glassnet.engine.trace import trace_spec
from glassnet.presets import get_preset


def spec_of(preset_id: str) -> dict[str, Any]:
    return get_preset(preset_id)["spec"]


def layer(result: dict[str, Any], layer_id: str) -> dict[str, Any]:
    return next(entry for entry in result["layers"] if entry["id"] == layer_id)


@pytest.mark.parametrize(
    ("preset_id", "activation"),
    [("kelleher-power-plant-logistic", "sigmoid"), ("kelleher-power-plant-relu", "relu")],
)
def test_power_plant_presets_hold_figure_14s_network(preset_id: str, activation: str) -> None:
    assert spec_of(preset_id)["network"] == E.power_plant_network(activation)
    assert spec_of(preset_id)["training"]["optimizer"]["lr"] == E.LEARNING_RATE
    assert spec_of(preset_id)["training"]["loss"] == "half_sse"


def test_logistic_preset_traces_tables_4_to_8() -> None:
    result = trace_spec(spec_of("kelleher-power-plant-logistic"))
    assert result["example_indices"] == [0, 1, 2, 3]
    E.assert_close(result["outputs"], [[y] for y in E.LOGISTIC_PREDICTIONS_FULL], E.FULL_TOL)
    assert result["loss"] == pytest.approx(E.LOGISTIC_SSE_FULL, abs=E.FULL_TOL)
    h2 = layer(result, "h2")
    assert h2["grad_weights"][1][2] == pytest.approx(E.DELTA_W75_FULL, abs=E.FULL_TOL)
    assert h2["weights_after"][1][2] == pytest.approx(E.W75_AFTER_BATCH_FULL, abs=E.FULL_TOL)
    assert [round(y[0], 4) for y in result["outputs_after"]] == E.LOGISTIC_PREDICTIONS_AFTER_SEED


def test_one_example_of_the_logistic_preset_is_the_stochastic_update_of_eq_44() -> None:
    result = trace_spec(spec_of("kelleher-power-plant-logistic"), example_indices=[1])
    assert result["example_indices"] == [1]
    w75 = layer(result, "h2")["weights_after"][1][2]
    assert w75 == pytest.approx(E.W75_AFTER_D2_FULL, abs=E.FULL_TOL)


def test_relu_preset_traces_table_11() -> None:
    result = trace_spec(spec_of("kelleher-power-plant-relu"))
    assert result["loss"] == pytest.approx(E.RELU_SSE_FULL, abs=E.FULL_TOL)
    assert all(a[1] == 0.0 for a in layer(result, "h1")["a"])


def test_softmax_preset_gives_eq_88_with_the_books_summed_gradient() -> None:
    preset = get_preset("kelleher-softmax-table-16")
    assert preset["trace"] == {"reduction": "sum"}
    result = trace_spec(preset["spec"], **preset["trace"])
    out = layer(result, "out")
    assert out["grad_weights"][1][0] == pytest.approx(E.DELTA_W96_SEED, abs=E.DELTA_W96_TOL)
    assert out["weights_after"][1][0] == pytest.approx(E.W96_AFTER_SEED, abs=E.FULL_TOL)
    E.assert_close(out["delta"], E.TABLE_16_DELTA, E.SEED_TOL_4DP)


def test_table_15_preset_gives_the_printed_softmax() -> None:
    result = trace_spec(spec_of("kelleher-softmax-table-15"))
    assert result["outputs"][0] == pytest.approx(E.TABLE_15_SOFTMAX, abs=1e-8)


def test_receptive_field_preset_activates_255_and_765() -> None:
    conv = layer(trace_spec(spec_of("cnn-receptive-field")), "conv")
    assert conv["a"][0][0][0][0] == E.ACTIVATION_TOP_LEFT
    assert conv["a"][0][0][2][1] == E.ACTIVATION_BAR


def test_feature_map_presets_give_the_lecture_maps() -> None:
    plain = layer(trace_spec(spec_of("cnn-feature-maps")), "conv")["a"][0]
    assert plain == [E.MAP_C_A, E.MAP_D_A]
    padded = layer(trace_spec(spec_of("cnn-padding")), "conv")["a"][0]
    assert padded == [E.PADDED_MAP_C_A, E.PADDED_MAP_D_A]


def test_max_pooling_preset_routes_delta_and_sums_the_shared_gradient() -> None:
    result = trace_spec(spec_of("cnn-max-pooling"), reduction="sum")
    assert layer(result, "pool")["a"][0][0] == E.MAX_POOLED_PADDED_D
    conv = layer(result, "conv")
    assert conv["dE_da"][0][0] == E.POOL_ROUTED_DE_DA
    assert conv["grad_weights"][0][0] == E.POOL_GRAD_W


def test_rgb_preset_gives_the_lecture_map() -> None:
    conv = layer(trace_spec(spec_of("cnn-rgb-filter")), "conv")
    assert conv["a"][0][0] == E.RGB_MAP


def test_xor_threshold_preset_computes_xor() -> None:
    result = trace_spec(spec_of("xor-threshold-network"))
    assert result["outputs"] == E.XOR_TARGETS


def test_the_batch_norm_preset_is_the_lectures_example() -> None:
    bn = layer(trace_spec(spec_of("batchnorm-lecture-example")), "bn")
    assert bn["mean"] == [E.BN_MEAN] and bn["var"] == [E.BN_VAR]
    assert bn["grad_beta"] == [pytest.approx(E.BN_GRAD_BETA, abs=1e-12)]
    assert bn["gamma_after"] == [pytest.approx(E.BN_GAMMA_AFTER, abs=1e-12)]


def test_the_dropout_preset_replays_algorithm_2_with_its_masks() -> None:
    preset = get_preset("dropout-algorithm-2")
    drop = layer(trace_spec(preset["spec"], **preset["trace"]), "drop")
    assert drop["mask"] == E.DROPOUT_MASKS
    assert drop["a"] == E.DROPOUT_A
    assert drop["dE_dx"] == [pytest.approx(row, abs=1e-12) for row in E.DROPOUT_DE_DX]


def test_the_rnn_preset_unrolls_three_steps_from_h0_zero() -> None:
    import math

    rnn = layer(trace_spec(spec_of("rnn-bptt-three-steps")), "h")
    h1 = [math.tanh(0.5), math.tanh(-0.3)]
    assert rnn["h"][0][0] == pytest.approx(h1, abs=1e-15)
    per_step = rnn["grad_weights_per_step"]["hh"]
    assert len(per_step) == 3 and per_step[0] == [[0.0, 0.0], [0.0, 0.0]]
    total = [[sum(step[r][c] for step in per_step) for c in range(2)] for r in range(2)]
    assert total == [pytest.approx(row, abs=1e-12) for row in rnn["grad_weights"]["hh"]]
