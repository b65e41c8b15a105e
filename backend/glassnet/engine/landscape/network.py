"""The loss of a training network on a 2-D slice of its parameters, with its path projected on it.

The slice is the plane θ* + α·d₁ + β·d₂ through the current parameters θ*, spanned by two random
directions that are filter-normalised (Li et al., "Visualizing the Loss Landscape of Neural Nets",
2018): each filter of a direction (the weights of one output unit or channel) is scaled to the norm
of the same filter of θ*, so the plot's scale means the same for small and large layers; biases and
the other 1-D parameters (batch norm's γ and β) get no component, as in the paper. The directions
come from a seed, so a slice is reproducible and two requests show the same plane.

Random directions show the shape of the loss around θ* but catch little of the path (a path that
moved in hundreds of dimensions mostly leaves a random plane). So the plane can instead be spanned by
the path's own two principal directions (the paper's section 7): the two directions along which
θ_t − θ* varies most, which show the path as it went and the loss around it.

The loss is the training loss as the run reports it (evaluation mode: dropout off, batch norm on its
running statistics), over the training set. The path is each recorded θ_t projected on the plane by
least squares (random directions are not orthogonal), with the share of its movement that lies off
the plane, since a 2-D picture of a many-dimensional path can only show part of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import torch
from torch import Tensor

from glassnet.engine.losses import compute_loss
from glassnet.engine.model import GraphModel

# What is computed on request at the server: a few hundred forward passes of a small network.
MAX_PARAMETERS = 5_000
MAX_EXAMPLES = 2_000
MAX_RESOLUTION = 41


MAX_PATH = 128


@dataclass(frozen=True)
class PathPoint:
    """θ_t of the run at one step, flattened in the model's parameter order."""

    step: int
    theta: np.ndarray


Directions = Literal["random", "path"]


@dataclass
class NetworkSlice:
    """The loss over the slice's grid and the run's path on it."""

    directions: Directions
    alphas: list[float]
    betas: list[float]
    loss: list[list[float | None]]  # [β index][α index]
    center_loss: float
    path: list[tuple[int, float, float, float | None]]  # (step, α, β, loss at θ_t)
    off_plane: float | None  # share of the path's movement outside the plane
    parameters: int
    examples: int


class PathRecorder:
    """θ_t at the start and at epoch ends, for networks small enough to slice: at most MAX_PATH
    points, keeping every other one (and doubling the stride) when full, so a long run keeps its
    whole path at a coarser grain."""

    def __init__(self, model: GraphModel) -> None:
        self.model = model
        self.enabled = parameter_count(model) <= MAX_PARAMETERS
        self.points: list[PathPoint] = []
        self._stride = 1
        self._seen = 0

    def record(self, step: int) -> None:
        """Keep θ at `step` when it falls on the stride."""
        if not self.enabled:
            return
        self._seen += 1
        if (self._seen - 1) % self._stride:
            return
        self.points.append(PathPoint(step, flat_parameters(self.model)))
        if len(self.points) > MAX_PATH:
            self.points = self.points[::2]
            self._stride *= 2

    def with_now(self, step: int) -> list[PathPoint]:
        """The path so far ending at the current parameters."""
        if self.points and self.points[-1].step == step:
            return list(self.points)
        return [*self.points, PathPoint(step, flat_parameters(self.model))]


def parameter_count(model: GraphModel) -> int:
    """The number of trainable values in the model."""
    return sum(p.numel() for p in model.parameters())


def flat_parameters(model: GraphModel) -> np.ndarray:
    """Every parameter of the model in one float64 vector (the order of `model.parameters()`)."""
    with torch.no_grad():
        return torch.cat(
            [p.detach().reshape(-1).double().cpu() for p in model.parameters()]
        ).numpy()


def filter_normalised_direction(params: Sequence[Tensor], generator: torch.Generator) -> np.ndarray:
    """A random direction as one flat vector: each filter (row along the first axis) of a weight
    tensor drawn from N(0, 1) and scaled to the norm of the same filter of `params`; 1-D
    parameters get zeros."""
    parts = []
    for p in params:
        theta = p.detach().double().cpu()
        if theta.dim() <= 1:
            parts.append(torch.zeros(theta.numel(), dtype=torch.float64))
            continue
        d = torch.randn(theta.shape, generator=generator, dtype=torch.float64)
        d_norm = d.reshape(d.shape[0], -1).norm(dim=1)
        t_norm = theta.reshape(theta.shape[0], -1).norm(dim=1)
        scale = t_norm / d_norm.clamp_min(1e-12)
        parts.append((d * scale.reshape(-1, *([1] * (d.dim() - 1)))).reshape(-1))
    return torch.cat(parts).numpy()


def _load_flat(model: GraphModel, flat: np.ndarray) -> None:
    with torch.no_grad():
        at = 0
        for p in model.parameters():
            n = p.numel()
            p.copy_(torch.from_numpy(flat[at : at + n]).reshape(p.shape).to(p.dtype))
            at += n


