"""Worker processes: forked ready-made from a fork server, with event pipes that hold a frame,
at a lower CPU priority than the server."""

import multiprocessing as mp
import os
import sys

import pytest

from glassnet.runs.executors import ProcessExecutor, widen_pipe, worker_context

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


@pytest.mark.skipif(not hasattr(os, "getpriority"), reason="Unix scheduling priorities")
def test_a_run_worker_process_runs_at_a_lower_priority_than_the_server() -> None:
    if os.getpriority(os.PRIO_PROCESS, 0) + 7 > 19:
        pytest.skip("this process already runs at nearly the lowest priority")
    executor = ProcessExecutor(spares=1, niceness=7)
    try:
        executor.warm()
        (spare,) = executor._ready
        pid = spare.process.pid
        # the child lowers its own priority first thing: wait for it, not for a time
        deadline = 600
        while os.getpriority(os.PRIO_PROCESS, pid) == os.getpriority(os.PRIO_PROCESS, 0):
            deadline -= 1
            assert deadline > 0, "the worker kept the server's priority"
            spare.process.join(0.1)
        assert os.getpriority(os.PRIO_PROCESS, pid) == os.getpriority(os.PRIO_PROCESS, 0) + 7
    finally:
        executor.shutdown()
