"""Initialisers: the lecture's std table, empirical spreads, explicit weights and defaults."""

from __future__ import annotations

import math

import pytest
import torch
from engine_specs import dense_spec, params

from glassnet.engine import Trainer
from glassnet.engine.initializers import default_init, init_std, init_weight
from shared_schemas.runspec import ActivationSpec, InitSpec

LECTURE_TABLE = [  # n_in, n_out, Xavier √(2/(n_in+n_out)), He √(2/n_in)
    (784, 256, 0.043853, 0.050508),
    (256, 128, 0.072169, 0.088388),
    (500, 500, 0.044721, 0.063246),
    (2, 2, 0.707107, 1.0),
]
SCHEMES = [
    InitSpec(scheme="uniform", low=-0.3, high=0.7),
    InitSpec(scheme="normal", std=0.2),
    InitSpec(scheme="xavier_normal"),
    InitSpec(scheme="xavier_uniform"),
    InitSpec(scheme="xavier_normal", mode="fan_in"),
    InitSpec(scheme="he_normal"),
    InitSpec(scheme="he_uniform"),
    InitSpec(scheme="he_normal", mode="fan_out"),
    InitSpec(scheme="lecun_normal"),
    InitSpec(scheme="lecun_uniform"),
    InitSpec(scheme="orthogonal"),
]


@pytest.mark.parametrize(("n_in", "n_out", "xavier", "he"), LECTURE_TABLE)
def test_init_std_reproduces_the_lecture_table(
    n_in: int, n_out: int, xavier: float, he: float
) -> None:
    shape = (n_out, n_in)
    assert init_std(InitSpec(scheme="xavier_normal"), shape) == pytest.approx(xavier, abs=1e-6)
    assert init_std(InitSpec(scheme="he_normal"), shape) == pytest.approx(he, abs=1e-6)


@pytest.mark.parametrize("init", SCHEMES, ids=lambda s: f"{s.scheme}-{s.mode}")
def test_empirical_std_matches_init_std(init: InitSpec) -> None:
    shape = (400, 300)
    w = init_weight(init, shape, torch.Generator().manual_seed(1), torch.float64)
    assert float(w.std()) == pytest.approx(init_std(init, shape), rel=0.03)


def test_conv_fans_count_the_receptive_field() -> None:
    shape = (16, 8, 3, 3)
    assert init_std(InitSpec(scheme="he_normal"), shape) == pytest.approx(math.sqrt(2 / 72))
    assert init_std(InitSpec(scheme="xavier_normal"), shape) == pytest.approx(
        math.sqrt(2 / (72 + 144))
    )


def test_uniform_init_stays_in_its_bounds() -> None:
    w = init_weight(
        InitSpec(scheme="uniform", low=-0.5, high=0.5), (100, 100), torch.Generator(), torch.float64
    )
    assert float(w.min()) >= -0.5 and float(w.max()) < 0.5


def test_zeros_and_constant_fill_the_weight() -> None:
    g = torch.Generator()
    assert (init_weight(InitSpec(scheme="zeros"), (3, 4), g, torch.float64) == 0).all()
    assert (
        init_weight(InitSpec(scheme="constant", value=0.3), (3, 4), g, torch.float64) == 0.3
    ).all()


@pytest.mark.parametrize("kind", ["relu", "leaky_relu", "prelu", "elu", "gelu", "silu", "softplus"])
def test_relu_family_defaults_to_he(kind: str) -> None:
    assert default_init(ActivationSpec(kind=kind)).scheme == "he_normal"


@pytest.mark.parametrize("kind", ["linear", "sigmoid", "tanh", "softmax", "step", "sign"])
def test_other_activations_default_to_xavier(kind: str) -> None:
    assert default_init(ActivationSpec(kind=kind)).scheme == "xavier_uniform"


def test_default_init_of_a_built_network_has_the_he_spread() -> None:
    spec = dense_spec([300, 1], activation="relu", n_in=2)
    trainer = Trainer(spec)
    w = trainer.model.layers[0].weight.detach()
    assert float(w.std()) == pytest.approx(
        math.sqrt(2 / 2), rel=0.15
    )  # 600 samples of N(0, 2/n_in)


def test_explicit_weights_and_bias_replace_the_initialiser() -> None:
    spec = dense_spec([2, 1])
    spec["network"]["nodes"][1].update(
        {"weights": [[0.1, -0.2], [0.3, 0.4]], "bias": [0.5, -0.6], "init": {"scheme": "he_normal"}}
    )
    layer = Trainer(spec).model.layers[0]
    assert layer.weight.tolist() == [[0.1, -0.2], [0.3, 0.4]]
    assert layer.bias.tolist() == [0.5, -0.6]


def test_bias_init_fills_the_bias() -> None:
    spec = dense_spec([3, 1])
    spec["network"]["nodes"][1]["bias_init"] = 0.1
    assert Trainer(spec).model.layers[0].bias.tolist() == [0.1, 0.1, 0.1]


def test_same_seed_gives_the_same_weights() -> None:
    a, b = params(Trainer(dense_spec([8, 8, 1]))), params(Trainer(dense_spec([8, 8, 1])))
    assert all((a[k] == b[k]).all() for k in a)


def test_different_seed_gives_different_weights() -> None:
    a, b = params(Trainer(dense_spec([8, 1], seed=0))), params(Trainer(dense_spec([8, 1], seed=1)))
    assert not (a["blocks.d0.weight"] == b["blocks.d0.weight"]).all()
