"""Exports know the activation node, batch norm's γ and β, dropout by ρ, DropConnect and
stochastic depth: the PyTorch source rebuilds the trained network as it runs in evaluation, and
ONNX exports it."""

from __future__ import annotations

import onnx
import torch

from glassnet.engine import Trainer
from glassnet.runs.export import onnx_bytes, pytorch_source, rebuild

SPEC = {
    "network": {
        "nodes": [
            {"id": "x", "kind": "input", "shape": [2]},
            {"id": "h1", "kind": "dense", "units": 4, "drop_connect": 0.3},
            {"id": "bn", "kind": "batchnorm", "gamma": [1, 2, 0.5, 1], "beta": [0, 0.1, 0, -0.1]},
            {"id": "phi", "kind": "activation", "activation": "tanh"},
            {"id": "d", "kind": "dropout", "keep_probability": 0.8},
            {"id": "h2", "kind": "dense", "units": 4, "activation": "relu"},
            {"id": "res", "kind": "add", "survival_probability": 0.7},
            {"id": "phi2", "kind": "activation", "activation": {"kind": "prelu"}},
            {"id": "y", "kind": "dense", "units": 1, "activation": "sigmoid"},
        ],
        "edges": [
            ["x", "h1"],
            ["h1", "bn"],
            ["bn", "phi"],
            ["phi", "d"],
            ["d", "h2"],
            ["phi", "res"],
            ["h2", "res"],
            ["res", "phi2"],
            ["phi2", "y"],
        ],
    },
    "data": {"dataset": "circle", "n": 40},
    "training": {"loss": "bce", "epochs": 2, "batch_size": 8},
    "dtype": "float64",
}


def test_exported_source_gives_the_engines_evaluation_outputs() -> None:
    trainer = Trainer(SPEC)
    trainer.train()
    arrays = {k: v.numpy() for k, v in trainer.export_state_dict().items()}
    model = rebuild(SPEC, arrays)
    with torch.no_grad(), trainer.model.eval_mode():
        torch.testing.assert_close(model(trainer.x_val), trainer.model(trainer.x_val))
    source = pytorch_source(SPEC, "r1")
    assert "nn.Dropout(0.19999999999999996)" in source  # p = 1 − ρ
    assert "v['phi'] + 0.7 * (v['h2'])" in source  # the skip first, the branch scaled


def test_network_with_the_new_nodes_exports_to_onnx() -> None:
    spec = {**SPEC, "dtype": "float32"}
    trainer = Trainer(spec)
    arrays = {k: v.numpy() for k, v in trainer.export_state_dict().items()}
    onnx.checker.check_model(onnx.load_model_from_string(onnx_bytes(spec, arrays)))
