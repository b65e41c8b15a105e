from typing import Any

from apihelpers import tiny_spec
from fastapi.testclient import TestClient

from glassnet.store import Store


def _save(client: TestClient, name: str = "xor", **body: Any) -> dict[str, Any]:
    r = client.post("/api/v1/experiments", json={"name": name, "spec": tiny_spec(), **body})
    assert r.status_code == 201, r.text
    return r.json()


def _as(token: str) -> dict[str, str]:
    return {"X-Glassnet-Owner": token}


def test_experiment_crud(client: TestClient) -> None:
    exp = _save(client)
    assert 6 <= len(exp["id"]) <= 12
    owner = _as(exp["owner"])
    assert client.get(f"/api/v1/experiments/{exp['id']}").json()["spec"] == tiny_spec()
    listed = client.get("/api/v1/experiments").json()
    assert listed["count"] == 1
    r = client.put(f"/api/v1/experiments/{exp['id']}", json={"name": "renamed"}, headers=owner)
    up = r.json()
    assert up["name"] == "renamed" and up["spec"] == tiny_spec() and up["mine"] is True
    assert up["updated_at"] >= exp["updated_at"]
    assert client.delete(f"/api/v1/experiments/{exp['id']}", headers=owner).status_code == 204
    assert client.get(f"/api/v1/experiments/{exp['id']}").status_code == 404
    assert client.delete(f"/api/v1/experiments/{exp['id']}", headers=owner).status_code == 404


def test_experiment_errors(client: TestClient) -> None:
    r = client.post("/api/v1/experiments", json={"name": "", "spec": {}})
    assert r.status_code == 422
    assert r.json()["detail"][0]["pointer"] == "/name"
    assert client.post("/api/v1/experiments", json={"spec": {}}).status_code == 422
    assert client.put("/api/v1/experiments/nope", json={"name": "a"}).status_code == 404
    r = client.post("/api/v1/experiments", json={"name": "a", "spec": {}, "extra": 1})
    assert r.json()["detail"][0]["pointer"] == "/extra"


def test_the_server_makes_an_owner_token_when_none_is_sent(client: TestClient) -> None:
    assert len(_save(client)["owner"]) >= 16


def test_a_chosen_owner_token_is_kept(client: TestClient) -> None:
    exp = _save(client, owner="my-browser-token")
    assert exp["owner"] == "my-browser-token" and exp["mine"] is True


def test_rename_without_the_owner_token_is_403_saying_why(client: TestClient) -> None:
    exp = _save(client)
    r = client.put(f"/api/v1/experiments/{exp['id']}", json={"name": "mine now"})
    assert r.status_code == 403
    assert "owner token" in r.json()["detail"][0]["message"]
    assert client.get(f"/api/v1/experiments/{exp['id']}").json()["name"] == "xor"


def test_delete_with_another_token_is_403(client: TestClient) -> None:
    exp = _save(client)
    r = client.delete(f"/api/v1/experiments/{exp['id']}", headers=_as("someone-else"))
    assert r.status_code == 403
    assert "does not match" in r.json()["detail"][0]["message"]
    assert client.get(f"/api/v1/experiments/{exp['id']}").status_code == 200


def test_emptying_the_spec_without_the_owner_token_is_403(client: TestClient) -> None:
    exp = _save(client)
    r = client.put(f"/api/v1/experiments/{exp['id']}", json={"spec": {}})
    assert r.status_code == 403
    assert client.get(f"/api/v1/experiments/{exp['id']}").json()["spec"] == tiny_spec()


def test_reading_and_listing_need_no_token_and_say_whose_it_is(client: TestClient) -> None:
    exp = _save(client, owner="alice-token")
    assert client.get(f"/api/v1/experiments/{exp['id']}").json()["mine"] is False
    got = client.get(f"/api/v1/experiments/{exp['id']}", headers=_as("alice-token")).json()
    assert got["mine"] is True
    listed = client.get("/api/v1/experiments", headers=_as("bob-token-1")).json()
    assert [(e["id"], e["mine"]) for e in listed["experiments"]] == [(exp["id"], False)]


def test_mine_lists_only_the_tokens_own(client: TestClient) -> None:
    alice = _save(client, "a", owner="alice-token")
    _save(client, "b", owner="bob-token-1")
    r = client.get("/api/v1/experiments", params={"mine": True}, headers=_as("alice-token"))
    body = r.json()
    assert [e["id"] for e in body["experiments"]] == [alice["id"]] and body["total"] == 1
    assert client.get("/api/v1/experiments", params={"mine": True}).status_code == 403


def test_the_list_is_paged(client: TestClient) -> None:
    ids = {_save(client, f"e{i}")["id"] for i in range(5)}
    first = client.get("/api/v1/experiments", params={"limit": 2}).json()
    assert first["count"] == 2 and first["total"] == 5 and first["next_offset"] == 2
    seen = [e["id"] for e in first["experiments"]]
    offset = first["next_offset"]
    while offset is not None:
        page = client.get("/api/v1/experiments", params={"limit": 2, "offset": offset}).json()
        seen += [e["id"] for e in page["experiments"]]
        offset = page["next_offset"]
    assert len(seen) == 5 and set(seen) == ids


def test_a_spec_is_validated_on_save_with_every_problem(client: TestClient) -> None:
    spec = tiny_spec()
    spec["network"]["nodes"][1]["units"] = 0
    spec["training"]["epochs"] = "many"
    r = client.post("/api/v1/experiments", json={"name": "bad", "spec": spec})
    assert r.status_code == 422
    pointers = {p["pointer"] for p in r.json()["detail"]}
    assert pointers == {"/spec/network/nodes/1/units", "/spec/training/epochs"}
    assert client.get("/api/v1/experiments").json()["total"] == 0


def test_a_junk_spec_is_refused_on_update(client: TestClient) -> None:
    exp = _save(client)
    r = client.put(
        f"/api/v1/experiments/{exp['id']}",
        json={"spec": {"junk": "x" * 1000}},
        headers=_as(exp["owner"]),
    )
    assert r.status_code == 422
    assert client.get(f"/api/v1/experiments/{exp['id']}").json()["spec"] == tiny_spec()


def test_an_experiment_saved_before_owners_is_read_only(client: TestClient) -> None:
    store: Store = client.app.state.store  # type: ignore[attr-defined]
    row = store.create_experiment("old", tiny_spec())
    assert client.get(f"/api/v1/experiments/{row.id}").status_code == 200
    r = client.delete(f"/api/v1/experiments/{row.id}", headers=_as("any-token"))
    assert r.status_code == 403
    assert "save a copy" in r.json()["detail"][0]["message"]
