"""The live network's own landscape: the loss on a plane of two filter-normalised directions through
the current parameters, and the training path projected on that plane."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch

from glassnet.engine.landscape.network import (
    MAX_PARAMETERS,
    PathPoint,
    filter_normalised_direction,
    flat_parameters,
    network_slice,
    project,
)
from glassnet.engine.losses import compute_loss
from glassnet.engine.trainer import Trainer

SPEC = {
    "version": 1,
    "network": {
        "nodes": [
            {"id": "x", "kind": "input", "shape": [2]},
            {"id": "h", "kind": "dense", "units": 5, "activation": "tanh"},
            {"id": "y", "kind": "dense", "units": 1, "activation": "sigmoid"},
        ]
    },
    "data": {"dataset": "circle", "n": 120, "noise": 0.1},
    "training": {
        "loss": "bce",
        "optimizer": {"kind": "sgd", "lr": 0.5},
        "batch_size": 20,
        "epochs": 30,
    },
    "seed": 3,
    "dtype": "float64",
}


def _trainer(**training: object) -> Trainer:
    spec = {**SPEC, "training": {**SPEC["training"], **training}}
    return Trainer(spec, path="autograd")


def _loss_at(trainer: Trainer, theta: np.ndarray) -> float:
    """The training loss at θ, computed apart from the slice code with torch.func."""
    names = [n for n, _ in trainer.model.named_parameters()]
    shapes = [p.shape for _, p in trainer.model.named_parameters()]
    params, at = {}, 0
    for name, shape in zip(names, shapes, strict=True):
        n = int(np.prod(shape))
        params[name] = torch.from_numpy(theta[at : at + n].copy()).reshape(shape)
        at += n
    saved = {k: v.detach().clone() for k, v in trainer.model.named_parameters()}
    with torch.no_grad():
        for k, p in trainer.model.named_parameters():
            p.copy_(params[k])
        z, a = trainer.model.forward_zy(trainer.x_train)
        value = float(compute_loss("bce", z, a, trainer.y_train))
        for k, p in trainer.model.named_parameters():
            p.copy_(saved[k])
    return value


def test_each_filter_of_a_direction_has_the_norm_of_the_same_filter_of_the_weights() -> None:
    w = torch.tensor([[3.0, 4.0, 0.0], [0.0, 0.0, 2.0]], dtype=torch.float64)
    b = torch.tensor([1.0, -1.0], dtype=torch.float64)
    d = filter_normalised_direction([w, b], torch.Generator().manual_seed(0))
    rows = d[:6].reshape(2, 3)
    assert np.linalg.norm(rows, axis=1) == pytest.approx([5.0, 2.0], rel=1e-12)
    assert list(d[6:]) == [0.0, 0.0]  # biases: no component, as in Li et al.


def test_the_grid_is_the_training_loss_at_each_point_of_the_plane() -> None:
    trainer = _trainer()
    trainer.train(max_steps=60)
    center = flat_parameters(trainer.model)
    s = network_slice(trainer.model, "bce", trainer.x_train, trainer.y_train, resolution=5, seed=7)
    g = torch.Generator().manual_seed(7)
    params = list(trainer.model.parameters())
    d1 = filter_normalised_direction(params, g)
    d2 = filter_normalised_direction(params, g)
    assert s.alphas == s.betas == pytest.approx([-1.0, -0.5, 0.0, 0.5, 1.0])
    assert s.loss[2][2] == pytest.approx(_loss_at(trainer, center), abs=1e-12)
    assert s.center_loss == pytest.approx(s.loss[2][2], abs=1e-12)
    # row = β, column = α
    assert s.loss[0][4] == pytest.approx(_loss_at(trainer, center + 1.0 * d1 - 1.0 * d2), abs=1e-12)
    assert s.loss[3][1] == pytest.approx(_loss_at(trainer, center - 0.5 * d1 + 0.5 * d2), abs=1e-12)


def test_slicing_leaves_the_network_as_it_was() -> None:
    trainer = _trainer()
    trainer.train(max_steps=30)
    before = flat_parameters(trainer.model)
    trainer.landscape(resolution=3)
    assert np.array_equal(flat_parameters(trainer.model), before)
    trainer.train(max_steps=5)  # and it trains on
    assert trainer.step_count == 35


def test_the_same_seed_gives_the_same_plane() -> None:
    trainer = _trainer()
    a = trainer.landscape(resolution=4, seed=1)
    b = trainer.landscape(resolution=4, seed=1)
    c = trainer.landscape(resolution=4, seed=2)
    assert a.loss == b.loss
    assert a.loss != c.loss


def test_a_path_in_the_plane_projects_to_its_own_coordinates() -> None:
    rng = np.random.default_rng(0)
    center, d1, d2 = rng.normal(size=(3, 40))
    path = [
        PathPoint(k, center + a * d1 + b * d2) for k, (a, b) in enumerate([(1, 2), (-0.5, 0.25)])
    ]
    points, off_plane = project(path, center, d1, d2)
    assert [(s, round(a, 12), round(b, 12)) for s, a, b in points] == [(0, 1, 2), (1, -0.5, 0.25)]
    assert off_plane == pytest.approx(0.0, abs=1e-20)


def test_the_share_of_movement_off_the_plane_is_reported() -> None:
    center = np.zeros(3)
    d1, d2 = np.array([1.0, 0, 0]), np.array([0, 1.0, 0])
    points, off_plane = project([PathPoint(0, np.array([3.0, 0, 4.0]))], center, d1, d2)
    assert points == [(0, 3.0, 0.0)]
    assert off_plane == pytest.approx(16 / 25)


def test_the_run_keeps_its_path_from_the_first_step_to_now() -> None:
    trainer = _trainer()
    trainer.train(max_steps=6 * 30)  # 30 epochs of 6 steps (96 training rows, batches of 20)
    s = trainer.landscape(resolution=3)
    steps = [p[0] for p in s.path]
    assert steps[0] == 0 and steps[-1] == trainer.step_count
    assert steps == sorted(steps) and len(steps) == trainer.epoch + 1
    # the path ends at the current parameters, the slice's centre
    assert s.path[-1][1:3] == pytest.approx((0.0, 0.0), abs=1e-9)
    assert s.path[-1][3] == pytest.approx(s.center_loss, abs=1e-12)
    assert s.path[0][3] > s.path[-1][3]  # training went downhill


def test_a_long_run_keeps_a_bounded_path_at_a_coarser_grain() -> None:
    trainer = _trainer(batch_size=None, epochs=1000)
    trainer.train(max_steps=1000)
    steps = [p.step for p in trainer.path_recorder.points]
    assert len(steps) <= 129 and steps[0] == 0
    gaps = {b - a for a, b in itertools.pairwise(steps)}
    assert len(gaps) == 1  # evenly spaced


def test_a_network_too_large_to_slice_is_refused() -> None:
    spec = {
        **SPEC,
        "network": {
            "nodes": [
                {"id": "x", "kind": "input", "shape": [2]},
                {"id": "h", "kind": "dense", "units": 100, "activation": "tanh"},
                {"id": "h2", "kind": "dense", "units": 60, "activation": "tanh"},
                {"id": "y", "kind": "dense", "units": 1, "activation": "sigmoid"},
            ]
        },
    }
    trainer = Trainer(spec, path="autograd")
    assert not trainer.path_recorder.enabled
    with pytest.raises(ValueError, match=f"up to {MAX_PARAMETERS:,} parameters"):
        trainer.landscape(resolution=3)


def test_the_paths_own_directions_show_most_of_its_movement() -> None:
    trainer = _trainer()
    trainer.train(max_steps=90)
    random = trainer.landscape(resolution=5)
    along = trainer.landscape(resolution=5, directions="path")
    assert along.directions == "path"
    assert along.off_plane is not None and random.off_plane is not None
    assert along.off_plane < random.off_plane
    assert along.off_plane < 0.2
    # the grid covers the projected path
    for _, a, b, _ in along.path:
        assert along.alphas[0] < a < along.alphas[-1]
        assert along.betas[0] < b < along.betas[-1]
    # and is the loss there: the path's end is the centre
    assert along.path[-1][3] == pytest.approx(along.center_loss, abs=1e-12)


def test_path_directions_need_a_path_that_has_moved() -> None:
    trainer = _trainer()
    with pytest.raises(ValueError, match="has not moved"):
        trainer.landscape(resolution=3, directions="path")
