"""The compiled path: the lean path with many training steps in one numba-compiled call.

A playground network's step is a few thousand multiply-adds; in numpy most of its time is Python
and per-call overhead. The trainer hands this path whole runs of steps between frames (up to the
end of an epoch, where Python takes over again for the reshuffle, the schedule, validation and the
stop rules) and the kernels in compiled_kernels.py run them with no Python in between.

Every training step goes through the kernels — single steps and the step that captures a frame's
z, a and δ (read back from the kernel's work buffers) too — so a run is the same, bit for bit,
however its steps were split into calls (which depends on when frames fall due). The rest is the
lean path's: the flat parameter buffer, the optimiser's state (the kernel updates NumpyOptimizer's
own arrays), probes of a paused run, evaluation, layer outputs. Dropout masks are drawn in Python,
from the run's generator in the lean path's order, before the call: runs on both paths are the
same runs.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import numpy as np
import torch

from glassnet.engine.model import GraphModel
from glassnet.engine.paths.base import StepResult
from glassnet.engine.paths.lean import LeanPath, _Step
from glassnet.engine.probes import LayerProbe
from shared_schemas.runspec import RunSpec, TrainingSpec

ACTIVATIONS = {"linear": 0, "sigmoid": 1, "tanh": 2, "relu": 3, "leaky_relu": 4, "softmax": 5}
LOSSES = {"half_sse": 0, "mse": 1, "cross_entropy": 2, "bce": 3}
OPTIMIZERS = {
    "sgd": 0,
    "momentum": 1,
    "nesterov": 2,
    "momentum_ema": 3,
    "adagrad": 4,
    "rmsprop": 5,
    "adam": 6,
    "adamw": 7,
}
NO_CLIP = float("nan")
# Above this many multiply-adds per step (batch × weights) numpy's BLAS beats the kernels' plain
# loops (measured: 5× faster at 1.5k, equal near 20k, half the speed at 50k).
MAX_COMPILED_WORK = 12_500


def compiled_supported(spec: RunSpec, model: GraphModel, batch_size: int) -> bool:
    """True when the kernels cover this lean-path run and are the faster way to run it (else the
    trainer uses the numpy lean path).

    Covered: linear, sigmoid, tanh, ReLU and leaky ReLU layers (softmax as the output), the four
    losses, every optimiser but NAdam, L1/L2, clipping, schedules and dropout; small enough that
    per-call overhead, not arithmetic, is what a step costs in numpy (playground networks).
    """
    if batch_size * sum(layer.weight.numel() for layer in model.layers) > MAX_COMPILED_WORK:
        return False
    training = spec.training
    if training.loss not in LOSSES or training.optimizer.kind not in OPTIMIZERS:
        return False
    layers = model.layers
    for i, layer in enumerate(layers):
        name = layer.fn.name
        if name not in ACTIVATIONS or (name == "softmax" and i != len(layers) - 1):
            return False
        if layer.activation.slope is not None:
            return False
    return True


def _kernels() -> ModuleType:
    """The kernel module (imported on first use: importing numba costs about a second), and the
    loop that summarises a small network's frames (frames use it once it is loaded)."""
    from glassnet.engine import summary_kernel  # noqa: F401
    from glassnet.engine.paths import compiled_kernels

    return compiled_kernels


