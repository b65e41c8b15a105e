/**
 * The RunSpec as the UI edits it (shared_schemas/runspec.py; DESIGN.md "RunSpec"). Field names are the
 * contract. Kept structurally identical to the generated types in src/generated (checked by a type test).
 */

export type ActivationKind =
  | "linear"
  | "step"
  | "sign"
  | "sigmoid"
  | "tanh"
  | "relu"
  | "leaky_relu"
  | "prelu"
  | "elu"
  | "softplus"
  | "gelu"
  | "silu"
  | "softmax";

export interface ActivationSpec {
  kind: ActivationKind;
  slope?: number;
  alpha?: number;
  threshold?: number;
  init?: number;
}
export type Activation = ActivationKind | ActivationSpec;

export type InitScheme =
  | "zeros"
  | "constant"
  | "uniform"
  | "normal"
  | "xavier_normal"
  | "xavier_uniform"
  | "he_normal"
  | "he_uniform"
  | "lecun_normal"
  | "lecun_uniform"
  | "orthogonal";

export interface InitSpec {
  scheme: InitScheme;
  value?: number;
  low?: number;
  high?: number;
  mean?: number;
  std?: number;
  mode?: "fan_avg" | "fan_in" | "fan_out";
  gain?: number;
}

export type Pair = number | [number, number];

interface NodeBase {
  id: string;
  label?: string | null;
}

export interface InputNode extends NodeBase {
  kind: "input";
  shape: number[];
}

interface WeightedBase extends NodeBase {
  activation?: Activation;
  init?: InitSpec | null;
  bias_init?: number;
  bias?: number[] | null;
}

export interface DenseNode extends WeightedBase {
  kind: "dense";
  units: number;
  weights?: number[][] | null;
}

export interface Conv2dNode extends WeightedBase {
  kind: "conv2d";
  filters: number;
  kernel?: Pair;
  stride?: Pair;
  padding?: Pair;
  weights?: number[][][][] | null;
}

export interface PoolNode extends NodeBase {
  kind: "maxpool2d" | "avgpool2d";
  kernel?: Pair;
  stride?: Pair | null;
  padding?: Pair;
}

export interface FlattenNode extends NodeBase {
  kind: "flatten";
}

export interface DropoutNode extends NodeBase {
  kind: "dropout";
  drop_probability?: number;
}

export interface BatchNormNode extends NodeBase {
  kind: "batchnorm";
  momentum?: number;
  eps?: number;
}

export interface MergeNode extends NodeBase {
  kind: "add" | "concat";
}

export type NodeSpec =
  InputNode | DenseNode | Conv2dNode | PoolNode | FlattenNode | DropoutNode | BatchNormNode | MergeNode;
export type NodeKind = NodeSpec["kind"];
export const NODE_KINDS: readonly NodeKind[] = [
  "input",
  "dense",
  "conv2d",
  "maxpool2d",
  "avgpool2d",
  "flatten",
  "dropout",
  "batchnorm",
  "add",
  "concat",
];

export type Edge = [string, string];

export interface NetworkSpec {
  nodes: NodeSpec[];
  edges?: Edge[] | null;
}

export type DatasetName =
  | "xor"
  | "circle"
  | "spiral"
  | "gaussian"
  | "moons"
  | "linear"
  | "and"
  | "or"
  | "xor_gate"
  | "power_plant"
  | "init_experiment"
  | "digits"
  | "mnist"
  | "inline"
  | "csv";

export type Feature2D = "x" | "y" | "x2" | "y2" | "xy" | "sin_x" | "sin_y";
export const FEATURES_2D: readonly Feature2D[] = ["x", "y", "x2", "y2", "xy", "sin_x", "sin_y"];
/** How the 2-D sets' input features are written in the UI. */
export const FEATURE_LABEL: Record<Feature2D, string> = {
  x: "x",
  y: "y",
  x2: "x²",
  y2: "y²",
  xy: "x·y",
  sin_x: "sin x",
  sin_y: "sin y",
};

export interface DataSpec {
  dataset?: DatasetName;
  n?: number | null;
  noise?: number;
  train_fraction?: number | null;
  seed?: number | null;
  preprocess?: "none" | "minmax" | "standardize";
  features?: Feature2D[] | null;
  classes?: number | null;
  variant?: "normalized" | "raw" | null;
  target?: "value" | "onehot" | null;
  n_features?: number | null;
  flatten?: boolean;
  task?: "regression" | "binary" | "multiclass" | null;
  inputs?: number[][] | null;
  targets?: number[][] | null;
  csv_text?: string | null;
  upload_id?: string | null;
  target_column?: string | number | null;
}

export type LossKind = "half_sse" | "mse" | "cross_entropy" | "bce";
export type OptimizerKind =
  "sgd" | "momentum" | "momentum_ema" | "nesterov" | "adagrad" | "rmsprop" | "adam" | "nadam" | "adamw";

export interface OptimizerSpec {
  kind?: OptimizerKind;
  lr?: number;
  momentum?: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  rho?: number;
  weight_decay?: number;
}

export type ScheduleKind = "constant" | "inverse_time" | "step" | "exponential" | "cosine";
export interface ScheduleSpec {
  kind?: ScheduleKind;
  decay?: number;
  step_size?: number;
  gamma?: number;
  t_max?: number | null;
  min_lr?: number;
}

export interface TrainingSpec {
  loss?: LossKind;
  optimizer?: OptimizerSpec;
  schedule?: ScheduleSpec;
  regularization?: { l1?: number; l2?: number };
  batch_size?: number | null;
  epochs?: number;
  stop?: {
    loss_below?: number | null;
    early_stopping?: {
      patience?: number;
      min_delta?: number;
      monitor?: "val_loss" | "loss";
      restore_best?: boolean;
    } | null;
  };
  clip?: { value?: number | null; norm?: number | null };
  trainer?: "gradient" | "perceptron" | "forward_only";
}

export interface RunSpec {
  version?: 1;
  network: NetworkSpec;
  data?: DataSpec;
  training?: TrainingSpec;
  seed?: number;
  dtype?: "float32" | "float64";
  device?: "auto" | "cpu" | "cuda";
}

export const WEIGHTED_KINDS: ReadonlySet<NodeKind> = new Set<NodeKind>(["dense", "conv2d"]);

export function isWeighted(node: NodeSpec): node is DenseNode | Conv2dNode {
  return node.kind === "dense" || node.kind === "conv2d";
}

export function activationKind(a: Activation | undefined | null): ActivationKind {
  if (!a) return "linear";
  return typeof a === "string" ? a : a.kind;
}

/** A problem reported by POST /specs/validate or any 4xx: where (RFC 6901 pointer) and why. */
export interface Problem {
  pointer: string;
  message: string;
}
