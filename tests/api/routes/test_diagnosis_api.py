"""The diagnosis over REST: a script reads the same sentences the app shows."""

from __future__ import annotations

from apihelpers import Runs
from fastapi.testclient import TestClient


def test_a_snapshot_carries_the_diagnosis_in_the_apps_words(client: TestClient, runs: Runs) -> None:
    spec = client.get("/api/v1/presets/init-normal-0.01").json()["spec"]
    spec["training"]["epochs"] = 2
    run = runs.create(spec, start=True)
    runs.wait_state(run["id"], "finished")
    findings = client.get(f"/api/v1/runs/{run['id']}/snapshot").json()["diagnostics"]
    vanishing = next(f for f in findings if f["code"] == "vanishing")
    assert vanishing["layer"] == "HL1" and vanishing["severity"] == "warning"
    assert vanishing["message"].startswith("δ in layer HL1 is 10⁻")
    assert vanishing["message"].endswith(
        "gradients are vanishing; try Xavier/He init, ReLU, or batch norm."
    )
