"""Compare: several runs' histories and layer histograms on shared bins at one step."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from apihelpers import Runs, tiny_spec, wait_for
from fastapi.testclient import TestClient

from glassnet.settings import Settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path,
        rate_limit_per_second=10_000,
        rate_limit_burst=10_000,
        static_dir=tmp_path / "no-frontend",
        device="cpu",
        executor="thread",
    )


def _finished(client: TestClient, n: int) -> list[dict[str, Any]]:
    """n runs of a sweep over the learning rate (a sweep's runs record their layer summaries
    while nobody watches), once all have finished."""
    axes = [{"pointer": "/training/optimizer/lr", "values": [0.1 * (i + 1) for i in range(n)]}]
    body = {"spec": tiny_spec(epochs=40), "axes": axes}
    sweep_id = client.post("/api/v1/sweeps", json=body).json()["id"]
    sweep = wait_for(
        lambda: (s := client.get(f"/api/v1/sweeps/{sweep_id}").json())["state"] == "done" and s,
        "the sweep's runs finished",
    )
    return [client.get(f"/api/v1/runs/{p['run_id']}").json() for p in sweep["runs"]]


def test_three_runs_share_bins_and_keep_their_counts(client: TestClient) -> None:
    done = _finished(client, 3)
    ids = [r["id"] for r in done]
    r = client.get("/api/v1/compare", params={"runs": ",".join(ids)})
    assert r.status_code == 200, r.text
    body = r.json()
    assert [x["id"] for x in body["runs"]] == ids
    assert all(x["step_shown"] == x["step"] == body["step"] for x in body["runs"])
    assert all(len(x["metrics"]) == 40 for x in body["runs"])
    assert [layer["id"] for layer in body["layers"]] == ["h", "y"]
    for layer in body["layers"]:
        for name in ("W", "z", "a", "delta"):
            q = layer["quantities"][name]
            edges = q["hist"]["edges"]
            assert edges == sorted(edges)
            assert all(len(c) == len(edges) - 1 for c in q["hist"]["counts"])
    # Spreading onto the shared edges keeps each run's own counts: the final frame's.
    for i, run_id in enumerate(ids):
        frame = client.get(f"/api/v1/runs/{run_id}/snapshot").json()
        own = next(layer for layer in frame["layers"] if layer["id"] == "h")["delta"]
        shared = body["layers"][0]["quantities"]["delta"]
        assert abs(sum(shared["hist"]["counts"][i]) - sum(own["hist"]["counts"])) < 1e-6
        assert own["hist"]["lo"] >= shared["hist"]["edges"][0] - 1e-12
        assert own["hist"]["hi"] <= shared["hist"]["edges"][-1] + 1e-12


def test_each_run_shows_its_nearest_recorded_step_at_or_before(client: TestClient) -> None:
    ids = [r["id"] for r in _finished(client, 2)]
    latest = client.get("/api/v1/compare", params={"runs": ",".join(ids)}).json()
    asked = max(latest["runs"][0]["step"] - 1, 0)
    body = client.get("/api/v1/compare", params={"runs": ",".join(ids), "step": asked}).json()
    assert body["step"] == asked
    for run in body["runs"]:
        expected = max(s for s in run["recorded_steps"] if s <= asked)
        assert run["step_shown"] == expected
    assert 0 in body["runs"][0]["recorded_steps"]  # every run records its step-0 network


def test_bad_run_lists_are_422_naming_each_entry(client: TestClient, runs: Runs) -> None:
    run = runs.create()
    r = client.get("/api/v1/compare", params={"runs": f"nope,{run['id']},{run['id']}"})
    assert r.status_code == 422
    assert [p["pointer"] for p in r.json()["detail"]] == ["/query/runs/0", "/query/runs/2"]
    r = client.get("/api/v1/compare", params={"runs": run["id"]})
    assert r.status_code == 422 and r.json()["detail"][0]["pointer"] == "/query/runs"
    r = client.get(
        "/api/v1/compare", params={"runs": ",".join([run["id"]] + [f"r{i}" for i in range(8)])}
    )
    assert r.status_code == 422 and r.json()["detail"][0]["pointer"] == "/query/runs"
    r = client.get("/api/v1/compare", params={"runs": f"{run['id']},x", "step": -1})
    assert r.status_code == 422
