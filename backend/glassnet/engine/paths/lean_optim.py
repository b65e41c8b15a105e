"""Optimiser updates on numpy arrays, in place, following torch.optim's formulas line by line.

For a small network a torch.optim step costs more than the whole forward and backward pass (tens of
microseconds of per-tensor dispatch). The lean path therefore updates its numpy views of the
parameters here; equivalence tests hold these to torch.optim at 1e-10 in float64.
"""

from __future__ import annotations

import numpy as np

from shared_schemas.runspec import OptimizerSpec

NADAM_MOMENTUM_DECAY = 4e-3  # torch.optim.NAdam's default ψ


class NumpyOptimizer:
    """One optimiser over a fixed list of parameter arrays (updated in place)."""

    def __init__(self, spec: OptimizerSpec, params: list[np.ndarray]) -> None:
        self.spec = spec
        self.params = params
        self.lr = spec.lr
        self.t = 0
        self.m = [np.zeros_like(p) for p in params]  # first moment / velocity / sum of squares
        self.v = [np.zeros_like(p) for p in params]  # second moment
        self.mu_product = 1.0
        self.kind = spec.kind

    def step(self, grads: list[np.ndarray]) -> None:
        """θ ← update(θ, g) for every parameter."""
        self.t += 1
        s, lr, t = self.spec, self.lr, self.t
        kind = self.kind
        if kind == "sgd":
            for p, g in zip(self.params, grads, strict=True):
                p -= lr * g
        elif kind in ("momentum", "nesterov"):
            for p, g, buf in zip(self.params, grads, self.m, strict=True):
                if t == 1:
                    buf[...] = g
                else:
                    buf *= s.momentum
                    buf += g
                p -= lr * (g + s.momentum * buf if kind == "nesterov" else buf)
        elif kind == "momentum_ema":
            for p, g, buf in zip(self.params, grads, self.m, strict=True):
                buf *= s.momentum
                buf += (1 - s.momentum) * g
                p -= lr * buf
        elif kind == "adagrad":
            for p, g, acc in zip(self.params, grads, self.m, strict=True):
                acc += g * g
                p -= lr * g / (np.sqrt(acc) + s.eps)
        elif kind == "rmsprop":
            for p, g, sq in zip(self.params, grads, self.v, strict=True):
                sq *= s.rho
                sq += (1 - s.rho) * g * g
                p -= lr * g / (np.sqrt(sq) + s.eps)
        elif kind in ("adam", "adamw"):
            b1, b2 = s.beta1, s.beta2
            step_size = lr / (1 - b1**t)
            bc2_sqrt = (1 - b2**t) ** 0.5
            for p, g, m, v in zip(self.params, grads, self.m, self.v, strict=True):
                if kind == "adamw":
                    p *= 1 - lr * s.weight_decay
                m += (1 - b1) * (g - m)
                v *= b2
                v += (1 - b2) * g * g
                p -= step_size * m / (np.sqrt(v) / bc2_sqrt + s.eps)
        elif kind == "nadam":
            b1, b2 = s.beta1, s.beta2
            mu = b1 * (1.0 - 0.5 * 0.96 ** (t * NADAM_MOMENTUM_DECAY))
            mu_next = b1 * (1.0 - 0.5 * 0.96 ** ((t + 1) * NADAM_MOMENTUM_DECAY))
            # torch.optim.NAdam keeps μ-product as a float32 scalar tensor; rounding it the same way
            # keeps this path within 1e-10 of torch (a float64 product drifts by ~1e-9).
            self.mu_product = float(np.float32(self.mu_product) * np.float32(mu))
            mu_product_next = self.mu_product * mu_next
            bc2 = 1 - b2**t
            for p, g, m, v in zip(self.params, grads, self.m, self.v, strict=True):
                m += (1 - b1) * (g - m)
                v *= b2
                v += (1 - b2) * g * g
                denom = np.sqrt(v / bc2) + s.eps
                p += (-lr * (1.0 - mu) / (1.0 - self.mu_product)) * g / denom
                p += (-lr * mu_next / (1.0 - mu_product_next)) * m / denom
        else:
            raise ValueError(f"unknown optimizer {kind!r}")
