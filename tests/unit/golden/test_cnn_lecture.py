"""The CNN lecture on the 6×6 image of a "4": activations, feature maps, padding, pooling, routing."""

from __future__ import annotations

from typing import Any

import expected as E
import pytest

from glassnet.engine.trace import trace


def run(
    network: dict[str, Any],
    image: Any,
    learning_rate: float = 0.01,
    targets: list[float] | None = None,
) -> dict[str, Any]:
    n_out = _n_outputs(network)
    return trace(
        {
            "network": network,
            "inputs": [image],
            "targets": [targets if targets is not None else [0.0] * n_out],
            "loss": "half_sse",
            "learning_rate": learning_rate,
        }
    )


def _n_outputs(network: dict[str, Any]) -> int:
    shapes = {"shape": network["nodes"][0]["shape"]}
    h, w = shapes["shape"][1:]
    conv = network["nodes"][1]
    k, s, p = conv["kernel"], conv["stride"], conv["padding"]
    h, w = (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1
    if any(node["kind"].endswith("pool2d") for node in network["nodes"]):
        h, w = h // 2, w // 2
    return h * w


def conv_layer(result: dict[str, Any]) -> dict[str, Any]:
    return result["layers"][0]


def image_4() -> list[list[list[int]]]:
    return [E.IMAGE_4]


def test_top_left_neuron_activation_is_255() -> None:
    conv = conv_layer(run(E.conv_network(E.FILTER_HORIZONTAL_LINE, [1, 6, 6]), image_4()))
    assert conv["a"][0][0][0][0] == E.ACTIVATION_TOP_LEFT
    fields = conv["receptive_fields"]
    assert fields["patches"][0][0][0] == E.PATCH_TOP_LEFT
    assert sum(sum(row) for row in fields["products"][0][0][0][0]) == E.ACTIVATION_TOP_LEFT


def test_neuron_over_the_horizontal_bar_activates_765() -> None:
    conv = conv_layer(run(E.conv_network(E.FILTER_HORIZONTAL_LINE, [1, 6, 6]), image_4()))
    assert conv["a"][0][0][2][1] == E.ACTIVATION_BAR
    assert conv["receptive_fields"]["patches"][2][1][0] == E.PATCH_BAR
    products = conv["receptive_fields"]["products"][0][2][1][0]
    assert products == [[0, 0, 0], [255, 255, 255], [0, 0, 0]]
    # Erratum (OCR B, activation example 2): a 7th term (1 × 255) would sum to 1020, not 765.
    assert max(max(row) for row in conv["a"][0][0]) == E.ACTIVATION_BAR


@pytest.mark.parametrize(
    ("filt", "wanted_a", "wanted_z"),
    [
        (E.FILTER_C_VERTICAL_CONTRAST, E.MAP_C_A, E.MAP_C_Z),
        (E.FILTER_D_HORIZONTAL_CONTRAST, E.MAP_D_A, E.MAP_D_Z),
        (E.FILTER_HORIZONTAL_LINE, E.MAP_HORIZONTAL_LINE_A, None),
        (E.FILTER_A_VERTICAL, E.MAP_A_VERTICAL_A, None),
        (E.FILTER_B_DIAGONAL, E.MAP_B_DIAGONAL_A, None),
    ],
    ids=[
        "c-vertical-contrast",
        "d-horizontal-contrast",
        "horizontal-line",
        "a-vertical",
        "b-diagonal",
    ],
)
def test_feature_maps_without_padding_are_4x4_after_the_rectifier(
    filt: list[list[int]], wanted_a: list[list[int]], wanted_z: list[list[int]] | None
) -> None:
    conv = conv_layer(run(E.conv_network(filt, [1, 6, 6]), image_4()))
    assert conv["a"][0][0] == wanted_a
    if wanted_z is not None:
        assert conv["z"][0][0] == wanted_z


@pytest.mark.parametrize(
    ("filt", "wanted_a", "wanted_z"),
    [
        (E.FILTER_C_VERTICAL_CONTRAST, E.PADDED_MAP_C_A, E.PADDED_MAP_C_Z),
        (E.FILTER_D_HORIZONTAL_CONTRAST, E.PADDED_MAP_D_A, E.PADDED_MAP_D_Z),
    ],
    ids=["c-vertical-contrast", "d-horizontal-contrast"],
)
def test_padding_1_keeps_the_6x6_size(
    filt: list[list[int]], wanted_a: list[list[int]], wanted_z: list[list[int]]
) -> None:
    conv = conv_layer(run(E.conv_network(filt, [1, 6, 6], padding=1), image_4()))
    assert conv["a"][0][0] == wanted_a
    assert conv["z"][0][0] == wanted_z


def test_padded_image_has_four_255s_in_row_4_not_the_slides_three() -> None:
    # Erratum (Kelleher eqs. 98–99): the slide's padded row 4 shows three 255s.
    conv = conv_layer(
        run(E.conv_network(E.FILTER_C_VERTICAL_CONTRAST, [1, 6, 6], padding=1), image_4())
    )
    padded = conv["receptive_fields"]["padded_input"][0]
    assert len(padded) == 8
    assert padded[4] == E.PADDED_ROW_4_CORRECT
    assert padded[4] != E.PADDED_ROW_4_SLIDE


def test_padding_cells_appear_as_zeros_in_the_corner_receptive_field() -> None:
    conv = conv_layer(
        run(E.conv_network(E.FILTER_C_VERTICAL_CONTRAST, [1, 6, 6], padding=1), image_4())
    )
    assert conv["receptive_fields"]["patches"][0][0][0] == [[0, 0, 0], [0, 0, 0], [0, 0, 255]]


@pytest.mark.parametrize(("kernel", "size"), [(2, 5), (3, 4), (4, 3)])
def test_filter_size_sets_the_feature_map_size(kernel: int, size: int) -> None:
    filt = [[1] * kernel for _ in range(kernel)]
    conv = conv_layer(run(E.conv_network(filt, [1, 6, 6]), image_4()))
    assert len(conv["a"][0][0]) == size and len(conv["a"][0][0][0]) == size


@pytest.mark.parametrize(
    ("filt", "wanted"),
    [
        (E.FILTER_C_VERTICAL_CONTRAST, E.STRIDE_3_MAP_C_A),
        (E.FILTER_D_HORIZONTAL_CONTRAST, E.STRIDE_3_MAP_D_A),
    ],
)
def test_stride_3_gives_non_overlapping_2x2_maps(filt: list[list[int]], wanted: Any) -> None:
    conv = conv_layer(run(E.conv_network(filt, [1, 6, 6], stride=3), image_4()))
    assert conv["a"][0][0] == wanted


@pytest.mark.parametrize(
    ("filt", "padding", "pool", "wanted"),
    [
        (E.FILTER_D_HORIZONTAL_CONTRAST, 1, "maxpool2d", E.MAX_POOLED_PADDED_D),
        (E.FILTER_C_VERTICAL_CONTRAST, 0, "maxpool2d", E.MAX_POOLED_C),
        (E.FILTER_D_HORIZONTAL_CONTRAST, 0, "maxpool2d", E.MAX_POOLED_D),
        (E.FILTER_C_VERTICAL_CONTRAST, 1, "maxpool2d", E.MAX_POOLED_PADDED_C),
        (E.FILTER_D_HORIZONTAL_CONTRAST, 1, "avgpool2d", E.AVG_POOLED_PADDED_D),
        (E.FILTER_C_VERTICAL_CONTRAST, 1, "avgpool2d", E.AVG_POOLED_PADDED_C),
        (E.FILTER_C_VERTICAL_CONTRAST, 0, "avgpool2d", E.AVG_POOLED_C),
    ],
)
def test_2x2_pooling_of_feature_maps(
    filt: list[list[int]], padding: int, pool: str, wanted: list[list[float]]
) -> None:
    result = run(E.conv_network(filt, [1, 6, 6], padding=padding, pool=pool), image_4())
    assert result["layers"][1]["a"][0][0] == wanted


def _pool_backward(learning_rate: float) -> dict[str, Any]:
    # Targets one below the pooled outputs make ∂E/∂a = 1 on every pooled neuron (ε = Σ outputs).
    targets = [v - 1.0 for row in E.MAX_POOLED_PADDED_D for v in row]
    network = E.conv_network(E.FILTER_D_HORIZONTAL_CONTRAST, [1, 6, 6], padding=1, pool="maxpool2d")
    return run(network, image_4(), learning_rate, targets)


def test_max_pooling_winners_are_the_maxima_first_in_row_major_order_on_ties() -> None:
    pool = _pool_backward(0.01)["layers"][1]
    winners = pool["winners"][0][0]
    for (i, j), (r, c) in E.MAX_POOL_WINNERS.items():
        assert winners[i][j] == [r, c]
    assert winners[0][0] == [0, 0]  # all-zero window: the top-left element wins the tie


def test_max_pooling_routes_delta_to_the_winner_only() -> None:
    result = _pool_backward(0.01)
    pool, conv = result["layers"][1], result["layers"][0]
    assert pool["delta"][0][0] == [[1.0] * 3] * 3
    assert pool["routed_delta"][0][0] == E.POOL_ROUTED_DE_DA
    assert conv["dE_da"][0][0] == E.POOL_ROUTED_DE_DA
    cells = {(i, j) for i in range(6) for j in range(6) if conv["delta"][0][0][i][j] != 0}
    assert cells == set(E.POOL_CONV_DELTA_CELLS)


def test_delta_of_the_max_neuron_b_equals_delta_of_pooling_neuron_c() -> None:
    # Erratum (eq. 103): the slide writes δ_B = δ_D × w_{C,B}; B feeds C, so δ_B = δ_C × 1 × 1.
    result = _pool_backward(0.01)
    pool, conv = result["layers"][1], result["layers"][0]
    delta_c = pool["delta"][0][0][1][0]
    row, col = pool["winners"][0][0][1][0]
    assert (row, col) == (3, 1)
    assert conv["delta"][0][0][row][col] == delta_c * 1 * conv["da_dz"][0][0][row][col]
    assert conv["delta"][0][0][3][0] == 0  # A, not the max: δ_A = 0


def test_shared_filter_gradient_sums_delta_times_patch_over_the_neurons() -> None:
    conv = _pool_backward(0.01)["layers"][0]
    assert conv["grad_weights"][0][0] == E.POOL_GRAD_W
    assert conv["grad_bias"] == [E.POOL_GRAD_B]
    for (i, j), patch in E.POOL_PATCHES.items():
        assert conv["receptive_fields"]["patches"][i][j][0] == patch


@pytest.mark.parametrize("learning_rate", sorted(E.POOL_W_AFTER))
def test_shared_filter_update_follows_eq_95(learning_rate: float) -> None:
    conv = _pool_backward(learning_rate)["layers"][0]
    E.assert_close(conv["weights_after"][0][0], E.POOL_W_AFTER[learning_rate], 1e-12)


def test_rgb_2x2x3_filter_with_bias_gives_the_lecture_feature_map() -> None:
    network = E.conv_network(E.RGB_FILTER, [3, 3, 3], bias=E.RGB_BIAS)
    conv = conv_layer(run(network, E.RGB_IMAGE))
    assert conv["a"][0][0] == E.RGB_MAP
    assert conv["receptive_fields"]["patches"][0][0] == E.RGB_PATCH_TOP_LEFT
    products = conv["receptive_fields"]["products"][0][0][0]
    total = sum(v for channel in products for row in channel for v in row) + E.RGB_BIAS
    assert total == E.RGB_MAP[0][0]
