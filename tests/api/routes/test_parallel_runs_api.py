"""Data-parallel runs through the REST API: the snapshot reports the workers, in the run's own
process by default or, with GLASSNET_DATA_PARALLEL=processes, in worker processes of their own."""

from apihelpers import Runs, tiny_spec, wait_for
from fastapi.testclient import TestClient

from glassnet.settings import Settings
from shared_schemas.snapshot import TelemetryFrame


def _stepped_frame(client: TestClient, runs: Runs, workers: int) -> dict:
    run = runs.create(tiny_spec(epochs=100_000, batch_size=8, parallel={"workers": workers}))
    runs.act(run, "step", steps=2)
    wait_for(lambda: runs.get(run["id"])["step"] == 2, "2 steps")
    frame = client.get(f"/api/v1/runs/{run['id']}/snapshot").json()
    runs.act(run, "stop")
    runs.wait_state(run["id"], "stopped")
    TelemetryFrame.model_validate(frame)
    return frame


def test_a_data_parallel_runs_snapshot_reports_its_workers(client: TestClient, runs: Runs) -> None:
    frame = _stepped_frame(client, runs, 4)
    assert frame["path"] == "parallel"
    assert [s["rows"] for s in frame["parallel"]["shards"]] == [[0, 2], [2, 4], [4, 6], [6, 8]]
    assert frame["parallel"]["in_process"] is True
    assert frame["parallel"]["max_abs_difference"] < 1e-6  # float32: rounding only


def test_with_worker_processes_the_shards_run_outside_the_run_and_the_step_is_the_same(
    client: TestClient, runs: Runs, settings: Settings
) -> None:
    settings.data_parallel = "processes"
    frame = _stepped_frame(client, runs, 2)
    assert frame["parallel"]["in_process"] is False
    assert frame["step"] == 2 and frame["status"] != "failed"
    assert frame["parallel"]["max_abs_difference"] < 1e-6
