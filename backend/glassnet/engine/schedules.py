"""Learning-rate schedules, evaluated once per epoch from the base rate α0."""

from __future__ import annotations

import math

from shared_schemas.runspec import ScheduleSpec


def learning_rate(schedule: ScheduleSpec, base_lr: float, epoch: int, epochs: int) -> float:
    """α at the start of `epoch` (0-based)."""
    kind = schedule.kind
    if kind == "constant":
        return base_lr
    if kind == "inverse_time":
        return base_lr / (1.0 + schedule.decay * epoch)
    if kind == "step":
        return base_lr * schedule.gamma ** (epoch // schedule.step_size)
    if kind == "exponential":
        return base_lr * schedule.gamma**epoch
    if kind == "cosine":
        period = schedule.t_max or epochs
        progress = min(epoch, period) / period
        return (
            schedule.min_lr + (base_lr - schedule.min_lr) * (1 + math.cos(math.pi * progress)) / 2
        )
    raise ValueError(f"unknown schedule {kind!r}")


def preview(
    schedule: ScheduleSpec, base_lr: float, epochs: int, points: int = 100
) -> list[list[float]]:
    """[epoch, α] pairs across the run, for plotting the schedule before training."""
    step = max(1, epochs // points)
    return [[e, learning_rate(schedule, base_lr, e, epochs)] for e in range(0, epochs, step)]
