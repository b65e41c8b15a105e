"""Random networks with batch norm, activation nodes, dropout and DropConnect masks, residual adds
and stochastic depth: the trace's hand-written step equals torch autograd in float64, and so does
the Trainer's first step with the masks it drew."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from norm_networks import Net, Reference, autograd_step, conv_network, vector_network

from glassnet.engine import Trainer
from glassnet.engine.model import Dropout, Layer, ResidualAdd
from glassnet.engine.trace import trace

TOL = 1e-6
LR = 0.1


def close(actual: Any, expected: torch.Tensor) -> None:
    if isinstance(actual, torch.Tensor):
        actual = actual.numpy()
    np.testing.assert_allclose(np.array(actual, dtype=float), expected.numpy(), rtol=0, atol=TOL)


def traced(net: Net, x: np.ndarray, t: np.ndarray, masks: dict[str, Any], loss: str) -> dict:
    result = trace(
        {
            "network": net.network(),
            "inputs": x.tolist(),
            "targets": t.tolist(),
            "loss": loss,
            "learning_rate": LR,
            "masks": masks,
        }
    )
    return {layer["id"]: layer for layer in result["layers"]} | {"": result}


def assert_trace_matches(layers: dict[str, Any], ref: Reference, net: Net) -> None:
    assert layers[""]["loss"] == pytest.approx(ref.loss, abs=TOL)
    for node in net.nodes[1:]:
        nid, kind = node["id"], node["kind"]
        layer = layers[nid]
        close(layer["a"], ref.outputs[nid])
        if kind in ("dense", "conv2d"):
            close(layer["grad_weights"], ref.grads[nid]["weights"])
            close(layer["grad_bias"], ref.grads[nid]["bias"])
            close(layer["weights_after"], ref.after[nid]["weights"])
            close(layer["bias_after"], ref.after[nid]["bias"])
        if kind == "batchnorm":
            close(layer["delta"], ref.output_grads[nid])
            close(layer["grad_gamma"], ref.grads[nid]["gamma"])
            close(layer["grad_beta"], ref.grads[nid]["beta"])
            close(layer["gamma_after"], ref.after[nid]["gamma"])
            close(layer["beta_after"], ref.after[nid]["beta"])
        source = ref.inputs_of[nid][0]
        if kind == "activation" and source != "x":
            close(layer["delta"], ref.output_grads[source])  # δ = ∂E/∂z, z its input
        if kind in ("dropout", "add") and nid != net.cur:
            close(layer["dE_da"], ref.output_grads[nid])
        if kind == "add":
            # δ splits: the skip and the kept branch receive the add's ∂E/∂a
            kept = layer["branch_kept"]
            close(layer["dE_dinputs"][source], ref.output_grads[nid])
            close(layer["dE_dinputs"][ref.inputs_of[nid][1]], kept * ref.output_grads[nid])
            if source != "x":  # the skip's source also feeds the branch: its gradient is the sum
                close(layers[source]["dE_da"], ref.output_grads[source])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**31 - 1), loss=st.sampled_from(["half_sse", "mse"]))
def test_random_vector_networks_trace_like_autograd(seed: int, loss: str) -> None:
    net, x, t = vector_network(seed)
    ref = autograd_step(net, x, t, net.masks, loss, LR)
    assert_trace_matches(traced(net, x, t, net.masks, loss), ref, net)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**31 - 1))
def test_random_conv_batchnorm_networks_trace_like_autograd(seed: int) -> None:
    net, x, t = conv_network(seed)
    ref = autograd_step(net, x, t, net.masks, "half_sse", LR)
    assert_trace_matches(traced(net, x, t, net.masks, "half_sse"), ref, net)


def trainer_spec(net: Net, x: np.ndarray, t: np.ndarray, loss: str) -> dict[str, Any]:
    return {
        "network": net.network(),
        "data": {
            "dataset": "inline",
            "inputs": x.reshape(x.shape[0], -1).tolist(),
            "targets": t.tolist(),
            "task": "regression",
            "train_fraction": 1.0,
        },
        "training": {"loss": loss, "optimizer": {"kind": "sgd", "lr": LR}, "epochs": 1},
        "dtype": "float64",
    }


def masks_drawn(trainer: Trainer) -> dict[str, Any]:
    """The masks the Trainer's step drew, as the trace takes them."""
    masks: dict[str, Any] = {}
    for nid, block in trainer.model.blocks.items():
        if isinstance(block, Dropout | Layer) and block.stochastic:
            masks[nid] = block.last_mask.double().tolist()
        elif isinstance(block, ResidualAdd):
            masks[nid] = int(block.last_kept)
    return masks


def parameters(trainer: Trainer, nid: str) -> dict[str, torch.Tensor]:
    block = trainer.model.block(nid)
    if isinstance(block, Layer):
        return {"weights": block.weight.detach(), "bias": block.bias.detach()}
    return {"gamma": block.weight.detach(), "beta": block.bias.detach()}


@pytest.mark.parametrize("seed", range(8))
def test_the_trainers_first_step_equals_autograd_and_the_trace_with_its_masks(seed: int) -> None:
    net, x, t = vector_network(seed) if seed < 6 else conv_network(seed)
    loss = "mse" if seed % 2 else "half_sse"
    trainer = Trainer(trainer_spec(net, x, t, loss))
    assert trainer.path_name == "autograd"
    trainer.step(1)
    masks = masks_drawn(trainer)
    assert set(masks) == set(net.masks)
    batch = trainer.x_train.numpy()
    ref = autograd_step(net, batch, trainer.y_train.numpy(), masks, loss, LR)
    layers = traced(net, batch, trainer.y_train.numpy(), masks, loss)
    for nid, after in ref.after.items():
        for name, value in parameters(trainer, nid).items():
            close(value, after[name])
            close(layers[nid][f"{name}_after"], after[name])
