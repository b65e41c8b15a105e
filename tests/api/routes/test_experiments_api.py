from apihelpers import tiny_spec
from fastapi.testclient import TestClient


def test_experiment_crud(client: TestClient) -> None:
    r = client.post("/api/v1/experiments", json={"name": "xor", "spec": tiny_spec()})
    assert r.status_code == 201
    exp = r.json()
    assert 6 <= len(exp["id"]) <= 12
    assert client.get(f"/api/v1/experiments/{exp['id']}").json()["spec"] == tiny_spec()
    listed = client.get("/api/v1/experiments").json()
    assert listed["count"] == 1
    up = client.put(f"/api/v1/experiments/{exp['id']}", json={"name": "renamed"}).json()
    assert up["name"] == "renamed" and up["spec"] == tiny_spec()
    assert up["updated_at"] >= exp["updated_at"]
    assert client.delete(f"/api/v1/experiments/{exp['id']}").status_code == 204
    assert client.get(f"/api/v1/experiments/{exp['id']}").status_code == 404
    assert client.delete(f"/api/v1/experiments/{exp['id']}").status_code == 404


def test_experiment_errors(client: TestClient) -> None:
    r = client.post("/api/v1/experiments", json={"name": "", "spec": {}})
    assert r.status_code == 422
    assert r.json()["detail"][0]["pointer"] == "/name"
    assert client.post("/api/v1/experiments", json={"spec": {}}).status_code == 422
    assert client.put("/api/v1/experiments/nope", json={"name": "a"}).status_code == 404
    r = client.post("/api/v1/experiments", json={"name": "a", "spec": {}, "extra": 1})
    assert r.json()["detail"][0]["pointer"] == "/extra"
