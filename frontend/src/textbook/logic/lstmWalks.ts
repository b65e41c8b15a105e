/**
 * The LSTM lecture's two worked examples, which are computations on given vectors rather than
 * networks: the forget gate (eqs. 114–115) and one backward step through a cell (eqs. 138–144).
 * Each step is computed here in float64 from the ones before it and set beside the number the slide
 * prints; where they differ, the erratum says why. The backward example's gate weights are not given,
 * so the vectors the slides take from the forward pass (o†, 1 − tanh²(c_t), f(1 − f)) are inputs.
 */

export type Vector = number[];
export type Matrix = number[][];

export interface WalkStep {
  /** the equation as the lecture writes it */
  equation: string;
  /** what it computes, in words */
  says: string;
  value: Vector | Matrix;
  /** the slide's printed value, when it prints one */
  printed?: Vector | Matrix;
  /** why the slide's number differs, when it does */
  erratum?: string;
}

export interface VectorWalk {
  id: string;
  title: string;
  description: string;
  /** the given vectors, shown before the first step */
  given: { name: string; value: Vector | Matrix; printed?: Vector; erratum?: string }[];
  steps: WalkStep[];
  note?: string;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const times = (a: Vector, b: Vector): Vector => a.map((x, i) => x * b[i]!);
const plus = (a: Vector, b: Vector): Vector => a.map((x, i) => x + b[i]!);
const matVec = (w: Matrix, x: Vector): Vector => w.map((row) => row.reduce((s, v, j) => s + v * x[j]!, 0));
const outer = (a: Vector, b: Vector): Matrix => a.map((x) => b.map((y) => x * y));

function forgetGate(): VectorWalk {
  const cPrev = [1, 1, 1];
  const hx = [1, 1, 1, 4]; // bias input, h_{t−1} = [1, 1], x_t = [4]
  const wf = [
    [0, 1, 1, 1],
    [0, -1, -1, -1],
    [0, 0, 0, 0],
  ];
  const z = matVec(wf, hx);
  const f = z.map(sigmoid);
  const cDagger = times(f, cPrev);
  return {
    id: "lstm-forget-gate",
    title: "LSTM forget gate (eqs. 114–115)",
    description:
      "The forget gate reads hx_t = [1; h_{t−1}; x_t] and decides, per element of the cell state, how much of c_{t−1} to keep: σ near 1 keeps it, near 0 forgets it.",
    given: [
      { name: "c_{t−1}", value: cPrev },
      { name: "hx_t = [1 (bias), h_{t−1}, x_t]", value: hx },
      { name: "W^(f) (column 0: the bias)", value: wf },
    ],
    steps: [
      {
        equation: "z^(f) = W^(f) · hx_t",
        says: "each element's weighted sum",
        value: z,
        printed: [6, -6, 0],
      },
      {
        equation: "f_t = σ(z^(f))",
        says: "the gate: 1 keeps, 0 forgets",
        value: f,
        printed: [0.997527377, 0.002472623, 0.5],
      },
      {
        equation: "c†_t = f_t ⊙ c_{t−1}",
        says: "what is kept of the cell state",
        value: cDagger,
        printed: [0.997527377, 0.002472623, 0.5],
      },
    ],
    note: "The slides' cell has 3 elements and h has 2: a real LSTM cannot (its units set both sizes), so this is the gate computation on its own, as the lecture shows it.",
  };
}

function backwardStep(): VectorWalk {
  const hx = [1, 0.1, 0.8, 0.9];
  const cPrev = [0.3, 0.6];
  const dCNext = [0.35, 0.5];
  const dHNext = [0.75, 0.25];
  const dOut = [0.15, 0.6];
  const oDagger = [0.575420058, 0.520987661];
  const tanhSlope = [0.999184559, 0.997048635];
  const fSlope = [0.248743973, 0.249694];
  const dO = plus(dHNext, dOut);
  const dODoubleDagger = times(dO, oDagger);
  const deltaO = times(dODoubleDagger, tanhSlope);
  const dC = plus(deltaO, dCNext);
  const dF = times(dC, cPrev);
  const deltaF = times(dF, fSlope);
  return {
    id: "lstm-backward-step",
    title: "LSTM backward step (eqs. 138–144)",
    description:
      "One step back through a cell (Figure 42): the gradients arriving from step t+1 and from the output at t meet, pass through the output gate to the cell state, and reach the forget gate's weights.",
    given: [
      { name: "hx_tᵀ = [1 (bias), h_{t−1}, x_t]", value: hx },
      { name: "c_{t−1}", value: cPrev },
      { name: "∂E_{t+1}/∂c_t", value: dCNext },
      { name: "∂E_{t+1}/∂h_t", value: dHNext },
      { name: "∂E_t/∂o_t", value: dOut },
      {
        name: "o†_t (forward pass)",
        value: oDagger,
        printed: [0.575420058, 0.52098661],
        erratum: "a digit dropped: the slide's own product 0.85 × o†₂ = 0.442839512 needs 0.520987661",
      },
      { name: "1 − tanh²(c_t) (forward pass)", value: tanhSlope },
      { name: "f_t (1 − f_t) (forward pass)", value: fSlope },
    ],
    steps: [
      {
        equation: "∂E/∂o_t = ∂E_{t+1}/∂h_t + ∂E_t/∂o_t",
        says: "a fork sums the gradients of its branches (eq. 124)",
        value: dO,
        printed: [0.9, 0.85],
      },
      {
        equation: "∂E/∂o‡_t = ∂E/∂o_t ⊙ o†_t",
        says: "through the product h_t = o†_t ⊙ tanh(c_t), to its tanh branch",
        value: dODoubleDagger,
        printed: [0.517878052, 0.442839512],
      },
      {
        equation: "δ_{o‡} = ∂E/∂o‡_t ⊙ (1 − tanh²(c_t))",
        says: "through the tanh",
        value: deltaO,
        printed: [0.517455753, 0.441532531],
      },
      {
        equation: "∂E/∂c_t = δ_{o‡} + ∂E_{t+1}/∂c_t",
        says: "the cell state is a fork too: the next step's gradient adds on",
        value: dC,
        printed: [0.867455753, 0.941532531],
      },
      {
        equation: "∂E/∂f_t = ∂E/∂c_t ⊙ c_{t−1}",
        says: "through c†_t = f_t ⊙ c_{t−1}",
        value: dF,
        printed: [0.260236726, 0.564919518],
      },
      {
        equation: "δ_f = ∂E/∂f_t ⊙ f_t (1 − f_t)",
        says: "through the forget gate's σ",
        value: deltaF,
        printed: [0.064732317, 0.141057014],
      },
      {
        equation: "ΔW^(f) = δ_f · hx_tᵀ",
        says: "the forget gate's weight gradient: one row per element, the bias in column 0",
        value: outer(deltaF, hx),
        printed: [
          [0.064732317, 0.006473232, 0.051785854, 0.058259085],
          [0.141057014, 0.014105701, 0.112845611, 0.126951313],
        ],
      },
    ],
    note: "The slide prints o†₂ = 0.52098661, but its own product 0.85 × o†₂ = 0.442839512 needs o†₂ = 0.520987661: a digit was dropped. This walk uses the corrected value, so every later step matches the slide.",
  };
}

/** The walks, in the lecture's order. */
export const VECTOR_WALKS: readonly VectorWalk[] = [forgetGate(), backwardStep()];

export function vectorWalk(id: string): VectorWalk | null {
  return VECTOR_WALKS.find((w) => w.id === id) ?? null;
}

/** Whether a computed value agrees with the slide's printed one to the digits the slide prints. */
export function agreesWithSlide(value: Vector | Matrix, printed: Vector | Matrix | undefined): boolean {
  if (!printed) return true;
  const a = value.flat();
  const b = printed.flat();
  // the slides print 9 decimals; a difference beyond rounding there is an erratum
  return a.length === b.length && a.every((x, i) => Math.abs(x - b[i]!) <= 5e-9 + 1e-12);
}
