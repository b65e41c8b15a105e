import io

import numpy as np
import onnx
import torch
from apihelpers import Runs, tiny_spec
from fastapi.testclient import TestClient
from safetensors.numpy import load

from glassnet.runs.export import rebuild


def _finished(runs: Runs, spec: dict) -> dict:  # type: ignore[type-arg]
    run = runs.create(spec, start=True)
    runs.wait_state(run["id"], "finished")
    return run


def test_safetensors_py_and_onnx(client: TestClient, runs: Runs) -> None:
    run = _finished(runs, tiny_spec(epochs=3))
    url = f"/api/v1/runs/{run['id']}/export"
    st = client.get(url, params={"format": "safetensors"})
    assert st.status_code == 200
    arrays = load(st.content)
    assert arrays["blocks.h.weight"].shape == (4, 2)

    py = client.get(url, params={"format": "py"})
    namespace: dict = {}  # type: ignore[type-arg]
    exec(compile(py.text, "export.py", "exec"), namespace)
    model = namespace["build"]()
    model.load_state_dict({namespace["KEYS"][k]: torch.from_numpy(v) for k, v in arrays.items()})
    assert isinstance(model, torch.nn.Sequential)

    ox = client.get(url, params={"format": "onnx"})
    assert ox.status_code == 200
    graph = onnx.load_model_from_string(ox.content)
    onnx.checker.check_model(graph)


def test_rebuilt_module_matches_the_engine(client: TestClient, runs: Runs) -> None:
    run = _finished(runs, tiny_spec(epochs=3))
    arrays = load(client.get(f"/api/v1/runs/{run['id']}/export").content)
    model = rebuild(tiny_spec(), arrays)
    x = torch.tensor([[0.5, -1.0], [2.0, 0.1]])
    w1, b1 = torch.from_numpy(arrays["blocks.h.weight"]), torch.from_numpy(arrays["blocks.h.bias"])
    w2, b2 = torch.from_numpy(arrays["blocks.y.weight"]), torch.from_numpy(arrays["blocks.y.bias"])
    expected = torch.sigmoid(torch.tanh(x @ w1.T + b1) @ w2.T + b2)
    np.testing.assert_allclose(model(x).detach().numpy(), expected.numpy(), rtol=1e-6)


def test_dag_export_has_a_forward(client: TestClient, runs: Runs) -> None:
    spec = tiny_spec(epochs=2)
    spec["network"] = {
        "nodes": [
            {"id": "x", "kind": "input", "shape": [2]},
            {"id": "a", "kind": "dense", "units": 3, "activation": "relu"},
            {"id": "b", "kind": "dense", "units": 3, "activation": "leaky_relu"},
            {"id": "s", "kind": "add"},
            {"id": "y", "kind": "dense", "units": 1, "activation": "sigmoid"},
        ],
        "edges": [["x", "a"], ["x", "b"], ["a", "s"], ["b", "s"], ["s", "y"]],
    }
    run = _finished(runs, spec)
    url = f"/api/v1/runs/{run['id']}/export"
    source = client.get(url, params={"format": "py"}).text
    assert "class Net" in source and "def forward" in source
    arrays = load(client.get(url).content)
    model = rebuild(spec, arrays)
    assert model(torch.zeros(4, 2)).shape == (4, 1)
    assert client.get(url, params={"format": "onnx"}).status_code == 200


def test_metrics_exports(client: TestClient, runs: Runs) -> None:
    run = _finished(runs, tiny_spec(epochs=2))
    url = f"/api/v1/runs/{run['id']}/export"
    assert client.get(url, params={"format": "csv"}).text.startswith("step,epoch")
    assert len(client.get(url, params={"format": "json"}).json()["metrics"]) == 2


def test_export_errors(client: TestClient, runs: Runs) -> None:
    assert client.get("/api/v1/runs/nope/export").status_code == 404
    run = runs.create()
    assert client.get(f"/api/v1/runs/{run['id']}/export?format=pickle").status_code == 422
    # A created run has its initial weights: exporting them is allowed.
    r = client.get(f"/api/v1/runs/{run['id']}/export")
    assert r.status_code == 200
    assert io.BytesIO(r.content).getbuffer().nbytes > 0
