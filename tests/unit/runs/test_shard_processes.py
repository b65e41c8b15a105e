"""Data-parallel workers as real processes: each shard's gradient is computed in a worker process
of its own, and the run steps exactly as with the workers in the run's process."""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import pytest
import torch

from glassnet.engine import Trainer
from glassnet.runs.shard_processes import close_worker_processes, use_worker_processes


def _spec(**parallel: Any) -> dict[str, Any]:
    """A 2-5-1 tanh/sigmoid network on the circle set, batches of 12 split across the workers."""
    dense = [("h", 5, "tanh"), ("y", 1, "sigmoid")]
    nodes = [{"id": "x", "kind": "input", "shape": [2]}] + [
        {"id": i, "kind": "dense", "units": n, "activation": a} for i, n, a in dense
    ]
    return {
        "network": {"nodes": nodes},
        "data": {"dataset": "circle", "n": 60, "train_fraction": 1.0},
        "training": {
            "loss": "bce",
            "optimizer": {"kind": "sgd", "lr": 0.3},
            "batch_size": 12,
            "parallel": parallel,
        },
        "dtype": "float64",
        "device": "cpu",
        "seed": 0,
    }


def test_worker_processes_step_an_async_run_exactly_as_the_workers_in_process() -> None:
    spec = _spec(workers=2, mode="async", staleness=2)
    inline = Trainer(copy.deepcopy(spec))
    inline.step(8, capture=True)
    processes = Trainer(copy.deepcopy(spec))
    assert use_worker_processes(processes, processes.spec)
    try:
        processes.step(8, capture=True)
        report = processes.snapshot()["parallel"]
    finally:
        close_worker_processes(processes)
    for a, b in zip(inline.model.parameters(), processes.model.parameters(), strict=True):
        assert torch.equal(a, b)
    assert report["in_process"] is False and report["staleness"] == 2
    assert report["max_abs_difference"] < 1e-15


def test_a_worker_process_that_dies_fails_the_run_with_the_reason() -> None:
    spec = _spec(workers=1)
    trainer = Trainer(copy.deepcopy(spec))
    use_worker_processes(trainer, trainer.spec)
    try:
        trainer.step(1)
        runner = trainer.path.runner
        runner.workers[0].process.kill()
        runner.workers[0].process.wait()
        trainer.step(1)
    finally:
        close_worker_processes(trainer)
    assert trainer.status == "failed"
    assert "data-parallel worker 1" in (trainer.stop_reason or "")


def test_a_run_without_data_parallelism_keeps_no_worker_processes() -> None:
    spec = _spec()
    del spec["training"]["parallel"]
    trainer = Trainer(copy.deepcopy(spec))
    assert not use_worker_processes(trainer, trainer.spec)


def _children() -> set[int]:
    """This process's child processes, zombies included (Linux /proc)."""
    tasks = Path(f"/proc/{os.getpid()}/task").iterdir()
    return {int(pid) for task in tasks for pid in (task / "children").read_text().split()}


@pytest.fixture(autouse=True)
def _no_leftover_processes():  # type: ignore[no-untyped-def]
    # every worker process the test started has been waited for: none is left, not even as a
    # zombie (children that other tests started before are not this test's)
    before = _children()
    yield
    assert _children() - before == set()
