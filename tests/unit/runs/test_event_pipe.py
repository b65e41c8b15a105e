"""A worker process's event pipe holds several frames, so sending one does not wait on the server."""

import multiprocessing as mp
import sys

import pytest

from glassnet.runs.executors import widen_pipe


@pytest.mark.skipif(sys.platform != "linux", reason="pipe sizes are set through Linux's fcntl")
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
