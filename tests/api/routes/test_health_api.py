from fastapi.testclient import TestClient


def test_healthz(client: TestClient) -> None:
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json()["status"] == "ok"


def test_openapi_and_docs(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    doc = client.get("/openapi.json").json()
    assert "/api/v1/runs" in doc["paths"]
    create = doc["paths"]["/api/v1/runs"]["post"]
    assert {"201", "413", "422", "429"} <= set(create["responses"])
