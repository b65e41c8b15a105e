"""Activation values and derivatives: finite differences, the lecture's facts, saturation masks."""

from __future__ import annotations

import math

import pytest
import torch

from glassnet.engine.activations import get_activation
from shared_schemas.runspec import ActivationSpec

POINTS = (-2.3, -0.7, 0.4, 1.9)
DIFFERENTIABLE = (
    "linear",
    "sigmoid",
    "tanh",
    "relu",
    "leaky_relu",
    "prelu",
    "elu",
    "softplus",
    "gelu",
    "silu",
)
REFERENCE = {
    "linear": lambda z: z,
    "sigmoid": lambda z: 1 / (1 + math.exp(-z)),
    "tanh": math.tanh,
    "relu": lambda z: max(z, 0.0),
    "leaky_relu": lambda z: z if z > 0 else 0.01 * z,
    "prelu": lambda z: z if z > 0 else 0.25 * z,
    "elu": lambda z: z if z > 0 else math.expm1(z),
    "softplus": lambda z: math.log1p(math.exp(z)),
    "gelu": lambda z: 0.5 * z * (1 + math.erf(z / math.sqrt(2))),
    "silu": lambda z: z / (1 + math.exp(-z)),
}


def _values(name: str, z: float) -> tuple[float, float]:
    fn = get_activation(name)
    zt = torch.tensor([z], dtype=torch.float64)
    a = fn.forward(zt)
    return float(a), float(fn.derivative(zt, a))


@pytest.mark.parametrize("name", DIFFERENTIABLE)
@pytest.mark.parametrize("z", POINTS)
def test_value_matches_the_formula(name: str, z: float) -> None:
    assert _values(name, z)[0] == pytest.approx(REFERENCE[name](z), abs=1e-12)


@pytest.mark.parametrize("name", DIFFERENTIABLE)
@pytest.mark.parametrize("z", POINTS)
def test_derivative_matches_central_finite_difference(name: str, z: float) -> None:
    h = 1e-6
    fd = (REFERENCE[name](z + h) - REFERENCE[name](z - h)) / (2 * h)
    assert _values(name, z)[1] == pytest.approx(fd, abs=1e-7)


@pytest.mark.parametrize("name", DIFFERENTIABLE)
def test_derivative_equals_autograd_to_float64_precision(name: str) -> None:
    # The textbook trace's numbers are these derivatives: no constant may pass through float32.
    fn = get_activation(name)
    z = torch.tensor(POINTS, dtype=torch.float64, requires_grad=True)
    a = fn.forward(z)
    (expected,) = torch.autograd.grad(a.sum(), z)
    derivative = fn.derivative(z.detach(), a.detach())
    assert derivative.dtype == torch.float64
    torch.testing.assert_close(derivative, expected, rtol=1e-14, atol=0.0)


@pytest.mark.parametrize("z", POINTS)
def test_softmax_derivative_is_the_jacobian_diagonal(z: float) -> None:
    fn = get_activation("softmax")
    zt = torch.tensor([[z, 0.3, -1.1]], dtype=torch.float64)
    jac = torch.autograd.functional.jacobian(lambda v: torch.softmax(v, dim=-1), zt)[0, :, 0, :]
    a = fn.forward(zt)
    assert torch.allclose(fn.derivative(zt, a)[0], jac.diagonal(), atol=1e-12)


def test_sigmoid_derivative_at_zero_is_a_quarter() -> None:
    assert _values("sigmoid", 0.0)[1] == 0.25


def test_tanh_derivative_at_zero_is_one() -> None:
    assert _values("tanh", 0.0)[1] == 1.0


def test_relu_derivative_at_zero_is_zero() -> None:
    assert _values("relu", 0.0)[1] == 0.0


def test_leaky_relu_of_minus_fifty_is_minus_half() -> None:
    fn = get_activation(ActivationSpec(kind="leaky_relu", slope=0.01))
    assert float(fn.forward(torch.tensor([-50.0], dtype=torch.float64))) == pytest.approx(-0.5)


def test_elu_stays_above_minus_alpha() -> None:
    z = torch.linspace(-30, 5, 1001, dtype=torch.float64)  # e^-37 underflows 1 in float64
    assert (get_activation("elu").forward(z) > -1).all()


def test_softplus_is_positive_and_unbounded() -> None:
    fn = get_activation("softplus")
    z = torch.linspace(-30, 30, 601, dtype=torch.float64)
    a = fn.forward(z)
    assert (a > 0).all()
    assert float(fn.forward(torch.tensor([1000.0], dtype=torch.float64))) == pytest.approx(1000.0)


def test_step_and_sign_fire_at_the_threshold() -> None:
    z = torch.tensor([0.99, 1.0, 1.5], dtype=torch.float64)
    step = get_activation(ActivationSpec(kind="step", threshold=1.0)).forward(z)
    sign = get_activation(ActivationSpec(kind="sign", threshold=1.0)).forward(z)
    assert step.tolist() == [0.0, 1.0, 1.0]
    assert sign.tolist() == [-1.0, 1.0, 1.0]


@pytest.mark.parametrize("name", ["sigmoid", "tanh"])
def test_saturation_mask_flags_units_beyond_the_saturation_zone(name: str) -> None:
    fn = get_activation(name)
    edge = fn.saturation_zone()
    assert edge is not None
    z = torch.tensor(
        [0.0, edge[0] * 0.99, edge[0] * 1.01, -edge[0] * 1.01, 20.0], dtype=torch.float64
    )
    mask = fn.saturated(z, fn.forward(z))
    assert mask is not None
    assert mask.tolist() == [False, False, True, True, True]


@pytest.mark.parametrize("name", ["linear", "relu", "elu", "gelu"])
def test_non_saturating_activations_have_no_saturation_mask(name: str) -> None:
    fn = get_activation(name)
    z = torch.zeros(3, dtype=torch.float64)
    assert fn.saturated(z, fn.forward(z)) is None
    assert fn.saturation_zone() is None


def test_only_relu_can_die() -> None:
    assert [n for n in DIFFERENTIABLE if get_activation(n).can_die] == ["relu"]
