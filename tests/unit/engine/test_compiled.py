"""The compiled path (numba kernels, many steps per call) trains exactly as the numpy lean path.

Each comparison builds two trainers from one spec: one on the compiled path (`auto`), one forced
onto the numpy lean path. float64 runs agree to 1e-12 over many steps and several epochs (the only
differences are BLAS's summation order); float32 runs stay close and make the same decisions.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from engine_specs import dense_spec, diverging_spec, inline_data, params
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glassnet.engine import Trainer
from glassnet.engine.node_probes import NodeProbe
from glassnet.engine.paths.compiled import LOSSES, OPTIMIZERS, warm_up

HIDDEN = ["linear", "sigmoid", "tanh", "relu", "leaky_relu"]
TOL = 1e-12


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
    schedule: dict[str, Any] | None = None,
    n: int = 12,
    seed: int = 0,
    dtype: str = "float64",
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
            "schedule": schedule or {"kind": "constant"},
            "epochs": 1000,
        },
        "seed": seed,
        "dtype": dtype,
        "device": "cpu",
    }


def _twins(spec: dict[str, Any]) -> tuple[Trainer, Trainer]:
    compiled, lean = Trainer(spec), Trainer(spec, path="lean")
    assert (compiled.path_name, lean.path_name) == ("compiled", "lean")
    return compiled, lean


def _assert_same_run(compiled: Trainer, lean: Trainer, tol: float = TOL) -> None:
    assert (compiled.step_count, compiled.epoch) == (lean.step_count, lean.epoch)
    assert compiled.status == lean.status
    pc, pl = params(compiled), params(lean)
    for k in pc:
        np.testing.assert_allclose(pc[k], pl[k], rtol=tol, atol=tol, err_msg=k)
    for key in ("loss", "accuracy"):
        a = [m[key] for m in compiled.metrics]
        b = [m[key] for m in lean.metrics]
        assert len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            assert (x is None and y is None) or math.isclose(x, y, rel_tol=tol, abs_tol=tol)


def _train_both(spec: dict[str, Any], steps: int = 60) -> tuple[Trainer, Trainer]:
    compiled, lean = _twins(spec)
    for trainer in (compiled, lean):
        trainer.step(steps)
    return compiled, lean


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
def test_every_compiled_optimizer_gives_the_lean_paths_parameters(optimizer: str) -> None:
    spec = _spec(3, [(5, "tanh"), (4, "relu")], 2, "sigmoid", "mse", optimizer=optimizer)
    spec["training"]["batch_size"] = 5  # 12 rows: batches of 5, 5 and 2
    _assert_same_run(*_train_both(spec))


@pytest.mark.parametrize("activation", HIDDEN)
def test_every_compiled_activation_gives_the_lean_paths_parameters(activation: str) -> None:
    spec = _spec(2, [(4, activation), (3, activation)], 1, "linear", "half_sse", lr=0.02)
    _assert_same_run(*_train_both(spec, steps=40))


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
def test_every_loss_gives_the_lean_paths_parameters(loss: str, output: str, n_out: int) -> None:
    spec = _spec(3, [(4, "tanh")], n_out, output, loss, batch_size=4)
    _assert_same_run(*_train_both(spec))


@pytest.mark.parametrize(
    "extra",
    [
        {"l1": 0.01},
        {"l2": 0.02},
        {"clip_value": 0.05},
        {"clip_norm": 0.1},
        {"dropout": 0.3},
        {"batch_size": 1},
        {"schedule": {"kind": "step", "step_size": 2, "gamma": 0.5}},
        {"schedule": {"kind": "cosine", "t_max": 5}},
    ],
    ids=["l1", "l2", "clip_value", "clip_norm", "dropout", "stochastic", "step_lr", "cosine_lr"],
)
def test_regularisation_clipping_dropout_and_schedules_give_the_lean_paths_parameters(
    extra: dict[str, Any],
) -> None:
    spec = _spec(3, [(5, "sigmoid"), (4, "tanh")], 2, "linear", "mse", lr=0.1, **extra)
    if "batch_size" not in extra:
        spec["training"]["batch_size"] = 5
    _assert_same_run(*_train_both(spec))


def test_dropout_on_the_input_and_after_the_output_gives_the_lean_paths_parameters() -> None:
    spec = _spec(3, [(4, "tanh")], 2, "linear", "mse", batch_size=4)
    nodes = spec["network"]["nodes"]
    nodes.insert(1, {"id": "drop_in", "kind": "dropout", "drop_probability": 0.2})
    nodes.append({"id": "drop_out", "kind": "dropout", "drop_probability": 0.3})
    _assert_same_run(*_train_both(spec))


def test_captured_probes_equal_the_lean_paths() -> None:
    spec = _spec(3, [(5, "tanh"), (4, "relu")], 2, "softmax", "cross_entropy", batch_size=5)
    spec["network"]["nodes"].insert(2, {"id": "d", "kind": "dropout", "drop_probability": 0.25})
    compiled, lean = _twins(spec)
    for trainer in (compiled, lean):
        trainer.step(7, capture=True)
    assert compiled._capture is not None and lean._capture is not None
    for pc, pl in zip(compiled._capture[1], lean._capture[1], strict=True):
        assert pc.id == pl.id
        if isinstance(pc, NodeProbe):  # dropout: the step's mask, drawn alike on both paths
            assert pc.extra["mask"] == pl.extra["mask"]
            continue
        for q in ("x", "z", "a", "delta", "grad_W", "W_before", "W", "b"):
            a, b = getattr(pc, q), getattr(pl, q)
            np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=TOL, atol=TOL, err_msg=q)
    frames = [t.snapshot(channels=["layers"])["layers"] for t in (compiled, lean)]
    for lc, ll in zip(*frames, strict=True):
        for q in ("z", "a", "delta", "grad_W"):
            for stat in ("mean", "std", "max"):
                assert math.isclose(lc[q]["stats"][stat], ll[q]["stats"][stat], abs_tol=TOL)


def test_a_run_is_the_same_bit_for_bit_however_its_steps_are_split() -> None:
    spec = dense_spec([6, 6, 1], batch_size=8, dropout=0.2, optimizer={"kind": "adam", "lr": 0.01})
    whole, pieces = Trainer(spec), Trainer(spec)
    whole.step(40)
    for n, capture in [(1, False), (9, True), (3, False), (1, True), (26, False)]:
        pieces.step(n, capture=capture)
    assert whole.step_count == pieces.step_count == 40
    a, b = params(whole), params(pieces)
    assert all(np.array_equal(a[k], b[k]) for k in a)


def test_one_call_runs_up_to_the_epochs_end_and_the_trainer_counts_every_step() -> None:
    trainer = Trainer(dense_spec([4, 1], batch_size=8))  # 60 rows: 8 steps an epoch
    calls: list[int] = []
    inner = trainer.path.train_steps

    def train_steps(*args: Any) -> Any:
        losses, corrects = inner(*args)
        calls.append(len(losses))
        return losses, corrects

    trainer.path.train_steps = train_steps
    trainer.step(20)
    assert calls == [8, 8, 4]
    assert (trainer.step_count, trainer.epoch) == (20, 2)
    assert [m["step"] for m in trainer.metrics] == [8, 16]


def test_a_huge_learning_rate_diverges_on_the_step_it_happens() -> None:
    spec = diverging_spec()
    compiled, lean = _twins(spec)
    compiled.train()
    lean.train()
    assert compiled.status == lean.status == "diverged"
    assert compiled.step_count == lean.step_count
    assert compiled.diagnosis is not None and lean.diagnosis is not None
    assert compiled.diagnosis["layer"] == lean.diagnosis["layer"]


def test_float32_runs_stay_close_and_classify_the_same() -> None:
    spec = dense_spec(
        [8] * 6 + [1],
        batch_size=10,
        dtype="float32",
        optimizer={"kind": "momentum", "lr": 0.01},
        dataset={"dataset": "circle", "n": 200, "train_fraction": 0.8},
    )
    compiled, lean = _twins(spec)
    compiled.step(400)
    lean.step(400)
    pc, pl = params(compiled), params(lean)
    for k in pc:
        np.testing.assert_allclose(pc[k], pl[k], rtol=0, atol=1e-4, err_msg=k)
    outputs = [t.path.layer_outputs(t.x_val)[1].numpy() for t in (compiled, lean)]
    np.testing.assert_array_equal(outputs[0] >= 0.5, outputs[1] >= 0.5)
    assert [m["accuracy"] for m in compiled.metrics] == [m["accuracy"] for m in lean.metrics]


@pytest.mark.parametrize(
    "spec",
    [
        dense_spec([4, 1], activation="elu"),
        dense_spec([4, 1], activation="prelu"),
        dense_spec([4, 1], optimizer={"kind": "nadam", "lr": 0.01}),
    ],
    ids=["elu", "prelu", "nadam"],
)
def test_what_the_kernels_do_not_cover_runs_on_the_numpy_lean_path(spec: dict[str, Any]) -> None:
    trainer = Trainer(spec)
    assert trainer.path_name == "lean"
    trainer.step(3)


def test_warm_up_compiles_both_dtypes() -> None:
    from glassnet.engine.paths import compiled_kernels

    warm_up()
    dtypes = {str(signature[0].dtype) for signature in compiled_kernels.train_steps.signatures}
    assert {"float32", "float64"} <= dtypes


def test_after_warm_up_small_summaries_use_the_compiled_loop() -> None:
    from glassnet.engine import summary

    warm_up()
    assert summary._loaded_kernel() is not None


@st.composite
def random_specs(draw: st.DrawFn) -> dict[str, Any]:
    loss = draw(st.sampled_from(list(LOSSES)))
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
    return _spec(
        draw(st.integers(1, 4)),
        hidden,
        n_out,
        output,
        loss,
        optimizer=draw(st.sampled_from(list(OPTIMIZERS))),
        lr=draw(st.sampled_from([0.01, 0.05, 0.2])),
        l1=draw(st.sampled_from([0.0, 0.01])),
        l2=draw(st.sampled_from([0.0, 0.01])),
        clip_value=draw(st.sampled_from([None, 0.5])),
        clip_norm=draw(st.sampled_from([None, 1.0])),
        dropout=draw(st.sampled_from([None, 0.25])) if hidden else None,
        batch_size=draw(st.sampled_from([None, 1, 3, 5])),
        n=draw(st.integers(4, 12)),
        seed=draw(st.integers(0, 1000)),
    )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_specs(), st.lists(st.integers(1, 9), min_size=1, max_size=6))
def test_random_dense_networks_train_identically_on_the_compiled_and_lean_paths(
    spec: dict[str, Any], chunks: list[int]
) -> None:
    compiled, lean = _twins(spec)
    for n in chunks:  # steps split as a live run splits them between frames
        compiled.step(n, capture=True)
        lean.step(n, capture=True)
    _assert_same_run(compiled, lean)


def test_building_a_run_and_its_step_0_frame_do_not_load_numba() -> None:
    """The kernels load at the first training call: a run's first frame never waits for them."""
    import json
    import subprocess
    import sys

    code = (
        "import json, sys; from glassnet.engine import Trainer; "
        f"t = Trainer({dense_spec([4, 1])!r}); t.snapshot(); "
        "print(json.dumps([t.path_name, 'numba' in sys.modules]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == ["compiled", False]


def test_the_kernel_cache_lives_in_the_users_cache_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from glassnet.engine.jit import _cache_dir

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert _cache_dir() == str(tmp_path / "glassnet" / "numba")


def test_the_kernel_cache_falls_back_to_a_temp_directory_when_the_cache_cannot_be_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from glassnet.engine.jit import _cache_dir

    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    folder = Path(_cache_dir())
    assert folder.is_dir() and folder.parent == Path(tempfile.gettempdir())
