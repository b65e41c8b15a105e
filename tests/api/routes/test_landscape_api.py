from fastapi.testclient import TestClient

URL = "/api/v1/landscape/trajectories"
RACE = {
    "function": "rosenbrock",
    "start": [-1.5, 2.0],
    "steps": 20,
    "optimizers": [
        {"kind": "sgd", "lr": 0.0005},
        {"kind": "momentum", "lr": 0.0005, "momentum": 0.9},
        {"kind": "adam", "lr": 0.05},
    ],
}


def test_a_race_returns_one_path_per_optimiser_with_its_state(client: TestClient) -> None:
    r = client.post(URL, json=RACE)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["function"]["name"] == "rosenbrock"
    assert [t["optimizer"]["kind"] for t in out["trajectories"]] == ["sgd", "momentum", "adam"]
    for t in out["trajectories"]:
        assert t["points"][0] == [-1.5, 2.0, 2.5**2 + 100 * (2.0 - 2.25) ** 2]
        assert len(t["points"]) == 21 and len(t["state"]) == 20
    assert out["trajectories"][1]["state"][0]["velocity"] is not None
    adam = out["trajectories"][2]["state"][0]
    assert all(adam[k] is not None for k in ("m", "v", "m_hat", "v_hat"))
    assert out["tuning"] is None and out["momentum_map"] is None
    assert len(out["surface"]["values"]) == 80


def test_tuned_mode_runs_each_optimiser_at_its_best_grid_lr(client: TestClient) -> None:
    r = client.post(URL, json={**RACE, "mode": "tuned"})
    assert r.status_code == 200, r.text
    out = r.json()
    assert [t["kind"] for t in out["tuning"]] == ["sgd", "momentum", "adam"]
    for tuning, path in zip(out["tuning"], out["trajectories"], strict=True):
        assert path["optimizer"]["lr"] == tuning["best_lr"]
        best = next(t for t in tuning["trials"] if t["lr"] == tuning["best_lr"])
        assert abs(best["final_loss"] - path["points"][-1][2]) < 1e-9


def test_the_momentum_map_marks_the_current_setting(client: TestClient) -> None:
    body = {
        "function": "quadratic",
        "condition_number": 20,
        "start": [-2.5, 1.5],
        "steps": 5,
        "optimizers": [{"kind": "momentum", "lr": 0.01, "momentum": 0.8}],
        "momentum_map": {"kind": "momentum", "lr": 0.01, "momentum": 0.8},
    }
    r = client.post(URL, json=body)
    assert r.status_code == 200, r.text
    mapped = r.json()["momentum_map"]
    assert mapped["current"] == {"lr": 0.01, "momentum": 0.8}
    assert mapped["condition_number"] == 20
    assert len(mapped["steps"]) == len(mapped["learning_rates"])
    assert all(len(row) == len(mapped["momenta"]) for row in mapped["steps"])


def test_a_diverging_path_travels_without_infinities(client: TestClient) -> None:
    body = {"start": [2.0, 0.0], "steps": 50, "optimizers": [{"kind": "sgd", "lr": 5.0}]}
    r = client.post(URL, json=body)
    assert r.status_code == 200, r.text
    assert r.json()["trajectories"][0]["diverged"] is True


def test_bad_input_is_a_422_naming_every_field(client: TestClient) -> None:
    body = {
        "function": "ackley",
        "start": [1.0],
        "steps": 0,
        "optimizers": [{"kind": "lbfgs"}],
        "momentum_map": {"kind": "adam"},
    }
    r = client.post(URL, json=body)
    assert r.status_code == 422
    pointers = {p["pointer"] for p in r.json()["detail"]}
    assert {"/function", "/steps", "/optimizers/0/kind", "/momentum_map/kind"} <= pointers
    assert any(p.startswith("/start") for p in pointers)


def test_an_empty_race_is_refused(client: TestClient) -> None:
    r = client.post(URL, json={"start": [0, 1], "optimizers": []})
    assert r.status_code == 422
    assert r.json()["detail"][0]["pointer"] == "/optimizers"


def test_the_functions_are_listed_with_their_squares(client: TestClient) -> None:
    r = client.get("/api/v1/landscape/functions")
    assert r.status_code == 200
    names = [f["name"] for f in r.json()["functions"]]
    assert names == [
        "quadratic", "rosenbrock", "beale", "himmelblau", "saddle", "monkey_saddle", "plateau"
    ]  # fmt: skip


def test_nesterov_without_momentum_is_a_422_that_says_to_pick_sgd(client: TestClient) -> None:
    body = {"start": [1.0, 1.0], "optimizers": [{"kind": "nesterov", "momentum": 0}]}
    r = client.post(URL, json=body)
    assert r.status_code == 422
    problem = r.json()["detail"][0]
    assert problem["pointer"] == "/optimizers/0"
    assert "pick sgd" in problem["message"]
