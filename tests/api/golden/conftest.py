"""The textbook golden tests of tests/unit/golden, run again through `POST /api/v1/trace`.

Each module here re-collects one golden module's tests and names it in `GOLDEN`; the fixture below
swaps that module's `trace` function for one that posts the request to a real app and returns the
JSON response, so every number is checked as a script or the browser receives it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from fastapi.testclient import TestClient

from glassnet.api import create_app
from glassnet.settings import Settings

sys.path.insert(0, str(Path(__file__).parents[2] / "unit" / "golden"))  # `expected`, the modules


def http_trace(client: TestClient) -> Callable[[dict[str, Any]], dict[str, Any]]:
    def post(request: dict[str, Any]) -> dict[str, Any]:
        response = client.post("/api/v1/trace", json=request)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    return post


@pytest.fixture(scope="module", autouse=True)
def trace_over_http(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    golden: ModuleType = request.module.GOLDEN
    data_dir = tmp_path_factory.mktemp("golden-api")
    settings = Settings(
        data_dir=data_dir,
        static_dir=data_dir / "no-frontend",
        rate_limit_per_second=10_000,
        rate_limit_burst=10_000,
        device="cpu",
    )
    original = golden.trace
    with TestClient(create_app(settings)) as client:
        golden.trace = http_trace(client)
        try:
            yield
        finally:
            golden.trace = original
