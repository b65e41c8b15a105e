/** f(z) and f′(z) of each activation, for the inspector's small plot. Pure. */
import type { ActivationSpec, ActivationKind } from "../spec/types";

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
// Tanh-based approximation of GELU (as torch's approximate="tanh"); close enough for a plot.
const geluK = Math.sqrt(2 / Math.PI);

/** [f(z), f′(z)]; softmax is drawn for one unit against a zero logit (= sigmoid). */
export function activationAt(spec: ActivationSpec, z: number): [number, number] {
  const kind: ActivationKind = spec.kind;
  switch (kind) {
    case "linear":
      return [z, 1];
    case "sigmoid":
    case "softmax": {
      const s = sigmoid(z);
      return [s, s * (1 - s)];
    }
    case "tanh": {
      const t = Math.tanh(z);
      return [t, 1 - t * t];
    }
    case "relu":
      return z > 0 ? [z, 1] : [0, 0];
    case "leaky_relu": {
      const a = spec.slope ?? 0.01;
      return z > 0 ? [z, 1] : [a * z, a];
    }
    case "prelu": {
      const a = spec.init ?? 0.25;
      return z > 0 ? [z, 1] : [a * z, a];
    }
    case "elu": {
      const a = spec.alpha ?? 1;
      return z > 0 ? [z, 1] : [a * (Math.exp(z) - 1), a * Math.exp(z)];
    }
    case "softplus":
      return [Math.log1p(Math.exp(-Math.abs(z))) + Math.max(z, 0), sigmoid(z)];
    case "silu": {
      const s = sigmoid(z);
      return [z * s, s + z * s * (1 - s)];
    }
    case "gelu": {
      const u = geluK * (z + 0.044715 * z ** 3);
      const t = Math.tanh(u);
      const du = geluK * (1 + 3 * 0.044715 * z * z);
      return [0.5 * z * (1 + t), 0.5 * (1 + t) + 0.5 * z * (1 - t * t) * du];
    }
    case "step":
      return [z >= (spec.threshold ?? 0) ? 1 : 0, 0];
    case "sign":
      return [z >= (spec.threshold ?? 0) ? 1 : -1, 0];
  }
}

/** Samples of f and f′ over [lo, hi]. */
export function sampleActivation(
  spec: ActivationSpec,
  lo = -4,
  hi = 4,
  n = 161,
): { z: number[]; f: number[]; df: number[] } {
  const z: number[] = [];
  const f: number[] = [];
  const df: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = lo + ((hi - lo) * i) / (n - 1);
    const [a, d] = activationAt(spec, x);
    z.push(x);
    f.push(a);
    df.push(d);
  }
  return { z, f, df };
}
