"""Trainer behaviour: stop rules, batch modes, live learning-rate changes, divergence, threshold
networks, dtypes and spec errors."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
import torch
from engine_specs import cnn_spec, dense_spec, force_autograd, inline_data, params

from glassnet.engine import SpecError, Trainer
from shared_schemas.runspec import RunSpec

GATES = {"and": [0, 0, 0, 1], "or": [0, 1, 1, 1], "xor_gate": [0, 1, 1, 0]}


def _one_weight(lr: float, **training: Any) -> dict[str, Any]:
    """s = w + b on x = 1 with MSE toward 0: every full-batch step multiplies s by (1 − 4·lr)."""
    return {
        "network": {
            "nodes": [
                {"id": "x", "kind": "input", "shape": [1]},
                {"id": "y", "kind": "dense", "units": 1, "weights": [[1.0]], "bias": [0.0]},
            ]
        },
        "data": {
            "dataset": "inline",
            "inputs": [[1.0], [1.0]],
            "targets": [[0.0], [0.0]],
            "train_fraction": 1.0,
        },
        "training": {
            "loss": "mse",
            "optimizer": {"kind": "sgd", "lr": lr},
            "epochs": 50,
            **training,
        },
        "dtype": "float64",
        "device": "cpu",
    }


def _record_batches(trainer: Trainer) -> list[np.ndarray]:
    """Wrap the path's train_step to see the batches it is given (on the numpy lean path, which
    takes every batch through train_step; the compiled path's batches equal it: test_compiled.py)."""
    trainer.select_path("lean")
    seen: list[np.ndarray] = []
    inner = trainer.path.train_step

    def train_step(x: torch.Tensor, t: torch.Tensor, capture: bool) -> Any:
        seen.append(np.array(x, copy=True))
        return inner(x, t, capture)

    trainer.path.train_step = train_step
    return seen


def _assert_same_params(a: Trainer, b: Trainer) -> None:
    pa, pb = params(a), params(b)
    assert pa.keys() == pb.keys()
    for k in pa:
        np.testing.assert_allclose(pa[k], pb[k], rtol=0, atol=1e-12, err_msg=k)


# --- stop rules ---------------------------------------------------------------------------


def test_training_stops_after_the_given_epochs() -> None:
    trainer = Trainer(dense_spec([3, 1], batch_size=None, epochs=7))
    trainer.train()
    assert (trainer.status, trainer.epoch, trainer.step_count) == ("finished", 7, 7)
    assert trainer.stop_reason == "reached 7 epochs"
    assert [m["epoch"] for m in trainer.metrics] == list(range(1, 8))


def test_loss_below_stops_early() -> None:
    trainer = Trainer(_one_weight(0.1, stop={"loss_below": 1e-3}))
    trainer.train()
    assert trainer.status == "finished" and trainer.epoch < 50
    assert trainer.metrics[-1]["loss"] < 1e-3 <= trainer.metrics[-2]["loss"]
    assert "fell below" in (trainer.stop_reason or "")


def test_early_stopping_restores_the_best_parameters_and_records_the_epoch() -> None:
    # lr 0.55: s is multiplied by −1.2 each step, so the loss rises after epoch 1
    spec = _one_weight(0.55, stop={"early_stopping": {"patience": 3, "monitor": "loss"}})
    trainer = Trainer(spec)
    trainer.train()
    assert trainer.status == "finished" and trainer.epoch == 4
    assert trainer.best_epoch == 1
    best = Trainer(_one_weight(0.55))
    best.run_epoch()
    _assert_same_params(trainer, best)
    assert "early stopping" in (trainer.stop_reason or "")


def test_early_stopping_without_restore_keeps_the_last_parameters() -> None:
    spec = _one_weight(
        0.55, stop={"early_stopping": {"patience": 2, "monitor": "loss", "restore_best": False}}
    )
    trainer = Trainer(spec)
    trainer.train()
    last = Trainer(_one_weight(0.55))
    last.step(trainer.step_count)
    assert trainer.best_epoch == 1
    _assert_same_params(trainer, last)


