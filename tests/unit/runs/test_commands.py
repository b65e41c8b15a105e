"""The command queue between the server and a worker: never blocks, bounded, coalesces viewers."""

from __future__ import annotations

import pytest

from glassnet.runs.commands import CommandQueue, QueueFull


def drain(queue: CommandQueue) -> list[tuple[object, ...]]:
    out = []
    while (cmd := queue.get(timeout=0)) is not None:
        out.append(cmd)
    return out


def test_commands_come_out_in_the_order_they_went_in() -> None:
    queue = CommandQueue()
    for cmd in [("start", 1), ("pause", 2), ("step", 3, 3)]:
        queue.put(cmd)
    assert drain(queue) == [("start", 1), ("pause", 2), ("step", 3, 3)]


def test_a_waiting_view_change_is_replaced_by_the_newer_one_in_its_place() -> None:
    queue = CommandQueue()
    queue.put(("view", 30.0, None, ["a"], 1))
    queue.put(("pause", 2))
    queue.put(("view", 30.0, None, ["a", "b"], 3))
    queue.put(("view", 10.0, None, None, 4))
    assert drain(queue) == [("view", 10.0, None, None, 4), ("pause", 2)]
    assert queue.coalesced == 2


def test_frame_now_waits_at_most_once() -> None:
    queue = CommandQueue()
    for no in range(50):
        queue.put(("frame_now", no))
    assert drain(queue) == [("frame_now", 49)]


def test_a_full_queue_refuses_commands_but_never_viewer_changes_stop_or_close() -> None:
    queue = CommandQueue(limit=3)
    for no in range(3):
        queue.put(("resume", no))
    with pytest.raises(QueueFull, match="commands waiting"):
        queue.put(("pause", 9))
    queue.put(("view", 1.0, None, None, 10))
    queue.put(("view", 2.0, None, None, 11))
    queue.put(("stop", "bye", 12))
    queue.put(("close", 13))
    assert [c[0] for c in drain(queue)] == ["resume", "resume", "resume", "view", "stop", "close"]


def test_get_waits_only_as_long_as_asked() -> None:
    queue = CommandQueue()
    assert queue.get(timeout=0) is None
    assert queue.get(timeout=0.01) is None
    queue.put(("close", 1))
    assert queue.pending() and len(queue) == 1
    assert queue.get(timeout=None) == ("close", 1)
