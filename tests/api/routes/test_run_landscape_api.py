"""POST /api/v1/runs/{id}/landscape: a run's own training loss on a plane through its weights, with
its path on it, from a paused run's worker and from an ended run's saved weights and path."""

from __future__ import annotations

from typing import Any

from apihelpers import Runs, long_spec, tiny_spec, wait_for
from fastapi.testclient import TestClient


def _landscape(client: TestClient, run_id: str, **body: Any) -> Any:
    return client.post(f"/api/v1/runs/{run_id}/landscape", json=body)


def test_a_paused_run_answers_with_its_loss_grid_and_path(client: TestClient, runs: Runs) -> None:
    run = runs.create(long_spec(), start=False)
    assert runs.act(run, "epoch").status_code == 200
    wait_for(lambda: runs.get(run["id"])["step"] >= 20 and runs.get(run["id"])["state"] == "paused")
    assert runs.act(run, "epoch").status_code == 200
    wait_for(lambda: runs.get(run["id"])["step"] >= 40 and runs.get(run["id"])["state"] == "paused")
    r = _landscape(client, run["id"], resolution=5, seed=3)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["run"] == run["id"] and out["step"] == 40 and out["directions"] == "random"
    assert out["alphas"] == out["betas"] == [-1.0, -0.5, 0.0, 0.5, 1.0]
    assert len(out["loss"]) == 5 and all(len(row) == 5 for row in out["loss"])
    assert out["loss"][2][2] == out["center_loss"]
    assert [p["step"] for p in out["path"]] == [0, 20, 40]
    assert out["path"][-1]["alpha"] == 0.0 or abs(out["path"][-1]["alpha"]) < 1e-9
    assert out["parameters"] == 17 and out["examples"] == 20
    # asking does not move the run
    assert runs.get(run["id"])["step"] == 40
    assert _landscape(client, run["id"], resolution=5, seed=3).json()["loss"] == out["loss"]


def test_an_ended_run_is_sliced_from_its_saved_weights_and_path(
    client: TestClient, runs: Runs
) -> None:
    run = runs.create(tiny_spec(epochs=30), start=True)
    runs.wait_state(run["id"], "finished")
    steps = runs.get(run["id"])["step"]
    out = wait_for(
        lambda: (
            (r := _landscape(client, run["id"], directions="path", resolution=7)).status_code == 200
            and r.json()
        ),
        "the ended run's landscape",
    )
    assert out["directions"] == "path" and out["step"] == steps
    assert out["path"][0]["step"] == 0 and out["path"][-1]["step"] == steps
    assert len(out["path"]) == 31  # the start and 30 epoch ends
    assert out["off_plane"] < 0.5
    assert out["path"][0]["loss"] > out["path"][-1]["loss"]


def test_path_directions_before_the_run_has_moved_are_a_409(client: TestClient, runs: Runs) -> None:
    run = runs.create(long_spec(), start=False)
    r = _landscape(client, run["id"], directions="path")
    assert r.status_code == 409, r.text
    assert "has not moved" in r.text


def test_a_bad_request_names_every_field(client: TestClient, runs: Runs) -> None:
    run = runs.create(long_spec(), start=False)
    r = _landscape(client, run["id"], resolution=100, directions="sideways")
    assert r.status_code == 422
    pointers = {p["pointer"] for p in r.json()["detail"]}
    assert pointers == {"/resolution", "/directions"}, r.text


def test_an_unknown_run_is_a_404(client: TestClient) -> None:
    assert _landscape(client, "nope").status_code == 404
