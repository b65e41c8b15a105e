"""POST /api/v1/trace with parallel_workers: the data-parallel walk of the step, or a 422 naming
parallel_workers."""

from fastapi.testclient import TestClient

from glassnet.presets import get_preset

BODY = {
    "network": get_preset("kelleher-power-plant-logistic")["spec"]["network"],
    "inputs": [[0.04, 0.81], [0.84, 0.58], [0.5, 0.07], [0.53, 1.0]],
    "targets": [[0.94], [0.13], [0.57], [0.36]],
    "learning_rate": 0.2,
}


def test_the_trace_walks_the_step_across_two_workers(client: TestClient) -> None:
    r = client.post("/api/v1/trace", json={**BODY, "parallel_workers": 2})
    assert r.status_code == 200, r.text
    walk = r.json()["parallel"]
    assert len(walk["shards"]) == 2 and walk["max_abs_difference"] < 1e-15
    assert walk["full_batch"][0]["grad_weights"] == r.json()["layers"][0]["grad_weights"]


def test_workers_beyond_the_examples_or_the_range_are_422_on_parallel_workers(
    client: TestClient,
) -> None:
    for workers in (5, 9):
        r = client.post("/api/v1/trace", json={**BODY, "parallel_workers": workers})
        assert r.status_code == 422
        assert [p["pointer"] for p in r.json()["detail"]] == ["/parallel_workers"]
