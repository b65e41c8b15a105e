"""Body size, rate limits, caps on active runs, the static frontend, and no pickles anywhere."""

from __future__ import annotations

import ast
from pathlib import Path

from apihelpers import Runs, long_spec, tiny_spec, wait_for
from fastapi.testclient import TestClient

from glassnet.api import create_app
from glassnet.api.limits import TokenBuckets
from glassnet.settings import Settings

BACKEND = Path(__file__).resolve().parents[2] / "backend" / "glassnet"


def test_json_body_over_2_mib_is_413(client: TestClient) -> None:
    body = b'{"name": "' + b"x" * (2 * 1024 * 1024 + 10) + b'", "spec": {}}'
    r = client.post(
        "/api/v1/experiments", content=body, headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 413
    assert r.json()["detail"][0]["message"]


def test_rate_limit_per_client(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, rate_limit_per_second=0.001, rate_limit_burst=3)
    with TestClient(create_app(settings)) as c:
        codes = [c.get("/api/v1/experiments").status_code for _ in range(5)]
        assert codes[:3] == [200, 200, 200]
        assert codes[3:] == [429, 429]
        assert c.get("/healthz").status_code == 200  # liveness is never limited


def test_active_run_cap_is_429_with_reason(
    client: TestClient, runs: Runs, settings: Settings
) -> None:
    settings.max_active_runs = 2
    a = runs.create(long_spec())
    runs.create(long_spec())
    r = client.post("/api/v1/runs", json={"spec": tiny_spec()})
    assert r.status_code == 429
    assert "at most 2 runs" in r.json()["detail"][0]["message"]
    runs.act(a, "stop")
    runs.wait_state(a["id"], "stopped")
    # the slot comes back once the stopped run's worker has exited (it counts until then)
    wait_for(
        lambda: client.post("/api/v1/runs", json={"spec": tiny_spec()}).status_code == 201,
        "the stopped run's slot",
    )


def test_parameter_and_layer_caps(client: TestClient, settings: Settings) -> None:
    settings.max_parameters = 10
    r = client.post("/api/v1/runs", json={"spec": tiny_spec()})
    assert r.status_code == 429
    assert "parameters" in r.json()["detail"][0]["message"]
    settings.max_parameters = 1000
    settings.max_layers = 1
    assert client.post("/api/v1/specs/validate", json=tiny_spec()).status_code == 429


def test_idle_runs_are_stopped(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, run_idle_seconds=0.2, rate_limit_burst=10_000)
    with TestClient(create_app(settings)) as c:
        run = Runs(c).create(long_spec())
        final = Runs(c).wait_state(run["id"], "stopped")
        assert "idle" in final["stop_reason"]


def test_wall_clock_limit_stops_running_runs(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, run_wall_seconds=0.3, rate_limit_burst=10_000)
    with TestClient(create_app(settings)) as c:
        run = Runs(c).create(long_spec(), start=True)
        final = Runs(c).wait_state(run["id"], "stopped")
        assert "limit" in final["stop_reason"]


def test_static_frontend_and_client_routes(tmp_path: Path) -> None:
    static = tmp_path / "static"
    (static / "assets").mkdir(parents=True)
    (static / "index.html").write_text("<html>glassnet ui</html>")
    (static / "assets" / "app.js").write_text("console.log(1)")
    settings = Settings(data_dir=tmp_path, static_dir=static)
    with TestClient(create_app(settings)) as c:
        assert "glassnet ui" in c.get("/").text
        assert c.get("/assets/app.js").text == "console.log(1)"
        assert "glassnet ui" in c.get("/experiments/abc123").text  # client-side route
        assert c.get("/assets/missing.js").status_code == 404
        assert c.get("/api/v1/nothing").status_code == 404
        assert c.get("/../../etc/passwd").status_code in (200, 404)
        assert "root:" not in c.get("/..%2F..%2Fetc%2Fpasswd").text


def test_without_a_built_frontend_root_explains(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200 and "/docs" in r.text


def test_no_endpoint_loads_a_pickle() -> None:
    """Server code never calls pickle/torch.load (safetensors and JSON only)."""
    for path in [
        *BACKEND.joinpath("api").rglob("*.py"),
        *BACKEND.joinpath("runs").rglob("*.py"),
        *BACKEND.joinpath("store").rglob("*.py"),
    ]:
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in ("load", "loads"):
                base = node.value
                name = base.id if isinstance(base, ast.Name) else getattr(base, "attr", "")
                assert name not in ("pickle", "torch", "dill", "cloudpickle"), f"{path}: {name}"
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] + [getattr(node, "module", "") or ""]
                assert "pickle" not in names, path


class SteppedClock:
    """A clock that moves only when the test says so."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_token_bucket_allows_the_burst_then_refuses_without_refill() -> None:
    clock = SteppedClock()
    buckets = TokenBuckets(rate=2.0, burst=3, clock=clock)
    assert [buckets.allow("a") for _ in range(5)] == [True, True, True, False, False]


def test_token_bucket_refills_at_its_rate() -> None:
    clock = SteppedClock()
    buckets = TokenBuckets(rate=2.0, burst=3, clock=clock)
    for _ in range(3):
        buckets.allow("a")
    clock.now += 0.5  # one token at 2 per second
    assert [buckets.allow("a") for _ in range(2)] == [True, False]


def test_token_buckets_are_per_key() -> None:
    buckets = TokenBuckets(rate=1.0, burst=1, clock=SteppedClock())
    assert buckets.allow("a") and not buckets.allow("a")
    assert buckets.allow("b")


def test_token_buckets_forget_the_oldest_key_beyond_their_size() -> None:
    buckets = TokenBuckets(rate=1.0, burst=1, clock=SteppedClock(), max_keys=2)
    for key in ("a", "b", "c"):
        buckets.allow(key)
    assert set(buckets.buckets) == {"b", "c"}


def _wide_spec(batch_size: int | None) -> dict:  # type: ignore[type-arg]
    spec = tiny_spec()
    spec["network"]["nodes"][1]["units"] = 1000
    spec["data"] = {"dataset": "circle", "n": 1000, "train_fraction": 1.0}
    spec["training"]["batch_size"] = batch_size
    return spec


def test_activation_memory_cap_is_429_with_the_estimate_and_the_limit(
    client: TestClient, settings: Settings
) -> None:
    settings.max_activation_bytes = 2 * 1024 * 1024
    r = client.post("/api/v1/runs", json={"spec": _wide_spec(None)})
    assert r.status_code == 429
    problem = r.json()["detail"][0]
    assert problem["pointer"] == "/spec/training/batch_size"
    # full batch: 1000 points through 1000 + 1 outputs, float32, plus the data (2 inputs and
    # 1 target each): 1000·1001·4 + 1000·3·4 = 4,016,000 bytes
    assert "3.8 MiB" in problem["message"] and "allows 2.0 MiB" in problem["message"]
    assert client.post("/api/v1/runs", json={"spec": _wide_spec(32)}).status_code == 201


def test_a_full_batch_1x1_conv_on_mnist_is_refused_by_default(client: TestClient) -> None:
    # 346 parameters, but all 4,000 training images pass through the network at once: the run
    # that took half a gigabyte per worker
    spec = {
        "network": {
            "nodes": [
                {"id": "x", "kind": "input", "shape": [1, 28, 28]},
                {"id": "c", "kind": "conv2d", "filters": 1, "kernel": 1, "activation": "relu"},
                {"id": "f", "kind": "flatten"},
                {"id": "y", "kind": "dense", "units": 10, "activation": "softmax"},
            ]
        },
        "data": {"dataset": "mnist", "n": 5000},
        "training": {"loss": "cross_entropy"},
    }
    r = client.post("/api/v1/specs/validate", json=spec)
    assert r.status_code == 429
    assert "batch_size" in r.json()["detail"][0]["message"]
    spec["training"]["batch_size"] = 64
    assert client.post("/api/v1/specs/validate", json=spec).status_code == 200
