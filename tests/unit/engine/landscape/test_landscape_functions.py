"""The test functions: their minima are where they say, with zero gradient."""

from __future__ import annotations

import pytest
import torch

from glassnet.engine.landscape import FUNCTIONS, surface


@pytest.mark.parametrize("name", ["quadratic", "rosenbrock", "beale", "himmelblau", "plateau"])
def test_every_listed_minimum_has_zero_value_and_zero_gradient(name: str) -> None:
    fn = FUNCTIONS[name]
    for mx, my in fn.minima:
        p = torch.tensor([mx, my], dtype=torch.float64, requires_grad=True)
        f = fn(p[0], p[1])
        f.backward()
        assert f.item() == pytest.approx(0.0, abs=1e-9)
        assert p.grad is not None
        assert p.grad.abs().max().item() < 1e-4  # Himmelblau's three are printed to 6 decimals


def test_the_quadratics_condition_number_is_its_hessians() -> None:
    fn = FUNCTIONS["quadratic"]
    hessian = torch.autograd.functional.hessian(
        lambda p: fn(p[0], p[1], 25.0), torch.tensor([0.3, -0.2], dtype=torch.float64)
    )
    eig = torch.linalg.eigvalsh(hessian)
    assert (eig.max() / eig.min()).item() == pytest.approx(25.0)


def test_saddles_are_flat_at_the_origin_and_fall_both_ways() -> None:
    for name in ("saddle", "monkey_saddle"):
        fn = FUNCTIONS[name]
        zero = torch.zeros((), dtype=torch.float64)
        assert fn(zero, zero).item() == 0.0
    saddle = FUNCTIONS["saddle"]
    assert (
        saddle(torch.tensor(1.0), torch.tensor(0.0))
        > 0
        > saddle(torch.tensor(0.0), torch.tensor(1.0))
    )


def test_the_surface_grid_runs_rows_along_y_from_low_to_high() -> None:
    fn = FUNCTIONS["quadratic"]
    values = surface(fn, 10.0, 5)
    assert len(values) == 5 and all(len(r) == 5 for r in values)
    assert values[0][2] == pytest.approx(10.0 * 9.0)  # x = 0, y = −3
    assert values[2][0] == pytest.approx(9.0)  # x = −3, y = 0
