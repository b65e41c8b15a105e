"""Worked examples of the three lectures: the networks, the data and every number the book prints.

One module so that engine-level and API-level golden tests assert the same values. Naming:
`*_SEED` are the lecture's printed (4-dp, hand-rounded) values; `*_FULL` are float64 values
recomputed from the lecture's inputs ([DERIVED] in /work/shared/curriculum), asserted at 1e-6.
Kelleher's neurons: 1, 2 inputs; 3, 4, 5 = h1 rows 0..2; 6, 7 = h2 rows 0..1; 8 = the output.
"""

from __future__ import annotations

import copy
from typing import Any

FULL_TOL = 1e-6  # float64 recomputations
SEED_TOL_4DP = 5e-5  # values the book rounds to 4 decimals
SEED_TOL_Z = 2e-5  # z values the book computes from 4-dp activations
SEED_TOL_SSE = 3e-5  # SSE the book computes from 4-dp predictions

# --- power plant (Kelleher Tables 1–3) ---------------------------------------------------------

POWER_PLANT_INPUTS = [[0.04, 0.81], [0.84, 0.58], [0.50, 0.07], [0.53, 1.00]]
POWER_PLANT_TARGETS = [[0.94], [0.13], [0.57], [0.36]]
LEARNING_RATE = 0.2

# Figure 14's weights (the figure is lost; rebuilt exactly from Tables 4–7; neuron 4 is one of eight
# candidates, k = 5, which no single-step value below depends on except where noted).
W_H1 = [[-0.20, 0.11], [0.09, -0.13], [0.11, -0.02]]
B_H1 = [0.10, -0.19, 0.04]
W_H2 = [[-0.04, 0.10, 0.06], [0.20, 0.14, -0.09]]
B_H2 = [0.15, 0.12]
W_OUT = [[0.12, -0.50]]
B_OUT = [0.10]


def power_plant_network(activation: str = "sigmoid") -> dict[str, Any]:
    """The 2-3-2-1 network of Figure 4 with every neuron using `activation`."""
    return {
        "nodes": [
            {"id": "x", "kind": "input", "shape": [2]},
            {
                "id": "h1",
                "kind": "dense",
                "units": 3,
                "activation": activation,
                "weights": copy.deepcopy(W_H1),
                "bias": list(B_H1),
            },
            {
                "id": "h2",
                "kind": "dense",
                "units": 2,
                "activation": activation,
                "weights": copy.deepcopy(W_H2),
                "bias": list(B_H2),
            },
            {
                "id": "y",
                "kind": "dense",
                "units": 1,
                "activation": activation,
                "weights": copy.deepcopy(W_OUT),
                "bias": list(B_OUT),
            },
        ]
    }


# Table 4: first forward pass of {d1..d4}.
LOGISTIC_PREDICTIONS_SEED = [0.4715, 0.4718, 0.4717, 0.4716]
LOGISTIC_SSE_SEED = 0.17921847  # from 4-dp predictions: ½Σ(t − round(y, 4))²
LOGISTIC_SSE_FULL = 0.17921984497764568
LOGISTIC_PREDICTIONS_FULL = [
    0.4714717007182118,
    0.4717539076632455,
    0.4716814501811912,
    0.4716183322122079,
]

# Table 5 / eqs. 37–43: example d2, neurons 3..8 (h1 0..2, h2 0..1, y 0).
LOGISTIC_D2_SEED = {
    "z": [-0.004200, -0.189800, 0.120800, 0.207122, 0.235460, -0.113108],
    "a": [0.4990, 0.4527, 0.5302, 0.5516, 0.5586, 0.4718],
    "da_dz": [0.2500, 0.2478, 0.2491, 0.2473, 0.2466, 0.2492],
    "delta": [-0.0006, -0.0003, 0.0003, 0.0025, -0.0105, 0.0852],
}
LOGISTIC_D2_FULL = {
    "z": [-0.004200, -0.189800, 0.120800, 0.207121, 0.235452, -0.113105],
    "a": [0.498950, 0.452692, 0.530163, 0.551596, 0.558593, 0.471754],
    "da_dz": [0.249999, 0.247762, 0.249090, 0.247338, 0.246567, 0.249202],
    "delta": [-0.000550, -0.000302, 0.000273, 0.002528, -0.010500, 0.085166],
}
# The full-precision table prints 6 decimals.
TABLE_6DP_TOL = 1e-6 / 2 + 1e-9

