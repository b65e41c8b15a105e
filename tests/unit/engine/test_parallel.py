"""Data-parallel training: k workers' all-reduced shard gradients give the one-worker step, and the
asynchronous mode applies gradients of weights s steps old."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import torch
from engine_specs import cnn_spec, dense_spec

from glassnet.engine import Trainer
from glassnet.engine.losses import compute_loss
from glassnet.engine.parallel import combine_weights, shard_bounds
from shared_schemas.snapshot import TelemetryFrame


def _spec(workers: int | None, *, loss: str = "bce", batch_size: int | None = 12, **parallel: Any):
    spec = dense_spec(
        [5, 1], loss=loss, batch_size=batch_size, optimizer={"kind": "sgd", "lr": 0.3}
    )
    if workers is not None:
        spec["training"]["parallel"] = {"workers": workers, **parallel}
    return spec


def _params(trainer: Trainer) -> list[torch.Tensor]:
    return [p.detach().clone() for p in trainer.model.parameters()]


def _max_difference(a: list[torch.Tensor], b: list[torch.Tensor]) -> float:
    return max(float((x - y).abs().max()) for x, y in zip(a, b, strict=True))


def _one_worker(spec: dict[str, Any], steps: int) -> list[torch.Tensor]:
    trainer = Trainer(spec, path="autograd")
    trainer.step(steps)
    return _params(trainer)


@pytest.mark.parametrize("workers", [1, 2, 4])
@pytest.mark.parametrize("loss", ["bce", "half_sse"])
def test_data_parallel_step_equals_the_single_worker_step_in_float64(workers: int, loss: str):
    reference = _one_worker(_spec(None, loss=loss), 1)
    trainer = Trainer(_spec(workers, loss=loss))
    trainer.step(1)
    assert trainer.path_name == "parallel"
    assert _max_difference(_params(trainer), reference) < 1e-12


@pytest.mark.parametrize("workers", [1, 2, 4])
def test_data_parallel_training_follows_the_single_worker_run_over_epochs(workers: int):
    # 60 examples in batches of 12 (reshuffled every epoch): 25 steps, 5 epochs
    reference = _one_worker(_spec(None), 25)
    trainer = Trainer(_spec(workers))
    trainer.step(25)
    assert trainer.epoch == 5
    assert _max_difference(_params(trainer), reference) < 1e-12


def test_uneven_shards_are_weighted_by_their_rows_and_still_give_the_batch_step():
    # a batch of 10 rows over 4 workers: shards of 3, 3, 2, 2 rows
    reference = _one_worker(_spec(None, batch_size=10), 1)
    trainer = Trainer(_spec(4, batch_size=10))
    trainer.step(1, capture=True)
    assert _max_difference(_params(trainer), reference) < 1e-12
    shards = trainer.snapshot()["parallel"]["shards"]
    assert [s["rows"] for s in shards] == [[0, 3], [3, 6], [6, 8], [8, 10]]
    assert [s["weight"] for s in shards] == [0.3, 0.3, 0.2, 0.2]


def test_shards_deal_out_rows_in_order_the_first_ones_one_longer():
    assert shard_bounds(10, 4) == [(0, 3), (3, 6), (6, 8), (8, 10)]
    assert shard_bounds(8, 2) == [(0, 4), (4, 8)]
    assert shard_bounds(2, 4) == [(0, 1), (1, 2), (2, 2), (2, 2)]


def test_all_reduce_weighs_a_mean_loss_by_rows_and_sums_a_summed_loss():
    assert combine_weights("mse", [3, 3, 2, 2]) == [0.3, 0.3, 0.2, 0.2]
    assert combine_weights("half_sse", [3, 3, 2, 2]) == [1.0, 1.0, 1.0, 1.0]


def test_a_capture_step_reports_every_worker_the_average_and_its_distance_to_one_worker():
    trainer = Trainer(_spec(2))
    trainer.step(1, capture=True)
    frame = trainer.snapshot()
    report = frame["parallel"]
    assert report["step"] == 1 and report["workers"] == 2 and report["in_process"]
    assert [s["rows"] for s in report["shards"]] == [[0, 6], [6, 12]]
    assert all(len(s["examples"]) == 6 for s in report["shards"])
    assert report["max_abs_difference"] < 1e-15
    # plain SGD: the update is −α times the all-reduced gradient
    for name, g in report["average"]["grad_sample"].items():
        for u, gi in zip(report["update"]["sample"][name], g, strict=True):
            assert u == pytest.approx(-0.3 * gi, abs=1e-15)
    # the layers' grad_W is the gradient the update applied
    layer = frame["layers"][0]
    assert layer["grad_W"]["stats"]["rms"] > 0
    # the frame is the documented contract
    assert TelemetryFrame.model_validate(frame).parallel is not None


def test_async_with_staleness_zero_equals_sync():
    sync = Trainer(_spec(2))
    sync.step(10)
    stale0 = Trainer(_spec(2, mode="async", staleness=0))
    stale0.step(10)
    assert _max_difference(_params(sync), _params(stale0)) == 0.0


def _hand_async(spec: dict[str, Any], staleness: int, steps: int) -> list[torch.Tensor]:
    """θ_{t+1} = θ_t − α·∇L(θ_{max(0, t−s)}; batch t), written out with autograd on a copy."""
    trainer = Trainer(copy.deepcopy(spec), path="autograd")
    model = trainer.model
    params = list(model.parameters())
    thetas = [[p.detach().clone() for p in params]]
    for t in range(steps):
        if trainer._pos == 0:
            trainer._begin_epoch()
        x, y = trainer._batch(trainer._pos)
        read = thetas[max(0, t - staleness)]
        with torch.no_grad():
            for p, v in zip(params, read, strict=True):
                p.copy_(v)
        z, a = model.forward_zy(x)
        grads = torch.autograd.grad(compute_loss("bce", z, a, y), params)
        thetas.append([th - 0.3 * g for th, g in zip(thetas[-1], grads, strict=True)])
        trainer._pos = (trainer._pos + trainer.batch_size) % trainer.n_train
    return thetas[-1]


def test_async_applies_the_gradient_of_the_weights_s_steps_old_to_the_current_weights():
    spec = _spec(2, mode="async", staleness=3)
    trainer = Trainer(spec)
    trainer.step(7, capture=True)
    assert _max_difference(_params(trainer), _hand_async(spec, 3, 7)) < 1e-12
    assert trainer.snapshot()["parallel"]["staleness"] == 3


def test_async_staleness_grows_to_s_over_the_first_steps():
    trainer = Trainer(_spec(2, mode="async", staleness=3))
    seen = []
    for _ in range(5):
        trainer.step(1, capture=True)
        seen.append(trainer.snapshot()["parallel"]["staleness"])
    assert seen == [0, 1, 2, 3, 3]


def test_with_dropout_the_report_leaves_out_the_one_worker_comparison():
    spec = dense_spec([5, 1], dropout=0.5)
    spec["training"]["parallel"] = {"workers": 2}
    trainer = Trainer(spec)
    trainer.step(1, capture=True)
    report = trainer.snapshot()["parallel"]
    assert report["full_batch"] is None and report["max_abs_difference"] is None


def _rnn_spec(parallel: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "network": {
            "nodes": [
                {"id": "x", "kind": "input", "shape": [6, 1]},
                {"id": "r", "kind": "lstm", "units": 4},
                {"id": "y", "kind": "dense", "units": 1, "activation": "linear"},
            ]
        },
        "data": {"dataset": "sine", "n": 40, "steps": 6},
        "training": {
            "loss": "mse",
            "optimizer": {"kind": "adam", "lr": 0.01},
            "batch_size": 10,
            "parallel": parallel,
        },
        "dtype": "float64",
        "device": "cpu",
    }


@pytest.mark.parametrize("kind", ["conv-adam", "lstm-adam"])
def test_conv_and_recurrent_networks_train_data_parallel_as_one_worker(kind: str):
    if kind == "conv-adam":
        one, four = cnn_spec(), cnn_spec(parallel={"workers": 4})
    else:
        one, four = _rnn_spec(None), _rnn_spec({"workers": 3})
    reference = _one_worker(one, 6)
    trainer = Trainer(four)
    trainer.step(6)
    assert trainer.path_name == "parallel"
    assert _max_difference(_params(trainer), reference) < 1e-12
