from fastapi.testclient import TestClient

NETWORK = {
    "nodes": [
        {"id": "x", "kind": "input", "shape": [2]},
        {
            "id": "y",
            "kind": "dense",
            "units": 1,
            "activation": "sigmoid",
            "weights": [[0.5, -0.5]],
            "bias": [0.1],
        },
    ]
}


def test_trace_one_iteration(client: TestClient) -> None:
    body = {"network": NETWORK, "inputs": [[1.0, 0.0]], "targets": [[1.0]], "learning_rate": 0.5}
    r = client.post("/api/v1/trace", json=body)
    assert r.status_code == 200, r.text
    out = r.json()
    layer = out["layers"][0]
    assert layer["id"] == "y"
    assert abs(layer["z"][0][0] - 0.6) < 1e-12
    assert out["loss"] > 0


def test_trace_errors_are_422_with_pointers(client: TestClient) -> None:
    bad = {"network": NETWORK, "inputs": [[1.0, 0.0]], "targets": [[1.0]], "loss": "nope"}
    r = client.post("/api/v1/trace", json=bad)
    assert r.status_code == 422
    assert r.json()["detail"][0]["pointer"] == "/loss"
    net = {
        "nodes": [
            {"id": "x", "kind": "input", "shape": [2]},
            {"id": "y", "kind": "dense", "units": 0},
        ]
    }
    r = client.post("/api/v1/trace", json={"network": net, "inputs": [[1, 0]], "targets": [[1]]})
    assert r.status_code == 422
    assert r.json()["detail"][0]["message"]


def test_trace_of_a_preset_spec_gives_the_books_delta_8_for_d2(client: TestClient) -> None:
    spec = client.get("/api/v1/presets/kelleher-power-plant-logistic").json()["spec"]
    r = client.post("/api/v1/trace/spec", json={"spec": spec})
    assert r.status_code == 200, r.text
    out = r.json()["layers"][-1]
    assert len(out["delta"]) == 4  # the book's full batch d1..d4
    assert round(out["delta"][1][0], 4) == 0.0852


def test_trace_of_a_spec_names_a_bad_example_index(client: TestClient) -> None:
    spec = client.get("/api/v1/presets/kelleher-power-plant-logistic").json()["spec"]
    r = client.post("/api/v1/trace/spec", json={"spec": spec, "example_indices": [7]})
    assert r.status_code == 422
    assert r.json()["detail"][0]["pointer"] == "/example_indices"


def test_trace_of_an_invalid_spec_points_into_the_spec(client: TestClient) -> None:
    r = client.post("/api/v1/trace/spec", json={"spec": {"network": {"nodes": []}}})
    assert r.status_code == 422
    assert r.json()["detail"][0]["pointer"].startswith("/spec/network")


def test_perceptron_rule_needs_a_single_threshold_layer(client: TestClient) -> None:
    network = {
        "nodes": [
            {"id": "x", "kind": "input", "shape": [2]},
            {"id": "y", "kind": "dense", "units": 1, "activation": "sigmoid"},
        ]
    }
    body = {"network": network, "inputs": [[0, 1]], "targets": [[1]], "rule": "perceptron"}
    r = client.post("/api/v1/trace", json=body)
    assert r.status_code == 422
    assert r.json()["detail"][0]["pointer"] == "/rule"


def test_trace_with_adam_reports_its_moments_for_every_weighted_layer(client: TestClient) -> None:
    body = {
        "network": NETWORK,
        "inputs": [[1.0, 0.0]],
        "targets": [[1.0]],
        "optimizer": {"kind": "adam", "lr": 0.001},
    }
    r = client.post("/api/v1/trace", json=body)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["step_optimizer"]["kind"] == "adam"
    state = out["layers"][0]["optimizer_state"]
    assert set(state) == {"weights", "bias"}
    assert set(state["weights"]) == {"m", "v", "m_hat", "v_hat"}


def test_trace_with_nesterov_and_no_momentum_is_a_422(client: TestClient) -> None:
    body = {
        "network": NETWORK,
        "inputs": [[1.0, 0.0]],
        "targets": [[1.0]],
        "optimizer": {"kind": "nesterov", "momentum": 0},
    }
    r = client.post("/api/v1/trace", json=body)
    assert r.status_code == 422
    assert r.json()["detail"][0]["pointer"] == "/optimizer/momentum"


def test_trace_of_a_spec_with_its_own_optimiser_reports_the_step_and_state(
    client: TestClient,
) -> None:
    spec = client.get("/api/v1/presets/optimizers-power-plant-adam").json()["spec"]
    r = client.post("/api/v1/trace/spec", json={"spec": spec, "use_optimizer": True})
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["step_optimizer"]["kind"] == "adam"
    assert all(
        set(layer["optimizer_state"]["bias"]) >= {"m_hat", "v_hat"} for layer in out["layers"]
    )
