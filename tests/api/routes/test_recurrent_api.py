"""Recurrent specs over REST: shapes, student-readable 422s and the BPTT trace."""

import copy

import pytest
from fastapi.testclient import TestClient

LSTM_SPEC = {
    "network": {
        "nodes": [
            {"id": "x", "kind": "input", "shape": [11, 4]},
            {"id": "m", "kind": "lstm", "units": 3, "return_sequences": False},
            {"id": "y", "kind": "dense", "units": 1, "activation": "sigmoid"},
        ]
    },
    "data": {"dataset": "long_lag", "n": 40, "lag": 10},
    "training": {"loss": "bce", "bptt": {"truncate": 5}},
}


def test_lstm_spec_gives_shapes_and_parameter_count(client: TestClient) -> None:
    r = client.post("/api/v1/specs/validate", json=LSTM_SPEC)
    assert r.status_code == 200, r.text
    body = r.json()
    assert [n["shape"] for n in body["nodes"]] == [[11, 4], [3], [1]]
    assert body["parameter_count"] == 4 * (3 * (3 + 4) + 3) + 3 + 1


def _broken(path: tuple, value: object) -> dict:
    spec = copy.deepcopy(LSTM_SPEC)
    target = spec
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return spec


@pytest.mark.parametrize(
    ("spec", "pointer", "words"),
    [
        (
            _broken(("network", "nodes", 0, "shape"), [2]),
            "/network/nodes/1",
            "lstm 'm' expects a sequence [T, F] but 'x' gives [2]",
        ),
        (
            _broken(("network", "nodes", 1), {"id": "c", "kind": "conv2d", "filters": 2}),
            "/network/nodes/1",
            "read sequences with an rnn, lstm or gru node",
        ),
        (_broken(("network", "nodes", 1, "units"), 0), "/network/nodes/1/units", "at least 1"),
        (
            _broken(("training", "bptt", "truncate"), 12),
            "/training/bptt/truncate",
            "use a value from 1 to 11",
        ),
    ],
)
def test_bad_recurrent_spec_is_422_naming_the_field_and_fix(
    client: TestClient, spec: dict, pointer: str, words: str
) -> None:
    r = client.post("/api/v1/specs/validate", json=spec)
    assert r.status_code == 422
    problems = {p["pointer"]: p["message"] for p in r.json()["detail"]}
    assert words in problems[pointer]


def test_trace_returns_gates_cell_state_and_deltas_through_time(client: TestClient) -> None:
    body = {
        "network": {
            "nodes": [
                {"id": "x", "kind": "input", "shape": [3, 1]},
                {"id": "m", "kind": "lstm", "units": 2},
            ]
        },
        "inputs": [[[0.9], [0.1], [-0.5]]],
        "targets": [[[0.0, 1.0], [1.0, 0.0], [0.5, 0.5]]],
        "initial_state": {"m": {"h": [0.1, 0.8], "c": [0.3, 0.6]}},
    }
    r = client.post("/api/v1/trace", json=body)
    assert r.status_code == 200, r.text
    (layer,) = r.json()["layers"]
    assert set(layer["gates"]) == {"forget", "input", "candidate", "output"}
    assert set(layer["delta"]) == {"forget", "input", "candidate", "output", "c", "h"}
    assert len(layer["c"][0]) == 3 and len(layer["c"][0][0]) == 2
    assert layer["initial_state"] == {"h": [0.1, 0.8], "c": [0.3, 0.6]}
    assert len(layer["grad_weights"]["forget"][0]) == 2 + 1


def test_a_recurrent_run_snapshot_carries_the_recurrent_layers(client: TestClient) -> None:
    from apihelpers import Runs, wait_for

    runs = Runs(client)
    run = runs.create(LSTM_SPEC)
    runs.act(run, "step", steps=2)
    wait_for(lambda: runs.get(run["id"])["step"] == 2, "2 steps")
    frame = client.get(f"/api/v1/runs/{run['id']}/snapshot").json()
    (layer,) = frame["recurrent"]
    assert layer["kind"] == "lstm" and layer["steps"] == 11
    assert len(layer["delta_through_time"]["h"]) == 11
    assert isinstance(layer["gates"]["forget"]["z"]["hist"]["counts"], list)
    exported = client.get(f"/api/v1/runs/{run['id']}/export", params={"format": "py"})
    assert exported.status_code == 200 and "Recurrent('lstm', 4, 3, False)" in exported.text
