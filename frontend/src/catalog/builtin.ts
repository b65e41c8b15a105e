/**
 * The catalog the page starts from (mirrors shared_schemas/runspec.py); the server's GET /catalog
 * replaces each list it provides, so titles, descriptions and bounds come from the backend registry.
 */
import type { AppCatalog, LayerKindSpec, OptionSpec, ParamSpec } from "./types";

const pair = (name: string, def: number, min: number, max: number, description: string): ParamSpec => ({
  name,
  type: "pair",
  default: def,
  min,
  max,
  description,
});

/** Max and average pooling take the same window. */
const POOL_PARAMS: readonly ParamSpec[] = [
  pair("kernel", 2, 1, 15, "window size"),
  pair("stride", 2, 1, 15, "step (default: the window)"),
  pair("padding", 0, 0, 7, "padding"),
];

export const BUILTIN_LAYERS: readonly LayerKindSpec[] = [
  {
    kind: "input",
    title: "Input",
    category: "input",
    description: "The examples enter here: [n] features, or [C, H, W] for images.",
    weighted: false,
    params: [
      { name: "shape", type: "shape", default: [2], min: 1, max: 4096, description: "per-example shape" },
    ],
  },
  {
    kind: "dense",
    title: "Dense",
    category: "weighted",
    description: "Fully connected: z = W·x + b, a = φ(z).",
    weighted: true,
    params: [
      { name: "units", type: "int", default: 4, min: 1, max: 4096, description: "neurons in the layer" },
      {
        name: "drop_connect",
        type: "float",
        default: 0,
        min: 0,
        max: 0.95,
        step: 0.05,
        description: "DropConnect: probability of dropping each weight per training step",
      },
    ],
  },
  {
    kind: "conv2d",
    title: "Conv 2-D",
    category: "weighted",
    description: "Filters slide over the image (cross-correlation); weights are shared across positions.",
    weighted: true,
    params: [
      { name: "filters", type: "int", default: 4, min: 1, max: 512, description: "output channels" },
      pair("kernel", 3, 1, 15, "filter size (h×w)"),
      pair("stride", 1, 1, 15, "step between positions"),
      pair("padding", 0, 0, 15, "zeros added around the input"),
    ],
  },
  {
    kind: "maxpool2d",
    title: "Max pool",
    category: "pooling",
    description: "Keeps the largest value of each window; gradients flow to the maximum only.",
    weighted: false,
    params: POOL_PARAMS,
  },
  {
    kind: "avgpool2d",
    title: "Average pool",
    category: "pooling",
    description: "Averages each window.",
    weighted: false,
    params: POOL_PARAMS,
  },
  {
    kind: "flatten",
    title: "Flatten",
    category: "shape",
    description: "[C, H, W] → [C·H·W], so dense layers can follow convolutions.",
    weighted: false,
    params: [],
  },
  {
    kind: "dropout",
    title: "Dropout",
    category: "regularisation",
    description: "During training, each unit is dropped with probability p (Kelleher's ρ keeps: p = 1 − ρ).",
    weighted: false,
    params: [
      {
        name: "drop_probability",
        type: "float",
        default: 0.5,
        min: 0,
        max: 0.95,
        step: 0.05,
        description: "probability of dropping a unit",
      },
      {
        name: "keep_probability",
        type: "float",
        default: null,
        min: 0.05,
        max: 1,
        step: 0.05,
        nullable: true,
        description: "Kelleher's ρ, the probability of keeping a unit (p = 1 − ρ)",
      },
    ],
  },
  {
    kind: "batchnorm",
    title: "Batch norm",
    category: "normalisation",
    description: "Normalises each feature over the batch, then scales and shifts it.",
    weighted: false,
    params: [
      {
        name: "momentum",
        type: "float",
        default: 0.1,
        min: 0.001,
        max: 1,
        step: 0.01,
        description: "running-average momentum",
      },
      { name: "eps", type: "float", default: 1e-5, min: 1e-8, max: 1, description: "added to the variance" },
    ],
  },
  {
    kind: "activation",
    title: "Activation φ",
    category: "activation",
    description: "a = φ(z) on its own, so batch norm can sit between z and φ, or a ReLU follow an add.",
    weighted: false,
    params: [],
  },
  {
    kind: "add",
    title: "Add",
    category: "merge",
    description: "Sums inputs of one shape (residual connections).",
    weighted: false,
    params: [
      {
        name: "survival_probability",
        type: "float",
        default: 1,
        min: 0.05,
        max: 1,
        step: 0.05,
        description: "stochastic depth: probability the branch (every input but the first) is kept",
      },
    ],
  },
  {
    kind: "concat",
    title: "Concat",
    category: "merge",
    description: "Joins inputs along the first axis.",
    weighted: false,
    params: [],
  },
];

const opt = (name: string, title: string, params: ParamSpec[] = [], description?: string): OptionSpec => ({
  name,
  title,
  params,
  ...(description ? { description } : {}),
});

export const BUILTIN_ACTIVATIONS: readonly OptionSpec[] = [
  opt("linear", "linear (identity)"),
  opt("sigmoid", "sigmoid (logistic)"),
  opt("tanh", "tanh"),
  opt("relu", "ReLU"),
  opt("leaky_relu", "leaky ReLU", [
    { name: "slope", type: "float", default: 0.01, min: 0, max: 1, step: 0.01 },
  ]),
  opt("prelu", "PReLU (learned slope)", [
    { name: "init", type: "float", default: 0.25, min: -1, max: 1, step: 0.05 },
  ]),
  opt("elu", "ELU", [{ name: "alpha", type: "float", default: 1, min: 0.01, max: 10, step: 0.1 }]),
  opt("softplus", "softplus"),
  opt("gelu", "GELU"),
  opt("silu", "SiLU (swish)"),
  opt("softmax", "softmax (output only)"),
  opt("step", "step (threshold)", [{ name: "threshold", type: "float", default: 0, min: -1e6, max: 1e6 }]),
  opt("sign", "sign", [{ name: "threshold", type: "float", default: 0, min: -1e6, max: 1e6 }]),
];

