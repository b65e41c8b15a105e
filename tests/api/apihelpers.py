"""Helpers shared by the API tests (imported as `apihelpers`; tests/api is on sys.path)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

DEADLINE = 60.0  # seconds before a poll gives up: a failure guard, never a speed assertion


def tiny_spec(epochs: int = 5, **training: Any) -> dict[str, Any]:
    """A 2-4-1 MLP on a small XOR-like set: builds and trains in milliseconds."""
    return {
        "network": {
            "nodes": [
                {"id": "x", "kind": "input", "shape": [2]},
                {"id": "h", "kind": "dense", "units": 4, "activation": "tanh"},
                {"id": "y", "kind": "dense", "units": 1, "activation": "sigmoid"},
            ]
        },
        "data": {"dataset": "xor", "n": 40},
        "training": {"loss": "bce", "epochs": epochs, **training},
    }


def long_spec() -> dict[str, Any]:
    """Trains for minutes even on the fast path (runs are stopped by the tests): 100,000 epochs
    of 20 stochastic steps each."""
    return tiny_spec(epochs=100_000, batch_size=1)


def wait_for(predicate: Callable[[], Any], what: str = "condition") -> Any:
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


class Runs:
    """Small helpers around the runs API."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    def create(self, spec: dict[str, Any] | None = None, start: bool = False) -> dict[str, Any]:
        r = self.client.post("/api/v1/runs", json={"spec": spec or tiny_spec(), "start": start})
        assert r.status_code == 201, r.text
        return r.json()

    def get(self, run_id: str) -> dict[str, Any]:
        return self.client.get(f"/api/v1/runs/{run_id}").json()

    def act(self, run: dict[str, Any], action: str, **kw: Any) -> Any:
        return self.client.post(
            f"/api/v1/runs/{run['id']}/actions",
            json={"action": action, **kw},
            headers={"X-Glassnet-Owner": run["owner"]},
        )

    def wait_state(self, run_id: str, *states: str) -> dict[str, Any]:
        return wait_for(
            lambda: (r := self.get(run_id))["state"] in states and r, f"state in {states}"
        )
