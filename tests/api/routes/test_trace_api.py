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


def _wide_network(units: int) -> dict:  # type: ignore[type-arg]
    return {
        "nodes": [
            {"id": "x", "kind": "input", "shape": [2]},
            {"id": "h", "kind": "dense", "units": units, "activation": "tanh"},
            {"id": "y", "kind": "dense", "units": 1, "activation": "sigmoid"},
        ]
    }


def test_huge_and_non_finite_inputs_are_refused_with_their_pointers(client: TestClient) -> None:
    body = {"network": NETWORK, "inputs": [[1.0, 1e308]], "targets": [[1.0]]}
    r = client.post("/api/v1/trace", json=body)
    assert r.status_code == 422
    problem = r.json()["detail"][0]
    assert problem["pointer"] == "/inputs/0/1" and "±1e+06" in problem["message"]
    body = {"network": NETWORK, "inputs": [[1.0, 0.0]], "targets": [[True]]}
    assert client.post("/api/v1/trace", json=body).json()["detail"][0]["pointer"] == "/targets/0/0"


def test_a_trace_answer_over_the_cap_is_422_saying_how_to_ask_for_less(
    client: TestClient, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.max_trace_values = 5000
    inputs = [[0.1 * i, 0.2] for i in range(10)]
    body = {"network": _wide_network(100), "inputs": inputs, "targets": [[1.0]] * 10}
    r = client.post("/api/v1/trace", json=body)
    assert r.status_code == 422
    problem = r.json()["detail"][0]
    assert problem["pointer"] == "/inputs"
    assert "5,000" in problem["message"] and "fewer examples" in problem["message"]
    body = {"network": _wide_network(100), "inputs": inputs[:1], "targets": [[1.0]]}
    assert client.post("/api/v1/trace", json=body).status_code == 200


def test_a_spec_trace_over_the_cap_points_at_example_indices(client: TestClient, settings) -> None:  # type: ignore[no-untyped-def]
    settings.max_trace_values = 5000
    spec = {"network": _wide_network(100), "data": {"dataset": "xor"}, "training": {"loss": "bce"}}
    r = client.post("/api/v1/trace/spec", json={"spec": spec})
    assert r.status_code == 422
    assert r.json()["detail"][0]["pointer"] == "/example_indices"
    r = client.post("/api/v1/trace/spec", json={"spec": spec, "example_indices": [0]})
    assert r.status_code == 200, r.text


def test_a_spec_trace_of_a_million_parameters_is_refused_by_default(client: TestClient) -> None:
    # 784·2048 + 2048 + 2048·10 + 10 ≈ 1.6 M parameters: a 100 MB answer before the cap
    spec = {
        "network": {
            "nodes": [
                {"id": "x", "kind": "input", "shape": [784]},
                {"id": "h", "kind": "dense", "units": 2048, "activation": "relu"},
                {"id": "y", "kind": "dense", "units": 10, "activation": "softmax"},
            ]
        },
        "data": {"dataset": "mnist", "flatten": True, "n": 200},
        "training": {"loss": "cross_entropy"},
    }
    r = client.post("/api/v1/trace/spec", json={"spec": spec, "example_indices": [0]})
    assert r.status_code == 422
    assert "smaller network" in r.json()["detail"][0]["message"]


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


BN_DROPOUT = {
    "nodes": [
        {"id": "x", "kind": "input", "shape": [1]},
        {"id": "bn", "kind": "batchnorm", "gamma": [2.0], "beta": [0.5]},
        {"id": "d", "kind": "dropout", "keep_probability": 0.5},
    ]
}


def test_trace_of_batch_norm_and_a_given_dropout_mask(client: TestClient) -> None:
    body = {
        "network": BN_DROPOUT,
        "inputs": [[1.0], [2.0], [3.0], [4.0]],
        "targets": [[0.0]] * 4,
        "masks": {"d": [[1], [0], [1], [1]]},
    }
    r = client.post("/api/v1/trace", json=body)
    assert r.status_code == 200, r.text
    bn, drop = r.json()["layers"]
    assert (bn["mean"], bn["var"]) == ([2.5], [1.25])
    assert drop["mask"] == [[1.0], [0.0], [1.0], [1.0]]
    assert drop["a"][1] == [0.0]


def test_a_mask_of_the_wrong_shape_is_422_at_its_pointer(client: TestClient) -> None:
    body = {
        "network": BN_DROPOUT,
        "inputs": [[1.0], [2.0]],
        "targets": [[0.0]] * 2,
        "masks": {"d": [[1, 0]]},
    }
    r = client.post("/api/v1/trace", json=body)
    assert r.status_code == 422
    assert r.json()["detail"][0]["pointer"] == "/masks/d"
