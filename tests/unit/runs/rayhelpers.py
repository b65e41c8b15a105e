"""A local Ray for the run tests: one per test module (starting one takes seconds), with 2 CPUs as
a small machine has, and the test helpers shipped to the actors by value (the actors' processes
cannot import this folder)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

# Each run's actor reserves a quarter CPU, so the 2 CPUs of the local Ray take up to 8 runs.
CPUS_PER_RUN = 0.25


def local_ray() -> Iterator[None]:
    """Start a local Ray for the duration of a module (use as a module-scoped fixture)."""
    ray = pytest.importorskip("ray", reason="the ray extra is not installed")
    import runhelpers
    from ray import cloudpickle

    cloudpickle.register_pickle_by_value(runhelpers)
    ray.init(num_cpus=2, include_dashboard=False, configure_logging=False)
    try:
        yield
    finally:
        ray.shutdown()