def test_a_finished_run_takes_no_more_steps() -> None:
    trainer = Trainer(dense_spec([2, 1], batch_size=None, epochs=2))
    trainer.train()
    before = params(trainer)
    trainer.step(5)
    assert trainer.step_count == 2
    assert all((before[k] == v).all() for k, v in params(trainer).items())


def test_stop_ends_the_run_with_a_reason() -> None:
    trainer = Trainer(dense_spec([2, 1]))
    trainer.step()
    trainer.stop()
    assert trainer.status == "stopped" and trainer.done


# --- batch modes --------------------------------------------------------------------------


def test_full_batch_is_one_step_per_epoch_over_every_example() -> None:
    trainer = Trainer(dense_spec([2, 1], batch_size=None))
    seen = _record_batches(trainer)
    trainer.step(3)
    assert trainer.epoch == 3
    assert all(np.array_equal(b, trainer.data.x_train) for b in seen)


def test_mini_batches_cover_every_example_once_and_are_reshuffled_each_epoch() -> None:
    trainer = Trainer(dense_spec([2, 1], batch_size=8))  # 60 examples: 7 batches of 8 and one of 4
    seen = _record_batches(trainer)
    trainer.run_epoch()
    trainer.run_epoch()
    assert trainer.step_count == 16 and trainer.epoch == 2
    assert [len(b) for b in seen[:8]] == [8] * 7 + [4]
    epochs = [np.concatenate(seen[:8]), np.concatenate(seen[8:])]
    x = trainer.data.x_train
    key = lambda a: sorted(map(tuple, a))  # noqa: E731
    assert key(epochs[0]) == key(x) and key(epochs[1]) == key(x)
    assert not np.array_equal(epochs[0], epochs[1])
    assert not np.array_equal(epochs[0], x)


def test_stochastic_training_counts_one_step_per_example() -> None:
    trainer = Trainer(dense_spec([2, 1], batch_size=1))
    trainer.step(59)
    assert (trainer.step_count, trainer.epoch) == (59, 0)
    trainer.step()
    assert (trainer.step_count, trainer.epoch) == (60, 1)
    assert trainer.metrics[-1]["step"] == 60


def test_epoch_loss_is_the_mean_over_the_epochs_batches() -> None:
    trainer = Trainer(dense_spec([3, 1], batch_size=8, loss="mse", output="linear"))
    trainer.select_path("lean")  # every step through train_step
    losses: list[float] = []
    inner = trainer.path.train_step

    def train_step(x: torch.Tensor, t: torch.Tensor, capture: bool) -> Any:
        result = inner(x, t, capture)
        losses.append(float(result.loss) * len(x))
        return result

    trainer.path.train_step = train_step
    trainer.run_epoch()
    assert trainer.metrics[-1]["loss"] == pytest.approx(sum(losses) / 60, rel=1e-12)


# --- learning rate --------------------------------------------------------------------------


@pytest.mark.parametrize("autograd", [False, True], ids=["lean", "autograd"])
def test_set_lr_changes_the_next_update(autograd: bool) -> None:
    trainer = Trainer(_one_weight(0.1))
    if autograd:
        force_autograd(trainer)
    trainer.step()  # s: 1 → 0.6
    trainer.set_lr(0.2)
    trainer.step()  # s: 0.6 → 0.6·(1 − 0.8)
    layer = trainer.model.layers[0]
    s = float(layer.weight.detach()) + float(layer.bias.detach())
    assert s == pytest.approx(0.6 * 0.2, abs=1e-12)
    assert trainer.lr == 0.2 and trainer.metrics[-1]["lr"] == 0.2


def test_set_lr_keeps_the_schedule_running_from_the_new_base() -> None:
    trainer = Trainer(
        dense_spec([2, 1], batch_size=None, schedule={"kind": "inverse_time", "decay": 1.0})
    )
    trainer.step(2)
    trainer.set_lr(1.0)
    assert trainer.lr == pytest.approx(1.0 / 3)
    trainer.step()
    assert trainer.lr == pytest.approx(1.0 / 3)
    trainer.step()
    assert trainer.metrics[-1]["lr"] == pytest.approx(0.25)


