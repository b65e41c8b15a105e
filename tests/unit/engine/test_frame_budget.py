"""The telemetry budget, driven by a counter clock: no test here depends on real time."""

from __future__ import annotations

import pytest

from glassnet.engine.frame_budget import FrameBudget

TENTH = 0.1  # the rule is specified at the promise; the default plans below it

MS = 1e-3


class CounterClock:
    """A clock that moves only when told to."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def test_cheap_frames_keep_the_viewers_rate_and_say_nothing() -> None:
    budget = FrameBudget(30.0, share=TENTH)
    budget.record("layers", 1 * MS)
    plan = budget.plan()
    assert (plan.hz, plan.skip, plan.limited, plan.message) == (30.0, frozenset(), False, None)


def test_a_costly_frame_lowers_the_rate_to_a_tenth_of_wall_time_and_says_so() -> None:
    budget = FrameBudget(30.0, share=TENTH)
    budget.record("layers", 9 * MS)
    plan = budget.plan()
    assert plan.hz == pytest.approx(0.1 / (9 * MS))
    assert plan.hz * plan.frame_seconds == pytest.approx(0.1)
    assert plan.message == "11 frames/s: a frame costs 9 ms on this network"


def test_a_run_on_part_of_a_core_makes_that_part_of_the_frames_and_says_so() -> None:
    budget = FrameBudget(30.0, share=TENTH)
    budget.record("layers", 1 * MS)  # 100 frames per second of the run's own CPU time
    plan = budget.plan(core_share=0.2)
    assert plan.hz == pytest.approx(20.0) and plan.limited
    assert plan.message == (
        "20 frames/s: a frame costs 1 ms on this network and this run gets 20 % of a core"
    )


def test_a_run_on_part_of_a_core_keeps_the_viewers_rate_where_its_frames_fit() -> None:
    budget = FrameBudget(30.0, share=TENTH)
    budget.record("layers", 1 * MS)
    assert budget.plan(core_share=0.5).message is None


def test_the_costliest_optional_part_is_left_out_first() -> None:
    budget = FrameBudget(30.0, share=TENTH, optional=["boundary", "predictions"])
    budget.record("layers", 2 * MS)
    budget.record("boundary", 8 * MS)
    budget.record("predictions", 1 * MS)
    plan = budget.plan()
    assert plan.skip == {"boundary"}
    assert plan.hz == 30.0 and plan.frame_seconds == pytest.approx(3 * MS)
    assert plan.message == "30 frames/s: a frame costs 3 ms on this network (without boundary)"


def test_optional_parts_go_until_the_rate_is_readable_then_the_rate_drops() -> None:
    budget = FrameBudget(30.0, share=TENTH, optional=["boundary", "predictions"])
    budget.record("layers", 12 * MS)  # required, and alone over budget at 10 frames/s
    budget.record("boundary", 20 * MS)
    budget.record("predictions", 8 * MS)
    plan = budget.plan()
    assert plan.skip == {"boundary", "predictions"}
    assert plan.hz == pytest.approx(0.1 / (12 * MS))


def test_optional_parts_stay_while_the_rate_with_them_is_readable() -> None:
    budget = FrameBudget(30.0, share=TENTH, optional=["boundary"])
    budget.record("layers", 2 * MS)
    budget.record("boundary", 5 * MS)  # 7 ms: 14 frames/s with the boundary
    plan = budget.plan()
    assert plan.skip == frozenset()
    assert plan.hz == pytest.approx(0.1 / (7 * MS))


def test_required_parts_are_never_left_out() -> None:
    budget = FrameBudget(30.0, share=TENTH)
    budget.record("layers", 50 * MS)
    assert budget.plan().skip == frozenset()


def test_the_rate_never_falls_below_the_floor() -> None:
    budget = FrameBudget(30.0, share=TENTH, min_hz=0.5)
    budget.record("layers", 2.0)
    assert budget.plan().hz == 0.5


def test_measure_times_the_enclosed_work_on_the_injected_clock() -> None:
    clock = CounterClock()
    budget = FrameBudget(30.0, share=TENTH, clock=clock)
    with budget.measure("layers"):
        clock.advance(4 * MS)
    assert budget.costs["layers"] == pytest.approx(4 * MS)


def test_a_part_s_first_measurement_stands_until_the_second_replaces_it() -> None:
    budget = FrameBudget(30.0, share=TENTH)
    budget.record("layers", 30 * MS)  # the first frame, cold
    assert budget.costs["layers"] == pytest.approx(30 * MS)
    budget.record("layers", 1 * MS)
    assert budget.costs["layers"] == pytest.approx(1 * MS)


def test_a_part_s_cost_is_then_a_running_mean_of_its_measurements() -> None:
    budget = FrameBudget(30.0, share=TENTH)
    for ms in (30, 1, 101):
        budget.record("layers", ms * MS)
    assert budget.costs["layers"] == pytest.approx(1 * MS + 0.3 * 100 * MS)


@pytest.mark.parametrize("frame_ms", [0.5, 3.0, 9.0, 40.0])
def test_a_simulated_run_spends_at_most_a_tenth_of_its_time_on_frames(frame_ms: float) -> None:
    """10,000 steps of 1 ms (counter time), a frame whenever the plan's period has passed.

    The first frame comes before anything is measured: the share is counted from its end.
    """
    clock = CounterClock()
    budget = FrameBudget(30.0, share=TENTH, clock=clock)
    next_frame, frame_time, frames, origin = 0.0, 0.0, 0, 0.0
    for _ in range(10_000):
        clock.advance(1 * MS)  # a training step
        if clock() >= next_frame:
            start = clock()
            with budget.measure("layers"):
                clock.advance(frame_ms * MS)
            if frames:
                frame_time += clock() - start
            else:
                origin = clock()
            frames += 1
            next_frame = start + budget.plan().period
    assert frame_time / (clock() - origin) <= 0.1 + 1e-9
    assert frames >= min(30.0, 0.1 / (frame_ms * MS)) * clock() * 0.8  # and no fewer than it may


def test_the_default_plan_keeps_frames_below_the_promised_tenth() -> None:
    assert FrameBudget(30.0).share < TENTH


@pytest.mark.parametrize(
    "kwargs", [{"share": 0.0}, {"share": 1.0}, {"min_hz": 0.0}, {"min_hz": 60.0}]
)
def test_impossible_budgets_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        FrameBudget(30.0, **kwargs)


def test_ready_waits_the_gap_that_keeps_frames_to_their_share() -> None:
    clock = CounterClock()
    budget = FrameBudget(30.0, share=TENTH, clock=clock)
    assert budget.ready()  # nothing measured yet: the first frame is never held back
    with budget.measure("layers"):
        clock.advance(10 * MS)
    budget.frame_done()
    assert budget.gap() == pytest.approx(90 * MS)  # 10 ms of every 100 ms
    clock.advance(89 * MS)
    assert not budget.ready()
    clock.advance(1 * MS)
    assert budget.ready()


@pytest.mark.parametrize("frame_ms", [2.0, 9.0, 40.0])
def test_frames_made_when_ready_take_at_most_their_share_of_the_clock(frame_ms: float) -> None:
    """The loop of a run whose clock is its own CPU time: 1 ms steps, a frame whenever ready."""
    clock = CounterClock()
    budget = FrameBudget(30.0, share=TENTH, clock=clock)
    frame_time, frames = 0.0, 0
    for _ in range(10_000):
        clock.advance(1 * MS)
        if budget.ready():
            with budget.measure("layers"):
                clock.advance(frame_ms * MS)
            budget.frame_done()
            frames += 1
            frame_time += frame_ms * MS if frames > 1 else 0.0
    assert frame_time / clock() <= 0.1 + 1e-9
    assert frames >= 0.9 * min(30.0, 0.1 / (frame_ms * MS)) * clock()


def test_cheap_frames_fit_a_run_that_gets_part_of_a_core() -> None:
    """A run on half a core spends 17 ms of its own CPU clock between two frames of a 30 Hz
    viewer: 1 ms frames fit (9 ms of training beside each keeps them to a tenth), so the viewer
    keeps its rate; the viewer's rate is kept by the caller, on the wall clock."""
    clock = CounterClock()
    budget = FrameBudget(30.0, share=TENTH, clock=clock)
    with budget.measure("layers"):
        clock.advance(1 * MS)
    budget.frame_done()
    assert budget.gap() == pytest.approx(9 * MS)
    clock.advance(17 * MS)
    assert budget.ready()
    assert budget.plan().message is None
