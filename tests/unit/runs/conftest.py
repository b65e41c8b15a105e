"""Fixtures of the run tests: one local Ray for every test here that runs on the Ray executor
(starting one takes seconds; it ends when these tests are done)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rayhelpers import local_ray


@pytest.fixture(scope="package")
def ray_session() -> Iterator[None]:
    yield from local_ray()
