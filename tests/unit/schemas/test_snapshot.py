"""Engine frames validate against the TelemetryFrame model the wire and the frontend use."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

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
    parsed = TelemetryFrame.model_validate(frame)
    # extra="allow" would swallow a field the engine sends and the schema does not name
    assert parsed.model_extra == {}
    weighted = [n["id"] for n in spec["network"]["nodes"] if n["kind"] in ("dense", "conv2d")]
    assert [layer.id for layer in parsed.layers] == weighted
    assert parsed.step == 12 and parsed.run == "r1"
    for layer in parsed.layers:
        assert layer.W.stats.n > 0 and layer.z.stats.n > 0


def test_a_new_run_frame_validates() -> None:
    parsed = TelemetryFrame.model_validate(Trainer(DENSE).snapshot())
    assert parsed.model_extra == {} and parsed.step == 0 and len(parsed.layers) == 2


def test_a_frame_missing_a_layer_quantity_is_refused() -> None:
    frame = Trainer(DENSE).snapshot()
    del frame["layers"][0]["W"]
    with pytest.raises(ValidationError):
        TelemetryFrame.model_validate(frame)
