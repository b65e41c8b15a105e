"""Sweeps: a grid of runs from one spec, queued beyond capacity, kept across a restart."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from apihelpers import long_spec, tiny_spec, wait_for
from fastapi.testclient import TestClient

from glassnet.api import create_app
from glassnet.settings import Settings

LIVE = {"created", "running", "paused", "stalled"}
GRID = [
    {"pointer": "/training/optimizer/lr", "values": [0.1, 0.5]},
    {"pointer": "/network/nodes/1/units", "values": [2, 3, 4]},
]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # Threads start runs at once; the queue does not depend on where runs execute.
    return Settings(
        data_dir=tmp_path,
        rate_limit_per_second=10_000,
        rate_limit_burst=10_000,
        static_dir=tmp_path / "no-frontend",
        device="cpu",
        executor="thread",
        max_active_runs=2,
    )


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as c:
        yield c


def _create(client: TestClient, spec: dict[str, Any], axes: list[dict[str, Any]], **kw: Any) -> Any:
    return client.post("/api/v1/sweeps", json={"spec": spec, "axes": axes, **kw})


def _sweep(client: TestClient, sweep_id: str) -> dict[str, Any]:
    r = client.get(f"/api/v1/sweeps/{sweep_id}")
    assert r.status_code == 200, r.text
    return r.json()


def test_two_by_three_grid_expands_axis_zero_outermost(client: TestClient) -> None:
    r = _create(client, tiny_spec(), GRID, start=False)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["state"] == "created" and body["owner"]
    assert [p["values"] for p in body["runs"]] == [
        [0.1, 2],
        [0.1, 3],
        [0.1, 4],
        [0.5, 2],
        [0.5, 3],
        [0.5, 4],
    ]
    assert {p["state"] for p in body["runs"]} == {"queued"}
    assert all(p["run_id"] is None for p in body["runs"])


def test_runs_beyond_capacity_wait_and_all_finish(client: TestClient) -> None:
    body = _create(client, tiny_spec(epochs=20), GRID).json()
    seen_live = []

    def done() -> dict[str, Any] | None:
        sweep = _sweep(client, body["id"])
        seen_live.append(sum(p["state"] in LIVE for p in sweep["runs"]))
        return sweep if sweep["state"] == "done" else None

    sweep = wait_for(done, "every run of the sweep ended")
    assert max(seen_live) <= 2  # the server's capacity, never more
    assert {p["state"] for p in sweep["runs"]} == {"finished"}
    for p in sweep["runs"]:
        run = client.get(f"/api/v1/runs/{p['run_id']}").json()
        assert run["spec"]["training"]["optimizer"]["lr"] == p["values"][0]
        assert run["spec"]["network"]["nodes"][1]["units"] == p["values"][1]
        assert p["final_metrics"]["loss"] == run["latest_metrics"]["loss"]
        assert p["epoch"] == 20


def test_sweep_runs_do_not_count_as_unstarted_runs(client: TestClient, settings: Settings) -> None:
    axes = [{"pointer": "/seed", "values": list(range(settings.max_unstarted_runs_per_client + 2))}]
    body = _create(client, tiny_spec(epochs=2), axes).json()
    wait_for(lambda: _sweep(client, body["id"])["state"] == "done", "sweep done")


def test_runs_list_filters_by_sweep(client: TestClient) -> None:
    body = _create(client, tiny_spec(epochs=2), [GRID[1]]).json()
    sweep = wait_for(lambda: (s := _sweep(client, body["id"]))["state"] == "done" and s, "done")
    client.post("/api/v1/runs", json={"spec": tiny_spec(), "start": True})
    listed = client.get("/api/v1/runs", params={"sweep": body["id"]}).json()["runs"]
    assert sorted(r["id"] for r in listed) == sorted(p["run_id"] for p in sweep["runs"])
    r = client.get("/api/v1/runs", params={"sweep": "nosuchsweep"})
    assert r.status_code == 404


def test_bad_pointers_and_values_are_422_naming_the_axis(client: TestClient) -> None:
    axes = [
        {"pointer": "/training/optimiser/lr", "values": [0.1]},
        {"pointer": "/network/nodes/1/units", "values": [2, -4, "x"]},
    ]
    r = _create(client, tiny_spec(), axes)
    assert r.status_code == 422
    pointers = [p["pointer"] for p in r.json()["detail"]]
    assert pointers == ["/axes/0/pointer", "/axes/1/values/1", "/axes/1/values/2"]
    assert "optimiser" in r.json()["detail"][0]["message"]


def test_a_pointer_into_a_missing_list_item_is_422(client: TestClient) -> None:
    r = _create(client, tiny_spec(), [{"pointer": "/network/nodes/9/units", "values": [2]}])
    assert r.status_code == 422
    assert r.json()["detail"][0]["pointer"] == "/axes/0/pointer"
    assert "3 items" in r.json()["detail"][0]["message"]


def test_a_grid_over_the_cap_is_422(client: TestClient, settings: Settings) -> None:
    n = int(settings.max_sweep_runs**0.5) + 1  # n × n runs: more than the cap
    axes = [
        {"pointer": "/seed", "values": list(range(n))},
        {"pointer": "/training/epochs", "values": list(range(1, n + 1))},
    ]
    r = _create(client, tiny_spec(), axes)
    assert r.status_code == 422
    assert r.json()["detail"][0]["pointer"] == "/axes"
    assert f"{n * n} runs" in r.json()["detail"][0]["message"]


def test_only_the_owner_stops_a_sweep_and_stopping_drops_its_queue(client: TestClient) -> None:
    body = _create(client, long_spec(), GRID).json()
    r = client.post(f"/api/v1/sweeps/{body['id']}/actions", json={"action": "stop"})
    assert r.status_code == 403
    r = client.post(
        f"/api/v1/sweeps/{body['id']}/actions",
        json={"action": "stop"},
        headers={"X-Glassnet-Owner": body["owner"]},
    )
    assert r.status_code == 200
    sweep = wait_for(
        lambda: (
            (s := _sweep(client, body["id"]))
            and not any(p["state"] in LIVE for p in s["runs"])
            and s
        ),
        "runs stopped",
    )
    assert sweep["state"] == "stopped"
    assert {p["state"] for p in sweep["runs"]} <= {"stopped", "cancelled"}
    assert sum(p["state"] == "cancelled" for p in sweep["runs"]) >= 4


def test_a_restart_keeps_the_sweep_and_resumes_its_queue(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        body = _create(client, long_spec(), GRID).json()
        first = wait_for(
            lambda: (
                (s := _sweep(client, body["id"]))
                and sum(p["state"] == "running" for p in s["runs"]) == 2
                and s
            ),
            "two runs running",
        )
    started = [p["run_id"] for p in first["runs"] if p["run_id"]]

    with TestClient(create_app(settings)) as client:
        # The runs the restart interrupted start again; the rest still wait.
        sweep = wait_for(
            lambda: (
                (s := _sweep(client, body["id"]))
                and [p["state"] for p in s["runs"]][:2] == ["running", "running"]
                and s
            ),
            "interrupted runs running again",
        )
        assert [p["run_id"] for p in sweep["runs"][:2]] == started
        assert [p["state"] for p in sweep["runs"][2:]] == ["queued"] * 4
        # A freed slot goes to the next point in the queue.
        owner = {"X-Glassnet-Owner": body["owner"]}
        client.post(f"/api/v1/runs/{started[0]}/actions", json={"action": "stop"}, headers=owner)
        sweep = wait_for(
            lambda: (s := _sweep(client, body["id"]))["runs"][2]["state"] == "running" and s,
            "the third point launched",
        )
        client.post(f"/api/v1/sweeps/{body['id']}/actions", json={"action": "stop"}, headers=owner)


def test_one_sweep_never_takes_more_than_its_share_of_slots(settings: Settings) -> None:
    roomy = settings.model_copy(update={"max_active_runs": 8, "max_sweep_active_runs": 2})
    with TestClient(create_app(roomy)) as client:
        body = _create(client, tiny_spec(epochs=20), GRID).json()
        seen_live = []

        def done() -> bool:
            sweep = _sweep(client, body["id"])
            seen_live.append(sum(p["state"] in LIVE for p in sweep["runs"]))
            return sweep["state"] == "done"

        wait_for(done, "every run of the sweep ended")
        assert max(seen_live) <= 2


def test_the_sweeps_list_pages_newest_first_with_axes_and_progress(client: TestClient) -> None:
    done = _create(client, tiny_spec(epochs=2), [GRID[1]]).json()
    wait_for(lambda: _sweep(client, done["id"])["state"] == "done", "first sweep done")
    waiting = _create(client, tiny_spec(), GRID, start=False, name="waits").json()

    first = client.get("/api/v1/sweeps", params={"limit": 1}).json()
    assert (first["count"], first["total"], first["next_offset"]) == (1, 2, 1)
    newest = first["sweeps"][0]
    assert (newest["id"], newest["name"], newest["state"]) == (waiting["id"], "waits", "created")
    assert newest["axes"] == GRID
    assert newest["progress"] == {"total": 6, "queued": 6, "running": 0, "ended": 0, "finished": 0}
    assert newest["best_loss"] is None and newest["spec_summary"]

    second = client.get("/api/v1/sweeps", params={"limit": 1, "offset": 1}).json()
    assert second["next_offset"] is None
    older = second["sweeps"][0]
    assert (older["id"], older["state"]) == (done["id"], "done")
    assert older["progress"] == {"total": 3, "queued": 0, "running": 0, "ended": 3, "finished": 3}
    losses = [p["final_metrics"]["loss"] for p in _sweep(client, done["id"])["runs"]]
    assert older["best_loss"] == min(losses)
    assert older["created_at"] < newest["created_at"]


def test_the_sweeps_list_refuses_a_bad_page(client: TestClient) -> None:
    r = client.get("/api/v1/sweeps", params={"limit": 0, "offset": -1})
    assert r.status_code == 422
    assert {p["pointer"] for p in r.json()["detail"]} == {"/query/limit", "/query/offset"}
