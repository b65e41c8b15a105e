"""The lean path's training step as one numba-compiled loop over many steps.

For a playground-size network the numpy lean path spends nearly all of a step in Python and in
numpy's per-call overhead (dozens of calls of a few microseconds on arrays of a few dozen numbers).
Here the same algorithm — forward, loss, explicit backprop, L1/L2, clipping, optimiser update — is
written out as loops and compiled once, and a whole run of steps (up to an epoch's end) is one call.

Every formula follows paths/lean.py and paths/lean_optim.py operation by operation, in the same
order, so float64 runs agree with the numpy path to rounding (BLAS sums in another order); the
equivalence tests in tests/unit/engine/test_compiled.py hold them to it.

Compiled code is cached on disk (engine/jit.py).
"""

from __future__ import annotations

import math

import numpy as np

from glassnet.engine.jit import njit

# Every array argument: C-contiguous, in the run's float dtype, or int64 for indices and codes
# (numba compiles one specialisation per dtype; the annotations are for the type checker only).
Array = np.ndarray

# activation codes (ACTIVATIONS in compiled.py maps names to them)
LINEAR, SIGMOID, TANH, RELU, LEAKY_RELU, SOFTMAX = 0, 1, 2, 3, 4, 5
# loss codes
HALF_SSE, MSE, CROSS_ENTROPY, BCE = 0, 1, 2, 3
# optimiser codes
SGD, MOMENTUM, NESTEROV, MOMENTUM_EMA, ADAGRAD, RMSPROP, ADAM, ADAMW = 0, 1, 2, 3, 4, 5, 6, 7
# the layout of `hyper`
LR, MOMENTUM_COEF, BETA1, BETA2, EPS, WEIGHT_DECAY, RHO = 0, 1, 2, 3, 4, 5, 6
# the layout of `reg` (NaN: that clip is off)
L1, L2, CLIP_VALUE, CLIP_NORM = 0, 1, 2, 3


@njit(cache=True, inline="always")
def _phi_dphi(kind: int, z: float, a: float, slope: float) -> float:
    """φ′(z) given a = φ(z), as lean.py's _dphi computes it."""
    if kind == TANH:
        return 1.0 - a * a
    if kind == SIGMOID:
        return a * (1.0 - a)
    if kind == RELU:
        return 1.0 if z > 0 else 0.0
    if kind == LEAKY_RELU:
        return 1.0 if z > 0 else slope
    return 1.0


@njit(cache=True)
def _forward(x: Array, order: Array, pos: int, bs: int, flat: Array, layers: Array, acts: Array,
             act_param: Array, masks: Array, s: int, drop_slot: Array, drop_scale: Array,
             xs: Array, zs: Array, phis: Array, outs: Array) -> None:  # fmt: skip
    """One step's forward pass: xs[0] the batch (after input dropout), per layer z, φ(z), output."""
    n_in0 = layers[0, 2]
    slot = drop_slot[0]
    for r in range(bs):
        row = order[pos + r]
        for k in range(n_in0):
            value = x[row, k]
            if slot >= 0:
                value = value * masks[s, slot, r, k] / drop_scale[0]
            xs[0, r, k] = value
    n_layers = layers.shape[0]
    for i in range(n_layers):
        w_off, b_off, n_in, n_out = layers[i, 0], layers[i, 1], layers[i, 2], layers[i, 3]
        kind, slope = acts[i], act_param[i]
        slot, scale = drop_slot[i + 1], drop_scale[i + 1]
        for r in range(bs):
            for j in range(n_out):
                acc = 0.0
                base = w_off + j * n_in
                for k in range(n_in):
                    acc += xs[i, r, k] * flat[base + k]
                zs[i, r, j] = acc + flat[b_off + j]
            if kind == SOFTMAX:
                top = zs[i, r, 0]
                for j in range(1, n_out):
                    top = max(top, zs[i, r, j])
                total = 0.0
                for j in range(n_out):
                    e = math.exp(zs[i, r, j] - top)
                    phis[i, r, j] = e
                    total += e
                for j in range(n_out):
                    phis[i, r, j] = phis[i, r, j] / total
            else:
                for j in range(n_out):
                    z = zs[i, r, j]
                    if kind == TANH:
                        a = math.tanh(z)
                    elif kind == SIGMOID:
                        a = 0.5 * (1.0 + math.tanh(0.5 * z))  # σ without exp overflow
                    elif kind == RELU:
                        a = max(z, 0.0)
                    elif kind == LEAKY_RELU:
                        a = z if z > 0 else z * slope
                    else:
                        a = z
                    phis[i, r, j] = a
            for j in range(n_out):
                a = phis[i, r, j]
                if slot >= 0:
                    a = a * masks[s, slot, r, j] / scale
                outs[i, r, j] = a
                xs[i + 1, r, j] = a


