"""A local Ray for the run tests (conftest.py starts one for them all), with 2 CPUs as a small
machine has, and the test helpers shipped to the actors by value (the actors' processes cannot
import this folder)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from glassnet.runs.executors import ProcessExecutor, ThreadExecutor
from glassnet.runs.handles import Executor

# Each run's actor reserves a quarter CPU, so the 2 CPUs of the local Ray take up to 8 runs.
CPUS_PER_RUN = 0.25


def local_ray() -> Iterator[None]:
    """Start a local Ray until the generator is closed (a fixture's body)."""
    ray = pytest.importorskip("ray", reason="the ray extra is not installed")
    import runhelpers
    from ray import cloudpickle

    cloudpickle.register_pickle_by_value(runhelpers)
    ray.init(num_cpus=2, include_dashboard=False, configure_logging=False)
    try:
        yield
    finally:
        ray.shutdown()


def executor(kind: str, request: pytest.FixtureRequest, factory: Any = None) -> Executor:
    """A thread, process or Ray executor (the Ray one on the tests' local Ray); `factory`
    replaces the engine's Trainer where the executor takes one (thread, ray)."""
    if kind == "ray":
        request.getfixturevalue("ray_session")
        from glassnet.runs.ray_executor import RayExecutor

        return RayExecutor(cpus_per_run=CPUS_PER_RUN, factory=factory)
    if kind == "process":
        return ProcessExecutor()
    return ThreadExecutor(factory)
