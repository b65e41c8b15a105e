"""Same spec and seed → the same run, bit for bit, whatever else runs in the process."""

from __future__ import annotations

from typing import Any

import pytest
from engine_specs import cnn_spec, dense_spec, same_params

from glassnet.engine import Trainer

SPECS = {
    "compiled": dense_spec(
        [6, 6, 1], dropout=0.2, batch_size=8, optimizer={"kind": "adam", "lr": 0.01}
    ),
    "autograd-conv": cnn_spec(),
}
STEPS = 15


def _run(spec: dict[str, Any], steps: int = STEPS) -> Trainer:
    trainer = Trainer(spec)
    trainer.step(steps)
    return trainer


@pytest.mark.parametrize("name", SPECS)
def test_same_spec_and_seed_give_identical_parameters(name: str) -> None:
    a, b = _run(SPECS[name]), _run(SPECS[name])
    assert a.path_name == ("compiled" if name == "compiled" else "autograd")
    assert same_params(a, b)


@pytest.mark.parametrize("name", SPECS)
def test_a_different_seed_gives_different_parameters(name: str) -> None:
    assert not same_params(_run(SPECS[name]), _run({**SPECS[name], "seed": 1}))


@pytest.mark.parametrize("name", SPECS)
def test_interleaved_trainers_equal_solo_runs(name: str) -> None:
    spec = SPECS[name]
    other = {**spec, "seed": 5}
    a, b = Trainer(spec), Trainer(other)
    for _ in range(STEPS):
        a.step()
        b.step()
    assert same_params(a, _run(spec))
    assert same_params(b, _run(other))


def test_global_torch_seed_does_not_affect_a_run() -> None:
    import torch

    torch.manual_seed(123)
    a = _run(SPECS["compiled"])
    torch.manual_seed(456)
    torch.rand(10)
    assert same_params(a, _run(SPECS["compiled"]))