def _loss_at(model: GraphModel, loss: str, x: Tensor, t: Tensor) -> float | None:
    with torch.no_grad(), model.eval_mode():
        z, a = model.forward_zy(x)
        value = float(compute_loss(loss, z, a, t))
    return value if np.isfinite(value) else None


def project(
    path: Sequence[PathPoint], center: np.ndarray, d1: np.ndarray, d2: np.ndarray
) -> tuple[list[tuple[int, float, float]], float | None]:
    """Each θ_t as (step, α, β) with θ* + α·d₁ + β·d₂ its least-squares nearest point of the plane,
    and the share of the path's squared movement from θ* that lies off the plane."""
    if not path:
        return [], None
    basis = np.stack([d1, d2], axis=1)
    offsets = np.stack([p.theta - center for p in path], axis=1)  # [params, points]
    coef, *_ = np.linalg.lstsq(basis, offsets, rcond=None)
    total = float((offsets**2).sum())
    residual = float(((basis @ coef - offsets) ** 2).sum())
    points = [(p.step, float(coef[0, i]), float(coef[1, i])) for i, p in enumerate(path)]
    return points, (residual / total if total > 0 else None)


def path_directions(
    path: Sequence[PathPoint], center: np.ndarray
) -> tuple[np.ndarray, np.ndarray] | None:
    """The two unit directions along which the path's θ_t − θ* vary most (its principal
    components), or None when the path has not moved in two dimensions."""
    if len(path) < 3:
        return None
    offsets = np.stack([p.theta - center for p in path])  # [points, params]
    _, sv, vt = np.linalg.svd(offsets, full_matrices=False)
    if sv.shape[0] < 2 or sv[1] <= 1e-12 * max(sv[0], 1e-300):
        return None
    return vt[0], vt[1]


def _axis(values: Sequence[float], resolution: int) -> np.ndarray:
    """Grid coordinates covering `values` with a margin, centred on 0 when they allow."""
    low, high = min(0.0, *values), max(0.0, *values)
    pad = 0.2 * (high - low) or 1.0
    return np.linspace(low - pad, high + pad, resolution)


def network_slice(
    model: GraphModel,
    loss: str,
    x: Tensor,
    t: Tensor,
    path: Sequence[PathPoint] = (),
    resolution: int = 21,
    span: float = 1.0,
    seed: int = 0,
    directions: Directions = "random",
) -> NetworkSlice:
    """The loss on a (resolution × resolution) grid around the model's current parameters, and
    `path` projected on the plane. Random directions: α, β ∈ [−span, span]. Path directions: the
    grid covers the projected path with a margin (span is not used). The model's parameters are
    restored afterwards."""
    if not 2 <= resolution <= MAX_RESOLUTION:
        raise ValueError(f"resolution must be between 2 and {MAX_RESOLUTION}")
    params = list(model.parameters())
    count = parameter_count(model)
    if count > MAX_PARAMETERS:
        raise ValueError(
            f"the landscape is computed for networks of up to {MAX_PARAMETERS:,} parameters; "
            f"this one has {count:,}"
        )
    x, t = x[:MAX_EXAMPLES], t[:MAX_EXAMPLES]
    center = flat_parameters(model)
    along_path = path_directions(path, center) if directions == "path" else None
    if directions == "path" and along_path is None:
        raise ValueError(
            "the path has not moved in two directions yet: train a few epochs first, or slice "
            "along random directions"
        )
    if along_path is not None:
        d1, d2 = along_path
    else:
        generator = torch.Generator().manual_seed(seed)
        d1 = filter_normalised_direction(params, generator)
        d2 = filter_normalised_direction(params, generator)
    projected, off_plane = project(path, center, d1, d2)
    if along_path is not None:
        alphas = _axis([a for _, a, _ in projected], resolution)
        betas = _axis([b for _, _, b in projected], resolution)
    else:
        alphas = betas = np.linspace(-span, span, resolution)
    try:
        grid: list[list[float | None]] = []
        for beta in betas:
            row = []
            for alpha in alphas:
                _load_flat(model, center + alpha * d1 + beta * d2)
                row.append(_loss_at(model, loss, x, t))
            grid.append(row)
        points = []
        for (step, alpha, beta), point in zip(projected, path, strict=True):
            _load_flat(model, point.theta)
            points.append((step, alpha, beta, _loss_at(model, loss, x, t)))
    finally:
        _load_flat(model, center)
    center_loss = _loss_at(model, loss, x, t)
    return NetworkSlice(
        directions="path" if along_path is not None else "random",
        alphas=[float(c) for c in alphas],
        betas=[float(c) for c in betas],
        loss=grid,
        center_loss=float("nan") if center_loss is None else center_loss,
        path=points,
        off_plane=off_plane,
        parameters=count,
        examples=int(x.shape[0]),
    )