@pytest.mark.parametrize("bad", [0.0, -1.0, math.inf, math.nan])
def test_set_lr_rejects_non_positive_or_non_finite_rates(bad: float) -> None:
    with pytest.raises(ValueError):
        Trainer(dense_spec([2, 1])).set_lr(bad)


# --- divergence ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("activation", "autograd"), [("linear", False), ("tanh", False), ("linear", True)]
)
def test_a_huge_learning_rate_diverges_with_a_diagnosis(activation: str, autograd: bool) -> None:
    spec = dense_spec(
        [16] * 6 + [1],
        activation=activation,
        output="linear",
        loss="mse",
        optimizer={"kind": "sgd", "lr": 100.0},
        batch_size=None,
        epochs=500,
    )
    trainer = Trainer(spec)
    if autograd:
        force_autograd(trainer)
    trainer.train()
    assert trainer.status == "diverged"
    diagnosis = trainer.diagnosis
    assert diagnosis is not None
    assert diagnosis["layer"] in {layer.id for layer in trainer.model.layers}
    assert diagnosis["cause"] in ("exploding_gradients", "learning_rate_too_high")
    assert f"'{diagnosis['layer']}'" in diagnosis["message"]
    assert trainer.stop_reason == diagnosis["message"]
    trainer.snapshot()  # a diverged run still gives a frame


# --- threshold networks ------------------------------------------------------------------


def _gate_spec(gate: str, trainer: str = "perceptron", **extra: Any) -> dict[str, Any]:
    return {
        "network": {
            "nodes": [
                {"id": "x", "kind": "input", "shape": [2]},
                {
                    "id": "o",
                    "kind": "dense",
                    "units": 1,
                    "activation": "step",
                    "init": {"scheme": "zeros"},
                },
            ]
        },
        "data": {"dataset": gate},
        "training": {
            "trainer": trainer,
            "optimizer": {"kind": "sgd", "lr": 0.1},
            "batch_size": 1,
            "epochs": 100,
            **extra,
        },
        "dtype": "float64",
    }


@pytest.mark.parametrize("gate", ["and", "or"])
def test_the_perceptron_learns_and_and_or(gate: str) -> None:
    trainer = Trainer(_gate_spec(gate))
    trainer.train()
    assert trainer.status == "finished" and "converged" in (trainer.stop_reason or "")
    assert trainer.epoch < 20
    _, out = trainer.path.layer_outputs(
        torch.tensor([[0.0, 0], [0, 1], [1, 0], [1, 1]], dtype=torch.float64)
    )
    assert out[:, 0].tolist() == GATES[gate]


def test_the_perceptron_cannot_learn_xor() -> None:
    trainer = Trainer(_gate_spec("xor_gate"))
    trainer.train()
    assert trainer.stop_reason == "reached 100 epochs"
    assert max(m["accuracy"] for m in trainer.metrics) <= 0.75


def test_a_2_2_1_sigmoid_network_learns_xor_for_some_seed() -> None:
    for seed in range(5):
        spec = dense_spec(
            [2, 1],
            activation="sigmoid",
            output="sigmoid",
            dataset={"dataset": "xor_gate"},
            loss="half_sse",
            optimizer={"kind": "sgd", "lr": 0.5},
            batch_size=1,
            epochs=20_000,
            seed=seed,
            stop={"loss_below": 0.01},
        )
        spec["network"]["nodes"][1]["init"] = {"scheme": "normal", "std": 1.0}
        spec["network"]["nodes"][2]["init"] = {"scheme": "normal", "std": 1.0}
        trainer = Trainer(spec)
        trainer.train()
        if trainer.metrics[-1]["accuracy"] == 1.0:
            return
    pytest.fail("no seed in 0..4 learned XOR")


