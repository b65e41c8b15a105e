"""API test fixtures: an app on a temporary data dir and a TestClient."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # `apihelpers`, whatever pytest's import mode
from apihelpers import Runs
from fastapi.testclient import TestClient

from glassnet.api import create_app
from glassnet.settings import Settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path,
        rate_limit_per_second=10_000,
        rate_limit_burst=10_000,
        static_dir=tmp_path / "no-frontend",
        device="cpu",
    )


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as c:
        yield c


@pytest.fixture
def runs(client: TestClient) -> Runs:
    return Runs(client)
