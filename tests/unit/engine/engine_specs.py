"""Small RunSpec builders and helpers shared by the engine tests."""

from __future__ import annotations

from typing import Any

import numpy as np

from glassnet.engine import Trainer


def dense_spec(
    units: list[int],
    activation: Any = "tanh",
    output: Any = "sigmoid",
    *,
    n_in: int = 2,
    dataset: dict[str, Any] | None = None,
    loss: str = "bce",
    optimizer: dict[str, Any] | None = None,
    batch_size: int | None = 10,
    epochs: int = 100,
    dtype: str = "float64",
    seed: int = 0,
    dropout: float | None = None,
    **training: Any,
) -> dict[str, Any]:
    """A dense chain n_in → units… (hidden `activation`, last layer `output`) as a RunSpec dict."""
    nodes: list[dict[str, Any]] = [{"id": "x", "kind": "input", "shape": [n_in]}]
    for i, n in enumerate(units):
        last = i == len(units) - 1
        nodes.append(
            {
                "id": f"d{i}",
                "kind": "dense",
                "units": n,
                "activation": output if last else activation,
            }
        )
        if dropout is not None and not last:
            nodes.append({"id": f"drop{i}", "kind": "dropout", "drop_probability": dropout})
    return {
        "network": {"nodes": nodes},
        "data": dataset or {"dataset": "circle", "n": 60, "train_fraction": 1.0},
        "training": {
            "loss": loss,
            "optimizer": optimizer or {"kind": "sgd", "lr": 0.1},
            "batch_size": batch_size,
            "epochs": epochs,
            **training,
        },
        "seed": seed,
        "dtype": dtype,
        "device": "cpu",
    }


def diverging_spec() -> dict[str, Any]:
    """A deep linear network with a learning rate of 100: its loss leaves the floats within a few
    steps."""
    return dense_spec(
        [16] * 6 + [1],
        activation="linear",
        output="linear",
        loss="mse",
        optimizer={"kind": "sgd", "lr": 100.0},
        batch_size=6,
        epochs=500,
    )


def inline_data(
    n: int, n_in: int, n_out: int, task: str = "regression", seed: int = 0
) -> dict[str, Any]:
    """An inline dataset of n random rows (targets one-hot for multiclass, 0/1 for binary)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, n_in))
    if task == "multiclass":
        y = np.eye(n_out)[np.arange(n) % n_out]
    elif task == "binary":
        y = (np.arange(n) % 2)[:, None].astype(float)
    else:
        y = rng.normal(size=(n, n_out))
    return {
        "dataset": "inline",
        "inputs": x.tolist(),
        "targets": y.tolist(),
        "task": task,
        "train_fraction": 1.0,
    }


def cnn_spec(seed: int = 0, **training: Any) -> dict[str, Any]:
    """conv → maxpool → flatten → dense softmax on the 8×8 digits."""
    return {
        "network": {
            "nodes": [
                {"id": "x", "kind": "input", "shape": [1, 8, 8]},
                {"id": "c1", "kind": "conv2d", "filters": 3, "kernel": 3, "activation": "relu"},
                {"id": "p1", "kind": "maxpool2d", "kernel": 2},
                {"id": "f", "kind": "flatten"},
                {"id": "y", "kind": "dense", "units": 10, "activation": "softmax"},
            ]
        },
        "data": {"dataset": "digits", "n": 80, "train_fraction": 1.0},
        "training": {
            "loss": "cross_entropy",
            "optimizer": {"kind": "adam", "lr": 0.01},
            "batch_size": 16,
            "epochs": 50,
            **training,
        },
        "seed": seed,
        "dtype": "float64",
        "device": "cpu",
    }


def force_autograd(trainer: Trainer) -> Trainer:
    """Make a freshly built trainer run on the autograd path (a lean-path twin for comparisons)."""
    trainer.select_path("autograd")
    return trainer


def params(trainer: Trainer) -> dict[str, np.ndarray]:
    """Every parameter and buffer as a numpy copy."""
    return {k: v.detach().cpu().numpy().copy() for k, v in trainer.model.state_dict().items()}


def same_params(a: Trainer, b: Trainer) -> bool:
    pa, pb = params(a), params(b)
    return pa.keys() == pb.keys() and all(np.array_equal(pa[k], pb[k]) for k in pa)
