"""Built models train by the true gradient: one SGD step moves every parameter by −lr·∂L/∂θ,
with ∂L/∂θ from central finite differences, for random dense, conv, pooling, batchnorm and
add/concat networks (whichever path the trainer picks)."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from engine_specs import inline_data
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glassnet.engine import Trainer
from glassnet.engine.losses import compute_loss
from glassnet.engine.summary import flat_values

SMOOTH = ["linear", "tanh", "sigmoid", "softplus", "gelu", "silu", "elu"]
LR = 1e-3
FD_STEP = 1e-6
MAX_CHECKED = 40  # parameter entries checked per example


class _Net:
    """Nodes and edges grown one block at a time, tracking the current output and its shape."""

    def __init__(self, shape: list[int]) -> None:
        self.nodes: list[dict[str, Any]] = [{"id": "x", "kind": "input", "shape": shape}]
        self.edges: list[list[str]] = []
        self.cur = "x"
        self.shape = list(shape)

    def add(self, node: dict[str, Any], sources: list[str] | None = None) -> str:
        node["id"] = f"n{len(self.nodes)}"
        self.nodes.append(node)
        for s in sources or [self.cur]:
            self.edges.append([s, node["id"]])
        return node["id"]


def _conv(draw: st.DrawFn, filters: int, kernel: int, padding: int) -> dict[str, Any]:
    return {
        "kind": "conv2d",
        "filters": filters,
        "kernel": kernel,
        "padding": padding,
        "activation": draw(st.sampled_from(SMOOTH)),
    }


@st.composite
def image_blocks(draw: st.DrawFn, net: _Net) -> None:
    for _ in range(draw(st.integers(1, 3))):
        c, h, _w = net.shape
        block = draw(st.sampled_from(["conv", "pool", "batchnorm", "add", "concat"]))
        kernel = draw(st.integers(1, min(3, h)))
        padding = draw(st.integers(0, kernel // 2))
        out = h + 2 * padding - kernel + 1
        if block == "conv":
            f = draw(st.integers(1, 3))
            net.cur = net.add(_conv(draw, f, kernel, padding))
            net.shape = [f, out, out]
        elif block == "pool" and h >= 2:
            kind = draw(st.sampled_from(["maxpool2d", "avgpool2d"]))
            net.cur = net.add({"kind": kind, "kernel": 2})
            net.shape = [c, h // 2, h // 2]
        elif block == "batchnorm":
            net.cur = net.add({"kind": "batchnorm"})
        elif block in ("add", "concat"):
            f1 = draw(st.integers(1, 3))
            f2 = f1 if block == "add" else draw(st.integers(1, 3))
            a = net.add(_conv(draw, f1, kernel, padding))
            b = net.add(_conv(draw, f2, kernel, padding))
            net.cur = net.add({"kind": block}, [a, b])
            net.shape = [f1 if block == "add" else f1 + f2, out, out]
    net.cur = net.add({"kind": "flatten"})
    net.shape = [int(np.prod(net.shape))]


@st.composite
def dense_blocks(draw: st.DrawFn, net: _Net) -> None:
    for _ in range(draw(st.integers(0, 3))):
        block = draw(st.sampled_from(["dense", "batchnorm", "add", "concat"]))
        act = draw(st.sampled_from(SMOOTH))
        if block == "dense":
            u = draw(st.integers(1, 5))
            net.cur = net.add({"kind": "dense", "units": u, "activation": act})
            net.shape = [u]
        elif block == "batchnorm":
            net.cur = net.add({"kind": "batchnorm"})
        else:
            u1 = draw(st.integers(1, 4))
            u2 = u1 if block == "add" else draw(st.integers(1, 4))
            a = net.add({"kind": "dense", "units": u1, "activation": act})
            b = net.add({"kind": "dense", "units": u2, "activation": draw(st.sampled_from(SMOOTH))})
            net.cur = net.add({"kind": block}, [a, b])
            net.shape = [u1 if block == "add" else u1 + u2]


@st.composite
def random_networks(draw: st.DrawFn) -> dict[str, Any]:
    image = draw(st.booleans())
    if image:
        net = _Net([1, 8, 8])
        draw(image_blocks(net))
        data: dict[str, Any] = {"dataset": "digits", "n": 10, "train_fraction": 1.0}
        n_out, loss = 10, draw(st.sampled_from(["cross_entropy", "mse"]))
    else:
        n_in = draw(st.integers(1, 4))
        net = _Net([n_in])
        draw(dense_blocks(net))
        loss = draw(st.sampled_from(["half_sse", "mse", "cross_entropy", "bce"]))
        n_out = {"cross_entropy": 3, "bce": 1}.get(loss, draw(st.integers(1, 3)))
        task = {"cross_entropy": "multiclass", "bce": "binary"}.get(loss, "regression")
        data = inline_data(
            draw(st.integers(4, 8)), n_in, n_out, task, seed=draw(st.integers(0, 99))
        )
    output = {"cross_entropy": "softmax", "bce": "sigmoid"}.get(loss, draw(st.sampled_from(SMOOTH)))
    net.add({"kind": "dense", "units": n_out, "activation": output})
    return {
        "network": {"nodes": net.nodes, "edges": net.edges},
        "data": data,
        "training": {
            "loss": loss,
            "optimizer": {"kind": "sgd", "lr": LR},
            "regularization": {"l2": draw(st.sampled_from([0.0, 0.01]))},
            "batch_size": None,
        },
        "seed": draw(st.integers(0, 1000)),
        "dtype": "float64",
        "device": "cpu",
    }


def _loss(trainer: Trainer) -> float:
    """The step's objective: data loss plus the L2 penalty, batchnorm on batch statistics."""
    model = trainer.model
    with torch.no_grad():
        z, a = model.forward_zy(trainer.x_train)
        loss = compute_loss(trainer.spec.training.loss, z, a, trainer.y_train)
        l2 = trainer.spec.training.regularization.l2
        penalty = sum(float((w * w).sum()) for w in model.weight_parameters())
    return float(loss) + l2 * penalty