def test_the_hand_set_threshold_network_computes_xor() -> None:
    step = {"kind": "step", "threshold": 1.0}
    spec = {
        "network": {
            "nodes": [
                {"id": "x", "kind": "input", "shape": [2]},
                {
                    "id": "h",
                    "kind": "dense",
                    "units": 2,
                    "activation": step,
                    "weights": [[1.0, 1.0], [0.5, 0.5]],
                    "bias": [0.0, 0.0],
                },  # OR, AND
                {
                    "id": "y",
                    "kind": "dense",
                    "units": 1,
                    "activation": step,
                    "weights": [[1.0, -1.0]],
                    "bias": [0.0],
                },
            ]
        },
        "data": {"dataset": "xor_gate"},
        "training": {"trainer": "forward_only", "loss": "half_sse", "epochs": 1},
        "dtype": "float64",
    }
    trainer = Trainer(spec)
    before = params(trainer)
    trainer.train()
    assert trainer.metrics[-1]["accuracy"] == 1.0 and trainer.metrics[-1]["loss"] == 0.0
    _, out = trainer.path.layer_outputs(
        torch.tensor([[0.0, 0], [0, 1], [1, 0], [1, 1]], dtype=torch.float64)
    )
    assert out[:, 0].tolist() == [0, 1, 1, 0]
    assert all((before[k] == v).all() for k, v in params(trainer).items())
    assert trainer.snapshot()["layers"][0]["delta"] is None


# --- dtypes, paths and spec errors ----------------------------------------------------------


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("autograd", [False, True], ids=["lean", "autograd"])
def test_both_dtypes_train(dtype: str, autograd: bool) -> None:
    trainer = Trainer(
        dense_spec([8, 1], dtype=dtype, optimizer={"kind": "adam", "lr": 0.05}, epochs=30)
    )
    if autograd:
        force_autograd(trainer)
    trainer.train()
    want = torch.float32 if dtype == "float32" else torch.float64
    assert all(p.dtype == want for p in trainer.model.parameters())
    assert trainer.status == "finished"
    assert trainer.metrics[-1]["loss"] < trainer.metrics[0]["loss"]
    frame = trainer.snapshot()
    assert isinstance(frame["layers"][0]["z"]["stats"]["mean"], float)


def test_small_dense_chains_take_the_compiled_path_even_with_full_batches() -> None:
    assert Trainer(dense_spec([8, 8, 8, 1], batch_size=None)).path_name == "compiled"
    assert Trainer(dense_spec([8, 8, 8, 1], batch_size=10)).path_name == "compiled"


def test_dense_chains_the_kernels_do_not_cover_take_the_numpy_lean_path() -> None:
    assert Trainer(dense_spec([8, 1], activation="elu")).path_name == "lean"
    assert Trainer(dense_spec([8, 1], optimizer={"kind": "nadam", "lr": 0.01})).path_name == "lean"
    assert Trainer(dense_spec([8, 1]), path="lean").path_name == "lean"


def test_wider_dense_chains_take_the_numpy_lean_path_where_blas_is_faster() -> None:
    assert Trainer(dense_spec([50, 50, 50, 1], batch_size=10)).path_name == "lean"


def test_conv_and_wide_networks_take_the_autograd_path() -> None:
    assert Trainer(cnn_spec()).path_name == "autograd"
    wide = dense_spec(
        [2000, 2000, 1], batch_size=64, dataset=inline_data(64, 2, 1), loss="mse", output="linear"
    )
    assert Trainer(wide).path_name == "autograd"


def test_data_and_shape_mismatches_list_every_problem() -> None:
    spec = dense_spec([3, 2], n_in=3, loss="mse", output="linear")
    with pytest.raises(SpecError) as info:
        Trainer(spec)
    pointers = {p.pointer for p in info.value.problems}
    assert pointers == {"/network/nodes/0/shape", "/network/nodes/2"}
    assert all(p.message for p in info.value.problems)


