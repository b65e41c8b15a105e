"""Predictions: the confusion matrix and example outputs of a split agree with the run's own
accuracy, the first examples of the split, and the refresh rules of live and settled frames."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
from engine_specs import cnn_spec, dense_spec, inline_data

from glassnet.engine import Trainer
from glassnet.engine.predictions import MAX_EXAMPLES, confusion_matrix, predictions
from glassnet.engine.trainer import LIVE_PREDICTIONS_EVERY


def _predict(a: list[list[float]], t: list[list[float]], **kw: Any) -> dict[str, Any]:
    options: dict[str, Any] = {
        "task": "multiclass",
        "class_names": ["a", "b", "c"],
        "threshold": 0.5,
        "split": "val",
        "step": 7,
        "epoch": 1,
    }
    options.update(kw)
    return predictions(torch.tensor(a), torch.tensor(t), **options)


def test_confusion_matrix_counts_true_class_rows_and_predicted_class_columns() -> None:
    true = torch.tensor([0, 0, 1, 2, 2, 2])
    predicted = torch.tensor([0, 1, 1, 2, 0, 2])
    assert confusion_matrix(true, predicted, 3) == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]


def test_multiclass_predictions_take_the_largest_output() -> None:
    got = _predict(
        [[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.2, 0.5, 0.3]],
        [[1, 0, 0], [0, 1, 0], [0, 1, 0]],
    )
    assert [e["predicted"] for e in got["examples"]] == [0, 2, 1]
    assert [e["target"] for e in got["examples"]] == [0, 1, 1]
    assert got["correct"] == 2 and got["n"] == 3
    assert got["confusion"] == [[1, 0, 0], [0, 1, 1], [0, 0, 0]]
    assert got["class_names"] == ["a", "b", "c"]
    assert got["examples"][1]["outputs"] == pytest.approx([0.1, 0.3, 0.6])
    assert (got["split"], got["step"], got["epoch"]) == ("val", 7, 1)


@pytest.mark.parametrize(("threshold", "want"), [(0.5, [0, 1, 1]), (0.0, [1, 1, 1])])
def test_one_output_unit_predicts_class_one_from_its_threshold(
    threshold: float, want: list[int]
) -> None:
    got = _predict(
        [[0.2], [0.5], [0.9]], [[0], [1], [1]], task="binary", class_names=[], threshold=threshold
    )
    assert [e["predicted"] for e in got["examples"]] == want
    assert got["class_names"] == ["0", "1"]  # one output, two classes
    assert len(got["confusion"]) == 2


def test_regression_predictions_pair_targets_with_outputs() -> None:
    got = _predict([[1.5, 0.0], [2.5, 1.0]], [[1.0, 9.0], [3.0, 9.0]], task="regression")
    assert got["scatter"] == {"target": [1.0, 3.0], "predicted": [1.5, 2.5]}
    assert got["confusion"] is None and got["correct"] is None and got["class_names"] is None
    assert got["examples"][0] == {
        "index": 0,
        "target": 1.0,
        "predicted": 1.5,
        "outputs": [1.5, 0.0],
    }


def test_a_frame_carries_the_first_examples_of_the_validation_split() -> None:
    spec = cnn_spec()
    spec["data"]["train_fraction"] = 0.5
    trainer = Trainer(spec)
    got = trainer.snapshot()["predictions"]
    assert got["split"] == "val" and got["n"] == trainer.data.n_val
    want = trainer.data.y_val.argmax(axis=1)[:MAX_EXAMPLES].tolist()
    assert [e["target"] for e in got["examples"]] == want
    assert np.array(got["confusion"]).sum() == trainer.data.n_val


def test_without_a_validation_split_the_training_split_is_shown() -> None:
    trainer = Trainer(cnn_spec())
    got = trainer.snapshot()["predictions"]
    assert got["split"] == "train" and got["n"] == trainer.n_train


def test_live_predictions_are_those_of_the_epoch_end_validation_pass() -> None:
    spec = cnn_spec(batch_size=16)
    spec["data"]["train_fraction"] = 0.5  # 40 training examples: 3 steps an epoch
    trainer = Trainer(spec)
    trainer.run_epoch()
    end_step, val_accuracy = trainer.step_count, trainer.latest_metrics["val_accuracy"]
    trainer.step()
    got = trainer.snapshot(live=True)["predictions"]
    assert got["step"] == end_step and got["epoch"] == 1
    assert got["correct"] / got["n"] == pytest.approx(val_accuracy)


def test_a_settled_frame_has_the_predictions_of_its_own_step() -> None:
    spec = cnn_spec(batch_size=16)
    spec["data"]["train_fraction"] = 0.5
    trainer = Trainer(spec)
    trainer.run_epoch()
    trainer.step()
    live = trainer.snapshot(live=True)["predictions"]
    settled = trainer.snapshot()["predictions"]
    assert settled["step"] == trainer.step_count != live["step"]


def test_predictions_agree_with_the_accuracy_of_a_sign_perceptron() -> None:
    spec = dense_spec(
        [1],
        activation="sign",
        output="sign",
        loss="half_sse",
        dataset=inline_data(12, 2, 1, task="binary"),
        batch_size=None,
    )
    spec["training"]["trainer"] = "perceptron"
    trainer = Trainer(spec)
    trainer.step(3)
    got = trainer.snapshot()["predictions"]
    assert got["correct"] / got["n"] == pytest.approx(trainer.latest_metrics["accuracy"])


class TickingClock:
    """A CPU clock that advances by `tick` at every reading: each part of a frame costs `tick`
    (plus what `spend` adds), however fast the machine."""

    def __init__(self, tick: float = 1.0) -> None:
        self.now, self.tick = 0.0, tick

    def __call__(self) -> float:
        self.now += self.tick
        return self.now

    def spend(self, seconds: float) -> None:
        self.now += seconds


def _watched_trainer() -> tuple[Trainer, TickingClock]:
    trainer = Trainer(dense_spec([4, 1], dataset=inline_data(8, 2, 1, task="binary")))
    trainer.clock = clock = TickingClock()
    return trainer, clock


def test_live_frames_refresh_predictions_at_most_every_few_frames() -> None:
    trainer, _ = _watched_trainer()
    first = trainer.snapshot(live=True)["predictions"]
    steps = []
    for _ in range(LIVE_PREDICTIONS_EVERY):
        trainer.step()  # full batch: an epoch ends every step
        steps.append(trainer.snapshot(live=True)["predictions"]["step"])
    assert steps == [first["step"]] * (LIVE_PREDICTIONS_EVERY - 1) + [trainer.step_count]


def test_live_frames_charge_the_budget_a_share_of_each_predictions_refresh() -> None:
    trainer, _ = _watched_trainer()
    trainer.snapshot(live=True)
    charged = trainer.frame_costs["predictions"]
    assert charged == pytest.approx(1 / LIVE_PREDICTIONS_EVERY)  # one tick a refresh
    for _ in range(LIVE_PREDICTIONS_EVERY - 1):  # frames that show the same predictions
        trainer.step()
        trainer.snapshot(live=True)
        assert trainer.frame_costs["predictions"] == charged


def test_a_refresh_costlier_than_the_rest_of_a_frame_comes_less_often() -> None:
    trainer, clock = _watched_trainer()
    refresh = trainer._predictions

    def costly(live: bool) -> dict:  # type: ignore[type-arg]
        others = sum(trainer.frame_costs.values())  # this frame's parts so far
        clock.spend(10 * others - clock.tick)  # with the closing tick: ten times the others
        return refresh(live)

    trainer._predictions = costly  # type: ignore[method-assign]
    first = trainer.snapshot(live=True)["predictions"]
    steps = []
    for _ in range(10):
        trainer.step()
        steps.append(trainer.snapshot(live=True)["predictions"]["step"])
    assert steps == [first["step"]] * 9 + [trainer.step_count]
    others = sum(cost for part, cost in trainer.frame_costs.items() if part != "predictions")
    assert trainer.frame_costs["predictions"] == pytest.approx(others)  # a tenth of ten times
