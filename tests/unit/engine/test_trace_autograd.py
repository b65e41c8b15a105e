"""The trace's hand-written backprop equals torch autograd, and its update is one SGD step."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glassnet.engine.trace import trace

ACTIVATIONS = {
    "linear": lambda z: z,
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": torch.relu,
    "leaky_relu": lambda z: F.leaky_relu(z, 0.01),
    "elu": F.elu,
    "softplus": F.softplus,
    "gelu": F.gelu,
    "silu": F.silu,
}
TOL = 1e-9


def autograd_reference(
    network: dict[str, Any], x: np.ndarray, t: np.ndarray, loss: str, lr: float
) -> dict[str, Any]:
    """Per layer z, a, δ (z.grad) and ∂E/∂W from torch autograd, plus the SGD-updated parameters."""
    a = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    target = torch.tensor(t, dtype=torch.float64)
    params: dict[str, tuple[torch.Tensor, torch.Tensor]] = {}
    zs: dict[str, torch.Tensor] = {}
    outs: dict[str, torch.Tensor] = {}
    z_last = a
    for node in network["nodes"][1:]:
        kind = node["kind"]
        if kind in ("dense", "conv2d"):
            W = torch.tensor(node["weights"], dtype=torch.float64, requires_grad=True)
            b = torch.tensor(node["bias"], dtype=torch.float64, requires_grad=True)
            params[node["id"]] = (W, b)
            if kind == "dense":
                z = F.linear(a, W, b)
            else:
                z = F.conv2d(a, W, b, stride=node["stride"], padding=node["padding"])
            z.retain_grad()
            zs[node["id"]] = z
            act = node["activation"]
            a = torch.softmax(z, dim=1) if act == "softmax" else ACTIVATIONS[act](z)
            z_last = z
        elif kind in ("maxpool2d", "avgpool2d"):
            pool = F.max_pool2d if kind == "maxpool2d" else F.avg_pool2d
            k = node["kernel"]
            a = pool(a, k, node.get("stride") or k, node.get("padding", 0))
        else:
            a = a.flatten(1)
        a.retain_grad()
        outs[node["id"]] = a
    if loss == "half_sse":
        E = 0.5 * ((target - a) ** 2).sum()
    elif loss == "mse":
        E = F.mse_loss(a, target)
    elif loss == "cross_entropy":
        E = -(target * F.log_softmax(z_last, dim=1)).sum(dim=1).mean()
    else:
        E = F.binary_cross_entropy_with_logits(z_last, target)
    E.backward()
    layers = {}
    for nid, out in outs.items():
        entry: dict[str, Any] = {"a": out.detach().numpy()}
        if out.grad is not None:  # None for an output the loss reads as logits
            entry["dE_da"] = out.grad.numpy()
        if nid in params:
            W, b = params[nid]
            entry.update(
                z=zs[nid].detach().numpy(),
                delta=zs[nid].grad.numpy(),
                grad_weights=W.grad.numpy(),
                grad_bias=b.grad.numpy(),
                weights_after=(W - lr * W.grad).detach().numpy(),
                bias_after=(b - lr * b.grad).detach().numpy(),
            )
        layers[nid] = entry
    return {"loss": float(E.detach()), "layers": layers}


def assert_matches_autograd(
    network: dict[str, Any], x: np.ndarray, t: np.ndarray, loss: str, lr: float = 0.1
) -> None:
    result = trace(
        {
            "network": network,
            "inputs": x.tolist(),
            "targets": t.tolist(),
            "loss": loss,
            "learning_rate": lr,
        }
    )
    reference = autograd_reference(network, x, t, loss, lr)
    assert result["loss"] == pytest.approx(reference["loss"], rel=1e-12, abs=1e-12)
    for layer in result["layers"]:
        wanted = reference["layers"][layer["id"]]
        for key, value in wanted.items():
            np.testing.assert_allclose(
                np.asarray(layer[key], dtype=float),
                value,
                rtol=1e-9,
                atol=TOL,
                err_msg=f"{layer['id']}.{key}",
            )


# --- networks ---------------------------------------------------------------------------------


def dense_network(
    rng: np.random.Generator, widths: list[int], activations: list[str]
) -> dict[str, Any]:
    nodes: list[dict[str, Any]] = [{"id": "x", "kind": "input", "shape": [widths[0]]}]
    for i, (n_in, n_out, act) in enumerate(zip(widths[:-1], widths[1:], activations, strict=True)):
        nodes.append(
            {
                "id": f"d{i}",
                "kind": "dense",
                "units": n_out,
                "activation": act,
                "weights": rng.normal(0, 0.8, (n_out, n_in)).tolist(),
                "bias": rng.normal(0, 0.3, n_out).tolist(),
            }
        )
    return {"nodes": nodes}


def targets_for(rng: np.random.Generator, loss: str, n: int, k: int) -> np.ndarray:
    if loss == "cross_entropy":
        return np.eye(k)[rng.integers(0, k, n)]
    if loss == "bce":
        return rng.integers(0, 2, (n, k)).astype(float)
    return rng.normal(0, 1, (n, k))


def output_activation(loss: str, rng: np.random.Generator) -> str:
    if loss == "cross_entropy":
        return str(rng.choice(["softmax", "linear"]))
    if loss == "bce":
        return "sigmoid"
    return str(rng.choice([*ACTIVATIONS, "softmax"]))


def test_power_plant_sized_network_matches_autograd() -> None:
    rng = np.random.default_rng(0)
    net = dense_network(rng, [2, 3, 2, 1], ["sigmoid", "sigmoid", "sigmoid"])
    assert_matches_autograd(net, rng.uniform(0, 1, (4, 2)), rng.uniform(0, 1, (4, 1)), "half_sse")


def test_small_cnn_with_pooling_matches_autograd() -> None:
    rng = np.random.default_rng(1)
    net = {
        "nodes": [
            {"id": "img", "kind": "input", "shape": [2, 6, 6]},
            {
                "id": "c1",
                "kind": "conv2d",
                "filters": 3,
                "kernel": 3,
                "stride": 1,
                "padding": 1,
                "activation": "relu",
                "weights": rng.normal(0, 0.5, (3, 2, 3, 3)).tolist(),
                "bias": rng.normal(0, 0.1, 3).tolist(),
            },
            {"id": "p1", "kind": "maxpool2d", "kernel": 2},
            {"id": "flat", "kind": "flatten"},
            {
                "id": "out",
                "kind": "dense",
                "units": 4,
                "activation": "softmax",
                "weights": rng.normal(0, 0.3, (4, 27)).tolist(),
                "bias": [0.0] * 4,
            },
        ]
    }
    x = rng.normal(0, 1, (3, 2, 6, 6))
    assert_matches_autograd(net, x, np.eye(4)[[0, 2, 3]], "cross_entropy")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    depth=st.integers(1, 3),
    loss=st.sampled_from(["half_sse", "mse", "cross_entropy", "bce"]),
    n=st.integers(1, 5),
)
def test_random_dense_networks_match_autograd_and_one_sgd_step(
    seed: int, depth: int, loss: str, n: int
) -> None:
    rng = np.random.default_rng(seed)
    widths = [int(w) for w in rng.integers(1, 5, depth + 1)]
    if loss == "cross_entropy":
        widths[-1] = max(widths[-1], 2)
    activations = [str(rng.choice(list(ACTIVATIONS))) for _ in range(depth - 1)]
    activations.append(output_activation(loss, rng))
    net = dense_network(rng, widths, activations)
    x = rng.normal(0, 1, (n, widths[0]))
    assert_matches_autograd(
        net, x, targets_for(rng, loss, n, widths[-1]), loss, lr=float(rng.uniform(0.01, 1))
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    pool=st.sampled_from([None, "maxpool2d", "avgpool2d"]),
    loss=st.sampled_from(["half_sse", "mse", "cross_entropy"]),
)
def test_random_conv_networks_match_autograd_and_one_sgd_step(
    seed: int, pool: str | None, loss: str
) -> None:
    rng = np.random.default_rng(seed)
    c_in, size = int(rng.integers(1, 3)), int(rng.integers(4, 8))
    kernel, stride, padding = (
        int(rng.integers(1, 4)),
        int(rng.integers(1, 3)),
        int(rng.integers(0, 2)),
    )
    filters = int(rng.integers(1, 4))
    out = (size + 2 * padding - kernel) // stride + 1
    nodes: list[dict[str, Any]] = [
        {"id": "img", "kind": "input", "shape": [c_in, size, size]},
        {
            "id": "c1",
            "kind": "conv2d",
            "filters": filters,
            "kernel": kernel,
            "stride": stride,
            "padding": padding,
            "activation": str(rng.choice(["relu", "tanh", "linear", "sigmoid"])),
            "weights": rng.normal(0, 0.5, (filters, c_in, kernel, kernel)).tolist(),
            "bias": rng.normal(0, 0.1, filters).tolist(),
        },
    ]
    if pool and out >= 2:
        nodes.append({"id": "p1", "kind": pool, "kernel": 2})
        out //= 2
    nodes.append({"id": "flat", "kind": "flatten"})
    k = 3
    nodes.append(
        {
            "id": "out",
            "kind": "dense",
            "units": k,
            "activation": output_activation(loss, rng),
            "weights": rng.normal(0, 0.3, (k, filters * out * out)).tolist(),
            "bias": rng.normal(0, 0.1, k).tolist(),
        }
    )
    n = int(rng.integers(1, 4))
    x = rng.normal(0, 1, (n, c_in, size, size))
    assert_matches_autograd({"nodes": nodes}, x, targets_for(rng, loss, n, k), loss)


@pytest.mark.parametrize("kind", ["maxpool2d", "avgpool2d"])
@pytest.mark.parametrize(("kernel", "stride", "padding"), [(2, 1, 0), (3, 2, 1), (2, 2, 1)])
def test_pooling_with_overlap_and_padding_matches_autograd(
    kind: str, kernel: int, stride: int, padding: int
) -> None:
    rng = np.random.default_rng(kernel * 10 + stride + padding)
    size = 5
    out = (size + 2 * padding - kernel) // stride + 1
    net = {
        "nodes": [
            {"id": "img", "kind": "input", "shape": [2, size, size]},
            {"id": "p", "kind": kind, "kernel": kernel, "stride": stride, "padding": padding},
            {"id": "flat", "kind": "flatten"},
            {
                "id": "out",
                "kind": "dense",
                "units": 2,
                "activation": "linear",
                "weights": rng.normal(0, 1, (2, 2 * out * out)).tolist(),
                "bias": [0.0, 0.0],
            },
        ]
    }
    x = rng.normal(0, 1, (2, 2, size, size))
    assert_matches_autograd(net, x, rng.normal(0, 1, (2, 2)), "half_sse")