# Table 6 at full precision (§2.4): ∂E/∂w_{i,k} for d2 alone, keyed by the book's name.
# (layer id, row, column or "bias") → value.
LOGISTIC_D2_GRADS_FULL = {
    "w80": ("y", 0, "bias", 0.08516581),
    "w86": ("y", 0, 0, 0.04697711),
    "w87": ("y", 0, 1, 0.04757299),
    "w70": ("h2", 1, "bias", -0.01049954),
    "w73": ("h2", 1, 0, -0.00523874),
    "w74": ("h2", 1, 1, -0.00475305),
    "w75": ("h2", 1, 2, -0.00556647),
    "w60": ("h2", 0, "bias", 0.00252777),
    "w63": ("h2", 0, 0, 0.00126123),
    "w64": ("h2", 0, 1, 0.00114430),
    "w65": ("h2", 0, 2, 0.00134013),
    "w50": ("h1", 2, "bias", 0.00027316),
    "w51": ("h1", 2, 0, 0.00022945),
    "w52": ("h1", 2, 1, 0.00015843),
    "w40": ("h1", 1, "bias", -0.00030157),
    "w41": ("h1", 1, 0, -0.00025332),
    "w42": ("h1", 1, 1, -0.00017491),
    "w30": ("h1", 0, "bias", -0.00055025),
    "w31": ("h1", 0, 0, -0.00046221),
    "w32": ("h1", 0, 1, -0.00031915),
}
GRADS_8DP_TOL = 1e-8 / 2 + 1e-10
# Table 6 as printed: δ_i (4 dp) × a_k (4 dp) — the book's hand arithmetic.
LOGISTIC_D2_GRADS_SEED = {
    "w80": 0.0852,
    "w86": 0.04699632,
    "w87": 0.04759272,
    "w70": -0.0105,
    "w73": -0.0052395,
    "w74": -0.00475335,
    "w75": -0.0055671,
    "w60": 0.0025,
    "w63": 0.0012475,
    "w64": 0.00113175,
    "w65": 0.0013255,
    "w50": 0.0003,
    "w51": 0.000252,
    "w52": 0.000174,
    "w40": -0.0003,
    "w41": -0.000252,
    "w42": -0.000174,
    "w30": -0.0006,
    "w31": -0.000504,
    "w32": -0.000348,
}

# Eq. 44: stochastic update of w_{7,5} on d2 alone.
W75_AFTER_D2_SEED = -0.08888658
W75_AFTER_D2_FULL = -0.09 - 0.2 * -0.0055664686
# Table 7 / eq. 45: batch accumulation of ∂E/∂w_{7,5}.
W75_PER_EXAMPLE_SEED = [0.00730080, -0.00556710, 0.00157020, -0.00176664]
W75_PER_EXAMPLE_FULL = [0.0072914028, -0.0055664686, 0.0015804449, -0.0017808964]  # k = 5
W75_PER_EXAMPLE_SEED_TOL = 1.5e-5  # 4-dp δ (±5e-5) × a ≈ 0.5
DELTA_W75_SEED = 0.00153726
DELTA_W75_FULL = 0.001524482667122527  # k = 5 (§2.4 gives ≈ 0.0015248 for k = 1)
DELTA_W75_SEED_TOL = 1.5e-5
W75_AFTER_BATCH_SEED = -0.0903074520
W75_AFTER_BATCH_FULL = -0.09030489653342451

