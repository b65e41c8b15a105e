"""docker-compose.yml, Dockerfile and the nginx config agree with each other and with the server."""

from __future__ import annotations

from pathlib import Path

import yaml

from glassnet.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def _compose() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_backend_service() -> None:
    services = _compose()["services"]
    app = services["glassnet"]
    assert app["build"] == "."
    assert "8000:8000" in app["ports"]
    assert "/healthz" in " ".join(app["healthcheck"]["test"])
    assert any(v.endswith(":/data") for v in app["volumes"])
    env = app["environment"]
    assert env["GLASSNET_DATA_DIR"] == "/data" and env["GLASSNET_HOST"] == "0.0.0.0"
    # Every GLASSNET_* variable names a real setting.
    fields = {f"GLASSNET_{name.upper()}" for name in Settings.model_fields}
    for service in services.values():
        named = {k for k in service.get("environment", {}) if k.startswith("GLASSNET_")}
        assert named <= fields


def test_optional_profiles() -> None:
    services = _compose()["services"]
    assert services["nginx"]["profiles"] == ["nginx"]
    assert services["worker"]["profiles"] == ["worker"]
    assert services["worker"]["environment"]["GLASSNET_EXECUTOR"] == "process"
    conf = services["nginx"]["volumes"][0].split(":")[0]
    nginx = (ROOT / conf).read_text()
    assert "Upgrade" in nginx and "/ws/" in nginx and "glassnet:8000" in nginx


def test_dockerfile_serves_the_built_frontend() -> None:
    text = (ROOT / "Dockerfile").read_text()
    assert "npm run build" in text
    assert "backend/glassnet/static" in text
    assert "HEALTHCHECK" in text and "/healthz" in text
    assert 'CMD ["glassnet", "serve"]' in text
    assert "GLASSNET_HOST=0.0.0.0" in text


def test_the_gpu_profile_builds_the_cuda_image_and_claims_every_gpu() -> None:
    gpu = _compose()["services"]["gpu"]
    assert gpu["profiles"] == ["gpu"] and gpu["gpus"] == "all"
    assert gpu["build"]["args"]["TORCH_INDEX"] == ""  # PyPI: torch's CUDA build
    assert gpu["environment"]["GLASSNET_DEVICE"] == "cuda"
    assert (
        "ARG TORCH_INDEX=https://download.pytorch.org/whl/cpu" in (ROOT / "Dockerfile").read_text()
    )


def test_no_pin_carries_a_local_version_tag_that_pypi_lacks() -> None:
    """`torch==2.13.0+cpu` exists only on PyTorch's own index: a user's `make run` reaches PyPI only."""
    for name in ("constraints.txt", "pyproject.toml"):
        text = (ROOT / name).read_text()
        assert "+cpu" not in text and "+cu" not in text, name
    assert "torch==2.13.0\n" in (ROOT / "constraints.txt").read_text()


def test_the_ray_profile_runs_a_cluster_and_a_server_whose_runs_are_actors_on_it() -> None:
    services = _compose()["services"]
    head, worker, server = services["ray-head"], services["ray-worker"], services["glassnet-ray"]
    for node in (head, worker, server):
        assert node["profiles"] == ["ray"] and node["image"] == "glassnet:ray"
        assert node["build"]["args"]["EXTRAS"] == "[ray]"
        # one shared secret on every node, and one data volume for the runs' checkpoints
        assert node["environment"]["RAY_AUTH_MODE"] == "token"
        assert "GLASSNET_RAY_TOKEN:?" in node["environment"]["RAY_AUTH_TOKEN"]
        assert node["volumes"] == ["ray-data:/data"]
    assert "--head" in head["command"] and "--port=6379" in head["command"]
    assert "--address=ray-head:6379" in worker["command"]
    assert "ray start --address=ray-head:6379 --num-cpus=0" in server["command"][-1]
    assert server["command"][-1].endswith("exec glassnet serve")
    env = server["environment"]
    assert env["GLASSNET_EXECUTOR"] == "ray" and env["GLASSNET_RAY_ADDRESS"] == "auto"
    assert Settings(executor=env["GLASSNET_EXECUTOR"], ray_address=env["GLASSNET_RAY_ADDRESS"])
    assert "8003:8000" in server["ports"] and "/healthz" in " ".join(server["healthcheck"]["test"])
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'ARG EXTRAS=""' in dockerfile and '".${EXTRAS}"' in dockerfile
    assert "ray = [" in (ROOT / "pyproject.toml").read_text()
