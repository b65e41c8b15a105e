"""Engine frames validate against the TelemetryFrame model the wire and the frontend use."""

from __future__ import annotations

from typing import Any

import pytest

from glassnet.engine import Trainer
from shared_schemas.snapshot import TelemetryFrame

DENSE: dict[str, Any] = {
    "network": {
        "nodes": [
            {"id": "x", "kind": "input", "shape": [2]},
            {"id": "h", "kind": "dense", "units": 4, "activation": "relu"},
            {"id": "y", "kind": "dense", "units": 3, "activation": "softmax"},
        ]
    },
    "data": {"dataset": "gaussian", "classes": 3, "n": 60},
    "training": {"loss": "cross_entropy", "batch_size": 10},
}
CNN: dict[str, Any] = {
    "network": {
        "nodes": [
            {"id": "x", "kind": "input", "shape": [1, 8, 8]},
            {"id": "c", "kind": "conv2d", "filters": 2, "kernel": 3, "activation": "tanh"},
            {"id": "p", "kind": "avgpool2d", "kernel": 2},
            {"id": "f", "kind": "flatten"},
            {"id": "y", "kind": "dense", "units": 10, "activation": "softmax"},
        ]
    },
    "data": {"dataset": "digits", "n": 40},
    "training": {"loss": "cross_entropy", "batch_size": 8},
}


@pytest.mark.parametrize("spec", [DENSE, CNN], ids=["dense", "cnn"])
@pytest.mark.parametrize("capture", [True, False])
def test_engine_frames_validate_against_the_schema(spec: dict[str, Any], capture: bool) -> None:
    trainer = Trainer(spec, run_id="r1")
    trainer.step(12, capture=capture)
    frame = trainer.snapshot()
    TelemetryFrame.model_validate(frame)


def test_a_new_run_frame_validates() -> None:
    TelemetryFrame.model_validate(Trainer(DENSE).snapshot())
