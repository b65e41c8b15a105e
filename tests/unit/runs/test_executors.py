"""Worker processes: forked ready-made from a fork server, with event pipes that hold a frame."""

import multiprocessing as mp
import sys

import pytest

from glassnet.runs.executors import widen_pipe, worker_context

linux_only = pytest.mark.skipif(sys.platform != "linux", reason="Linux's fork server and fcntl")


@linux_only
def test_event_pipe_takes_a_frame_larger_than_the_default_pipe_without_a_reader() -> None:
    events, child = mp.get_context("spawn").Pipe(duplex=False)
    try:
        widen_pipe(events)
        frame = b"x" * (200 * 1024)  # three default pipes' worth; nobody reads yet
        child.send_bytes(frame)  # would block forever in a 64 KB pipe
        assert events.recv_bytes() == frame
    finally:
        events.close()
        child.close()


@linux_only
def test_a_new_worker_process_starts_with_torch_and_the_engine_already_imported() -> None:
    ctx = worker_context()
    assert ctx.get_start_method() == "forkserver"
    check = (
        "import sys; sys.exit(0 if {'torch', 'glassnet.engine.trainer'} <= set(sys.modules) else 3)"
    )
    process = ctx.Process(target=exec, args=(check,))
    process.start()
    process.join(120)
    assert process.exitcode == 0
