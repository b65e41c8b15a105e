import base64
import json
from typing import Any

from apihelpers import Runs, long_spec, tiny_spec, wait_for
from fastapi.testclient import TestClient

from shared_schemas.snapshot import TelemetryFrame


def test_create_start_and_finish(runs: Runs) -> None:
    run = runs.create(tiny_spec(epochs=5), start=True)
    assert run["state"] == "running"
    assert run["owner"]
    done = runs.wait_state(run["id"], "finished")
    assert done["epoch"] == 5
    assert done["latest_metrics"]["loss"] is not None
    assert done["stop_reason"]
    assert done["spec"]["network"]["nodes"][0]["id"] == "x"


def test_list_runs(client: TestClient, runs: Runs) -> None:
    a = runs.create()
    b = runs.create()
    listed = client.get("/api/v1/runs").json()
    assert listed["count"] == 2
    assert {r["id"] for r in listed["runs"]} == {a["id"], b["id"]}
    assert "owner" not in listed["runs"][0]


def test_unknown_run_is_404(client: TestClient) -> None:
    assert client.get("/api/v1/runs/nope").status_code == 404
    assert client.get("/api/v1/runs/nope/metrics").status_code == 404
    assert client.get("/api/v1/runs/nope/snapshot").status_code == 404


def test_invalid_spec_problems_point_into_the_body(client: TestClient) -> None:
    spec = tiny_spec()
    spec["network"]["nodes"][1]["units"] = -1
    r = client.post("/api/v1/runs", json={"spec": spec})
    assert r.status_code == 422
    assert r.json()["detail"][0]["pointer"] == "/spec/network/nodes/1/units"


def test_wrong_types_are_422_with_pointers(client: TestClient) -> None:
    r = client.post("/api/v1/runs", json={"spec": tiny_spec(), "start": "maybe"})
    assert r.status_code == 422
    assert r.json()["detail"][0]["pointer"] == "/start"


def test_step_pause_resume_stop(runs: Runs) -> None:
    run = runs.create(long_spec())
    r = runs.act(run, "step", steps=7)
    assert r.status_code == 200
    assert r.json()["state"] == "paused"
    wait_for(lambda: runs.get(run["id"])["step"] == 7, "7 steps")
    assert runs.act(run, "epoch").status_code == 200
    wait_for(lambda: runs.get(run["id"])["epoch"] >= 1, "one epoch")
    assert runs.act(run, "resume").json()["state"] == "running"
    wait_for(lambda: runs.get(run["id"])["step"] > 50, "training")
    r = runs.act(run, "set_lr", lr=0.5)
    assert r.status_code == 200, r.text
    r = runs.act(run, "pause")
    assert r.json()["state"] == "paused", r.text
    paused = runs.wait_state(run["id"], "paused")
    stopped = runs.act(run, "stop").json()
    assert stopped["state"] == "stopped"
    assert runs.wait_state(run["id"], "stopped")["step"] >= paused["step"]


def test_actions_that_do_not_fit_the_state_are_409(runs: Runs) -> None:
    run = runs.create(tiny_spec(epochs=2), start=True)
    runs.wait_state(run["id"], "finished")
    r = runs.act(run, "resume")
    assert r.status_code == 409
    assert "finished" in r.json()["detail"][0]["message"]


def test_only_the_owner_may_act(client: TestClient, runs: Runs) -> None:
    run = runs.create()
    url = f"/api/v1/runs/{run['id']}/actions"
    assert client.post(url, json={"action": "start"}).status_code == 403
    bad = client.post(url, json={"action": "start"}, headers={"X-Glassnet-Owner": "x" * 20})
    assert bad.status_code == 403
    ok = client.post(url, json={"action": "stop", "owner": run["owner"]})
    assert ok.status_code == 200


def test_set_lr_needs_lr_and_bad_actions_are_422(runs: Runs) -> None:
    run = runs.create()
    assert runs.act(run, "set_lr").status_code == 422
    assert runs.act(run, "fly").status_code == 422
    assert runs.act(run, "step", steps=0).status_code == 422


def test_metrics_json_and_csv(client: TestClient, runs: Runs) -> None:
    run = runs.create(tiny_spec(epochs=3), start=True)
    runs.wait_state(run["id"], "finished")
    rows = client.get(f"/api/v1/runs/{run['id']}/metrics").json()["metrics"]
    assert [r["epoch"] for r in rows] == [1, 2, 3]
    csv = client.get(f"/api/v1/runs/{run['id']}/metrics", params={"format": "csv"})
    assert csv.headers["content-type"].startswith("text/csv")
    lines = csv.text.strip().splitlines()
    assert lines[0].startswith("step,epoch,loss")
    assert len(lines) == 4
    assert client.get(f"/api/v1/runs/{run['id']}/metrics?format=xml").status_code == 422


def test_snapshot_of_paused_and_finished_runs(client: TestClient, runs: Runs) -> None:
    run = runs.create(long_spec())
    runs.act(run, "step", steps=3)
    wait_for(lambda: runs.get(run["id"])["step"] == 3, "3 steps")
    frame = client.get(f"/api/v1/runs/{run['id']}/snapshot").json()
    TelemetryFrame.model_validate(frame)
    assert frame["run"] == run["id"]
    assert frame["step"] == 3
    layer = frame["layers"][0]
    assert layer["id"] == "h"
    assert isinstance(layer["z"]["hist"]["counts"], list)
    runs.act(run, "stop")
    runs.wait_state(run["id"], "stopped")
    # "stopped" answers at once; the run's own last frame follows from its worker as it ends
    wait_for(
        lambda: client.get(f"/api/v1/runs/{run['id']}/snapshot").json()["seq"] > frame["seq"],
        "the stopped run's last frame",
    )


