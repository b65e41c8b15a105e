"""The engine's normalisation and regularisation modules behave as the lecture says: DropConnect
masks weights while training only, dropout by ρ drops 1 − ρ, stochastic depth keeps the branch or
scales it in evaluation, batch norm starts from the given γ and β, and an activation node at the
output hands the loss its logits."""

from __future__ import annotations

from typing import Any

import torch

from glassnet.engine.losses import compute_loss
from glassnet.engine.model import Dropout, GraphModel, Layer, ResidualAdd
from shared_schemas.runspec import NetworkSpec


def model(nodes: list[dict[str, Any]], edges: list[list[str]] | None = None) -> GraphModel:
    network = NetworkSpec.model_validate({"nodes": nodes, "edges": edges})
    return GraphModel(network, torch.Generator().manual_seed(0), torch.float64)


def dense_chain(**dense: Any) -> GraphModel:
    return model(
        [
            {"id": "x", "kind": "input", "shape": [3]},
            {"id": "h", "kind": "dense", "units": 4, **dense},
        ]
    )


def test_drop_connect_zeroes_weights_and_scales_the_kept_ones_while_training() -> None:
    m = dense_chain(drop_connect=0.5)
    layer = m.block("h")
    assert isinstance(layer, Layer)
    x = torch.randn(5, 3, dtype=torch.float64)
    z = layer.pre_activation(x)
    mask = layer.last_mask
    assert mask is not None and mask.shape == (4, 3)
    expected = x @ (layer.weight * mask / 0.5).T + layer.bias
    torch.testing.assert_close(z, expected)


def test_drop_connect_is_off_in_evaluation() -> None:
    m = dense_chain(drop_connect=0.5)
    layer = m.block("h")
    x = torch.randn(5, 3, dtype=torch.float64)
    with m.eval_mode():
        z = layer.pre_activation(x)
    torch.testing.assert_close(z, x @ layer.weight.T + layer.bias)


def test_drop_connect_drops_about_its_probability_of_the_weights() -> None:
    m = model(
        [
            {"id": "x", "kind": "input", "shape": [100]},
            {"id": "h", "kind": "dense", "units": 100, "drop_connect": 0.3},
        ]
    )
    m(torch.zeros(1, 100, dtype=torch.float64))
    dropped = 1 - m.block("h").last_mask.double().mean().item()
    assert abs(dropped - 0.3) < 0.02  # 10 000 Bernoulli draws: 5 standard deviations


def test_dropout_by_keep_probability_drops_one_minus_rho_and_scales_by_one_over_rho() -> None:
    m = model(
        [
            {"id": "x", "kind": "input", "shape": [4000]},
            {"id": "d", "kind": "dropout", "keep_probability": 0.8},
        ]
    )
    dropout = m.block("d")
    assert isinstance(dropout, Dropout) and abs(dropout.p - 0.2) < 1e-12
    a = m(torch.ones(3, 4000, dtype=torch.float64))
    kept = dropout.last_mask
    torch.testing.assert_close(a, kept.double() / 0.8)
    assert abs(kept.double().mean().item() - 0.8) < 0.02  # 12 000 draws: 5 standard deviations


def residual(survival: float) -> GraphModel:
    return model(
        [
            {"id": "x", "kind": "input", "shape": [2]},
            {"id": "f", "kind": "dense", "units": 2, "activation": "tanh"},
            {"id": "res", "kind": "add", "survival_probability": survival},
        ],
        [["x", "res"], ["x", "f"], ["f", "res"]],
    )


def test_stochastic_depth_keeps_the_first_input_as_the_skip() -> None:
    m = residual(0.5)
    x = torch.randn(4, 2, dtype=torch.float64)
    branch = m.block("f")(x)
    outcomes = set()
    for _ in range(20):
        y = m(x)
        kept = m.block("res").last_kept
        outcomes.add(kept)
        torch.testing.assert_close(y, x + branch if kept else x)
    assert outcomes == {True, False}


def test_stochastic_depth_scales_the_branch_by_its_survival_in_evaluation() -> None:
    m = residual(0.7)
    x = torch.randn(4, 2, dtype=torch.float64)
    with m.eval_mode():
        y = m(x)
    torch.testing.assert_close(y, x + 0.7 * m.block("f")(x))


def test_an_add_that_always_keeps_its_branch_is_a_plain_sum() -> None:
    m = residual(1.0)
    assert m.block("res") is None
    assert not any(isinstance(b, ResidualAdd) for b in m.blocks.values())


def test_batchnorm_starts_from_the_given_gamma_and_beta() -> None:
    m = model(
        [
            {"id": "x", "kind": "input", "shape": [2]},
            {"id": "bn", "kind": "batchnorm", "gamma": [2, 3], "beta": [0.5, -1]},
        ]
    )
    bn = m.block("bn")
    assert bn.weight.tolist() == [2, 3] and bn.bias.tolist() == [0.5, -1]
    x = torch.tensor([[1.0, 0.0], [2.0, 0.0], [3.0, 4.0], [4.0, 4.0]], dtype=torch.float64)
    y = m(x)
    x_hat = (x - x.mean(0)) / torch.sqrt(x.var(0, unbiased=False) + 1e-5)
    torch.testing.assert_close(
        y, x_hat * torch.tensor([2.0, 3.0]).double() + torch.tensor([0.5, -1]).double()
    )


def test_an_activation_node_output_gives_the_loss_its_input_as_logits() -> None:
    m = model(
        [
            {"id": "x", "kind": "input", "shape": [2]},
            {"id": "h", "kind": "dense", "units": 3},
            {"id": "phi", "kind": "activation", "activation": "softmax"},
        ]
    )
    x = torch.randn(4, 2, dtype=torch.float64)
    z, a = m.forward_zy(x)
    torch.testing.assert_close(z, m.block("h")(x))
    torch.testing.assert_close(a, torch.softmax(z, dim=-1))
    t = torch.eye(3, dtype=torch.float64)[[0, 1, 2, 0]]
    loss = compute_loss("cross_entropy", z, a, t)
    torch.testing.assert_close(loss, -(t * torch.log(a)).sum(1).mean())


def test_probes_and_evaluation_draw_no_masks() -> None:
    m = residual(0.5)
    assert m.mode_dependent
    assert [type(s).__name__ for s in m.stochastic_modules()] == ["ResidualAdd"]


def test_every_training_path_records_the_dropout_mask_of_its_last_step() -> None:
    from glassnet.engine import Trainer

    spec = {
        "network": {
            "nodes": [
                {"id": "x", "kind": "input", "shape": [2]},
                {"id": "h", "kind": "dense", "units": 8, "activation": "tanh"},
                {"id": "d", "kind": "dropout", "keep_probability": 0.5},
                {"id": "y", "kind": "dense", "units": 1, "activation": "sigmoid"},
            ]
        },
        "data": {"dataset": "circle", "n": 40},
        "training": {"loss": "bce", "batch_size": 5},
    }
    masks = {}
    for path in ("auto", "lean", "autograd"):
        trainer = Trainer(spec, path=path)
        trainer.step(3)
        masks[trainer.path_name] = trainer.model.block("d").last_mask
    assert set(masks) == {"compiled", "lean", "autograd"}
    assert masks["compiled"].shape == (5, 8)
    assert torch.equal(masks["compiled"], masks["lean"])
    assert torch.equal(masks["lean"], masks["autograd"])
