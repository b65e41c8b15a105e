"""Weight-initialisation experiment (Kelleher Figures 23–27, eqs. 59–70), first iteration.

Deep linear net 2 → 5 × 100 → 1 on 100 standardised examples, biases 0. Forward, var(z) follows
n_in·var(W)·var(input); backward, var(δ) is multiplied by n_out·var(W) per layer toward the input.
"""

from __future__ import annotations

import itertools
from functools import cache
from typing import Any

import expected as E
import pytest

from glassnet.engine import Trainer
from glassnet.presets import get_preset

# n_out · var(W) for the hidden layers HL2..HL5 (n_out = 100) and the δ trend it gives.
DELTA_FACTOR = {"normal_0.01": 0.01, "normal_0.2": 4.0, "xavier": 1.0, "he_relu": 1.0}
PRESETS = {
    "normal_0.01": "init-normal-0.01",
    "normal_0.2": "init-normal-0.2",
    "xavier": "init-xavier",
    "he_relu": "init-he-relu",
}


@cache
def first_iteration(name: str) -> list[dict[str, Any]]:
    spec = get_preset(PRESETS[name])["spec"]
    assert spec["data"] == {"dataset": "init_experiment", "n": E.INIT_EXAMPLES, "n_features": 2}
    trainer = Trainer(spec)
    trainer.step(1, capture=True)
    layers = trainer.snapshot()["layers"]
    hidden = [layer for layer in layers if layer["id"].startswith("HL")]
    assert [layer["n_out"] for layer in hidden] == [E.INIT_WIDTH] * E.INIT_HIDDEN_LAYERS
    return hidden


def within(measured: float, wanted: float, band: float) -> bool:
    return wanted / band <= measured <= wanted * band


@pytest.mark.parametrize("name", list(PRESETS))
def test_var_z_of_every_hidden_layer_follows_n_in_var_w(name: str) -> None:
    for layer, wanted in zip(first_iteration(name), E.INIT_VAR_Z_PREDICTED[name], strict=True):
        measured = layer["z"]["stats"]["std"] ** 2
        assert within(measured, wanted, E.INIT_BAND), (layer["id"], measured, wanted)
        assert layer["var_z_measured"] == pytest.approx(measured, rel=1e-6)
        assert within(measured, layer["var_z_predicted"], E.INIT_BAND), layer["id"]


@pytest.mark.parametrize("name", list(PRESETS))
def test_var_delta_scales_by_n_out_var_w_per_layer_toward_the_input(name: str) -> None:
    var_delta = [layer["delta"]["stats"]["std"] ** 2 for layer in first_iteration(name)]
    for earlier, later in itertools.pairwise(var_delta):
        assert within(earlier / later, DELTA_FACTOR[name], E.INIT_BAND), var_delta


def test_small_weights_make_z_vanish_with_depth() -> None:
    var_z = [layer["z"]["stats"]["std"] ** 2 for layer in first_iteration("normal_0.01")]
    assert var_z[-1] < 1e-10 < var_z[0]


def test_large_weights_make_delta_explode_toward_the_input() -> None:
    var_delta = [layer["delta"]["stats"]["std"] ** 2 for layer in first_iteration("normal_0.2")]
    assert var_delta[0] > 100 * var_delta[-1]