def _digits_spec(train_fraction: float) -> dict[str, Any]:
    return {
        "network": {
            "nodes": [
                {"id": "x", "kind": "input", "shape": [1, 8, 8]},
                {"id": "f", "kind": "flatten"},
                {"id": "y", "kind": "dense", "units": 10, "activation": "softmax"},
            ]
        },
        "data": {"dataset": "digits", "n": 60, "train_fraction": train_fraction},
        "training": {"loss": "cross_entropy"},
    }


def test_examples_are_the_inputs_behind_the_snapshot_predictions(
    client: TestClient, runs: Runs
) -> None:
    run = runs.create(_digits_spec(0.5))
    predicted = client.get(f"/api/v1/runs/{run['id']}/snapshot").json()["predictions"]
    assert predicted["split"] == "val" and predicted["n"] == 30
    examples = client.get(f"/api/v1/runs/{run['id']}/examples?split=val&limit=5").json()
    assert (examples["split"], examples["n"], examples["kind"]) == ("val", 30, "images")
    assert examples["labels"] == [e["target"] for e in predicted["examples"][:5]]
    images = examples["images"]
    assert (images["height"], images["width"], len(images["data"])) == (8, 8, 5)
    assert len(base64.b64decode(images["data"][0])) == 64


def test_examples_of_a_table_are_its_unscaled_rows(client: TestClient, runs: Runs) -> None:
    run = runs.create(tiny_spec())
    examples = client.get(f"/api/v1/runs/{run['id']}/examples?split=train&limit=3").json()
    table = examples["table"]
    assert examples["kind"] == "table" and len(table["rows"]) == 3
    assert len(table["columns"]) == len(table["rows"][0])


def test_examples_reject_an_unknown_split_and_run(client: TestClient, runs: Runs) -> None:
    run = runs.create()
    assert client.get(f"/api/v1/runs/{run['id']}/examples?split=test").status_code == 422
    assert client.get(f"/api/v1/runs/{run['id']}/examples?limit=0").status_code == 422
    assert client.get("/api/v1/runs/nope/examples").status_code == 404


def test_runs_can_name_their_experiment(client: TestClient) -> None:
    exp = client.post("/api/v1/experiments", json={"name": "e", "spec": tiny_spec()}).json()
    r = client.post("/api/v1/runs", json={"spec": tiny_spec(), "experiment_id": exp["id"]})
    assert r.status_code == 201 and r.json()["experiment_id"] == exp["id"]
    r = client.post("/api/v1/runs", json={"spec": tiny_spec(), "experiment_id": "nope"})
    assert r.status_code == 422
    assert r.json()["detail"][0]["pointer"] == "/experiment_id"


def test_a_string_for_start_is_422_with_its_pointer(client: TestClient) -> None:
    r = client.post("/api/v1/runs", json={"spec": tiny_spec(), "start": "yes"})
    assert r.status_code == 422
    assert [p["pointer"] for p in r.json()["detail"]] == ["/start"]


def test_a_boolean_for_units_is_422_with_its_pointer(client: TestClient) -> None:
    spec = tiny_spec()
    spec["network"]["nodes"][1]["units"] = True
    r = client.post("/api/v1/runs", json={"spec": spec})
    assert r.status_code == 422
    assert [p["pointer"] for p in r.json()["detail"]] == ["/spec/network/nodes/1/units"]


def test_a_string_for_steps_is_422_with_its_pointer(client: TestClient, runs: Runs) -> None:
    run = runs.create(tiny_spec())
    r = client.post(
        f"/api/v1/runs/{run['id']}/actions",
        json={"action": "step", "steps": "3"},
        headers={"X-Glassnet-Owner": run["owner"]},
    )
    assert r.status_code == 422
    assert [p["pointer"] for p in r.json()["detail"]] == ["/steps"]


def test_nan_weights_are_refused_before_training(client: TestClient) -> None:
    spec = tiny_spec()
    spec["network"]["nodes"][2]["weights"] = [[0.1, 0.2, float("nan"), 0.4]]
    body = json.dumps({"spec": spec})  # Python's JSON writer spells NaN, as a careless client may
    r = client.post("/api/v1/runs", content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 422
    assert [p["pointer"] for p in r.json()["detail"]] == ["/spec/network/nodes/2/weights/0/2"]


def test_a_client_holding_unstarted_runs_is_told_to_start_or_stop_one(
    client: TestClient, runs: Runs
) -> None:
    first = runs.create()
    runs.create()
    r = client.post("/api/v1/runs", json={"spec": tiny_spec()})
    assert r.status_code == 429
    (problem,) = r.json()["detail"]
    assert "2 runs created and not started" in problem["message"]
    assert "start or stop one of them" in problem["message"]
    assert client.post("/api/v1/runs", json={"spec": tiny_spec(), "start": True}).status_code == 201
    runs.act(first, "stop")
    runs.create()  # the stopped run gave its place back