@njit(cache=True)
def _loss_and_correct(y: Array, order: Array, pos: int, bs: int, n_out: int, loss_kind: int,
                      z: Array, out: Array) -> tuple[float, int]:  # fmt: skip
    """(loss, number correct) of one batch from the last layer's z and output."""
    total = 0.0
    if loss_kind in (HALF_SSE, MSE):
        for r in range(bs):
            row = order[pos + r]
            for j in range(n_out):
                d = y[row, j] - out[r, j]
                total += d * d
        loss = 0.5 * total if loss_kind == HALF_SSE else total / (bs * n_out)
    elif loss_kind == CROSS_ENTROPY:
        for r in range(bs):
            row = order[pos + r]
            top = z[r, 0]
            for j in range(1, n_out):
                top = max(top, z[r, j])
            sum_exp = 0.0
            for j in range(n_out):
                sum_exp += math.exp(z[r, j] - top)
            log_sum = math.log(sum_exp)
            row_total = 0.0
            for j in range(n_out):
                row_total += y[row, j] * ((z[r, j] - top) - log_sum)
            total += row_total
        loss = -total / bs
    else:  # bce on logits: max(z, 0) − z·t + log(1 + e^−|z|), as torch computes it
        for r in range(bs):
            row = order[pos + r]
            for j in range(n_out):
                zz = z[r, j]
                total += max(zz, 0.0) - zz * y[row, j] + math.log1p(math.exp(-abs(zz)))
        loss = total / (bs * n_out)
    correct = 0
    for r in range(bs):
        row = order[pos + r]
        if n_out > 1:
            best_a, best_t = 0, 0
            for j in range(1, n_out):
                if out[r, j] > out[r, best_a]:
                    best_a = j
                if y[row, j] > y[row, best_t]:
                    best_t = j
            if best_a == best_t:
                correct += 1
        elif (out[r, 0] >= 0.5) == (y[row, 0] >= 0.5):
            correct += 1
    return loss, correct


@njit(cache=True)
def _output_delta(y: Array, order: Array, pos: int, bs: int, n_out: int, loss_kind: int,
                  kind: int, slope: float, slot: int, scale: float, masks: Array, s: int,
                  z: Array, phi: Array, out: Array, delta: Array) -> None:  # fmt: skip
    """δ = ∂L/∂z of the output layer (lean.py's _output_delta)."""
    if loss_kind in (CROSS_ENTROPY, BCE):
        for r in range(bs):
            row = order[pos + r]
            for j in range(n_out):
                delta[r, j] = (phi[r, j] - y[row, j]) / bs
        return
    size = bs * n_out
    for r in range(bs):
        row = order[pos + r]
        for j in range(n_out):
            diff = out[r, j] - y[row, j]
            g = diff if loss_kind == HALF_SSE else 2.0 * diff / size
            if slot >= 0:
                g = g / scale * masks[s, slot, r, j]
            delta[r, j] = g  # ∂L/∂a for now
        if kind == SOFTMAX:  # full Jacobian: δ = a ⊙ (g − Σ g·a)
            dot = 0.0
            for j in range(n_out):
                dot += delta[r, j] * phi[r, j]
            for j in range(n_out):
                delta[r, j] = phi[r, j] * (delta[r, j] - dot)
        else:
            for j in range(n_out):
                delta[r, j] = delta[r, j] * _phi_dphi(kind, z[r, j], phi[r, j], slope)


