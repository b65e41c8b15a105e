"""The handler registry: a cadence says at which counts a handler runs; handlers run in the order
attached and can be detached, also while their event fires."""

from __future__ import annotations

import gc
import weakref

import pytest

from glassnet.engine.events import Cadence, Event, EventHandlers


def _due(cadence: Cadence, upto: int) -> list[int]:
    return [count for count in range(1, upto + 1) if cadence.due(count)]


def test_every_n_is_due_at_each_multiple_of_n() -> None:
    assert _due(Cadence(every=3), 10) == [3, 6, 9]
    assert _due(Cadence(), 3) == [1, 2, 3]


def test_once_k_is_due_at_k_only() -> None:
    assert _due(Cadence(once=4), 10) == [4]


def test_next_due_is_the_first_due_count_after_the_given_one() -> None:
    assert [Cadence(every=3).next_due(c) for c in (0, 2, 3, 4)] == [3, 3, 6, 6]
    assert [Cadence(once=4).next_due(c) for c in (0, 3, 4, 9)] == [4, 4, None, None]


@pytest.mark.parametrize(
    "every, once", [(0, None), (-2, None), (True, None), (1.5, None), (1, 0), (2, 5)]
)
def test_a_cadence_that_is_not_one_is_refused(every: int, once: int | None) -> None:
    with pytest.raises(ValueError):
        Cadence(every, once)


@pytest.mark.parametrize("event", [Event.RUN_STARTED, Event.RUN_ENDED])
def test_an_event_that_happens_once_per_run_takes_no_cadence(event: Event) -> None:
    with pytest.raises(ValueError, match="once per run"):
        EventHandlers[list[str]]().add(event, lambda log: None, every=2)


def test_handlers_run_in_the_order_attached_when_due() -> None:
    handlers = EventHandlers[list[str]]()
    handlers.add(Event.EPOCH_COMPLETED, lambda log: log.append("every"))
    handlers.add(Event.EPOCH_COMPLETED, lambda log: log.append("even"), every=2)
    handlers.add(Event.EPOCH_COMPLETED, lambda log: log.append("third"), once=3)
    log: list[str] = []
    for epoch in (1, 2, 3, 4):
        handlers.fire(Event.EPOCH_COMPLETED, log, epoch)
    assert log == ["every", "every", "even", "every", "third", "every", "even"]


def test_a_removed_handler_runs_no_more_and_removing_twice_is_harmless() -> None:
    handlers = EventHandlers[list[int]]()
    handle = handlers.add(Event.STEP_COMPLETED, lambda log: log.append(1))
    seen: list[int] = []
    handlers.fire(Event.STEP_COMPLETED, seen, 1)
    handle.remove()
    handle.remove()
    handlers.fire(Event.STEP_COMPLETED, seen, 2)
    assert seen == [1]
    assert not handlers.listeners(Event.STEP_COMPLETED)
    assert handlers.next_due(Event.STEP_COMPLETED, 2) is None


def test_a_handler_may_detach_itself_while_its_event_fires() -> None:
    handlers = EventHandlers[list[str]]()
    log: list[str] = []

    def once_only(log: list[str]) -> None:
        log.append("a")
        handle.remove()

    handle = handlers.add(Event.STEP_COMPLETED, once_only)
    handlers.add(Event.STEP_COMPLETED, lambda log: log.append("b"))
    handlers.fire(Event.STEP_COMPLETED, log, 1)
    handlers.fire(Event.STEP_COMPLETED, log, 2)
    assert log == ["a", "b", "b"]


def test_next_due_is_the_soonest_of_the_events_handlers() -> None:
    handlers = EventHandlers[None]()
    handlers.add(Event.STEP_COMPLETED, lambda _: None, every=10)
    handlers.add(Event.STEP_COMPLETED, lambda _: None, once=7)
    assert handlers.next_due(Event.STEP_COMPLETED, 0) == 7
    assert handlers.next_due(Event.STEP_COMPLETED, 7) == 10
    assert handlers.next_due(Event.EPOCH_COMPLETED, 0) is None


def test_a_removed_handler_is_no_longer_held_alive() -> None:
    class Watcher:
        def __call__(self, _: None) -> None:
            pass

    handlers = EventHandlers[None]()
    watcher = Watcher()
    alive = weakref.ref(watcher)
    handle = handlers.add(Event.STEP_COMPLETED, watcher, every=5)
    del watcher
    gc.collect()
    assert alive() is not None
    handle.remove()
    gc.collect()
    assert alive() is None