# Table 8: after one full-batch update.
LOGISTIC_PREDICTIONS_AFTER_SEED = [0.4738, 0.4741, 0.4740, 0.4739]
LOGISTIC_SSE_AFTER_SEED = 0.17896823
LOGISTIC_SSE_AFTER_FULL = 0.17896706340148397

# Book rounding: δ and a rounded to 4 dp before reuse reproduce Table 7 exactly.
BOOK_ROUNDED_D2 = {"delta7": -0.0105, "a5": 0.5302}
BOOK_ROUNDED_TABLE_7 = {  # example → (δ7, a5) at 4 dp, as the book multiplies them
    "d1": (0.0144, 0.5070),
    "d2": (-0.0105, 0.5302),
    "d3": (0.0030, 0.5234),
    "d4": (-0.0034, 0.5196),
}

# --- ReLU version (Tables 11–12) -------------------------------------------------------------

RELU_PREDICTIONS_SEED = [0.0405, 0.0643, 0.0621, 0.0512]
RELU_SSE_SEED = 0.58336829
RELU_SSE_FULL = 0.58338880257142
RELU_PREDICTIONS_FULL = [0.040493, 0.064306, 0.062079, 0.051188]
RELU_D2_Z_SEED = [-0.004200, -0.189800, 0.120800, 0.157248, 0.109128, 0.064314]
RELU_D2_Z_FULL = [-0.004200, -0.189800, 0.120800, 0.157248, 0.109128, 0.064306]
RELU_D2_DA_DZ = [0, 0, 1, 1, 1, 1]
RELU_D2_DELTA_SEED = [0.0, 0.0, -0.0034, -0.0079, 0.0329, -0.0657]
RELU_D2_DELTA_FULL = [0.0, 0.0, -0.003429, -0.007883, 0.032847, -0.065694]
RELU_H1_A_FULL = [
    [0.1811, 0.0, 0.0282],
    [0.0, 0.0, 0.1208],
    [0.0077, 0.0, 0.0936],
    [0.1040, 0.0, 0.0783],
]
RELU_PREDICTIONS_AFTER_FULL = [0.4896, 0.4914, 0.4910, 0.4907]
RELU_SSE_AFTER_FULL = 0.17839507
DEAD_NEURON = ("h1", 1)  # neuron 4

# --- softmax + cross-entropy (Tables 14–16, eqs. 71–89) ----------------------------------------

TABLE_15_LOGITS = [1.5, -0.9, 0.6]
TABLE_15_EXP = [4.48168907, 0.40656966, 1.8221188]
TABLE_15_SUM = 6.71037753
TABLE_15_SOFTMAX = [0.667874356, 0.060588195, 0.27153745]

# Table 14: power plant targets binned (low ≤ 0.33, medium ≤ 0.66, high) as (low, medium, high).
POWER_PLANT_ONEHOT = [[0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 1, 0]]
# Table 16 (rows = d1..d4; columns = neurons 8, 9, 10). Figure 29's weights are lost, so the
# logits are fed in directly: the layer input is [a6, l8, l9 + 0.07 a6, l10] with W putting
# w_{9,6} = −0.07 on a6, which reproduces the printed logits exactly.
TABLE_16_LOGITS = [
    [0.107653, 0.099377, 0.103000],
    [0.106456, 0.098249, 0.104083],
    [0.106093, 0.098227, 0.1040060],
    [0.107395, 0.098955, 0.103460],
]
TABLE_16_A6 = [0.1145, 0.1211, 0.1167, 0.1195]
TABLE_16_SOFTMAX = [
    [0.3348, 0.3320, 0.3332],
    [0.3345, 0.3318, 0.3337],
    [0.3344, 0.3318, 0.3337],
    [0.3347, 0.3319, 0.3334],
]
TABLE_16_DELTA = [
    [0.3348, 0.3320, -0.6668],
    [-0.6655, 0.3318, 0.3337],
    [0.3344, -0.6682, 0.3337],
    [0.3347, -0.6681, 0.3334],
]
W96 = -0.07
SOFTMAX_LEARNING_RATE = 0.01  # eq. 89 uses α = 0.01
DELTA_W96_SEED = -0.07962191
DELTA_W96_TOL = 5e-5  # the book multiplies 4-dp δs
W96_AFTER_SEED = -0.069203781
CROSS_ENTROPY_PER_EXAMPLE = [1.098961, 1.095092, 1.103166, 1.102933]


