"""The textbook walk of a data-parallel step: each shard traced alone, the all-reduce of their
gradients, equal to the one-worker gradient of all the examples (checked against autograd)."""

from __future__ import annotations

import pytest
import torch

from glassnet.engine.trace import TraceError, trace
from glassnet.presets import get_preset

POWER_PLANT = get_preset("kelleher-power-plant-logistic")["spec"]["network"]
# Kelleher's four power-plant rows, normalised (the power_plant dataset, variant normalized)
INPUTS = [[0.04, 0.81], [0.84, 0.58], [0.5, 0.07], [0.53, 1.0]]
TARGETS = [[0.94], [0.13], [0.57], [0.36]]


def _request(workers: int, loss: str = "half_sse") -> dict:
    return {
        "network": POWER_PLANT,
        "inputs": INPUTS,
        "targets": TARGETS,
        "loss": loss,
        "learning_rate": 0.2,
        "parallel_workers": workers,
    }


def _autograd_gradients(loss: str) -> dict[str, torch.Tensor]:
    """∂E/∂W and ∂E/∂b of every layer over the four rows, by torch autograd in float64."""
    x = torch.tensor(INPUTS, dtype=torch.float64)
    t = torch.tensor(TARGETS, dtype=torch.float64)
    params = {}
    a = x
    for node in POWER_PLANT["nodes"][1:]:
        w = torch.tensor(node["weights"], dtype=torch.float64, requires_grad=True)
        b = torch.tensor(node["bias"], dtype=torch.float64, requires_grad=True)
        params[f"{node['id']}.W"], params[f"{node['id']}.b"] = w, b
        a = torch.sigmoid(a @ w.T + b)
    e = 0.5 * ((t - a) ** 2).sum() if loss == "half_sse" else ((t - a) ** 2).mean()
    grads = torch.autograd.grad(e, list(params.values()))
    return dict(zip(params, grads, strict=True))


@pytest.mark.parametrize("workers", [1, 2, 4])
def test_the_all_reduce_of_the_shards_equals_the_one_worker_gradient(workers: int):
    walk = trace(_request(workers))["parallel"]
    assert [s["rows"] for s in walk["shards"]] == {
        1: [[0, 4]],
        2: [[0, 2], [2, 4]],
        4: [[0, 1], [1, 2], [2, 3], [3, 4]],
    }[workers]
    assert walk["combine"] == "sum"  # ½·SSE sums over the examples: the shards' gradients add
    assert walk["max_abs_difference"] <= 1e-16
    expected = _autograd_gradients("half_sse")
    for layer in walk["average"]:
        for key, name in (("grad_weights", "W"), ("grad_bias", "b")):
            got = torch.tensor(layer[key], dtype=torch.float64)
            assert torch.allclose(got, expected[f"{layer['id']}.{name}"], rtol=0, atol=1e-15)


def test_a_mean_loss_weighs_uneven_shards_by_their_share_of_the_examples():
    walk = trace(_request(3, loss="mse"))["parallel"]
    assert walk["combine"] == "mean"
    assert [s["weight"] for s in walk["shards"]] == [0.5, 0.25, 0.25]
    assert walk["max_abs_difference"] <= 1e-16
    expected = _autograd_gradients("mse")
    got = torch.tensor(walk["average"][0]["grad_weights"], dtype=torch.float64)
    assert torch.allclose(got, expected["h1.W"], rtol=0, atol=1e-15)


def test_each_shard_is_its_own_trace_of_its_rows():
    walk = trace(_request(2))["parallel"]
    second = trace({**_request(1), "inputs": INPUTS[2:], "targets": TARGETS[2:]})
    del second["parallel"]
    assert walk["shards"][1]["loss"] == second["loss"]
    assert walk["shards"][1]["layers"][0]["grad_weights"] == second["layers"][0]["grad_weights"]


def test_more_workers_than_examples_is_refused_on_parallel_workers():
    with pytest.raises(TraceError) as error:
        trace({**_request(4), "inputs": INPUTS[:3], "targets": TARGETS[:3]})
    assert error.value.pointer == "/parallel_workers"


def test_a_network_with_dropout_is_refused_on_parallel_workers():
    network = {
        "nodes": [
            POWER_PLANT["nodes"][0],
            POWER_PLANT["nodes"][1],
            {"id": "d", "kind": "dropout", "drop_probability": 0.5},
            POWER_PLANT["nodes"][2],
            POWER_PLANT["nodes"][3],
        ]
    }
    with pytest.raises(TraceError) as error:
        trace({**_request(2), "network": network})
    assert error.value.pointer == "/parallel_workers" and "'d'" in error.value.message
