"""The lean path (explicit numpy backprop) equals the autograd path at 1e-10 in float64.

Each comparison builds two trainers from one spec; the second is switched to the autograd path
right after construction, so both start from the same parameters and generators.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from engine_specs import force_autograd, inline_data, params
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glassnet.engine import Trainer

HIDDEN = [
    "linear",
    "sigmoid",
    "tanh",
    "relu",
    "leaky_relu",
    "prelu",
    "elu",
    "softplus",
    "gelu",
    "silu",
]
OPTIMIZERS = [
    "sgd",
    "momentum",
    "momentum_ema",
    "nesterov",
    "adagrad",
    "rmsprop",
    "adam",
    "nadam",
    "adamw",
]
TOL = 1e-10


def _spec(
    n_in: int,
    hidden: list[tuple[int, str]],
    n_out: int,
    output: str,
    loss: str,
    *,
    optimizer: str = "sgd",
    lr: float = 0.05,
    l1: float = 0.0,
    l2: float = 0.0,
    clip_value: float | None = None,
    clip_norm: float | None = None,
    dropout: float | None = None,
    batch_size: int | None = None,
    n: int = 8,
    seed: int = 0,
) -> dict[str, Any]:
    task = {"cross_entropy": "multiclass", "bce": "binary"}.get(loss, "regression")
    nodes: list[dict[str, Any]] = [{"id": "x", "kind": "input", "shape": [n_in]}]
    for i, (units, act) in enumerate(hidden):
        nodes.append({"id": f"h{i}", "kind": "dense", "units": units, "activation": act})
        if dropout:
            nodes.append({"id": f"drop{i}", "kind": "dropout", "drop_probability": dropout})
    nodes.append({"id": "out", "kind": "dense", "units": n_out, "activation": output})
    return {
        "network": {"nodes": nodes},
        "data": inline_data(n, n_in, n_out, task, seed=seed),
        "training": {
            "loss": loss,
            "optimizer": {"kind": optimizer, "lr": lr},
            "regularization": {"l1": l1, "l2": l2},
            "clip": {"value": clip_value, "norm": clip_norm},
            "batch_size": batch_size,
            "epochs": 1000,
        },
        "seed": seed,
        "dtype": "float64",
        "device": "cpu",
    }


def _twins(spec: dict[str, Any]) -> tuple[Trainer, Trainer]:
    lean = Trainer(spec, path="lean")
    assert lean.path_name == "lean"
    return lean, force_autograd(Trainer(spec))


def _close(a: Any, b: Any, where: str = "") -> None:
    """Nested frames equal: numbers within TOL (relative to their size), everything else exactly."""
    if isinstance(a, dict):
        assert a.keys() == b.keys(), where
        for k in a:
            _close(a[k], b[k], f"{where}/{k}")
    elif isinstance(a, list) and a and isinstance(a[0], float):
        np.testing.assert_allclose(a, b, rtol=TOL, atol=TOL, err_msg=where)
    elif isinstance(a, list):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _close(x, y, f"{where}/{i}")
    elif isinstance(a, float) and isinstance(b, float):
        assert math.isclose(a, b, rel_tol=TOL, abs_tol=TOL) or (math.isnan(a) and math.isnan(b)), (
            where
        )
    else:
        assert a == b, where


def _layer_stats(frame: dict[str, Any]) -> list[dict[str, Any]]:
    """Per layer and quantity the statistics (histogram bins can flip on a 1e-16 difference)."""
    keep = ("W", "b", "z", "a", "delta", "grad_W")
    out = []
    for layer in frame["layers"]:
        entry = {q: layer[q]["stats"] for q in keep}
        for k in ("update_ratio", "var_z_predicted", "var_z_measured", "grad_W_norm", "delta_rms"):
            entry[k] = layer[k]
        out.append(entry)
    return out


def _histograms_agree(a: dict[str, Any], b: dict[str, Any]) -> None:
    """Same edges; counts equal but for a value or two on a bin edge (a 1e-16 difference)."""
    for la, lb in zip(a["layers"], b["layers"], strict=True):
        for q in ("W", "b", "z", "a", "delta", "grad_W"):
            for h in ("hist", "loghist"):
                ha, hb = la[q][h], lb[q][h]
                assert math.isclose(ha["lo"], hb["lo"], rel_tol=TOL, abs_tol=TOL), (q, h)
                assert math.isclose(ha["hi"], hb["hi"], rel_tol=TOL, abs_tol=TOL), (q, h)
                moved = np.abs(np.subtract(ha["counts"], hb["counts"])).sum()
                assert moved <= 4 and sum(ha["counts"]) == sum(hb["counts"]), (la["id"], q, h)


def _assert_equivalent(spec: dict[str, Any], steps: int = 8) -> None:
    lean, auto = _twins(spec)
    for trainer in (lean, auto):
        trainer.step(steps - 1)
        trainer.step(capture=True)
    pl, pa = params(lean), params(auto)
    assert pl.keys() == pa.keys()
    for k in pl:
        np.testing.assert_allclose(pl[k], pa[k], rtol=0, atol=TOL, err_msg=k)
    frame_lean, frame_auto = lean.snapshot(channels=["layers"]), auto.snapshot(channels=["layers"])
    _close(_layer_stats(frame_lean), _layer_stats(frame_auto))
    _histograms_agree(frame_lean, frame_auto)
    _close([m["loss"] for m in lean.metrics], [m["loss"] for m in auto.metrics])


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_every_optimizer_gives_the_same_parameters(optimizer: str) -> None:
    _assert_equivalent(
        _spec(3, [(5, "tanh"), (4, "relu")], 2, "sigmoid", "mse", optimizer=optimizer, batch_size=3)
    )


@pytest.mark.parametrize("activation", HIDDEN)
def test_every_hidden_activation_gives_the_same_parameters(activation: str) -> None:
    _assert_equivalent(
        _spec(2, [(4, activation), (3, activation)], 1, "linear", "half_sse", lr=0.02)
    )


@pytest.mark.parametrize(
    ("loss", "output", "n_out"),
    [
        ("half_sse", "sigmoid", 2),
        ("mse", "softmax", 3),
        ("mse", "linear", 2),
        ("cross_entropy", "softmax", 3),
        ("bce", "sigmoid", 1),
    ],
)
def test_every_loss_gives_the_same_parameters(loss: str, output: str, n_out: int) -> None:
    _assert_equivalent(_spec(3, [(4, "tanh")], n_out, output, loss, batch_size=4))


@pytest.mark.parametrize(
    "extra",
    [
        {"l1": 0.01},
        {"l2": 0.02},
        {"clip_value": 0.05},
        {"clip_norm": 0.1},
        {"dropout": 0.3},
        {"batch_size": 1},
    ],
    ids=["l1", "l2", "clip_value", "clip_norm", "dropout", "stochastic"],
)
def test_regularisation_clipping_dropout_and_batching_give_the_same_parameters(
    extra: dict[str, Any],
) -> None:
    _assert_equivalent(_spec(3, [(5, "elu"), (4, "sigmoid")], 2, "linear", "mse", lr=0.1, **extra))


@st.composite
def random_specs(draw: st.DrawFn) -> dict[str, Any]:
    loss = draw(st.sampled_from(["half_sse", "mse", "cross_entropy", "bce"]))
    if loss == "cross_entropy":
        output, n_out = "softmax", draw(st.integers(2, 3))
    elif loss == "bce":
        output, n_out = "sigmoid", 1
    else:
        output = draw(st.sampled_from([*HIDDEN, "softmax"]))
        n_out = draw(st.integers(2 if output == "softmax" else 1, 3))
    hidden = draw(
        st.lists(st.tuples(st.integers(1, 6), st.sampled_from(HIDDEN)), min_size=0, max_size=3)
    )
    n = draw(st.integers(4, 12))
    return _spec(
        draw(st.integers(1, 4)),
        hidden,
        n_out,
        output,
        loss,
        optimizer=draw(st.sampled_from(OPTIMIZERS)),
        lr=draw(st.sampled_from([0.01, 0.05, 0.2])),
        l1=draw(st.sampled_from([0.0, 0.01])),
        l2=draw(st.sampled_from([0.0, 0.01])),
        clip_value=draw(st.sampled_from([None, 0.5])),
        clip_norm=draw(st.sampled_from([None, 1.0])),
        dropout=draw(st.sampled_from([None, 0.25])) if hidden else None,
        batch_size=draw(st.sampled_from([None, 1, 3])),
        n=n,
        seed=draw(st.integers(0, 1000)),
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_specs())
def test_random_dense_networks_train_identically_on_both_paths(spec: dict[str, Any]) -> None:
    _assert_equivalent(spec, steps=6)


@pytest.mark.parametrize(("loss", "output"), [("half_sse", "sigmoid"), ("mse", "linear")])
def test_dropout_after_the_output_layer_gives_the_same_parameters(loss: str, output: str) -> None:
    spec = _spec(3, [(4, "tanh")], 2, output, loss, batch_size=4)
    spec["network"]["nodes"].append({"id": "drop_out", "kind": "dropout", "drop_probability": 0.3})
    _assert_equivalent(spec)


def test_dropout_on_the_input_gives_the_same_parameters() -> None:
    spec = _spec(3, [(4, "tanh")], 2, "linear", "mse", batch_size=4)
    spec["network"]["nodes"].insert(
        1, {"id": "drop_in", "kind": "dropout", "drop_probability": 0.2}
    )
    _assert_equivalent(spec)
