"""Decision boundaries: the output over the data's plane and each hidden neuron's thumbnail."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from engine_specs import dense_spec

from glassnet.engine import Trainer
from glassnet.engine.boundary import NEURON_RESOLUTION, RESOLUTION, grid_points, plane_bounds


def test_boundary_output_is_the_network_over_the_grid() -> None:
    trainer = Trainer(
        dense_spec([5, 3, 1], dataset={"dataset": "circle", "n": 60, "preprocess": "standardize"})
    )
    trainer.step(5)
    boundary = trainer.snapshot(channels=["boundary"])["boundary"]
    grid = grid_points(boundary["x_range"], boundary["y_range"], RESOLUTION)
    x = torch.as_tensor(trainer.data.grid_features(grid), dtype=torch.float64)
    with torch.no_grad():
        want = trainer.model(x)[:, 0].numpy()
    np.testing.assert_allclose(boundary["output"], want, atol=1e-12)
    assert set(boundary["neurons"]) == {"d0", "d1"}
    assert len(boundary["neurons"]["d0"]) == 5
    assert all(len(cell) == NEURON_RESOLUTION**2 for cell in boundary["neurons"]["d0"])


def test_boundary_covers_every_data_point() -> None:
    trainer = Trainer(dense_spec([3, 1]))
    x_range, y_range = plane_bounds(trainer.data)
    raw = trainer.data.raw_2d_train
    assert x_range[0] < raw[:, 0].min() and raw[:, 0].max() < x_range[1]
    assert y_range[0] < raw[:, 1].min() and raw[:, 1].max() < y_range[1]


def test_several_outputs_give_classes_and_confidence() -> None:
    spec = dense_spec(
        [4, 3],
        output="softmax",
        loss="cross_entropy",
        dataset={"dataset": "gaussian", "classes": 3, "n": 60},
    )
    boundary = Trainer(spec).snapshot(channels=["boundary"])["boundary"]
    assert "output" not in boundary
    assert set(boundary["classes"]) <= {0, 1, 2}
    assert len(boundary["classes"]) == RESOLUTION**2
    assert all(1 / 3 - 1e-9 <= c <= 1 for c in boundary["confidence"])


def test_grid_rows_start_at_the_bottom() -> None:
    grid = grid_points([0.0, 1.0], [10.0, 20.0], 3)
    assert grid[0].tolist() == [0.0, 10.0] and grid[2].tolist() == [1.0, 10.0]
    assert grid[-1].tolist() == pytest.approx([1.0, 20.0])
