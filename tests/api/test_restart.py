"""Stopping the server mid-run loses nothing: experiments and ended runs stay, in-flight runs
become `interrupted` and can be started again from their spec or resumed from their checkpoint."""

from __future__ import annotations

from pathlib import Path

import pytest
from apihelpers import long_spec, tiny_spec, wait_for
from live import LiveServer

from glassnet.client import GlassnetClient


@pytest.mark.slow
@pytest.mark.parametrize("hard", [False, True], ids=["sigterm", "sigkill"])
def test_restart_keeps_everything(tmp_path: Path, hard: bool) -> None:
    server = LiveServer(tmp_path).start()
    try:
        client = GlassnetClient(server.url)
        exp = client.create_experiment("kept", tiny_spec())
        done = client.create_run(tiny_spec(epochs=3), start=True)
        assert client.wait(done.id).state == "finished"
        inflight = client.create_run(long_spec(), start=True)
        wait_for(lambda: client.get_run(inflight.id).epoch >= 2, "some epochs")
        paused = client.create_run(long_spec())
        client.action(paused, "step", steps=3)
        wait_for(lambda: client.get_run(paused.id).step == 3, "3 steps")
    finally:
        server.stop(hard=hard)

    server = LiveServer(tmp_path, port=server.port).start()
    try:
        client = GlassnetClient(server.url)
        assert client.get_experiment(exp["id"])["name"] == "kept"
        kept = client.get_run(done.id)
        assert kept.state == "finished" and kept.epoch == 3
        assert len(client.metrics(done.id)) == 3
        # The final weights were saved when the run ended.
        assert client.export(done.id, "safetensors", tmp_path / "w.safetensors").stat().st_size
        lost = client.get_run(inflight.id)
        assert lost.state == "interrupted"
        assert lost.stop_reason
        if not hard:  # a server that stops in order lets its workers checkpoint first
            assert lost.checkpoint_step is not None and lost.checkpoint_step >= lost.step
        assert client.get_run(paused.id).state == "interrupted"
        # Starting an interrupted run rebuilds it from its spec.
        again = client.action(inflight, "start")
        assert again.state == "running"
        wait_for(lambda: client.get_run(inflight.id).step > 0, "restarted run trains")
        client.action(inflight, "stop")
        # Resuming one goes on from its checkpoint: the paused run's, written when it paused.
        assert client.get_run(paused.id).checkpoint_step == 3
        resumed = client.action(paused, "resume")
        assert resumed.state == "running" and resumed.step == 3
        wait_for(lambda: client.get_run(paused.id).step > 3, "resumed run trains on")
        client.action(paused, "stop")
    finally:
        server.stop()
