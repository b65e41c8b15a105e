"""Decision-boundary grids for 2-D data: the output over the plane, and every hidden neuron's own.

Computed as one batched forward pass when a frame is due, never per epoch.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch
from torch import Tensor

from glassnet.data import Dataset
from glassnet.engine.model import GraphModel

RESOLUTION = 48  # output heatmap cells per side
NEURON_RESOLUTION = 16  # each hidden neuron's thumbnail, like TensorFlow Playground's
MAX_NEURONS = 16  # per layer; wider layers show their first 16 neurons

LayerOutputs = Callable[[np.ndarray], tuple[dict[str, Tensor], Tensor]]


def plane_bounds(dataset: Dataset) -> tuple[list[float], list[float]]:
    """The data's extent in raw 2-D coordinates, padded by 10 % on each side."""
    parts = [p for p in (dataset.raw_2d_train, dataset.raw_2d_val) if p is not None and len(p)]
    points = np.concatenate(parts)
    lo, hi = points.min(axis=0), points.max(axis=0)
    pad = np.maximum((hi - lo) * 0.1, 0.5)
    lo, hi = lo - pad, hi + pad
    return [float(lo[0]), float(hi[0])], [float(lo[1]), float(hi[1])]


def grid_points(x_range: list[float], y_range: list[float], r: int) -> np.ndarray:
    """r×r cell centres, row-major, row 0 at y_range[0] (the bottom)."""
    xs = np.linspace(x_range[0], x_range[1], r)
    ys = np.linspace(y_range[0], y_range[1], r)
    gx, gy = np.meshgrid(xs, ys)
    return np.stack([gx.ravel(), gy.ravel()], axis=1)


class BoundaryGrid:
    """The plane's grid points as network inputs, computed once per run (the data do not move)."""

    def __init__(self, dataset: Dataset) -> None:
        self.x_range, self.y_range = plane_bounds(dataset)
        fine = grid_points(self.x_range, self.y_range, RESOLUTION)
        coarse = grid_points(self.x_range, self.y_range, NEURON_RESOLUTION)
        self.n_fine = len(fine)
        self.inputs = dataset.grid_features(np.concatenate([fine, coarse]))


def decision_boundary(
    grid: BoundaryGrid, layer_outputs: LayerOutputs, model: GraphModel
) -> dict[str, Any]:
    """The `boundary` part of a snapshot: one batched forward pass over the grid."""
    x_range, y_range = grid.x_range, grid.y_range
    outputs, y = layer_outputs(grid.inputs)
    n_fine = grid.n_fine
    y_fine = y[:n_fine].detach().to("cpu", torch.float64)
    result: dict[str, Any] = {
        "x_range": x_range,
        "y_range": y_range,
        "resolution": RESOLUTION,
        "neuron_resolution": NEURON_RESOLUTION,
    }
    if y_fine.shape[1] == 1:
        result["output"] = y_fine[:, 0].tolist()
    else:
        confidence, classes = y_fine.max(dim=1)
        result["classes"] = classes.tolist()
        result["confidence"] = confidence.tolist()
    neurons: dict[str, list[list[float]]] = {}
    for layer in model.layers:
        if layer.id == model.output_id or layer.kind != "dense":
            continue
        a = outputs[layer.id][n_fine:, :MAX_NEURONS].detach().to("cpu", torch.float64)
        neurons[layer.id] = a.T.tolist()
    result["neurons"] = neurons
    return result