class CompiledPath(LeanPath):
    """The lean path plus `train_steps`: many steps in one compiled call."""

    name = "compiled"

    def __init__(self, model: GraphModel, training: TrainingSpec) -> None:
        super().__init__(model, training)
        dtype = self.flat.dtype
        itemsize = self.flat.itemsize
        base = self.flat.ctypes.data

        def offset(view: np.ndarray) -> int:
            return (view.ctypes.data - base) // itemsize

        self._layers = np.array(
            [
                [offset(w), offset(b), layer.n_in, layer.n_out]
                for w, b, layer in zip(self.W, self.b, self.layers, strict=True)
            ],
            dtype=np.int64,
        )
        self._acts = np.array([ACTIVATIONS[layer.fn.name] for layer in self.layers], np.int64)
        self._act_param = np.array(
            [float(getattr(layer.fn.spec, "slope", 0.0) or 0.0) for layer in self.layers]
        )
        self._loss_kind = LOSSES[training.loss]
        # dropout that draws a mask: position -1 (the input) … L-1, each with its mask slot
        widths = [self.layers[0].n_in] + [layer.n_out for layer in self.layers]
        self._dropouts = [
            (position, block, widths[position + 1])
            for position, block in sorted(self.dropout_after.items())
            if block.p != 0
        ]
        self._drop_slot = np.full(len(self.layers) + 1, -1, dtype=np.int64)
        self._drop_scale = np.ones(len(self.layers) + 1)
        for slot, (position, block, _) in enumerate(self._dropouts):
            self._drop_slot[position + 1] = slot
            self._drop_scale[position + 1] = 1 - block.p
        self._width = max(widths)
        self._no_masks = np.zeros((1, 1, 1, 1), dtype=dtype)
        spec = training.optimizer
        self._opt = OPTIMIZERS[spec.kind]
        self._hyper = np.array(
            [
                spec.lr,
                getattr(spec, "momentum", 0.0),
                getattr(spec, "beta1", 0.0),
                getattr(spec, "beta2", 0.0),
                getattr(spec, "eps", 0.0),
                getattr(spec, "weight_decay", 0.0),
                getattr(spec, "rho", 0.0),
            ],
            dtype=np.float64,
        )
        reg, clip = training.regularization, training.clip
        self._reg = np.array(
            [
                reg.l1,
                reg.l2,
                NO_CLIP if clip.value is None else clip.value,
                NO_CLIP if clip.norm is None else clip.norm,
            ],
            dtype=np.float64,
        )
        self._identity: np.ndarray | None = None
        self._work: tuple[np.ndarray, ...] = ()

    def _kernel_array(self, a: torch.Tensor | np.ndarray) -> np.ndarray:
        """The kernel's one array type: C-contiguous, writable, in the run's dtype."""
        array = a if isinstance(a, np.ndarray) else a.numpy()
        if array.dtype != self.flat.dtype or not (
            array.flags.c_contiguous and array.flags.writeable
        ):
            array = np.array(array, dtype=self.flat.dtype, order="C")
        return array

    def _order(self, n: int) -> np.ndarray:
        """0 … n−1: the order of full-batch epochs and of single batches."""
        if self._identity is None or len(self._identity) != n:
            self._identity = np.arange(n, dtype=np.int64)
        return self._identity

    def _buffers(self, rows: int) -> tuple[np.ndarray, ...]:
        """The kernel's work buffers (xs, zs, φs, outputs, δs) for batches of up to `rows`."""
        if not self._work or self._work[0].shape[1] < rows:
            n, width, dtype = len(self.layers), self._width, self.flat.dtype
            self._work = (
                np.zeros((n + 1, rows, width), dtype=dtype),
                *(np.zeros((n, rows, width), dtype=dtype) for _ in range(4)),
            )
        return self._work

    def native(self, x: torch.Tensor) -> np.ndarray:
        """Batches and the kernel's data: C-contiguous, writable numpy views (one compiled type)."""
        return self._kernel_array(x)

    def _masks(self, n_rows: int, pos: int, batch: int, steps: int) -> np.ndarray:
        """Every step's dropout masks, drawn as lean.py draws them: per step, input first."""
        if not self._dropouts:
            return self._no_masks
        dtype = self.flat.dtype
        masks = np.zeros((steps, len(self._dropouts), batch, self._width), dtype=dtype)
        torch_dtype = self.model_dtype(masks)
        for s in range(steps):
            bs = min(batch, n_rows - pos - s * batch)
            for slot, (_, block, width) in enumerate(self._dropouts):
                keep = torch.rand((bs, width), generator=block.generator, dtype=torch_dtype)
                masks[s, slot, :bs, :width] = keep.numpy() >= block.p
                if s == steps - 1:
                    block.last_mask = keep >= block.p  # the units kept in the last step
        return masks

    def train_steps(
        self,
        x: np.ndarray,
        y: np.ndarray,
        order: np.ndarray | None,
        pos: int,
        batch: int,
        steps: int,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Train `steps` batches of this epoch from position `pos` of `order` (None: in row order).

        Returns every step's loss and number correct; fewer than `steps` when a loss is not finite
        (that step, the last, diverged). The caller keeps `pos + steps * batch` within the epoch.
        """
        if order is None:
            order = self._order(len(x))
        losses = np.empty(steps, dtype=np.float64)
        corrects = np.empty(steps, dtype=np.int64)
        self._hyper[0] = self.optimizer.lr
        optimizer = self.optimizer
        # the kernels load on the first training call, not here: building a run (and its step-0
        # frame) never waits for numba, even in a process that did not call warm_up()
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            done = _kernels().train_steps(
                x,
                y,
                order,
                pos,
                batch,
                steps,
                self.flat,
                self.flat_grad,
                self.weight_mask,
                self._layers,
                self._acts,
                self._act_param,
                self._loss_kind,
                self._masks(len(order), pos, batch, steps),
                self._drop_slot,
                self._drop_scale,
                self._opt,
                self._hyper,
                optimizer.t,
                optimizer.m[0],
                optimizer.v[0],
                self._reg,
                *self._buffers(batch),
                losses,
                corrects,
            )
        optimizer.t += done
        return losses[:done], corrects[:done]

    def train_step(
        self, x: torch.Tensor | np.ndarray, t: torch.Tensor | np.ndarray, capture: bool
    ) -> StepResult:
        """One step on the batch (x, t), through the kernels; `capture` returns its probes."""
        xn, tn = self._kernel_array(x), self._kernel_array(t)
        before = [w.copy() for w in self.W] if capture else []
        rows = len(xn)
        losses, corrects = self.train_steps(xn, tn, self._order(rows), 0, rows, 1)
        probes = self._captured(rows, before) if capture else None
        return StepResult(float(losses[0]), int(corrects[0]), probes)

    def _captured(self, rows: int, before: list[np.ndarray]) -> list[Any]:
        """The last step's probes, copied out of the kernel's work buffers."""
        xs, zs, phis, outs, ds = self._work
        steps, deltas = [], []
        for i, layer in enumerate(self.layers):
            n_in, n_out = layer.n_in, layer.n_out
            steps.append(
                _Step(
                    x=xs[i, :rows, :n_in].copy(),
                    z=zs[i, :rows, :n_out].copy(),
                    a=outs[i, :rows, :n_out].copy(),
                    phi_a=phis[i, :rows, :n_out].copy(),
                )
            )
            deltas.append(ds[i, :rows, :n_out].copy())
        probes = self._probes(steps, deltas, copy_grads=True)
        layers = [p for p in probes if isinstance(p, LayerProbe)]
        for probe, w in zip(layers, before, strict=True):
            probe.W_before = torch.from_numpy(w)
        return probes


def warm_up() -> None:
    """Compile (or load from the on-disk cache) the kernels for float32 and float64 runs, and
    the loop that summarises a small network's frames (which frames use from then on).

    Call it where a process waits for work (the executor's spare worker), so no run pays for it.
    """
    kernels = _kernels()
    for dtype in (np.float32, np.float64):
        x = np.zeros((2, 1), dtype=dtype)
        flat = np.zeros(2, dtype=dtype)
        kernels.train_steps(
            x,
            x.copy(),
            np.arange(2, dtype=np.int64),
            0,
            2,
            1,
            flat,
            np.zeros_like(flat),
            np.zeros_like(flat),
            np.array([[0, 1, 1, 1]], dtype=np.int64),
            np.zeros(1, dtype=np.int64),
            np.zeros(1),
            0,
            np.zeros((1, 1, 1, 1), dtype=dtype),
            np.full(2, -1, dtype=np.int64),
            np.ones(2),
            0,
            np.zeros(7),
            0,
            np.zeros_like(flat),
            np.zeros_like(flat),
            np.full(4, NO_CLIP),
            np.zeros((2, 2, 1), dtype=dtype),
            *(np.zeros((1, 2, 1), dtype=dtype) for _ in range(4)),
            np.empty(1),
            np.empty(1, dtype=np.int64),
        )