def test_an_invalid_dataset_is_a_spec_error_with_a_pointer() -> None:
    spec = dense_spec(
        [2, 1], dataset={"dataset": "inline", "inputs": [[1, 2], [3]], "targets": [[0], [1]]}
    )
    with pytest.raises(SpecError) as info:
        Trainer(spec)
    assert info.value.problems[0].pointer.startswith("/data")


def test_a_trainer_given_a_run_spec_takes_it_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = RunSpec.model_validate(dense_spec([2, 1]))

    def validated_again(obj: Any) -> Any:
        raise AssertionError("the RunSpec was validated again")

    monkeypatch.setattr("glassnet.engine.trainer.validate_spec", validated_again)
    assert Trainer(spec).spec is spec


def test_an_invalid_spec_is_a_spec_error_listing_problems() -> None:
    spec = dense_spec([2, 1])
    spec["network"]["nodes"][1]["units"] = -2
    spec["training"]["epochs"] = 0
    with pytest.raises(SpecError) as info:
        Trainer(spec)
    assert {p.pointer for p in info.value.problems} == {
        "/network/nodes/1/units",
        "/training/epochs",
    }


# --- validation data, capture and bookkeeping ---------------------------------------------


def test_validation_metrics_are_reported_each_epoch() -> None:
    spec = dense_spec(
        [4, 1],
        batch_size=None,
        epochs=3,
        dataset={"dataset": "circle", "n": 80, "train_fraction": 0.75},
    )
    trainer = Trainer(spec)
    trainer.train()
    assert trainer.n_train == 60 and trainer.data.n_val == 20
    for row in trainer.metrics:
        assert row["val_loss"] is not None and 0 <= row["val_accuracy"] <= 1


def test_early_stopping_watches_the_validation_loss() -> None:
    def spec(**stop: Any) -> dict[str, Any]:
        return dense_spec(
            [16, 16, 1],
            activation="relu",
            optimizer={"kind": "sgd", "lr": 3.0},
            batch_size=None,
            epochs=200,
            stop=stop,
            dataset={"dataset": "circle", "n": 80, "train_fraction": 0.5},
        )

    trainer = Trainer(spec(early_stopping={"patience": 3}))
    trainer.train()
    vals = [m["val_loss"] for m in trainer.metrics]
    assert trainer.status == "finished" and trainer.best_epoch is not None
    assert trainer.epoch == trainer.best_epoch + 3
    assert vals[trainer.best_epoch - 1] == min(vals)
    best = Trainer(spec())
    best.step(trainer.best_epoch)
    _assert_same_params(trainer, best)


def test_step_with_capture_probes_only_the_last_iteration() -> None:
    trainer = Trainer(dense_spec([3, 1]))
    trainer.step(4, capture=True)
    assert trainer._capture is not None and trainer._capture[0] == 4


def test_run_epoch_with_capture_probes_the_last_batch() -> None:
    trainer = Trainer(dense_spec([3, 1], batch_size=7))  # 60 examples: 9 batches
    trainer.run_epoch(capture=True)
    assert trainer.step_count == 9
    assert trainer._capture is not None and trainer._capture[0] == 9
    assert trainer._probes()[0].z.shape[0] == 4


def test_train_with_max_steps_stops_early_without_finishing() -> None:
    trainer = Trainer(dense_spec([3, 1], batch_size=10))
    trainer.train(max_steps=7)
    assert trainer.step_count == 7 and trainer.status == "running"


def test_frame_loss_before_the_first_epoch_is_the_batch_loss() -> None:
    trainer = Trainer(dense_spec([3, 1], batch_size=10))
    assert trainer.snapshot()["loss"] is None
    trainer.step()
    frame = trainer.snapshot()
    assert frame["loss"] == frame["batch_loss"] is not None
    assert frame["epoch"] == 0 and frame["status"] == "running"


def test_graph_info_lists_the_layers() -> None:
    trainer = Trainer(cnn_spec())
    info = trainer.graph_info()
    assert [(g["id"], g["kind"], g["n_in"], g["n_out"]) for g in info] == [
        ("c1", "conv2d", 9, 3),
        ("y", "dense", 27, 10),
    ]
    assert info[0]["shape"] == [3, 6, 6] and info[1]["inputs"] == ["f"]