def table_16_network() -> dict[str, Any]:
    """A softmax layer whose logits are Table 16's, with w_{9,6} on input 0 (a6)."""
    return {
        "nodes": [
            {"id": "x", "kind": "input", "shape": [4]},
            {
                "id": "out",
                "kind": "dense",
                "units": 3,
                "activation": "softmax",
                "weights": [[0.0, 1.0, 0.0, 0.0], [W96, 0.0, 1.0, 0.0], [0.0, 0.0, 0.0, 1.0]],
                "bias": [0.0, 0.0, 0.0],
            },
        ]
    }


def table_16_inputs() -> list[list[float]]:
    """[a6, l8, l9 − w96·a6, l10] per example."""
    return [
        [a6, lg[0], lg[1] - W96 * a6, lg[2]]
        for a6, lg in zip(TABLE_16_A6, TABLE_16_LOGITS, strict=True)
    ]


# Computer-vision lecture §2.3: z = [2, 1, 0.1], y = [1, 0, 0].
CV_LOGITS = [2.0, 1.0, 0.1]
CV_TARGET = [1.0, 0.0, 0.0]
CV_SOFTMAX = [0.659001, 0.242433, 0.098566]
CV_CROSS_ENTROPY = 0.417030
CV_DELTA = [-0.340999, 0.242433, 0.098566]  # ŷ − y (the slide's y − ŷ has the wrong sign)

# --- CNN (cnn-lecture.md §3–4; kelleher §2.8) --------------------------------------------------

