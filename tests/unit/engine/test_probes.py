"""Probes and snapshots: the frame layout, an autograd oracle, variance prediction, flags, and
that taking snapshots never changes the run."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
from engine_specs import cnn_spec, dense_spec, inline_data, params, same_params

from glassnet.engine import Trainer
from glassnet.engine.activations import get_activation
from glassnet.engine.probes import LayerProbe, summarise_layers

FRAME_KEYS = {
    "v",
    "run",
    "seq",
    "step",
    "epoch",
    "loss",
    "val_loss",
    "accuracy",
    "layers",
    "boundary",
    "feature_maps",
}
LAYER_KEYS = {
    "id",
    "kind",
    "activation",
    "n_in",
    "n_out",
    "W",
    "b",
    "z",
    "a",
    "delta",
    "grad_W",
    "update_ratio",
    "var_z_predicted",
    "var_z_measured",
}
STATS_KEYS = {"mean", "std", "rms", "min", "max", "frac_zero", "frac_nonfinite"}
PATHS = ["compiled", "lean", "autograd"]


def _trainer(spec: dict[str, Any], path: str) -> Trainer:
    trainer = Trainer(spec)
    if path != "compiled":
        trainer.select_path(path)  # type: ignore[arg-type]
    assert trainer.path_name == path
    return trainer


def test_frame_has_the_design_keys() -> None:
    trainer = Trainer(dense_spec([4, 1]), run_id="r7")
    trainer.step(3, capture=True)
    frame = trainer.snapshot()
    assert frame.keys() >= FRAME_KEYS
    assert (frame["v"], frame["run"], frame["seq"], frame["step"]) == (1, "r7", 1, 3)
    layer = frame["layers"][0]
    assert layer.keys() >= LAYER_KEYS
    assert (layer["id"], layer["kind"], layer["activation"], layer["n_in"], layer["n_out"]) == (
        "d0",
        "dense",
        "tanh",
        2,
        4,
    )
    for q in ("W", "b", "z", "a", "delta", "grad_W"):
        assert layer[q].keys() == {"stats", "hist", "loghist"}
        assert layer[q]["stats"].keys() >= STATS_KEYS
        assert layer[q]["hist"].keys() == {"lo", "hi", "counts"}
        assert layer[q]["loghist"].keys() == {"lo", "hi", "counts", "zeros"}
    assert "frac_saturated" in layer["z"]["stats"]
    assert frame["boundary"] is not None and frame["feature_maps"] is None
    assert trainer.snapshot()["seq"] == 2


def test_frame_channels_and_layers_select_what_is_computed() -> None:
    trainer = Trainer(dense_spec([4, 3, 1]))
    trainer.step()
    frame = trainer.snapshot(channels=["layers"], layers=["d1"])
    assert [layer["id"] for layer in frame["layers"]] == ["d1"]
    assert frame["boundary"] is None


def test_cnn_frame_has_feature_maps() -> None:
    trainer = Trainer(cnn_spec())
    trainer.step(capture=True)
    frame = trainer.snapshot()
    assert [layer["id"] for layer in frame["feature_maps"]["layers"]] == ["c1", "p1"]
    assert [layer["kind"] for layer in frame["layers"]] == ["conv2d", "dense"]
    assert frame["layers"][0]["n_in"] == 9


def _oracle(
    weights: list[tuple[np.ndarray, np.ndarray]], acts: list[str], x: np.ndarray, t: np.ndarray
) -> list[dict[str, np.ndarray]]:
    """z, a, δ = ∂L/∂z and ∂L/∂W of each layer for ½Σ(t − a)², by torch.autograd.grad."""
    fns = {"tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu}
    a = torch.tensor(x)
    zs, as_, ws = [], [], []
    for (w, b), act in zip(weights, acts, strict=True):
        W = torch.tensor(w, requires_grad=True)
        z = a @ W.T + torch.tensor(b)
        a = fns[act](z)
        zs.append(z)
        as_.append(a)
        ws.append(W)
    loss = 0.5 * ((torch.tensor(t) - a) ** 2).sum()
    deltas = torch.autograd.grad(loss, zs, retain_graph=True)
    grads = torch.autograd.grad(loss, ws)
    return [
        {"z": z.detach().numpy(), "a": a.detach().numpy(), "delta": d.numpy(), "grad_W": g.numpy()}
        for z, a, d, g in zip(zs, as_, deltas, grads, strict=True)
    ]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("capture", ["step", "paused"])
def test_captured_z_a_delta_equal_a_manual_autograd_computation(path: str, capture: str) -> None:
    spec = dense_spec(
        [3, 2, 1],
        activation="tanh",
        output="sigmoid",
        loss="half_sse",
        dataset=inline_data(5, 2, 1),
        batch_size=None,
    )
    spec["network"]["nodes"][2]["activation"] = "relu"
    trainer = _trainer(spec, path)
    trainer.step(2)
    layers = trainer.model.layers
    before = [
        (lay.weight.detach().numpy().copy(), lay.bias.detach().numpy().copy()) for lay in layers
    ]
    want = _oracle(before, ["tanh", "relu", "sigmoid"], trainer.data.x_train, trainer.data.y_train)
    if capture == "step":
        trainer.step(capture=True)
    probes = trainer._probes()
    for probe, w, (w_before, _) in zip(probes, want, before, strict=True):
        for q in ("z", "a", "delta", "grad_W"):
            np.testing.assert_allclose(
                getattr(probe, q).numpy(), w[q], rtol=0, atol=1e-12, err_msg=q
            )
        if capture == "step":
            np.testing.assert_array_equal(probe.W_before.numpy(), w_before)
    frame = trainer.snapshot(channels=["layers"])
    for layer, w in zip(frame["layers"], want, strict=True):
        assert layer["z"]["stats"]["mean"] == pytest.approx(w["z"].mean(), abs=1e-12)
        assert layer["delta"]["stats"]["std"] == pytest.approx(w["delta"].std(), abs=1e-12)
        assert layer["var_z_measured"] == pytest.approx(w["z"].var(), abs=1e-12)


@pytest.mark.parametrize("path", PATHS)
def test_predicted_var_z_is_n_in_times_var_w_times_mean_square_input(path: str) -> None:
    spec = dense_spec(
        [5, 3, 1], dataset=inline_data(20, 2, 1), loss="mse", output="linear", batch_size=None
    )
    trainer = _trainer(spec, path)
    frame = trainer.snapshot(channels=["layers"])
    x = trainer.data.x_train
    for layer, module in zip(frame["layers"], trainer.model.layers, strict=True):
        w = module.weight.detach().numpy()
        z = x @ w.T + module.bias.detach().numpy()
        assert layer["var_z_predicted"] == pytest.approx(
            w.shape[1] * w.var() * (x * x).mean(), rel=1e-12
        )
        assert layer["var_z_measured"] == pytest.approx(z.var(), rel=1e-12)
        x = np.tanh(z)


def test_predicted_var_z_agrees_with_measured_for_a_wide_random_layer() -> None:
    spec = dense_spec(
        [400, 1],
        activation="linear",
        output="linear",
        loss="mse",
        dataset={"dataset": "init_experiment", "n": 500, "n_features": 300, "train_fraction": 1.0},
        n_in=300,
        batch_size=None,
    )
    spec["network"]["nodes"][1]["init"] = {"scheme": "normal", "std": 0.2}
    layer = Trainer(spec).snapshot(channels=["layers"])["layers"][0]
    assert layer["var_z_measured"] == pytest.approx(layer["var_z_predicted"], rel=0.1)


def test_dead_relu_fraction_counts_units_silent_for_the_whole_batch() -> None:
    spec = dense_spec(
        [4, 1], activation="relu", dataset=inline_data(6, 2, 1), loss="mse", output="linear"
    )
    spec["network"]["nodes"][1].update(
        {
            "weights": [[0.0, 0.0], [0.0, 0.0], [1.0, 0.0], [0.0, 0.0]],
            "bias": [
                -1.0,
                0.0,
                0.0,
                1.0,
            ],  # dead, dead (z = 0), alive for some examples, always alive
        }
    )
    layer = Trainer(spec).snapshot(channels=["layers"])["layers"][0]
    assert layer["z"]["stats"]["frac_dead"] == 0.5
    assert layer["a"]["stats"]["frac_dead"] == 0.5


def test_saturation_fraction_counts_saturated_tanh_values() -> None:
    spec = dense_spec(
        [4, 1], activation="tanh", dataset=inline_data(6, 2, 1), loss="mse", output="linear"
    )
    spec["network"]["nodes"][1].update(
        {
            "weights": [[0.0, 0.0]] * 4,
            "bias": [5.0, -4.0, 0.1, 0.0],  # |z| beyond atanh(√0.98) ≈ 2.29 for the first two units
        }
    )
    layer = Trainer(spec).snapshot(channels=["layers"])["layers"][0]
    assert layer["z"]["stats"]["frac_saturated"] == 0.5
    assert "frac_dead" not in layer["z"]["stats"]


def test_update_ratio_is_the_relative_weight_change_of_the_captured_step() -> None:
    trainer = Trainer(dense_spec([3, 1], batch_size=None))
    w0 = trainer.model.layers[0].weight.detach().numpy().copy()
    trainer.step(capture=True)
    w1 = trainer.model.layers[0].weight.detach().numpy()
    layer = trainer.snapshot(channels=["layers"])["layers"][0]
    assert layer["update_ratio"] == pytest.approx(
        np.linalg.norm(w1 - w0) / np.linalg.norm(w0), rel=1e-10
    )


def _generators(trainer: Trainer) -> list[torch.Tensor]:
    states = [trainer.generator.get_state(), torch.get_rng_state()]
    states += [m.generator.get_state() for m in trainer.model.modules() if hasattr(m, "p")]
    return states


DROPOUT_SPEC = dense_spec([6, 6, 1], dropout=0.3, batch_size=7, epochs=4)
BATCHNORM_SPEC: dict[str, Any] = dense_spec([6, 1], batch_size=7, epochs=4)
BATCHNORM_SPEC["network"]["nodes"].insert(2, {"id": "bn", "kind": "batchnorm"})


@pytest.mark.parametrize("path", PATHS)
def test_snapshot_without_capture_changes_neither_parameters_nor_generators(path: str) -> None:
    trainer = _trainer(DROPOUT_SPEC, path)
    trainer.step(3)
    before, gens = params(trainer), _generators(trainer)
    trainer.snapshot()
    after = params(trainer)
    assert all(np.array_equal(before[k], after[k]) for k in before)
    assert all(torch.equal(a, b) for a, b in zip(gens, _generators(trainer), strict=True))


@pytest.mark.parametrize(
    ("spec", "path"),
    [
        (DROPOUT_SPEC, "compiled"),
        (DROPOUT_SPEC, "lean"),
        (DROPOUT_SPEC, "autograd"),
        (BATCHNORM_SPEC, "autograd"),
        (cnn_spec(), "autograd"),
    ],
    ids=["dropout-compiled", "dropout-lean", "dropout-autograd", "batchnorm", "cnn"],
)
@pytest.mark.parametrize("how", ["capture", "snapshot_only"])
def test_snapshots_every_step_do_not_change_the_run(
    spec: dict[str, Any], path: str, how: str
) -> None:
    plain, watched = _trainer(spec, path), _trainer(spec, path)
    for _ in range(12):
        plain.step()
        watched.step(capture=how == "capture")
        watched.snapshot()
    assert same_params(plain, watched)
    assert plain.metrics == watched.metrics


@pytest.mark.parametrize("with_nan", [False, True])
@pytest.mark.parametrize(
    ("shape", "layout"),
    [
        ((32, 6), torch.contiguous_format),
        ((8, 3, 20, 20), torch.contiguous_format),
        ((8, 3, 10, 10), torch.contiguous_format),
        ((8, 3, 10, 10), torch.channels_last),  # how conv layers hold their maps
        ((8, 3, 20, 20), torch.channels_last),
    ],
)
def test_relu_extremes_and_dead_units_equal_a_direct_computation(
    shape: tuple[int, ...], layout: torch.memory_format, with_nan: bool
) -> None:
    g = torch.Generator().manual_seed(3)
    z = torch.randn(shape, generator=g, dtype=torch.float64) - 0.5
    z[:, 0] = -1.0  # a unit (a channel) dead for the whole batch
    if with_nan:
        z.view(-1)[7] = float("nan")
    z = z.contiguous(memory_format=layout)
    a = torch.relu(z)
    w = torch.randn(shape[1], 4, generator=g, dtype=torch.float64)
    probe = LayerProbe("h", "dense", get_activation("relu"), w, w[:, 0], w, z, a, None, None)
    (layer,) = summarise_layers([probe])
    for q, t in (("z", z), ("a", a)):
        stats = layer[q]["stats"]  # type: ignore[index]
        finite = t[torch.isfinite(t)]
        assert (stats["min"], stats["max"]) == (float(finite.min()), float(finite.max())), q
        dead = (a <= 0).all(dim=0).reshape(-1).double()
        if dead.numel() <= 1024:  # above that the flag is sampled like the tensor
            assert stats["frac_dead"] == pytest.approx(float(dead.mean()), abs=1e-15), q
        else:
            assert 0 < stats["frac_dead"] < 1
