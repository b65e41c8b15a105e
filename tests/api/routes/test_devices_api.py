"""Devices over REST: `cuda` on a server without a GPU is a 422 that says so, and a run's frames
name the device it trains on."""

from __future__ import annotations

import pytest
import torch
from apihelpers import Runs, tiny_spec
from fastapi.testclient import TestClient

from glassnet.engine import device


def test_cuda_on_a_server_without_a_gpu_is_422_naming_the_device_field(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(device, "cuda_available", lambda: False)
    r = client.post("/api/v1/runs", json={"spec": {**tiny_spec(), "device": "cuda"}})
    assert r.status_code == 422
    assert r.json()["detail"] == [{"pointer": "/spec/device", "message": device.NO_GPU}]


def test_a_runs_snapshot_names_its_device(client: TestClient, runs: Runs) -> None:
    run = runs.create(tiny_spec(epochs=2), start=True)
    runs.wait_state(run["id"], "finished")
    assert client.get(f"/api/v1/runs/{run['id']}/snapshot").json()["device"] == "cpu"


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA GPU on this machine")
def test_a_server_run_on_cuda_trains_and_names_the_gpu(client: TestClient, runs: Runs) -> None:
    run = runs.create({**tiny_spec(epochs=3), "device": "cuda"}, start=True)
    runs.wait_state(run["id"], "finished")
    assert client.get(f"/api/v1/runs/{run['id']}/snapshot").json()["device"].startswith("cuda:0 ")


def test_a_run_says_where_it_trains_and_what_runs_it(client: TestClient, runs: Runs) -> None:
    run = runs.create(tiny_spec())
    assert (run["device"], run["executor"]) == ("cpu", "thread")
    assert client.get(f"/api/v1/runs/{run['id']}").json()["device"] == "cpu"
