"""A checkpoint holds the whole training state: a trainer restored from one has the checkpoint's
parameters exactly, and steps on to the same numbers as the run that was never interrupted, on
every training path (compiled, lean, autograd, data-parallel with stale gradients) and mid-epoch,
with shuffling and dropout."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from runhelpers import wait

from glassnet.engine.trainer import Trainer
from glassnet.runs.checkpoint import capture, restore
from glassnet.runs.events import Checkpointed, Progress, StateChanged, WorkerEvent
from glassnet.runs.executors import ThreadExecutor
from glassnet.runs.handles import Launch
from glassnet.store.checkpoints import CheckpointStore
from shared_schemas.runspec import RunSpec


def spec(
    optimizer: dict[str, Any],
    *,
    dropout: bool = False,
    batch: int | None = 4,
    parallel: dict[str, Any] | None = None,
) -> dict[str, Any]:
    nodes: list[dict[str, Any]] = [
        {"id": "x", "kind": "input", "shape": [2]},
        {"id": "h", "kind": "dense", "units": 5, "activation": "tanh"},
    ]
    if dropout:
        nodes.append({"id": "d", "kind": "dropout", "drop_probability": 0.3})
    nodes.append({"id": "y", "kind": "dense", "units": 1, "activation": "sigmoid"})
    return {
        "network": {"nodes": nodes},
        "data": {"dataset": "xor", "n": 22},
        "training": {
            "loss": "bce",
            "optimizer": optimizer,
            "batch_size": batch,
            "epochs": 1000,
            "parallel": parallel,
        },
        "dtype": "float64",
        "seed": 3,
    }


CASES = {
    "compiled-adam-shuffled": (spec({"kind": "adam", "lr": 0.05}), "auto"),
    "lean-momentum-dropout": (spec({"kind": "momentum", "lr": 0.1}, dropout=True), "lean"),
    "autograd-nadam-dropout": (spec({"kind": "nadam", "lr": 0.05}, dropout=True), "autograd"),
    "autograd-full-batch-sgd": (spec({"kind": "sgd", "lr": 0.5}, batch=None), "autograd"),
    "parallel-async-momentum": (
        spec(
            {"kind": "momentum", "lr": 0.1},
            parallel={"workers": 2, "mode": "async", "staleness": 3},
        ),
        "auto",
    ),
}


def params(trainer: Trainer) -> dict[str, np.ndarray]:
    return {k: v.numpy().copy() for k, v in trainer.export_state_dict().items()}


def trainer(case: str) -> Trainer:
    s, path = CASES[case]
    t = Trainer(s)
    t.select_path(path)  # type: ignore[arg-type]
    return t


@pytest.mark.parametrize("case", list(CASES))
def test_a_resumed_trainer_steps_on_exactly_like_the_uninterrupted_one(
    case: str, tmp_path: Path
) -> None:
    original = trainer(case)
    original.step(13)  # mid-epoch when batched: 11 training rows in batches of 4, 3 steps an epoch
    saved = capture(original)
    store = CheckpointStore(tmp_path)
    store.save("run1", saved)
    at_checkpoint = params(original)
    original.step(20)

    resumed = trainer(case)
    restore(resumed, store.load("run1"))  # type: ignore[arg-type]
    for name, value in params(resumed).items():
        assert value.dtype == np.float64
        np.testing.assert_array_equal(value, at_checkpoint[name])
    assert (resumed.step_count, resumed.epoch) == (13, saved.epoch)
    resumed.step(20)

    assert resumed.step_count == original.step_count and resumed.epoch == original.epoch
    for name, value in params(resumed).items():
        np.testing.assert_array_equal(value, params(original)[name])
    assert resumed.metrics == original.metrics


def test_a_resumed_run_early_stops_at_the_same_epoch_with_the_same_best_weights(
    tmp_path: Path,
) -> None:
    s = spec({"kind": "adam", "lr": 0.05})
    s["data"] = {"dataset": "spiral", "n": 60, "train_fraction": 0.5}
    s["training"]["stop"] = {"early_stopping": {"patience": 4, "restore_best": True}}
    original = Trainer(s)
    original.train()
    assert original.stop_reason is not None and "early stopping" in original.stop_reason
    stopped_at = original.step_count
    interrupted = Trainer(s)
    interrupted.step(stopped_at - 5)  # after a best epoch, before the end: the best is held
    assert interrupted.early_stopping is not None and interrupted.early_stopping.best is not None
    store = CheckpointStore(tmp_path)
    store.save("run1", capture(interrupted))

    resumed = Trainer(s)
    restore(resumed, store.load("run1"))  # type: ignore[arg-type]
    resumed.train()
    assert (resumed.stop_reason, resumed.best_epoch) == (original.stop_reason, original.best_epoch)
    assert resumed.step_count == stopped_at and resumed.metrics == original.metrics
    for name, value in params(resumed).items():
        np.testing.assert_array_equal(value, params(original)[name])


def test_a_checkpoint_is_one_file_written_atomically(tmp_path: Path) -> None:
    t = trainer("compiled-adam-shuffled")
    t.step(3)
    store = CheckpointStore(tmp_path)
    store.save("run1", capture(t))
    t.step(3)
    store.save("run1", capture(t))
    assert sorted(p.name for p in (tmp_path / "checkpoints").iterdir()) == ["run1.safetensors"]
    assert store.info("run1") == {"step": 6, "epoch": t.epoch}
    assert store.info("nope") is None and store.load("../x") is None


def test_a_checkpoint_is_the_state_when_captured_not_when_written(tmp_path: Path) -> None:
    t = trainer("autograd-full-batch-sgd")
    t.step(4)
    saved = capture(t)
    t.step(4)  # the worker trains on while its writer thread writes the checkpoint
    CheckpointStore(tmp_path).save("run1", saved)
    loaded = CheckpointStore(tmp_path).load("run1")
    assert loaded is not None and loaded.step == 4
    assert [row["step"] for row in loaded.meta["metrics"]] == [1, 2, 3, 4]


def test_a_checkpoint_of_another_network_is_refused(tmp_path: Path) -> None:
    t = trainer("compiled-adam-shuffled")
    other = Trainer(
        {
            **spec({"kind": "sgd", "lr": 0.1}),
            "network": {
                "nodes": [
                    {"id": "x", "kind": "input", "shape": [2]},
                    {"id": "y", "kind": "dense", "units": 1, "activation": "sigmoid"},
                ]
            },
        }
    )
    with pytest.raises((RuntimeError, ValueError, KeyError)):
        restore(other, capture(t))
    assert torch.is_tensor(other.export_state_dict()["blocks.y.weight"])


@pytest.mark.parametrize("end", ["close", "kill"])
def test_a_closed_worker_checkpoints_where_it_got_to_and_a_killed_one_writes_nothing(
    end: str, tmp_path: Path
) -> None:
    plan = {"dir": str(tmp_path), "seconds": 3600, "resume": False}  # no periodic checkpoint
    events: list[WorkerEvent] = []
    handle = ThreadExecutor().launch(
        Launch("run1", RunSpec.model_validate(CASES["compiled-adam-shuffled"][0]), plan),
        events.append,
    )
    handle.send(("start", 1))
    wait(lambda: any(isinstance(e, Progress) and e.step > 0 for e in events))
    handle.send((end, 2))
    wait(lambda: not handle.alive)
    saved = CheckpointStore(tmp_path).info("run1")
    if end == "kill":
        assert saved is None
    else:
        assert saved is not None and saved["step"] > 0
        assert Checkpointed(saved["step"], saved["epoch"]) in events


def test_stepping_by_hand_checkpoints_the_first_pause_then_at_most_once_a_period(
    tmp_path: Path,
) -> None:
    plan = {"dir": str(tmp_path), "seconds": 3600, "resume": False}
    events: list[WorkerEvent] = []
    handle = ThreadExecutor().launch(
        Launch("run1", RunSpec.model_validate(CASES["compiled-adam-shuffled"][0]), plan),
        events.append,
    )
    for n in range(1, 6):  # the app's slow speed: one step, a pause, again
        handle.send(("step", 1, n))
        wait(lambda n=n: any(_paused_at(e, n) for e in events))
    handle.kill()  # ends without a last checkpoint; what was written is flushed before the exit
    wait(lambda: not handle.alive)
    assert [e.step for e in events if isinstance(e, Checkpointed)] == [1]


def _paused_at(event: WorkerEvent, step: int) -> bool:
    return isinstance(event, StateChanged) and event.state == "paused" and event.step == step