def test_the_sign_perceptron_reads_targets_as_plus_minus_one() -> None:
    spec = _gate_spec("and")
    spec["network"]["nodes"][1]["activation"] = "sign"
    trainer = Trainer(spec)
    trainer.train()
    assert "converged" in (trainer.stop_reason or "")
    _, out = trainer.path.layer_outputs(
        torch.tensor([[0.0, 0], [0, 1], [1, 0], [1, 1]], dtype=torch.float64)
    )
    assert out[:, 0].tolist() == [-1, -1, -1, 1]


def test_float32_lean_and_autograd_paths_agree_closely() -> None:
    spec = dense_spec([6, 4, 1], dtype="float32", optimizer={"kind": "adam", "lr": 0.01})
    lean, auto = Trainer(spec), force_autograd(Trainer(spec))
    lean.step(30)
    auto.step(30)
    pl, pa = params(lean), params(auto)
    for k in pl:
        np.testing.assert_allclose(pl[k], pa[k], rtol=0, atol=1e-4, err_msg=k)


def test_the_lean_path_builds_no_torch_optimizer() -> None:
    trainer = Trainer(dense_spec([4, 1]))
    assert trainer.path_name == "compiled"  # the lean path, compiled
    assert trainer._optimizer is None
    force_autograd(trainer)
    assert trainer._optimizer is not None
    trainer.step(3)


def test_plain_sgd_steps_equal_torch_optim_sgd_bit_for_bit() -> None:
    spec = dense_spec(
        [6, 3],
        activation="relu",
        output="softmax",
        loss="cross_entropy",
        dataset=inline_data(40, 2, 3, task="multiclass"),
        batch_size=8,
    )
    fast, reference = force_autograd(Trainer(spec)), force_autograd(Trainer(spec))
    assert fast.path._plain_sgd
    reference.path._plain_sgd = False  # torch.optim.SGD.step itself
    fast.step(12)
    reference.step(12)
    for (name, a), b in zip(params(fast).items(), params(reference).values(), strict=True):
        np.testing.assert_array_equal(a, b, err_msg=name)


def test_sgd_with_momentum_keeps_the_torch_optimizer() -> None:
    spec = dense_spec([4, 1], optimizer={"kind": "momentum", "lr": 0.1, "momentum": 0.9})
    assert not force_autograd(Trainer(spec)).path._plain_sgd


def test_a_captured_gradient_is_not_changed_by_later_steps() -> None:
    trainer = force_autograd(Trainer(dense_spec([4, 3, 1])))
    trainer.step(capture=True)
    probes = trainer._probes()
    kept = [p.grad_W.clone() for p in probes if p.grad_W is not None]
    trainer.step(3)
    assert len(kept) == len(probes)
    for p, g in zip(probes, kept, strict=True):
        assert p.grad_W is not None
        torch.testing.assert_close(p.grad_W, g, rtol=0, atol=0)


def test_a_capture_is_dropped_at_the_next_step() -> None:
    trainer = force_autograd(Trainer(dense_spec([4, 1])))
    trainer.step(capture=True)
    assert trainer._capture is not None and trainer._capture[0] == trainer.step_count
    trainer.step()  # the old capture's tensors are freed before this step allocates
    assert trainer._capture is None
    frame = trainer.snapshot(channels=["layers"])  # probes the current step afresh
    assert frame["step"] == trainer._capture[0] == 2  # type: ignore[index]


@pytest.mark.parametrize("dropout", [None, 0.5])
def test_eval_mode_switches_only_models_that_depend_on_it(dropout: float | None) -> None:
    model = Trainer(dense_spec([4, 1], dropout=dropout)).model
    assert model.mode_dependent == (dropout is not None)
    with model.eval_mode():
        assert model.training == (dropout is None)
    assert model.training
