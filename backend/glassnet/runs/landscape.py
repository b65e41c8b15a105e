"""A run's own loss landscape (POST /api/v1/runs/{id}/landscape), as the wire model.

A live run answers from its worker, which holds the network and the path it recorded. An ended run
is rebuilt from its spec, its saved final weights and its saved path, off the event loop.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import numpy as np
import torch

from glassnet.engine.landscape.network import PathPoint
from glassnet.engine.trainer import Trainer
from shared_schemas.landscape import NetworkLandscape, NetworkLandscapeRequest
from shared_schemas.runspec import RunSpec


def landscape_of(trainer: Trainer, run_id: str | None, params: dict[str, Any]) -> dict[str, Any]:
    """The landscape around the trainer's current parameters, as NetworkLandscape's fields, or
    {"error": why} when it cannot be cut (the network is too large, the path has not moved)."""
    request = NetworkLandscapeRequest.model_validate(params)
    try:
        cut = trainer.landscape(
            resolution=request.resolution,
            span=request.span,
            seed=request.seed,
            directions=request.directions,
        )
    except ValueError as error:
        return {"error": str(error)}
    body = asdict(cut)
    body["path"] = [
        {"step": step, "alpha": alpha, "beta": beta, "loss": loss}
        for step, alpha, beta, loss in cut.path
    ]
    body.update(run=run_id or "", step=trainer.step_count)
    return NetworkLandscape.model_validate(body).model_dump()


def path_arrays(trainer: Trainer) -> tuple[np.ndarray, np.ndarray] | None:
    """The recorded path up to now as (steps, theta) arrays for the path store, or None when the
    network is too large to slice."""
    if not trainer.path_recorder.enabled:
        return None
    points = trainer.path_recorder.with_now(trainer.step_count)
    return (
        np.array([p.step for p in points], dtype=np.int64),
        np.stack([p.theta for p in points]),
    )


def landscape_from_files(
    spec: RunSpec,
    run_id: str,
    weights: dict[str, np.ndarray],
    path: tuple[np.ndarray, np.ndarray] | None,
    step: int,
    params: dict[str, Any],
) -> dict[str, Any]:
    """The landscape of an ended run, rebuilt on the CPU from its spec, final weights and path."""
    trainer = Trainer(spec.model_copy(update={"device": "cpu"}), run_id=run_id, path="autograd")
    state = {k: torch.from_numpy(np.asarray(v)) for k, v in weights.items()}
    trainer.model.load_state_dict(state)
    trainer.step_count = step
    recorder = trainer.path_recorder
    recorder.points = (
        [
            PathPoint(int(s), np.asarray(theta, dtype=np.float64))
            for s, theta in zip(*path, strict=True)
        ]
        if path is not None
        else []
    )
    return landscape_of(trainer, run_id, params)
