"""Learning-rate schedules: the lecture's 1/t decay, step, exponential and cosine."""

from __future__ import annotations

import math

import pytest
from engine_specs import dense_spec

from glassnet.engine import Trainer
from glassnet.engine.schedules import learning_rate, preview
from shared_schemas.runspec import ScheduleSpec


@pytest.mark.parametrize(
    ("k", "expected"),
    [
        (1.0, [0.1, 0.05, 0.033333, 0.025, 0.02, 0.016667]),
        (0.5, [0.1, 0.066667, 0.05, 0.04, 0.033333, 0.028571]),
    ],
)
def test_inverse_time_decay_follows_the_lecture(k: float, expected: list[float]) -> None:
    spec = ScheduleSpec(kind="inverse_time", decay=k)
    got = [learning_rate(spec, 0.1, e, 100) for e in range(6)]
    assert got == pytest.approx(expected, abs=5e-7)


def test_step_decay_drops_by_gamma_every_step_size_epochs() -> None:
    spec = ScheduleSpec(kind="step", step_size=3, gamma=0.5)
    assert [learning_rate(spec, 0.8, e, 100) for e in range(7)] == [
        0.8,
        0.8,
        0.8,
        0.4,
        0.4,
        0.4,
        0.2,
    ]


def test_exponential_decay_multiplies_by_gamma_each_epoch() -> None:
    spec = ScheduleSpec(kind="exponential", gamma=0.9)
    assert [learning_rate(spec, 1.0, e, 100) for e in range(4)] == pytest.approx(
        [1, 0.9, 0.81, 0.729]
    )


def test_cosine_goes_from_base_to_min_over_the_period_and_stays() -> None:
    spec = ScheduleSpec(kind="cosine", min_lr=0.01)
    values = [learning_rate(spec, 0.1, e, 10) for e in (0, 5, 10, 15)]
    assert values == pytest.approx([0.1, 0.055, 0.01, 0.01])
    spec = ScheduleSpec(kind="cosine", t_max=4)
    assert learning_rate(spec, 1.0, 1, 100) == pytest.approx((1 + math.cos(math.pi / 4)) / 2)


def test_constant_schedule_keeps_the_base_rate() -> None:
    assert {learning_rate(ScheduleSpec(), 0.3, e, 10) for e in range(10)} == {0.3}


def test_preview_lists_epoch_rate_pairs() -> None:
    points = preview(ScheduleSpec(kind="inverse_time", decay=1.0), 0.1, 4)
    assert [e for e, _ in points] == [0, 1, 2, 3]
    assert [lr for _, lr in points] == pytest.approx([0.1, 0.05, 0.1 / 3, 0.025])


def test_trainer_applies_the_schedule_once_per_epoch() -> None:
    spec = dense_spec(
        [3, 1], batch_size=None, epochs=6, schedule={"kind": "inverse_time", "decay": 1.0}
    )
    trainer = Trainer(spec)
    trainer.train()
    lrs = [row["lr"] for row in trainer.metrics]
    assert lrs == pytest.approx([0.1, 0.05, 0.1 / 3, 0.025, 0.02, 0.1 / 6])
