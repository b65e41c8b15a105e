"""GET /runs as a history (filters, paging, summary, diff) and DELETE /runs/{id}."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from apihelpers import Runs, long_spec, tiny_spec, wait_for
from fastapi.testclient import TestClient

from glassnet.settings import Settings

OWNER = "history-owner-token"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """The API tests' settings, letting one client hold several runs it has not started."""
    return Settings(
        data_dir=tmp_path,
        rate_limit_per_second=10_000,
        rate_limit_burst=10_000,
        static_dir=tmp_path / "no-frontend",
        device="cpu",
        max_unstarted_runs_per_client=8,
    )


def create(
    client: TestClient, spec: dict[str, Any], owner: str = OWNER, start: bool = False
) -> dict[str, Any]:
    r = client.post("/api/v1/runs", json={"spec": spec, "start": start, "owner": owner})
    assert r.status_code == 201, r.text
    return r.json()


def listing(client: TestClient, query: str = "", owner: str | None = None) -> dict[str, Any]:
    headers = {"X-Glassnet-Owner": owner} if owner else {}
    r = client.get(f"/api/v1/runs{query}", headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


def test_each_run_carries_a_one_line_summary_of_its_spec(client: TestClient) -> None:
    run = create(client, tiny_spec())
    item = listing(client)["runs"][0]
    assert item["id"] == run["id"]
    assert item["summary"] == "2-4-1 tanh · sgd α 0.03 · xor"


def test_a_run_lists_what_changed_from_its_owners_previous_run(client: TestClient) -> None:
    first = create(client, tiny_spec())
    second = create(client, tiny_spec(optimizer={"kind": "sgd", "lr": 0.1}))
    newest, oldest = listing(client)["runs"]
    assert (newest["id"], oldest["id"]) == (second["id"], first["id"])
    assert newest["diff"] == {
        "previous": first["id"],
        "changes": [{"pointer": "/training/optimizer/lr", "old": 0.03, "new": 0.1}],
        "omitted": 0,
    }
    assert oldest["diff"] is None


def test_runs_of_another_owner_are_not_the_previous_run(client: TestClient) -> None:
    create(client, tiny_spec(), owner="someone-else-token")
    mine = create(client, tiny_spec())
    item = next(r for r in listing(client)["runs"] if r["id"] == mine["id"])
    assert item["diff"] is None


def test_the_owner_token_marks_its_own_runs(client: TestClient) -> None:
    mine = create(client, tiny_spec())
    create(client, tiny_spec(), owner="someone-else-token")
    marked = {r["id"]: r["mine"] for r in listing(client, owner=OWNER)["runs"]}
    assert marked[mine["id"]] is True
    assert sorted(marked.values()) == [False, True]
    assert not any(r["mine"] for r in listing(client)["runs"])


def test_filter_by_one_or_several_states(client: TestClient, runs: Runs) -> None:
    done = create(client, tiny_spec(epochs=2), start=True)
    runs.wait_state(done["id"], "finished")
    waiting = create(client, tiny_spec())
    assert [r["id"] for r in listing(client, "?state=finished")["runs"]] == [done["id"]]
    assert [r["id"] for r in listing(client, "?state=created")["runs"]] == [waiting["id"]]
    both = listing(client, "?state=created&state=finished")
    assert {r["id"] for r in both["runs"]} == {done["id"], waiting["id"]}
    assert listing(client, "?state=failed")["total"] == 0


def test_an_unknown_state_is_422_naming_the_parameter(client: TestClient) -> None:
    r = client.get("/api/v1/runs?state=sleeping")
    assert r.status_code == 422
    assert r.json()["detail"][0]["pointer"] == "/query/state/0"


def test_filter_by_classroom_room(client: TestClient) -> None:
    create(client, tiny_spec())
    room = client.post("/api/v1/rooms", json={"title": "Lab"}).json()
    teacher = {"X-Glassnet-Teacher": room["teacher_token"]}
    assert (
        client.patch(
            f"/api/v1/rooms/{room['code']}", json={"spec": tiny_spec()}, headers=teacher
        ).status_code
        == 200
    )
    student = client.post(f"/api/v1/rooms/{room['code']}/join", json={}).json()
    fork = client.post(
        f"/api/v1/rooms/{room['code']}/forks",
        json={},
        headers={"X-Glassnet-Student": student["student_token"]},
    )
    assert fork.status_code == 201, fork.text
    listed = listing(client, f"?room={room['code'].lower()}")
    assert [r["id"] for r in listed["runs"]] == [fork.json()["id"]]


def test_pages_report_the_total_and_the_next_offset(client: TestClient) -> None:
    ids = [create(client, tiny_spec())["id"] for _ in range(3)]
    first = listing(client, "?limit=2")
    assert (first["count"], first["total"], first["next_offset"]) == (2, 3, 2)
    last = listing(client, "?limit=2&offset=2")
    assert (last["count"], last["total"], last["next_offset"]) == (1, 3, None)
    seen = [r["id"] for r in first["runs"] + last["runs"]]
    assert seen == ids[::-1]


def test_an_ended_run_has_its_final_metrics_and_end_time(client: TestClient, runs: Runs) -> None:
    run = create(client, tiny_spec(epochs=3), start=True)
    runs.wait_state(run["id"], "finished")
    item = listing(client)["runs"][0]
    assert item["latest_metrics"]["epoch"] == 3
    assert item["latest_metrics"]["loss"] is not None
    assert item["ended_at"] is not None
    assert item["ended_at"] >= item["created_at"]


def test_delete_removes_the_run_its_metrics_and_files(
    client: TestClient, runs: Runs, settings: Settings
) -> None:
    run = create(client, tiny_spec(epochs=3), start=True)
    runs.wait_state(run["id"], "finished")
    wait_for(
        lambda: (
            {p.parent.name for p in settings.data_dir.rglob(f"{run['id']}.*")}
            >= {"weights", "frames", "checkpoints", "paths"}
        ),
        "the run's final weights, last frame, checkpoint and parameter path on disk",
    )

    r = client.delete(f"/api/v1/runs/{run['id']}", headers={"X-Glassnet-Owner": OWNER})
    assert r.status_code == 204
    assert not list(settings.data_dir.rglob(f"{run['id']}*"))
    assert client.get(f"/api/v1/runs/{run['id']}").status_code == 404
    assert client.get(f"/api/v1/runs/{run['id']}/metrics").status_code == 404
    assert listing(client)["total"] == 0


def test_delete_ends_a_live_run_first(client: TestClient, runs: Runs) -> None:
    run = create(client, long_spec(), start=True)
    runs.wait_state(run["id"], "running")
    r = client.delete(f"/api/v1/runs/{run['id']}", headers={"X-Glassnet-Owner": OWNER})
    assert r.status_code == 204
    assert client.get(f"/api/v1/runs/{run['id']}").status_code == 404
    assert listing(client)["total"] == 0


def test_delete_without_the_owner_token_is_403(client: TestClient) -> None:
    run = create(client, tiny_spec())
    assert client.delete(f"/api/v1/runs/{run['id']}").status_code == 403
    wrong = client.delete(
        f"/api/v1/runs/{run['id']}", headers={"X-Glassnet-Owner": "not-the-owner"}
    )
    assert wrong.status_code == 403
    assert "owner" in wrong.json()["detail"][0]["message"]
    assert client.get(f"/api/v1/runs/{run['id']}").status_code == 200


def test_deleting_an_unknown_run_is_404(client: TestClient) -> None:
    r = client.delete("/api/v1/runs/nosuchrun", headers={"X-Glassnet-Owner": OWNER})
    assert r.status_code == 404