def _fd_gradients(trainer: Trainer, picks: list[tuple[torch.nn.Parameter, int]]) -> np.ndarray:
    buffers = {k: v.clone() for k, v in trainer.model.named_buffers()}
    grads = []
    for p, i in picks:
        flat = flat_values(p.data)  # a view in memory order (conv weights are channels-last)
        old = float(flat[i])
        flat[i] = old + FD_STEP
        up = _loss(trainer)
        flat[i] = old - FD_STEP
        down = _loss(trainer)
        flat[i] = old
        grads.append((up - down) / (2 * FD_STEP))
    with torch.no_grad():  # the forwards above moved batchnorm's running statistics
        for k, v in trainer.model.named_buffers():
            v.copy_(buffers[k])
    return np.array(grads)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_networks(), st.randoms(use_true_random=False))
def test_one_sgd_step_follows_the_finite_difference_gradient(
    spec: dict[str, Any], rnd: Any
) -> None:
    trainer = Trainer(spec)
    entries = [(p, i) for p in trainer.model.parameters() for i in range(p.numel())]
    picks = rnd.sample(entries, min(MAX_CHECKED, len(entries)))
    fd = _fd_gradients(trainer, picks)
    before = np.array([float(flat_values(p.data)[i]) for p, i in picks])
    trainer.step()
    assert trainer.status == "running", trainer.stop_reason
    after = np.array([float(flat_values(p.data)[i]) for p, i in picks])
    np.testing.assert_allclose((before - after) / LR, fd, rtol=1e-5, atol=1e-7)


def test_state_dict_names_every_parameter_once_by_node_id() -> None:
    spec = {
        "network": {
            "nodes": [
                {"id": "x", "kind": "input", "shape": [2]},
                {"id": "h", "kind": "dense", "units": 3, "activation": "prelu"},
                {"id": "bn", "kind": "batchnorm"},
                {"id": "y", "kind": "dense", "units": 1, "activation": "sigmoid"},
            ]
        },
        "data": {"dataset": "circle", "n": 20},
        "training": {"loss": "bce"},
    }
    trainer = Trainer(spec)
    state = trainer.export_state_dict()
    assert all(k.split(".")[1] in ("h", "bn", "y") for k in state)
    pointers = [v.data_ptr() for v in state.values() if v.numel()]
    assert len(pointers) == len(set(pointers)), sorted(state)
    assert {
        "blocks.h.weight",
        "blocks.h.bias",
        "blocks.h.activation.slope",
        "blocks.y.weight",
    } <= state.keys()


def _two_conv_spec() -> dict[str, Any]:
    return {
        "network": {
            "nodes": [
                {"id": "x", "kind": "input", "shape": [1, 8, 8]},
                {"id": "c1", "kind": "conv2d", "filters": 4, "kernel": 3, "activation": "relu"},
                {"id": "p1", "kind": "maxpool2d", "kernel": 2},
                {"id": "c2", "kind": "conv2d", "filters": 5, "kernel": 2, "activation": "tanh"},
                {"id": "f", "kind": "flatten"},
                {"id": "y", "kind": "dense", "units": 10, "activation": "softmax"},
            ]
        },
        "data": {"dataset": "digits", "n": 40, "train_fraction": 1.0},
        "training": {"loss": "cross_entropy", "optimizer": {"kind": "sgd", "lr": 0.1}},
        "dtype": "float64",
        "device": "cpu",
    }


def test_conv_layers_hold_their_filters_and_maps_channels_last() -> None:
    trainer = Trainer(_two_conv_spec())
    trainer.step(capture=True)
    for probe in trainer._probes()[:2]:
        for t in (probe.W, probe.z, probe.a):
            assert t.is_contiguous(memory_format=torch.channels_last)


def test_a_channels_last_step_equals_the_nchw_torch_step() -> None:
    trainer = Trainer(_two_conv_spec())
    c1, c2, y = (layer.weight.detach().contiguous().clone() for layer in trainer.model.layers)
    b1, b2, by = (layer.bias.detach().clone() for layer in trainer.model.layers)
    params = [t.requires_grad_() for t in (c1, b1, c2, b2, y, by)]
    x, t = trainer.x_train.contiguous(), trainer.y_train.argmax(dim=1)
    h = torch.nn.functional.max_pool2d(torch.relu(torch.conv2d(x, c1, b1)), 2)
    logits = torch.nn.functional.linear(torch.tanh(torch.conv2d(h, c2, b2)).flatten(1), y, by)
    torch.nn.functional.cross_entropy(logits, t).backward()
    trainer.step()
    for layer, w, b in zip(trainer.model.layers, params[::2], params[1::2], strict=True):
        want_w, want_b = w.detach() - 0.1 * w.grad, b.detach() - 0.1 * b.grad  # type: ignore[operator]
        torch.testing.assert_close(layer.weight.detach(), want_w, rtol=0, atol=1e-14)
        torch.testing.assert_close(layer.bias.detach(), want_b, rtol=0, atol=1e-14)