@njit(cache=True)
def _backward(bs: int, flat: Array, grad: Array, layers: Array, acts: Array, act_param: Array,
              masks: Array, s: int, drop_slot: Array, drop_scale: Array,
              xs: Array, zs: Array, phis: Array, ds: Array) -> None:  # fmt: skip
    """Fill `grad` and every layer's δ from the output δ (already in ds[-1]), down to the first."""
    for i in range(layers.shape[0] - 1, -1, -1):
        delta = ds[i]
        w_off, b_off, n_in, n_out = layers[i, 0], layers[i, 1], layers[i, 2], layers[i, 3]
        # ∂L/∂W = δᵀx, summed over the batch in row order; the innermost loops run along rows of
        # W and x (contiguous, independent: the compiler vectorises them)
        for q in range(w_off, w_off + n_out * n_in):
            grad[q] = 0.0
        for r in range(bs):
            for j in range(n_out):
                d = delta[r, j]
                base = w_off + j * n_in
                for k in range(n_in):
                    grad[base + k] += d * xs[i, r, k]
        for j in range(n_out):
            acc = 0.0
            for r in range(bs):
                acc += delta[r, j]
            grad[b_off + j] = acc
        if i == 0:
            break
        # δ of the layer below: (δW) ⊙ dropout mask ⊙ φ′(z), the sum over j in order
        kind, slope = acts[i - 1], act_param[i - 1]
        slot, scale = drop_slot[i], drop_scale[i]
        below = ds[i - 1]
        for r in range(bs):
            for k in range(n_in):
                below[r, k] = 0.0
            for j in range(n_out):
                d = delta[r, j]
                base = w_off + j * n_in
                for k in range(n_in):
                    below[r, k] += d * flat[base + k]
            for k in range(n_in):
                g = below[r, k]
                if slot >= 0:
                    g = g / scale * masks[s, slot, r, k]
                below[r, k] = g * _phi_dphi(kind, zs[i - 1, r, k], phis[i - 1, r, k], slope)


@njit(cache=True)
def _regularise_and_clip(flat: Array, grad: Array, weight_mask: Array, reg: Array) -> None:
    """L1, L2 (weights only), clip by value, then by global norm (lean.py's rules)."""
    l1, l2, clip_value, clip_norm = reg[L1], reg[L2], reg[CLIP_VALUE], reg[CLIP_NORM]
    n = flat.shape[0]
    if l1 != 0.0:
        for q in range(n):
            p = flat[q]
            sign = 1.0 if p > 0 else (-1.0 if p < 0 else 0.0)
            grad[q] += l1 * sign * weight_mask[q]
    if l2 != 0.0:
        for q in range(n):
            grad[q] += 2.0 * l2 * flat[q] * weight_mask[q]
    if not math.isnan(clip_value):
        for q in range(n):
            grad[q] = min(max(grad[q], -clip_value), clip_value)
    if not math.isnan(clip_norm):
        total = 0.0
        for q in range(n):
            total += grad[q] * grad[q]
        coef = clip_norm / (math.sqrt(total) + 1e-6)  # clip_grad_norm_'s rule
        if coef < 1:
            for q in range(n):
                grad[q] *= coef


