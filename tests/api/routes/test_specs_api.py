from apihelpers import tiny_spec
from fastapi.testclient import TestClient


def test_valid_spec_gives_shapes_and_parameter_count(client: TestClient) -> None:
    r = client.post("/api/v1/specs/validate", json=tiny_spec())
    assert r.status_code == 200
    body = r.json()
    assert body["parameter_count"] == 2 * 4 + 4 + 4 * 1 + 1
    assert [n["shape"] for n in body["nodes"]] == [[2], [4], [1]]


def test_invalid_spec_lists_every_problem_with_pointers(client: TestClient) -> None:
    spec = tiny_spec()
    spec["network"]["nodes"][1]["units"] = 0
    spec["training"]["loss"] = "nope"
    r = client.post("/api/v1/specs/validate", json=spec)
    assert r.status_code == 422
    pointers = {p["pointer"] for p in r.json()["detail"]}
    assert "/network/nodes/1/units" in pointers
    assert "/training/loss" in pointers


def test_malformed_json_is_422_with_a_problem(client: TestClient) -> None:
    r = client.post(
        "/api/v1/specs/validate", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 422
    assert "JSON" in r.json()["detail"][0]["message"]


def test_caps_on_units_are_429(client: TestClient, settings) -> None:  # type: ignore[no-untyped-def]
    settings.max_units = 3
    r = client.post("/api/v1/specs/validate", json=tiny_spec())
    assert r.status_code == 429
    assert r.json()["detail"][0]["pointer"] == "/network/nodes/1"


def test_output_that_does_not_fit_the_data_is_422_on_the_output_node(client: TestClient) -> None:
    spec = tiny_spec()
    spec["data"] = {"dataset": "digits", "flatten": True, "n": 50}
    spec["network"]["nodes"][0]["shape"] = [64]
    r = client.post("/api/v1/specs/validate", json=spec)
    assert r.status_code == 422
    (problem,) = r.json()["detail"]
    assert problem["pointer"] == "/network/nodes/2"
    assert "10 target value(s)" in problem["message"]


def test_dropout_given_p_and_rho_that_disagree_is_422_naming_keep_probability(
    client: TestClient,
) -> None:
    spec = tiny_spec()
    spec["network"]["nodes"].insert(
        2, {"id": "d", "kind": "dropout", "drop_probability": 0.5, "keep_probability": 0.8}
    )
    r = client.post("/api/v1/specs/validate", json=spec)
    assert r.status_code == 422
    [problem] = r.json()["detail"]
    assert problem["pointer"] == "/network/nodes/2/keep_probability"
    assert "p = 1 − ρ" in problem["message"]
