"""Trace mode of a run spec starts where training starts and takes the Trainer's first step."""

from __future__ import annotations

import numpy as np
import pytest

from glassnet.engine import Trainer
from glassnet.engine.trace import trace_spec
from glassnet.presets import get_preset

# Full-batch plain-SGD presets, so the Trainer's first step is exactly one traced iteration.
FULL_BATCH_SGD = [
    "kelleher-power-plant-logistic",
    "kelleher-power-plant-relu",
    "kelleher-softmax-table-16",
    "kelleher-power-plant-classifier",
    "init-xavier",
    "init-he-relu",
]


@pytest.mark.parametrize("preset_id", FULL_BATCH_SGD)
def test_trace_of_a_preset_equals_the_trainers_first_step(preset_id: str) -> None:
    spec = get_preset(preset_id)["spec"]
    assert spec["training"]["optimizer"]["kind"] == "sgd" and spec["training"]["batch_size"] is None
    trainer = Trainer(spec)
    before = {
        layer.id: layer.weight.detach().double().numpy().copy() for layer in trainer.model.layers
    }
    trainer.step(1)
    traced = trace_spec(spec, example_indices=list(range(trainer.data.x_train.shape[0])))
    tol = 1e-12 if spec["dtype"] == "float64" else 1e-5
    for entry in traced["layers"]:
        if entry["kind"] not in ("dense", "conv2d"):
            continue
        model_layer = next(m for m in trainer.model.layers if m.id == entry["id"])
        np.testing.assert_allclose(entry["weights"], before[entry["id"]], rtol=0, atol=tol)
        after = model_layer.weight.detach().double().numpy()
        np.testing.assert_allclose(entry["weights_after"], after, rtol=1e-4, atol=tol)
        bias_after = model_layer.bias.detach().double().numpy()
        np.testing.assert_allclose(entry["bias_after"], bias_after, rtol=1e-4, atol=tol)


def test_trace_spec_takes_the_loss_and_learning_rate_from_training() -> None:
    spec = get_preset("kelleher-power-plant-relu-alpha-0.1")["spec"]
    traced = trace_spec(spec)
    assert traced["learning_rate"] == 0.1
    assert traced["loss_function"] == "half_sse"
    assert traced["dtype"] == "float64"