@njit(cache=True)
def _optimise(opt_kind: int, hyper: Array, t: int, flat: Array, grad: Array, m: Array,
              v: Array) -> None:  # fmt: skip
    """θ ← update(θ, g) at step t (1-based), as lean_optim.NumpyOptimizer.step."""
    lr, mom = hyper[LR], hyper[MOMENTUM_COEF]
    n = flat.shape[0]
    if opt_kind == SGD:
        for q in range(n):
            flat[q] -= lr * grad[q]
    elif opt_kind in (MOMENTUM, NESTEROV):
        for q in range(n):
            g = grad[q]
            if t == 1:
                m[q] = g
            else:
                m[q] = m[q] * mom + g
            flat[q] -= lr * (g + mom * m[q] if opt_kind == NESTEROV else m[q])
    elif opt_kind == MOMENTUM_EMA:
        for q in range(n):
            m[q] = m[q] * mom + (1 - mom) * grad[q]
            flat[q] -= lr * m[q]
    elif opt_kind == ADAGRAD:
        for q in range(n):
            g = grad[q]
            m[q] += g * g
            flat[q] -= lr * g / (math.sqrt(m[q]) + hyper[EPS])
    elif opt_kind == RMSPROP:
        rho = hyper[RHO]
        for q in range(n):
            g = grad[q]
            v[q] = v[q] * rho + (1 - rho) * g * g
            flat[q] -= lr * g / (math.sqrt(v[q]) + hyper[EPS])
    else:  # adam, adamw
        b1, b2, eps = hyper[BETA1], hyper[BETA2], hyper[EPS]
        step_size = lr / (1 - b1**t)
        bc2_sqrt = (1 - b2**t) ** 0.5
        decay = 1 - lr * hyper[WEIGHT_DECAY]
        for q in range(n):
            g = grad[q]
            if opt_kind == ADAMW:
                flat[q] *= decay
            m[q] += (1 - b1) * (g - m[q])
            v[q] = v[q] * b2 + (1 - b2) * g * g
            flat[q] -= step_size * m[q] / (math.sqrt(v[q]) / bc2_sqrt + eps)


@njit(cache=True)
def train_steps(x: Array, y: Array, order: Array, pos: int, batch: int, steps: int, flat: Array,
                grad: Array, weight_mask: Array, layers: Array, acts: Array, act_param: Array,
                loss_kind: int, masks: Array, drop_slot: Array, drop_scale: Array, opt_kind: int,
                hyper: Array, t0: int, m: Array, v: Array, reg: Array, xs: Array, zs: Array,
                phis: Array, outs: Array, ds: Array, losses: Array,
                corrects: Array) -> int:  # fmt: skip
    """Run up to `steps` training steps from position `pos` of this epoch's `order`.

    Step s trains on rows order[pos : pos + batch] (fewer at the epoch's end) and records its loss
    and number correct in losses[s] and corrects[s]. `layers` holds, per layer, the offsets of W
    and b in `flat` and the layer's fan-in and fan-out; `drop_slot[i + 1]` is the dropout mask slot
    applied after layer i (slot of [0]: the input), -1 for none. Stops after the first step whose
    loss is not finite (the run diverged there). Returns the number of steps run.

    The work buffers (batch × widest layer, per layer) hold the last step's layer inputs `xs`
    (after dropout; xs[0] is the batch), z, φ(z), outputs (after dropout) and δ: a capturing step
    (steps = 1) reads its probes from them.
    """
    n_layers = layers.shape[0]
    n_train = order.shape[0]
    last = n_layers - 1
    n_out = layers[last, 3]
    for s in range(steps):
        bs = min(batch, n_train - pos)
        _forward(x, order, pos, bs, flat, layers, acts, act_param, masks, s, drop_slot,
                 drop_scale, xs, zs, phis, outs)  # fmt: skip
        loss, correct = _loss_and_correct(y, order, pos, bs, n_out, loss_kind, zs[last], outs[last])
        _output_delta(y, order, pos, bs, n_out, loss_kind, acts[last], act_param[last],
                      drop_slot[last + 1], drop_scale[last + 1], masks, s, zs[last], phis[last],
                      outs[last], ds[last])  # fmt: skip
        _backward(bs, flat, grad, layers, acts, act_param, masks, s, drop_slot, drop_scale,
                  xs, zs, phis, ds)  # fmt: skip
        _regularise_and_clip(flat, grad, weight_mask, reg)
        _optimise(opt_kind, hyper, t0 + s + 1, flat, grad, m, v)
        losses[s] = loss
        corrects[s] = correct
        pos += bs
        if not math.isfinite(loss):
            return s + 1
    return steps