const lim = (
  name: string,
  def: number,
  min: number,
  max: number,
  extra: Partial<ParamSpec> = {},
): ParamSpec => ({
  name,
  type: "float",
  default: def,
  min,
  max,
  ...extra,
});

export const BUILTIN_INITIALIZERS: readonly OptionSpec[] = [
  opt("zeros", "zeros"),
  opt("constant", "constant", [lim("value", 0, -1000, 1000)]),
  opt("uniform", "uniform U(low, high)", [lim("low", -0.5, -1000, 1000), lim("high", 0.5, -1000, 1000)]),
  opt("normal", "normal N(mean, std²)", [lim("mean", 0, -1000, 1000), lim("std", 0.01, 0, 1000)]),
  opt("xavier_uniform", "Xavier / Glorot uniform", [
    { name: "mode", type: "select", default: "fan_avg", options: ["fan_avg", "fan_in"] },
  ]),
  opt("xavier_normal", "Xavier / Glorot normal", [
    { name: "mode", type: "select", default: "fan_avg", options: ["fan_avg", "fan_in"] },
  ]),
  opt("he_normal", "He / Kaiming normal", [
    { name: "mode", type: "select", default: "fan_in", options: ["fan_in", "fan_out"] },
  ]),
  opt("he_uniform", "He / Kaiming uniform", [
    { name: "mode", type: "select", default: "fan_in", options: ["fan_in", "fan_out"] },
  ]),
  opt("lecun_normal", "LeCun normal"),
  opt("lecun_uniform", "LeCun uniform"),
  opt("orthogonal", "orthogonal", [lim("gain", 1, 0.01, 100)]),
];

const LR: ParamSpec = {
  name: "lr",
  type: "float",
  default: 0.03,
  min: 1e-6,
  max: 100,
  log: true,
  description: "learning rate α",
};

export const BUILTIN_OPTIMIZERS: readonly OptionSpec[] = [
  opt("sgd", "gradient descent (SGD)", [LR]),
  opt("momentum", "momentum (torch: v = μv + g)", [LR, lim("momentum", 0.9, 0, 0.999)]),
  opt("momentum_ema", "momentum (lecture: v = βv + (1−β)g)", [LR, lim("momentum", 0.9, 0, 0.999)]),
  opt("nesterov", "Nesterov momentum", [LR, lim("momentum", 0.9, 0, 0.999)]),
  opt("adagrad", "AdaGrad", [LR, lim("eps", 1e-8, 1e-12, 1)]),
  opt("rmsprop", "RMSProp", [LR, lim("rho", 0.9, 0, 0.999), lim("eps", 1e-8, 1e-12, 1)]),
  opt("adam", "Adam", [
    LR,
    lim("beta1", 0.9, 0, 0.999),
    lim("beta2", 0.999, 0, 0.9999),
    lim("eps", 1e-8, 1e-12, 1),
  ]),
  opt("nadam", "Nadam", [
    LR,
    lim("beta1", 0.9, 0, 0.999),
    lim("beta2", 0.999, 0, 0.9999),
    lim("eps", 1e-8, 1e-12, 1),
  ]),
  opt("adamw", "AdamW", [
    LR,
    lim("beta1", 0.9, 0, 0.999),
    lim("beta2", 0.999, 0, 0.9999),
    lim("weight_decay", 0.01, 0, 1),
  ]),
];

export const BUILTIN_SCHEDULES: readonly OptionSpec[] = [
  opt("constant", "constant"),
  opt("inverse_time", "inverse time α0/(1+k·epoch)", [lim("decay", 0.01, 0, 100)]),
  opt("step", "step decay", [
    {
      name: "step_size",
      type: "int",
      default: 100,
      min: 1,
      max: 100000,
      description: "epochs between drops",
    },
    lim("gamma", 0.5, 0.001, 1),
  ]),
  opt("exponential", "exponential α0·γ^epoch", [lim("gamma", 0.99, 0.001, 1)]),
  opt("cosine", "cosine annealing", [
    {
      name: "t_max",
      type: "int",
      default: null,
      min: 1,
      max: 100000,
      nullable: true,
      description: "period (empty: epochs)",
    },
    lim("min_lr", 0, 0, 100),
  ]),
];

export const BUILTIN_LOSSES: readonly OptionSpec[] = [
  opt(
    "half_sse",
    "½ sum of squared errors (textbook)",
    [],
    "½Σ(t − a)², summed over the batch, as in Kelleher.",
  ),
  opt("mse", "mean squared error"),
  opt("bce", "binary cross-entropy", [], "One sigmoid output unit."),
  opt("cross_entropy", "cross-entropy (softmax)", [], "A softmax output layer."),
];

export const BUILTIN_CATALOG: AppCatalog = {
  layers: BUILTIN_LAYERS,
  activations: BUILTIN_ACTIVATIONS,
  initializers: BUILTIN_INITIALIZERS,
  optimizers: BUILTIN_OPTIMIZERS,
  schedules: BUILTIN_SCHEDULES,
  losses: BUILTIN_LOSSES,
  datasets: [],
};
