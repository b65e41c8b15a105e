"""The lean path: explicit forward and backward passes for dense chains, in numpy.

For the small networks most playground sessions train, a step's cost is per-operation overhead,
not arithmetic: torch autograd dispatches dozens of tiny kernels and builds a graph every step.
Written out, backprop is a handful of matrix products per layer — and it is exactly the textbook's
algorithm, so z, a and δ come for free. Parameters stay torch tensors; this path works on numpy
views of them (shared memory, CPU only), so the model, exports and snapshots see every update.

Measured on the bench machine (bench/small_nets.py) this is several times faster than autograd on
small nets; the engine falls back to autograd for anything it does not cover (conv, batchnorm,
DAGs, CUDA) and for wide networks where BLAS time dominates and both paths are equal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import torch
from torch import Tensor

from glassnet.engine.activations import ActivationFn
from glassnet.engine.model import Dropout, GraphModel, Layer
from glassnet.engine.node_probes import NodeProbe, node_probes
from glassnet.engine.paths.base import StepResult
from glassnet.engine.paths.lean_optim import NumpyOptimizer
from glassnet.engine.probes import LayerProbe, layer_probe
from shared_schemas.runspec import RunSpec, TrainingSpec

# Above this many multiply-adds per step BLAS time dominates and autograd is as fast (measured).
MAX_LEAN_WORK = 2_000_000
_NUMPY_ACTIVATIONS = frozenset({"linear", "sigmoid", "tanh", "relu", "leaky_relu", "softmax"})
FloatArray = npt.NDArray[np.floating[Any]]  # float32 or float64, the run's dtype


def lean_supported(
    spec: RunSpec, model: GraphModel, device: torch.device, batch_size: int | None = None
) -> bool:
    """True for gradient training of a chain of dense (and dropout) nodes on the CPU, without
    DropConnect.

    `batch_size` is the actual batch (the training set's size for full batch), when known.
    """
    if device.type != "cpu" or spec.training.trainer != "gradient":
        return False
    previous = model.input_id
    for nid in model.order:
        if model.nodes[nid].kind not in ("dense", "dropout") or model.inputs_of[nid] != [previous]:
            return False
        if getattr(model.nodes[nid], "drop_connect", 0.0) > 0:
            return False  # DropConnect masks weights, which the explicit backward does not cover
        previous = nid
    batch = batch_size or spec.training.batch_size or 1_000_000
    work = min(batch, 100_000) * sum(layer.weight.numel() for layer in model.layers)
    return work <= MAX_LEAN_WORK


def _phi(fn: ActivationFn, z: FloatArray, slope: np.ndarray | None) -> FloatArray:
    kind = fn.name
    if kind == "linear":
        return z
    if kind == "tanh":
        return np.tanh(z)
    if kind == "sigmoid":
        half: FloatArray = np.tanh(0.5 * z)
        return 0.5 * (1.0 + half)  # σ without exp overflow
    if kind == "relu":
        return np.maximum(z, 0.0)
    if kind == "leaky_relu":
        return np.where(z > 0, z, z * fn.spec.slope)
    if kind == "softmax":
        e: FloatArray = np.exp(z - z.max(axis=1, keepdims=True))
        total: FloatArray = e.sum(axis=1, keepdims=True)
        return e / total
    # the rarer activations reuse the torch definitions on zero-copy views
    s = torch.from_numpy(slope) if slope is not None else None
    return fn.forward(torch.from_numpy(z), s).numpy()


def _dphi(fn: ActivationFn, z: FloatArray, a: FloatArray, slope: np.ndarray | None) -> FloatArray:
    kind = fn.name
    if kind == "linear":
        return np.ones_like(z)
    if kind == "tanh":
        return 1.0 - a * a
    if kind == "sigmoid":
        return a * (1.0 - a)
    if kind == "relu":
        return (z > 0).astype(z.dtype)
    if kind == "leaky_relu":
        return np.where(z > 0, 1.0, fn.spec.slope).astype(z.dtype)
    s = torch.from_numpy(slope) if slope is not None else None
    return fn.derivative(torch.from_numpy(z), torch.from_numpy(a), s).numpy()


@dataclass(slots=True)
class _Step:
    """One layer's arrays in one pass."""

    x: np.ndarray
    z: np.ndarray
    a: np.ndarray  # after this layer's dropout, if any follows
    phi_a: np.ndarray  # φ(z) before dropout
    mask: np.ndarray | None = None  # dropout mask (bool) applied after φ
    keep_scale: float = 1.0


def _np(x: Tensor | np.ndarray) -> np.ndarray:
    return x if isinstance(x, np.ndarray) else x.numpy()


class LeanPath:
    """Explicit backprop on numpy views of a dense chain's parameters.

    All parameters live in one flat buffer (the torch parameters are rebound to views of it), and
    so do their gradients: the optimiser, clipping and L1/L2 are then a few whole-buffer
    operations per step instead of a few per tensor.
    """

    name = "lean"

    def __init__(self, model: GraphModel, training: TrainingSpec) -> None:
        self.model = model
        self.training = training
        self.layers: list[Layer] = list(model.layers)
        # dropout that follows each layer (or the input, at index -1)
        self.dropout_after: dict[int, Dropout] = {}
        position = -1
        for nid in model.order:
            block = model.block(nid)
            if isinstance(block, Layer):
                position += 1
            elif isinstance(block, Dropout):
                self.dropout_after[position] = block
        tensors: list[torch.nn.Parameter] = []
        for layer in self.layers:
            tensors += [layer.weight, layer.bias]
            if layer.activation.slope is not None:
                tensors.append(layer.activation.slope)
        dtype = self.layers[0].weight.detach().numpy().dtype
        total = sum(p.numel() for p in tensors)
        self.flat = np.empty(total, dtype=dtype)
        self.flat_grad = np.zeros(total, dtype=dtype)
        self.weight_mask = np.zeros(total, dtype=dtype)  # 1 where L1/L2 apply (weights only)
        views: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        offset = 0
        for p in tensors:
            n = p.numel()
            value, grad = self.flat[offset : offset + n], self.flat_grad[offset : offset + n]
            value[...] = p.detach().numpy().reshape(-1)
            # the parameter becomes a view of the flat buffer: the model, exports, snapshots and
            # early stopping's load_state_dict all read and write the same memory
            p.data = torch.from_numpy(value).view(p.shape)
            p.grad = torch.from_numpy(grad).view(p.shape)
            views[id(p)] = (value.reshape(p.shape), grad.reshape(p.shape))
            offset += n
        weights = {id(layer.weight) for layer in self.layers}
        offset = 0
        for p in tensors:
            if id(p) in weights:
                self.weight_mask[offset : offset + p.numel()] = 1.0
            offset += p.numel()
        self.W = [views[id(layer.weight)][0] for layer in self.layers]
        self.b = [views[id(layer.bias)][0] for layer in self.layers]
        self.gW = [views[id(layer.weight)][1] for layer in self.layers]
        self.gb = [views[id(layer.bias)][1] for layer in self.layers]
        self.slope = [
            views[id(layer.activation.slope)][0] if layer.activation.slope is not None else None
            for layer in self.layers
        ]
        self.gslope = [
            views[id(layer.activation.slope)][1] if layer.activation.slope is not None else None
            for layer in self.layers
        ]
        self.optimizer = NumpyOptimizer(training.optimizer, [self.flat])

    def set_lr(self, lr: float) -> None:
        self.optimizer.lr = lr

    # --- passes ---------------------------------------------------------------------------

    def _dropout(self, position: int, a: np.ndarray) -> tuple[np.ndarray, np.ndarray | None, float]:
        block = self.dropout_after.get(position)
        if block is None or block.p == 0:
            return a, None, 1.0
        # the same draw as the autograd path's Dropout, so both paths give identical runs
        keep = torch.rand(a.shape, generator=block.generator, dtype=self.model_dtype(a))
        block.last_mask = keep >= block.p  # the units kept in the last step, as autograd records
        mask = block.last_mask.numpy()
        scale = 1 - block.p
        return a * mask / scale, mask, scale

    @staticmethod
    def model_dtype(a: np.ndarray) -> torch.dtype:
        return torch.float64 if a.dtype == np.float64 else torch.float32

    def _forward(self, x: np.ndarray, train: bool) -> list[_Step]:
        steps: list[_Step] = []
        a = x
        if train:
            a, _, _ = self._dropout(-1, a)
        for i, layer in enumerate(self.layers):
            z = a @ self.W[i].T + self.b[i]
            phi_a = _phi(layer.fn, z, self.slope[i])
            out, m, s = (phi_a, None, 1.0)
            if train:
                out, m, s = self._dropout(i, phi_a)
            steps.append(_Step(x=a, z=z, a=out, phi_a=phi_a, mask=m, keep_scale=s))
            a = out
        return steps

    def _loss(self, z: np.ndarray, a: np.ndarray, t: np.ndarray) -> float:
        kind = self.training.loss
        if kind == "half_sse":
            return float(0.5 * ((t - a) ** 2).sum())
        if kind == "mse":
            return float(((t - a) ** 2).mean())
        if kind == "cross_entropy":
            shifted = z - z.max(axis=1, keepdims=True)
            log_softmax = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
            return float(-(t * log_softmax).sum(axis=1).mean())
        # bce on logits: max(z, 0) − z·t + log(1 + e^−|z|), as torch computes it
        return float((np.maximum(z, 0) - z * t + np.log1p(np.exp(-np.abs(z)))).mean())

    def _output_delta(self, last: _Step, t: np.ndarray) -> tuple[np.ndarray | None, np.ndarray]:
        """(∂L/∂a, δ) of the output layer; ∂L/∂a is None where δ is computed directly from z."""
        kind, fn = self.training.loss, self.layers[-1].fn
        a, z = last.phi_a, last.z
        if kind in ("cross_entropy", "bce"):
            return None, (a - t) / z.shape[0]
        # the loss sees the network's output: after a dropout that follows the last layer, if any
        out = last.a
        g = out - t if kind == "half_sse" else 2.0 * (out - t) / t.size
        if last.mask is not None:
            g = g / last.keep_scale * last.mask
        if fn.name == "softmax":  # full Jacobian: δ = a ⊙ (g − Σ g·a)
            return g, a * (g - (g * a).sum(axis=1, keepdims=True))
        return g, g * _dphi(fn, z, a, self.slope[-1])

    def _backward(self, steps: list[_Step], t: np.ndarray) -> list[np.ndarray]:
        """Fill the gradient buffers; return δ = ∂L/∂z of every layer."""
        deltas: list[np.ndarray] = [np.empty(0)] * len(steps)
        g, delta = self._output_delta(steps[-1], t)
        for i in range(len(steps) - 1, -1, -1):
            deltas[i] = delta
            step = steps[i]
            np.matmul(delta.T, step.x, out=self.gW[i])
            delta.sum(axis=0, out=self.gb[i])  # the method skips np.sum's Python wrapper
            gs = self.gslope[i]
            if gs is not None and g is not None:
                # PReLU: ∂a/∂s = z where z ≤ 0
                gs[...] = (g * step.z * (step.z <= 0)).sum()
            if i:
                g = delta @ self.W[i]
                prev = steps[i - 1]
                if prev.mask is not None:
                    g = g / prev.keep_scale * prev.mask
                delta = g * _dphi(self.layers[i - 1].fn, prev.z, prev.phi_a, self.slope[i - 1])
        return deltas

    def _regularise_and_clip(self) -> None:
        reg, clip = self.training.regularization, self.training.clip
        g = self.flat_grad
        if reg.l1:
            g += reg.l1 * np.sign(self.flat) * self.weight_mask
        if reg.l2:
            g += 2.0 * reg.l2 * self.flat * self.weight_mask
        if clip.value is not None:
            np.clip(g, -clip.value, clip.value, out=g)
        if clip.norm is not None:
            coef = clip.norm / (float(np.sqrt(g @ g)) + 1e-6)  # clip_grad_norm_'s rule
            if coef < 1:
                g *= coef

    @staticmethod
    def _correct(a: np.ndarray, t: np.ndarray) -> int:
        if a.shape[1] > 1:
            return int(np.count_nonzero(a.argmax(axis=1) == t.argmax(axis=1)))
        return int(np.count_nonzero((a >= 0.5) == (t >= 0.5)))

    def _probes(
        self, steps: list[_Step], deltas: list[np.ndarray] | None, copy_grads: bool
    ) -> list[LayerProbe | NodeProbe]:
        probes: list[LayerProbe] = []
        for i, (layer, step) in enumerate(zip(self.layers, steps, strict=True)):
            grad = self.gW[i].copy() if copy_grads else None
            probes.append(
                layer_probe(
                    layer,
                    x=torch.from_numpy(step.x),
                    z=torch.from_numpy(step.z),
                    a=torch.from_numpy(step.phi_a),
                    delta=torch.from_numpy(deltas[i]) if deltas is not None else None,
                    grad_W=torch.from_numpy(grad) if grad is not None else None,
                )
            )
        # dropout's mask of the step (the lean paths keep no other node values)
        return [*probes, *node_probes(self.model, None)]

    # --- the path interface ---------------------------------------------------------------

    def native(self, x: Tensor) -> np.ndarray:
        """The trainer's batches for this path: numpy views (indexing them is cheaper)."""
        return x.numpy()

    def train_step(
        self, x: Tensor | np.ndarray, t: Tensor | np.ndarray, capture: bool
    ) -> StepResult:
        xn, tn = _np(x), _np(t)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            steps = self._forward(xn, train=True)
            last = steps[-1]
            loss = self._loss(last.z, last.a, tn)
            deltas = self._backward(steps, tn)
            self._regularise_and_clip()
            probes = None
            if capture:
                probes = self._probes(steps, deltas, copy_grads=True)
                layers = [p for p in probes if isinstance(p, LayerProbe)]
                for p, w in zip(layers, self.W, strict=True):
                    p.W_before = torch.from_numpy(w.copy())
            self.optimizer.step([self.flat_grad])
        return StepResult(loss, self._correct(last.a, tn), probes)

    def evaluate(
        self, x: Tensor | np.ndarray, t: Tensor | np.ndarray
    ) -> tuple[float, float, np.ndarray]:
        """(loss, number correct, outputs) without dropout."""
        xn, tn = _np(x), _np(t)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            last = self._forward(xn, train=False)[-1]
            return self._loss(last.z, last.a, tn), self._correct(last.a, tn), last.a

    def probe(self, x: Tensor | np.ndarray, t: Tensor | np.ndarray) -> list[LayerProbe | NodeProbe]:
        """Probes at the current parameters (data-loss gradients, no dropout, no update)."""
        xn, tn = _np(x), _np(t)
        saved = self.flat_grad.copy()
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            steps = self._forward(xn, train=False)
            deltas = self._backward(steps, tn)
            probes = self._probes(steps, deltas, copy_grads=True)
        self.flat_grad[...] = saved
        return probes

    def outputs(self, x: Tensor | np.ndarray) -> Tensor:
        """The output for a batch (predictions)."""
        return self.layer_outputs(x)[1]

    def layer_outputs(self, x: Tensor | np.ndarray) -> tuple[dict[str, Tensor], Tensor]:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            steps = self._forward(_np(x), train=False)
        outputs = {
            layer.id: torch.from_numpy(s.a) for layer, s in zip(self.layers, steps, strict=True)
        }
        return outputs, outputs[self.layers[-1].id]