IMAGE_4 = [
    [0, 0, 0, 0, 0, 0],
    [0, 255, 0, 0, 0, 0],
    [0, 255, 0, 255, 0, 0],
    [0, 255, 255, 255, 255, 0],
    [0, 0, 0, 255, 0, 0],
    [0, 0, 0, 0, 0, 0],
]
FILTER_HORIZONTAL_LINE = [[0, 0, 0], [1, 1, 1], [0, 0, 0]]
FILTER_A_VERTICAL = [[0, 1, 0], [0, 1, 0], [0, 1, 0]]
FILTER_B_DIAGONAL = [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
FILTER_C_VERTICAL_CONTRAST = [[-1, 1, -1], [-1, 1, -1], [-1, 1, -1]]
FILTER_D_HORIZONTAL_CONTRAST = [[-1, -1, -1], [1, 1, 1], [-1, -1, -1]]

ACTIVATION_TOP_LEFT = 255  # eq. 92, cell (0, 0)
PATCH_TOP_LEFT = [[0, 0, 0], [0, 255, 0], [0, 255, 0]]
ACTIVATION_BAR = 765  # eq. 93, cell (2, 1)
PATCH_BAR = [[255, 0, 255], [255, 255, 255], [0, 0, 255]]

MAP_C_A = [[510, 0, 255, 0], [510, 0, 0, 0], [255, 0, 255, 0], [0, 0, 0, 0]]
MAP_C_Z = [
    [510, -765, 255, -255],
    [510, -1020, 0, -255],
    [255, -1020, 255, -510],
    [0, -510, 0, -255],
]
MAP_D_A = [[0, 0, 0, 0], [0, 0, 0, 0], [255, 0, 255, 0], [0, 0, 0, 0]]
MAP_D_Z = [
    [0, -255, -255, -255],
    [-510, -510, -510, -255],
    [255, 0, 255, 0],
    [-510, -510, -510, -255],
]
MAP_HORIZONTAL_LINE_A = [
    [255, 255, 0, 0],
    [255, 510, 255, 255],
    [510, 765, 765, 510],
    [0, 255, 255, 255],
]
MAP_A_VERTICAL_A = [
    [510, 0, 255, 0],
    [765, 255, 510, 255],
    [510, 255, 765, 255],
    [255, 255, 510, 255],
]
MAP_B_DIAGONAL_A = [[255, 255, 0, 0], [510, 510, 510, 0], [255, 765, 255, 510], [0, 255, 510, 255]]

PADDED_MAP_C_A = [
    [0, 255, 0, 0, 0, 0],
    [0, 510, 0, 255, 0, 0],
    [0, 510, 0, 0, 0, 0],
    [0, 255, 0, 255, 0, 0],
    [0, 0, 0, 0, 0, 0],
    [0, 0, 0, 255, 0, 0],
]
PADDED_MAP_C_Z = [
    [-255, 255, -255, 0, 0, 0],
    [-510, 510, -765, 255, -255, 0],
    [-765, 510, -1020, 0, -255, -255],
    [-510, 255, -1020, 255, -510, -255],
    [-255, 0, -510, 0, -255, -255],
    [0, 0, -255, 255, -255, 0],
]
PADDED_MAP_D_A = [
    [0, 0, 0, 0, 0, 0],
    [0, 0, 0, 0, 0, 0],
    [0, 0, 0, 0, 0, 0],
    [0, 255, 0, 255, 0, 255],
    [0, 0, 0, 0, 0, 0],
    [0, 0, 0, 0, 0, 0],
]
PADDED_MAP_D_Z = [
    [-255, -255, -255, 0, 0, 0],
    [0, 0, -255, -255, -255, 0],
    [-255, -510, -510, -510, -255, -255],
    [0, 255, 0, 255, 0, 255],
    [-255, -510, -510, -510, -255, -255],
    [0, 0, -255, -255, -255, 0],
]
# Erratum (kelleher §5.11): the slide prints padded row 4 as 0,0,255,255,255,0,0,0 (three 255s);
# zero-padding the image gives four, and the printed maps come from the correct padded image.
PADDED_ROW_4_SLIDE = [0, 0, 255, 255, 255, 0, 0, 0]
PADDED_ROW_4_CORRECT = [0, 0, 255, 255, 255, 255, 0, 0]

STRIDE_3_MAP_C_A = [[510, 0], [0, 0]]
STRIDE_3_MAP_D_A = [[0, 0], [0, 0]]

MAX_POOLED_PADDED_D = [[0, 0, 0], [255, 255, 255], [0, 0, 0]]
# Winners of the three non-tied windows, (pooled cell) → (row, col) in the 6×6 map.
MAX_POOL_WINNERS = {(1, 0): (3, 1), (1, 1): (3, 3), (1, 2): (3, 5)}
MAX_POOLED_C = [[510, 255], [255, 255]]
MAX_POOLED_D = [[0, 0], [255, 255]]
MAX_POOLED_PADDED_C = [[510, 255, 0], [510, 255, 0], [0, 255, 0]]
AVG_POOLED_PADDED_D = [[0, 0, 0], [63.75, 63.75, 63.75], [0, 0, 0]]
AVG_POOLED_PADDED_C = [[191.25, 63.75, 0], [191.25, 63.75, 0], [0, 63.75, 0]]
AVG_POOLED_C = [[255, 63.75], [63.75, 63.75]]

# Backward through max pooling (cnn-lecture §4.7): ε = Σ pooled outputs, so every upstream δ = 1.
POOL_ROUTED_DE_DA = [
    [1, 0, 1, 0, 1, 0],
    [0, 0, 0, 0, 0, 0],
    [0, 0, 0, 0, 0, 0],
    [0, 1, 0, 1, 0, 1],
    [1, 0, 1, 0, 1, 0],
    [0, 0, 0, 0, 0, 0],
]
POOL_CONV_DELTA_CELLS = [(3, 1), (3, 3), (3, 5)]
POOL_PATCHES = {
    (3, 1): [[0, 255, 0], [0, 255, 255], [0, 0, 0]],
    (3, 3): [[0, 255, 0], [255, 255, 255], [0, 255, 0]],
    (3, 5): [[0, 0, 0], [255, 0, 0], [0, 0, 0]],
}
POOL_GRAD_W = [[0, 510, 0], [510, 510, 510], [0, 255, 0]]
POOL_GRAD_B = 3.0
POOL_W_AFTER = {
    0.001: [[-1, -1.51, -1], [0.49, 0.49, 0.49], [-1, -1.255, -1]],
    0.01: [[-1, -6.1, -1], [-4.1, -4.1, -4.1], [-1, -3.55, -1]],
}

# RGB 2×2×3 filter (eqs. 104–109).
RGB_IMAGE = [
    [[1, 1, 1], [0, 0, 0], [0, 0, 0]],  # red
    [[0, 0, 2], [0, 0, 2], [0, 0, 2]],  # green
    [[3, 0, 0], [0, 3, 0], [0, 0, 3]],  # blue
]
RGB_FILTER = [[[1, 1], [0, 0]], [[0, 1], [0, 1]], [[1, 0], [0, 1]]]
RGB_BIAS = 0.5
RGB_PATCH_TOP_LEFT = [[[1, 1], [0, 0]], [[0, 0], [0, 0]], [[3, 0], [0, 3]]]
RGB_MAP = [[8.5, 6.5], [0.5, 10.5]]


def conv_network(
    filt: list[list[float]] | list[list[list[float]]],
    in_shape: list[int],
    padding: int = 0,
    stride: int = 1,
    bias: float = 0.0,
    pool: str | None = None,
) -> dict[str, Any]:
    """One conv2d with one ReLU filter (the lectures' neurons), optionally 2×2 pooling + flatten."""
    weights = [filt] if in_shape[0] > 1 else [[filt]]
    nodes: list[dict[str, Any]] = [
        {"id": "image", "kind": "input", "shape": in_shape},
        {
            "id": "conv",
            "kind": "conv2d",
            "filters": 1,
            "kernel": len(filt[-1]),
            "stride": stride,
            "padding": padding,
            "activation": "relu",
            "weights": weights,
            "bias": [bias],
        },
    ]
    if pool:
        nodes.append({"id": "pool", "kind": pool, "kernel": 2})
    nodes.append({"id": "flat", "kind": "flatten"})
    return {"nodes": nodes}


# --- logic gates (ann-training §2.4; kelleher eq. 12) -------------------------------------------

GATE_INPUTS = [[0, 0], [0, 1], [1, 0], [1, 1]]
AND_TARGETS = [[0], [0], [0], [1]]
OR_TARGETS = [[0], [1], [1], [1]]
XOR_TARGETS = [[0], [1], [1], [0]]
# Figure 9's weights are lost; this set is consistent with θ = 1 (eq. 12): h = (OR, AND), y = OR ∧ ¬AND.
XOR_THRESHOLD_NETWORK = {
    "nodes": [
        {"id": "x", "kind": "input", "shape": [2]},
        {
            "id": "h",
            "kind": "dense",
            "units": 2,
            "activation": {"kind": "step", "threshold": 1.0},
            "weights": [[1.0, 1.0], [0.5, 0.5]],
            "bias": [0.0, 0.0],
        },
        {
            "id": "y",
            "kind": "dense",
            "units": 1,
            "activation": {"kind": "step", "threshold": 1.0},
            "weights": [[1.0, -1.0]],
            "bias": [0.0],
        },
    ]
}

# --- weight-initialisation experiment (Figures 23–27, eqs. 59–70) -------------------------------

INIT_HIDDEN_LAYERS = 5
INIT_WIDTH = 100
INIT_EXAMPLES = 100
# var(z) of HL1..HL5 predicted by var(z) = n_in · var(W) · var(input) (§2.9).
INIT_VAR_Z_PREDICTED = {
    "normal_0.01": [2e-4, 2e-6, 2e-8, 2e-10, 2e-12],
    "normal_0.2": [0.08, 0.32, 1.28, 5.12, 20.48],
    "xavier": [1.0, 1.0, 1.0, 1.0, 1.0],
    "he_relu": [2.0, 2.0, 2.0, 2.0, 2.0],
}
INIT_BAND = 2.5  # measured / predicted within a factor of about 2 (one random sample)


def assert_close(actual: Any, wanted: Any, tol: float) -> None:
    """Nested lists equal within an absolute tolerance."""
    import numpy as np

    np.testing.assert_allclose(
        np.asarray(actual, dtype=float), np.asarray(wanted, dtype=float), rtol=0, atol=tol
    )


# --- batch normalisation (ANN training lecture §1.9, §2.3) ----------------------------------------

BN_X = [1.0, 2.0, 3.0, 4.0]
BN_EPS = 1e-5
BN_GAMMA = 2.0
BN_BETA = 0.5
BN_MEAN = 2.5
BN_VAR = 1.25  # biased, 1/m
BN_X_HAT_SEED = [-1.341635, -0.447212, 0.447212, 1.341635]  # printed to 6 decimals
BN_Y_SEED = [-2.183271, -0.394424, 1.394424, 3.183271]
BN_SEED_TOL = 5e-7  # half a unit of the printed sixth decimal
# [DERIVED] one step of half_sse towards targets 0 at α = 0.1: δ = ∂E/∂y = y, so
# ∂E/∂β = Σy = 4β (Σx̂ = 0) and ∂E/∂γ = Σ y·x̂ = γ·Σx̂² = γ·m·σ²/(σ² + ε).
BN_LEARNING_RATE = 0.1
BN_GRAD_BETA = 2.0
BN_GRAD_GAMMA = 10 / 1.25001  # 7.999936000511996
BN_BETA_AFTER = 0.3
BN_GAMMA_AFTER = 2.0 - 0.1 * 10 / 1.25001  # 1.2000063999488004
# torch's running statistics after the step, from 0 and 1 with momentum 0.1 (unbiased variance)
BN_RUNNING_MEAN_AFTER = 0.25
BN_RUNNING_VAR_AFTER = 0.9 + 0.1 * 1.25 * 4 / 3

# --- dropout (Kelleher Algorithm 2, ρ = the probability of keeping a unit) -----------------------

DROPOUT_KEEP = 0.5
DROPOUT_INPUTS = [[1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0]]
DROPOUT_MASKS = [[1, 0, 1, 0], [0, 1, 1, 1]]  # a fresh mask for each example
DROPOUT_WEIGHTS = [[0.1, 0.2, 0.3, 0.4]]
DROPOUT_TARGETS = [[0.0], [1.0]]
# [DERIVED] a'' = a ⊙ mask / ρ; z = W a''; δ = z − t (half_sse, linear output).
DROPOUT_A = [[2.0, 0.0, 6.0, 0.0], [0.0, 4.0, 6.0, 8.0]]
DROPOUT_Z = [[2.0], [5.8]]
DROPOUT_DELTA = [[2.0], [4.8]]
# ∂E/∂a'' = Wᵀδ; Algorithm 2's backward masks it; the erratum: the exact gradient also has 1/ρ.
DROPOUT_DE_DA = [[0.2, 0.4, 0.6, 0.8], [0.48, 0.96, 1.44, 1.92]]
DROPOUT_DE_DX_SEED = [[0.2, 0.0, 0.6, 0.0], [0.0, 0.96, 1.44, 1.92]]  # δ ⊙ mask, no 1/ρ
DROPOUT_DE_DX = [[0.4, 0.0, 1.2, 0.0], [0.0, 1.92, 2.88, 3.84]]  # δ ⊙ mask / ρ
# ∂E/∂W = Σ δ a''ᵀ: a unit dropped in an example adds nothing for that example
DROPOUT_GRAD_W = [[4.0, 19.2, 40.8, 38.4]]
