"""Random small networks with batch norm, activation nodes, dropout, DropConnect and residual adds
(stochastic depth too), every parameter explicit, with the masks of one training step; and the
same step computed independently with torch autograd in float64."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

PHI = {
    "linear": lambda z: z,
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": torch.relu,
    "leaky_relu": lambda z: F.leaky_relu(z, 0.01),
    "elu": F.elu,
    "softplus": F.softplus,
}


@dataclass
class Net:
    """A network under construction: nodes, edges, and the masks of the traced step."""

    rng: np.random.Generator
    n: int  # examples
    nodes: list[dict[str, Any]] = field(default_factory=list)
    edges: list[list[str]] = field(default_factory=list)
    shapes: dict[str, tuple[int, ...]] = field(default_factory=dict)
    masks: dict[str, Any] = field(default_factory=dict)
    cur: str = "x"

    def add(self, node: dict[str, Any], shape: tuple[int, ...], *inputs: str) -> str:
        node["id"] = nid = f"n{len(self.nodes)}"
        self.nodes.append(node)
        for source in inputs or (self.cur,):
            self.edges.append([source, nid])
        self.shapes[nid] = shape
        self.cur = nid
        return nid

    def values(self, *shape: int, scale: float = 0.6) -> list[Any]:
        return (self.rng.normal(0, scale, shape)).tolist()

    def phi(self) -> str:
        return str(self.rng.choice(list(PHI)))

    def dense(self, units: int, activation: str, drop_connect: bool = False) -> str:
        n_in = int(np.prod(self.shapes[self.cur]))
        node = {
            "kind": "dense",
            "units": units,
            "activation": activation,
            "weights": self.values(units, n_in),
            "bias": self.values(units, scale=0.1),
        }
        if drop_connect:
            node["drop_connect"] = float(self.rng.choice([0.25, 0.5]))
        nid = self.add(node, (units,))
        if drop_connect:
            self.masks[nid] = self.rng.integers(0, 2, (units, n_in)).tolist()
        return nid

    def batchnorm(self) -> str:
        features = self.shapes[self.cur][0]
        node = {
            "kind": "batchnorm",
            "gamma": (1 + self.rng.normal(0, 0.3, features)).tolist(),
            "beta": self.values(features, scale=0.3),
        }
        return self.add(node, self.shapes[self.cur])

    def activation(self) -> str:
        return self.add({"kind": "activation", "activation": self.phi()}, self.shapes[self.cur])

    def dropout(self) -> str:
        node: dict[str, Any] = {"kind": "dropout"}
        if self.rng.random() < 0.5:
            node["keep_probability"] = float(self.rng.choice([0.5, 0.8]))
        else:
            node["drop_probability"] = float(self.rng.choice([0.2, 0.5]))
        shape = self.shapes[self.cur]
        nid = self.add(node, shape)
        self.masks[nid] = self.rng.integers(0, 2, (self.n, *shape)).tolist()
        return nid

    def residual(self) -> str:
        skip = self.cur
        width = self.shapes[skip][0]
        self.dense(width, "tanh", drop_connect=bool(self.rng.random() < 0.3))
        self.activation()
        node: dict[str, Any] = {"kind": "add"}
        stochastic = self.rng.random() < 0.5
        if stochastic:
            node["survival_probability"] = 0.5
        nid = self.add(node, (width,), skip, self.cur)
        if stochastic:
            self.masks[nid] = int(self.rng.integers(0, 2))
        return nid

    def network(self) -> dict[str, Any]:
        return {"nodes": self.nodes, "edges": self.edges}


def vector_network(seed: int) -> tuple[Net, np.ndarray, np.ndarray]:
    """input [3] → 2–4 random blocks → dense(2); examples x and targets t."""
    rng = np.random.default_rng(seed)
    net = Net(rng, n=int(rng.integers(3, 6)))
    net.nodes.append({"id": "x", "kind": "input", "shape": [3]})
    net.shapes["x"] = (3,)
    net.dense(4, "linear")
    net.batchnorm()  # every network has one: the Trainer then takes the autograd path
    net.activation()
    for _ in range(int(rng.integers(1, 4))):
        block = rng.choice(["dense", "bn", "dropout", "residual"])
        if block == "dense":
            net.dense(4, net.phi(), drop_connect=bool(rng.random() < 0.5))
        elif block == "bn":
            net.dense(4, "linear")
            net.batchnorm()
            net.activation()
        elif block == "dropout":
            net.dropout()
        else:
            net.residual()
    net.dense(
        2, str(rng.choice(["linear", "sigmoid", "tanh"])), drop_connect=bool(rng.random() < 0.3)
    )
    x = rng.normal(0, 1, (net.n, 3))
    t = rng.normal(0, 0.5, (net.n, 2))
    return net, x, t


def conv_network(seed: int) -> tuple[Net, np.ndarray, np.ndarray]:
    """[1, 5, 5] → conv2d(2, linear) → batchnorm → activation → maxpool → dropout → flatten → dense."""
    rng = np.random.default_rng(seed)
    net = Net(rng, n=int(rng.integers(2, 4)))
    net.nodes.append({"id": "x", "kind": "input", "shape": [1, 5, 5]})
    net.shapes["x"] = (1, 5, 5)
    net.add(
        {
            "kind": "conv2d",
            "filters": 2,
            "kernel": 2,
            "activation": "linear",
            "weights": net.values(2, 1, 2, 2),
            "bias": net.values(2, scale=0.1),
        },
        (2, 4, 4),
    )
    net.batchnorm()
    net.activation()
    net.add({"kind": "maxpool2d", "kernel": 2}, (2, 2, 2))
    net.dropout()
    net.add({"kind": "flatten"}, (8,))
    net.dense(1, "linear", drop_connect=True)
    x = rng.normal(0, 1, (net.n, 1, 5, 5))
    t = rng.normal(0, 0.5, (net.n, 1))
    return net, x, t


def drop_p(node: dict[str, Any]) -> float:
    if "keep_probability" in node:
        return 1 - node["keep_probability"]
    return node.get("drop_probability", 0.5)


@dataclass
class Reference:
    """One training step by autograd: the loss, each node's output and its gradient, and every
    parameter's gradient and value after one SGD step."""

    loss: float
    outputs: dict[str, torch.Tensor]
    output_grads: dict[str, torch.Tensor]
    inputs_of: dict[str, list[str]]
    grads: dict[str, dict[str, torch.Tensor]]
    after: dict[str, dict[str, torch.Tensor]]


