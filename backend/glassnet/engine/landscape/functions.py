"""The 2-D test functions of the loss-surface lab, as elementwise torch expressions of (x, y).

Each works on tensors of any shape, so one call evaluates a whole batch of independent points (the
tuning grid and the (α, β) map run many optimisers at once this way) or a contour grid.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch

Tensor = torch.Tensor


@dataclass(frozen=True)
class TestFunction:
    """A surface f(x, y), the square it is best viewed in, where its minima are and a good start."""

    __test__ = False  # not a pytest class, whatever its name

    name: str
    title: str
    formula: str
    f: Callable[[Tensor, Tensor, float], Tensor]
    x_range: tuple[float, float]
    y_range: tuple[float, float]
    minima: tuple[tuple[float, float], ...]
    start: tuple[float, float]

    def __call__(self, x: Tensor, y: Tensor, condition_number: float = 10.0) -> Tensor:
        return self.f(x, y, condition_number)


def _quadratic(x: Tensor, y: Tensor, kappa: float) -> Tensor:
    # Hessian diag(2, 2κ): its condition number is κ, and along y = 0 it is the lecture's f(w) = w².
    return x**2 + kappa * y**2


def _rosenbrock(x: Tensor, y: Tensor, _: float) -> Tensor:
    return (1 - x) ** 2 + 100 * (y - x**2) ** 2


def _beale(x: Tensor, y: Tensor, _: float) -> Tensor:
    return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2 + (2.625 - x + x * y**3) ** 2


def _himmelblau(x: Tensor, y: Tensor, _: float) -> Tensor:
    return (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2


def _saddle(x: Tensor, y: Tensor, _: float) -> Tensor:
    return x**2 - y**2


def _monkey_saddle(x: Tensor, y: Tensor, _: float) -> Tensor:
    return x**3 - 3 * x * y**2


def _plateau(x: Tensor, y: Tensor, _: float) -> Tensor:
    # A narrow well in a flat plain: far from the origin the gradient is almost zero, so plain
    # gradient descent crawls where adaptive methods (which divide by √v) keep their pace.
    return 1 - torch.exp(-(x**2 + y**2) / 2)


FUNCTIONS: dict[str, TestFunction] = {
    fn.name: fn
    for fn in (
        TestFunction(
            "quadratic", "Quadratic bowl", "x² + κ·y²", _quadratic,
            (-3.0, 3.0), (-3.0, 3.0), ((0.0, 0.0),), (-2.5, 1.5),
        ),
        TestFunction(
            "rosenbrock", "Rosenbrock", "(1 − x)² + 100·(y − x²)²", _rosenbrock,
            (-2.0, 2.0), (-1.0, 3.0), ((1.0, 1.0),), (-1.5, 2.0),
        ),
        TestFunction(
            "beale", "Beale", "(1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²", _beale,
            (-4.5, 4.5), (-4.5, 4.5), ((3.0, 0.5),), (1.0, 1.4),
        ),
        TestFunction(
            "himmelblau", "Himmelblau", "(x² + y − 11)² + (x + y² − 7)²", _himmelblau,
            (-5.0, 5.0), (-5.0, 5.0),
            ((3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126)),
            (0.0, 0.0),
        ),
        TestFunction(
            "saddle", "Saddle", "x² − y²", _saddle,
            (-2.0, 2.0), (-2.0, 2.0), (), (-1.8, 1e-3),
        ),
        TestFunction(
            "monkey_saddle", "Monkey saddle", "x³ − 3·x·y²", _monkey_saddle,
            (-2.0, 2.0), (-2.0, 2.0), (), (0.5, 0.6),
        ),
        TestFunction(
            "plateau", "Plateau", "1 − exp(−(x² + y²)/2)", _plateau,
            (-6.0, 6.0), (-6.0, 6.0), ((0.0, 0.0),), (5.0, 4.0),
        ),
    )
}  # fmt: skip


def get_function(name: str) -> TestFunction:
    """The test function called `name` (KeyError names the known ones)."""
    try:
        return FUNCTIONS[name]
    except KeyError:
        raise KeyError(f"unknown test function {name!r}; known: {sorted(FUNCTIONS)}") from None


def surface(fn: TestFunction, condition_number: float, resolution: int) -> list[list[float | None]]:
    """f on a resolution × resolution grid over the function's square; rows run along y, low to high."""
    xs = torch.linspace(*fn.x_range, resolution, dtype=torch.float64)
    ys = torch.linspace(*fn.y_range, resolution, dtype=torch.float64)
    grid_y, grid_x = torch.meshgrid(ys, xs, indexing="ij")
    values = fn(grid_x, grid_y, condition_number)
    return [
        [v if abs(v) != float("inf") and v == v else None for v in row] for row in values.tolist()
    ]
