"""Exports know the recurrent nodes: the PyTorch source rebuilds them with the run's weights and
gives the engine's outputs; ONNX exports them."""

import onnx
import pytest
import torch

from glassnet.engine import Trainer
from glassnet.runs.export import onnx_bytes, pytorch_source, rebuild, safetensors_bytes


def _spec(kind: str, extra: dict) -> dict:
    return {
        "network": {
            "nodes": [
                {"id": "x", "kind": "input", "shape": [6, 2]},
                {"id": "r", "kind": kind, "units": 4, **extra},
                {"id": "s", "kind": "gru", "units": 3, "return_sequences": False},
                {"id": "y", "kind": "dense", "units": 1},
            ]
        },
        "data": {"dataset": "adding", "n": 12, "steps": 6},
        "training": {"loss": "mse", "optimizer": {"kind": "adam", "lr": 0.05}, "epochs": 2},
        "dtype": "float64",
    }


@pytest.mark.parametrize(
    ("kind", "extra"), [("rnn", {"activation": "sigmoid"}), ("lstm", {}), ("gru", {})]
)
def test_exported_source_gives_the_engines_outputs(kind, extra):
    spec = _spec(kind, {"return_sequences": True, **extra})
    trainer = Trainer(spec)
    trainer.train()
    arrays = {k: v.numpy() for k, v in trainer.export_state_dict().items()}
    model = rebuild(spec, arrays)
    with torch.no_grad():
        torch.testing.assert_close(model(trainer.x_train), trainer.model(trainer.x_train))
    assert "class Recurrent(nn.Module)" in pytorch_source(spec, "r1")
    assert safetensors_bytes(spec, arrays)


def test_recurrent_network_exports_to_onnx():
    spec = _spec("lstm", {"return_sequences": True})
    spec["dtype"] = "float32"
    trainer = Trainer(spec)
    arrays = {k: v.numpy() for k, v in trainer.export_state_dict().items()}
    graph = onnx.load_model_from_string(onnx_bytes(spec, arrays))
    onnx.checker.check_model(graph)
