"""Losses: the lecture's softmax/cross-entropy example, δ = a − t, and the reductions."""

from __future__ import annotations

import pytest
import torch
from engine_specs import dense_spec

from glassnet.engine import Trainer
from glassnet.engine.activations import get_activation
from glassnet.engine.losses import (
    REDUCTION,
    compute_loss,
    correct,
    correct_from_logits,
    output_delta,
)

Z = torch.tensor([[2.0, 1.0, 0.1]], dtype=torch.float64)
Y = torch.tensor([[1.0, 0.0, 0.0]], dtype=torch.float64)


def test_softmax_of_the_lecture_example() -> None:
    a = get_activation("softmax").forward(Z)
    assert a[0].tolist() == pytest.approx([0.659001, 0.242433, 0.098566], abs=5e-7)
    assert float(a.sum()) == pytest.approx(1.0, abs=1e-15)


def test_cross_entropy_of_the_lecture_example() -> None:
    a = torch.softmax(Z, dim=-1)
    assert float(compute_loss("cross_entropy", Z, a, Y)) == pytest.approx(0.417030, abs=5e-7)


def test_cross_entropy_delta_is_prediction_minus_target() -> None:
    z = Z.clone().requires_grad_(True)
    loss = compute_loss("cross_entropy", z, torch.softmax(z, dim=-1), Y)
    (delta,) = torch.autograd.grad(loss, z)
    assert delta[0].tolist() == pytest.approx([-0.340999, 0.242433, 0.098566], abs=5e-7)
    a = torch.softmax(Z, dim=-1)
    assert torch.allclose(delta, a - Y, atol=1e-15)
    assert torch.allclose(output_delta("cross_entropy", Z, a, Y, torch.ones_like(a)), a - Y)


@pytest.mark.parametrize("kind", ["half_sse", "mse", "bce"])
def test_written_out_output_delta_equals_autograd(kind: str) -> None:
    z = torch.tensor([[0.3], [-1.2], [2.0]], dtype=torch.float64, requires_grad=True)
    t = torch.tensor([[1.0], [0.0], [1.0]], dtype=torch.float64)
    fn = get_activation("sigmoid")
    a = fn.forward(z)
    (delta,) = torch.autograd.grad(compute_loss(kind, z, a, t), z)
    da_dz = fn.derivative(z, a)
    assert torch.allclose(
        output_delta(kind, z.detach(), a.detach(), t, da_dz.detach()), delta, atol=1e-14
    )


def test_half_sse_sums_over_the_batch() -> None:
    a = torch.tensor([[0.5], [0.0]], dtype=torch.float64)
    t = torch.tensor([[1.0], [1.0]], dtype=torch.float64)
    assert float(compute_loss("half_sse", a, a, t)) == pytest.approx(0.5 * (0.25 + 1.0))
    assert REDUCTION["half_sse"] == "sum"


def test_mse_averages_over_every_output() -> None:
    a = torch.tensor([[0.5, 0.0]], dtype=torch.float64)
    t = torch.tensor([[1.0, 1.0]], dtype=torch.float64)
    assert float(compute_loss("mse", a, a, t)) == pytest.approx((0.25 + 1.0) / 2)


def test_correct_uses_argmax_or_half_threshold() -> None:
    assert (
        int(correct(torch.tensor([[0.2, 0.8], [0.9, 0.1]]), torch.tensor([[0.0, 1.0], [0.0, 1.0]])))
        == 1
    )
    assert int(correct(torch.tensor([[0.5], [0.49]]), torch.tensor([[1.0], [1.0]]))) == 1


def test_correct_counts_a_sequence_example_as_its_share_of_steps_right():

    a = torch.tensor([[[0.9], [0.2], [0.7]], [[0.1], [0.1], [0.1]]])
    t = torch.tensor([[[1.0], [1.0], [1.0]], [[0.0], [0.0], [0.0]]])
    assert float(correct(a, t)) == pytest.approx(2 / 3 + 1)


def test_correct_takes_the_first_of_equal_maxima_as_argmax_does() -> None:
    """Ties (an untrained net's equal outputs) and NaN count as argmax counts them."""
    nan = float("nan")
    a = torch.tensor([[0.2, 0.2, 0.1], [0.1, 0.3, 0.3], [nan, 0.5, 0.1], [0.4, 0.4, 0.4]])
    t = torch.tensor([[0.0, 1.0, 0.0], [0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [1.0, 0.0, 0.0]])
    expected = int((a.argmax(dim=-1) == t.argmax(dim=-1)).sum())
    assert expected == 3
    assert int(correct(a, t)) == expected


@pytest.mark.parametrize("one_hot", [False, True])
@pytest.mark.parametrize("shape", [(64, 5), (16, 7, 3)])
def test_counting_from_softmax_logits_equals_counting_the_probabilities(
    shape: tuple[int, ...], one_hot: bool
) -> None:
    g = torch.Generator().manual_seed(3)
    z = torch.randn(*shape, generator=g, dtype=torch.float64)
    t = torch.nn.functional.one_hot(torch.randint(0, shape[-1], shape[:-1], generator=g))
    t = t.to(torch.float64)
    # one_hot: a gather at the predicted class instead of an argmax over the targets
    assert correct_from_logits(z, t, one_hot) == correct(torch.softmax(z, dim=-1), t)


def test_counting_from_a_sigmoid_logit_equals_counting_the_probability() -> None:
    g = torch.Generator().manual_seed(4)
    z = torch.randn(200, 1, generator=g, dtype=torch.float64)
    z[:3] = 0.0  # σ(0) = 0.5 counts as class 1 both ways
    t = (torch.rand(200, 1, generator=g, dtype=torch.float64) > 0.5).to(torch.float64)
    assert correct_from_logits(z, t) == correct(torch.sigmoid(z), t)


def test_a_networks_logits_count_what_its_activated_outputs_count() -> None:
    spec = dense_spec(
        [6, 3],
        output="softmax",
        loss="cross_entropy",
        dataset={"dataset": "gaussian", "classes": 3, "n": 90},
    )
    trainer = Trainer(spec)
    x = torch.as_tensor(trainer.data.x_train, dtype=torch.float64)
    t = torch.as_tensor(trainer.data.y_train, dtype=torch.float64)
    with torch.no_grad():
        z, a = trainer.model.forward_zy(x)
        logits = trainer.model.forward_logits(x)
    assert torch.equal(logits, z)  # the same z, without the softmax
    assert correct_from_logits(logits, t) == correct(a, t)


def test_a_classification_sets_targets_are_known_one_hot_and_a_single_outputs_are_not() -> None:
    classes = Trainer(
        dense_spec(
            [6, 3],
            output="softmax",
            loss="cross_entropy",
            batch_size=128,
            dataset={"dataset": "gaussian", "classes": 3, "n": 90},
        ),
    )
    assert classes._one_hot_targets()
    assert not Trainer(dense_spec([4, 1]))._one_hot_targets()  # one sigmoid output
