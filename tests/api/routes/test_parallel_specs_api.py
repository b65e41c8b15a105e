"""Data-parallel settings (training.parallel) are checked like every other part of a RunSpec: each
problem a 422 naming its field and the fix."""

from apihelpers import tiny_spec
from fastapi.testclient import TestClient


def _problems(client: TestClient, spec: dict) -> dict[str, str]:
    r = client.post("/api/v1/specs/validate", json=spec)
    assert r.status_code == 422
    return {p["pointer"]: p["message"] for p in r.json()["detail"]}


def test_a_data_parallel_spec_validates(client: TestClient) -> None:
    spec = tiny_spec(batch_size=8, parallel={"workers": 4, "mode": "async", "staleness": 2})
    assert client.post("/api/v1/specs/validate", json=spec).status_code == 200


def test_more_workers_than_batch_rows_is_422_on_workers_saying_how_rows_are_split(
    client: TestClient,
) -> None:
    problems = _problems(client, tiny_spec(batch_size=3, parallel={"workers": 4}))
    message = problems["/training/parallel/workers"]
    assert "batch of 3 rows" in message and "⌊b/k⌋ or ⌈b/k⌉" in message


def test_more_workers_than_examples_in_a_full_batch_is_422_on_workers(client: TestClient) -> None:
    spec = tiny_spec(parallel={"workers": 8})
    spec["data"] = {"dataset": "xor_gate"}  # the four rows of the truth table
    problems = _problems(client, spec)
    assert "batch of 4 rows" in problems["/training/parallel/workers"]


def test_workers_and_staleness_out_of_range_are_422_naming_each(client: TestClient) -> None:
    spec = tiny_spec(parallel={"workers": 9, "mode": "async", "staleness": 17})
    problems = _problems(client, spec)
    assert "/training/parallel/workers" in problems
    assert "/training/parallel/staleness" in problems


def test_staleness_in_sync_mode_is_422_naming_staleness(client: TestClient) -> None:
    problems = _problems(client, tiny_spec(parallel={"workers": 2, "staleness": 3}))
    assert "async" in problems["/training/parallel/staleness"]


def test_batch_norm_with_data_parallelism_is_422_on_the_batchnorm_node(client: TestClient) -> None:
    spec = tiny_spec(parallel={"workers": 2})
    spec["network"]["nodes"].insert(2, {"id": "bn", "kind": "batchnorm"})
    problems = _problems(client, spec)
    assert "shard" in problems["/network/nodes/2"]