def autograd_step(
    net: Net, x: np.ndarray, t: np.ndarray, masks: dict[str, Any], loss: str, lr: float
) -> Reference:
    """The step with torch's own ops (F.linear, F.conv2d, F.batch_norm in training mode...)."""
    f64 = torch.float64
    values: dict[str, torch.Tensor] = {"x": torch.tensor(x, dtype=f64)}
    params: dict[str, dict[str, torch.Tensor]] = {}
    inputs_of: dict[str, list[str]] = {}
    for src, dst in net.edges:
        inputs_of.setdefault(dst, []).append(src)
    for node in net.nodes[1:]:
        nid, kind = node["id"], node["kind"]
        xs = [values[i] for i in inputs_of[nid]]
        if kind in ("dense", "conv2d"):
            W = torch.tensor(node["weights"], dtype=f64, requires_grad=True)
            b = torch.tensor(node["bias"], dtype=f64, requires_grad=True)
            params[nid] = {"weights": W, "bias": b}
            if kind == "dense":
                W_used = W
                if nid in masks:
                    W_used = W * torch.tensor(masks[nid], dtype=f64) / (1 - node["drop_connect"])
                z = F.linear(xs[0].flatten(1), W_used, b)
            else:
                z = F.conv2d(xs[0], W, b)
            out = PHI[node["activation"]](z)
        elif kind == "batchnorm":
            gamma = torch.tensor(node["gamma"], dtype=f64, requires_grad=True)
            beta = torch.tensor(node["beta"], dtype=f64, requires_grad=True)
            params[nid] = {"gamma": gamma, "beta": beta}
            out = F.batch_norm(xs[0], None, None, gamma, beta, training=True, eps=1e-5)
        elif kind == "activation":
            out = PHI[node["activation"]](xs[0])
        elif kind == "dropout":
            keep = 1 - drop_p(node)
            out = xs[0] * torch.tensor(masks[nid], dtype=f64) / keep
        elif kind == "add":
            kept = float(masks.get(nid, 1))
            out = xs[0] + kept * sum(xs[1:])
        elif kind == "maxpool2d":
            out = F.max_pool2d(xs[0], node["kernel"])
        else:
            out = xs[0].flatten(1)
        out.retain_grad()
        values[nid] = out
    a = values[net.cur]
    target = torch.tensor(t, dtype=f64)
    E = 0.5 * ((a - target) ** 2).sum() if loss == "half_sse" else F.mse_loss(a, target)
    E.backward()
    grads = {nid: {k: p.grad for k, p in ps.items()} for nid, ps in params.items()}
    after = {
        nid: {k: (p - lr * p.grad).detach() for k, p in ps.items()} for nid, ps in params.items()
    }
    outputs = {nid: v.detach() for nid, v in values.items() if nid != "x"}
    output_grads = {nid: v.grad for nid, v in values.items() if nid != "x"}
    return Reference(float(E.detach()), outputs, output_grads, inputs_of, grads, after)
