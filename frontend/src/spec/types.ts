/**
 * The RunSpec as the UI edits it: the types generated from shared_schemas/runspec.py (src/generated),
 * under the names the app uses, and the helpers that read them. Field names are the contract.
 */
import type {
  ActivationSpec,
  AddNode,
  AvgPool2DNode,
  ConcatNode,
  Conv2DNode,
  DataSpec,
  DenseNode,
  GruNode,
  LstmNode,
  MaxPool2DNode,
  NetworkSpec,
  OptimizerSpec,
  RnnNode,
  ScheduleSpec,
  TrainingSpec,
} from "../generated";

export type {
  ActivationNode,
  ActivationSpec,
  AddNode,
  AvgPool2DNode,
  BatchNormNode,
  ConcatNode,
  Conv2DNode,
  DataSpec,
  DenseNode,
  DropoutNode,
  EarlyStoppingSpec,
  FlattenNode,
  GateInit,
  GruNode,
  InitSpec,
  InputNode,
  LstmNode,
  MaxPool2DNode,
  NetworkSpec,
  OptimizerSpec,
  ProblemOut as Problem,
  RnnNode,
  RunSpec,
  ScheduleSpec,
  StopSpec,
  TrainingSpec,
} from "../generated";

export type ActivationKind = ActivationSpec["kind"];
export type Activation = NonNullable<DenseNode["activation"]>;
export type InitScheme = NonNullable<DenseNode["init"]>["scheme"];
export type Pair = NonNullable<Conv2DNode["kernel"]>;
export type PoolNode = MaxPool2DNode | AvgPool2DNode;
export type MergeNode = AddNode | ConcatNode;
export type RecurrentNode = RnnNode | LstmNode | GruNode;
export type RecurrentKind = RecurrentNode["kind"];
export type NodeSpec = NetworkSpec["nodes"][number];
export type NodeKind = NodeSpec["kind"];
export type Edge = NonNullable<NetworkSpec["edges"]>[number];
export type DatasetName = NonNullable<DataSpec["dataset"]>;
export type Feature2D = NonNullable<DataSpec["features"]>[number];
export type LossKind = NonNullable<TrainingSpec["loss"]>;
export type OptimizerKind = NonNullable<OptimizerSpec["kind"]>;
export type ScheduleKind = NonNullable<ScheduleSpec["kind"]>;

/**
 * Every node kind once, in palette order, with what it is: `weighted` (a weight matrix of its own,
 * units or filters, an activation and an initialiser), `recurrent` (the same, through time) or
 * `other`. A kind added to the schema fails to compile until it is placed here.
 */
const KIND_ROLES = {
  input: "other",
  dense: "weighted",
  conv2d: "weighted",
  maxpool2d: "other",
  avgpool2d: "other",
  flatten: "other",
  dropout: "other",
  batchnorm: "other",
  activation: "other",
  add: "other",
  concat: "other",
  rnn: "recurrent",
  lstm: "recurrent",
  gru: "recurrent",
} as const satisfies Record<NodeKind, KindRole>;
type KindRole = "weighted" | "recurrent" | "other";
// Over the table's own keys, and looked up by string below: a kind missing from the table is then
// one error, at the `satisfies` above, naming the kind.
type PlacedKind = keyof typeof KIND_ROLES;
type KindsWithRole<R> = { [K in PlacedKind]: (typeof KIND_ROLES)[K] extends R ? K : never }[PlacedKind];
const KIND_ROLE: Readonly<Record<string, KindRole | undefined>> = KIND_ROLES;
/** dense and conv2d */
export type WeightedKind = KindsWithRole<"weighted">;
export const NODE_KINDS = Object.keys(KIND_ROLES) as readonly NodeKind[];

/**
 * The `default` of an exhaustive switch over node kinds: a kind added to the schema and not handled
 * there fails to compile, with the kind in the message ("'lstm' is not assignable to 'never'").
 */
export function unhandledKind(kind: never): never {
  throw new Error(`node kind ${String(kind)} is not handled`);
}

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
export const FEATURES_2D = Object.keys(FEATURE_LABEL) as readonly Feature2D[];

/** A dense or conv2d node: its weights and biases can be read and edited. */
export function isWeighted(node: NodeSpec): node is Extract<NodeSpec, { kind: WeightedKind }> {
  return isWeightedKind(node.kind);
}

/** Whether a layer of this kind (a spec's node or a trace's layer) is dense or conv2d. */
export function isWeightedKind(kind: string): kind is WeightedKind {
  return KIND_ROLE[kind] === "weighted";
}

/** Whether a layer of this kind (a spec's node or a trace's layer) is an RNN, LSTM or GRU. */
export function isRecurrentKind(kind: string): kind is RecurrentKind {
  return KIND_ROLE[kind] === "recurrent";
}

/** Whether a layer of this kind learns weights of its own (weighted or recurrent). */
export function learnsWeights(kind: string): boolean {
  const role = KIND_ROLE[kind];
  return role === "weighted" || role === "recurrent";
}

/**
 * The patch for an edit of a dropout node's p or Kelleher's ρ (keep probability): once ρ is given
 * the two move together, p = 1 − ρ, so the spec never holds two that disagree. Clearing ρ leaves p.
 */
export function dropoutPatch(
  name: "drop_probability" | "keep_probability",
  value: number | null,
  keepGiven: boolean,
): { drop_probability?: number; keep_probability?: number | null } {
  const complement = (v: number) => Math.round((1 - v) * 1e12) / 1e12;
  if (name === "keep_probability")
    return value === null
      ? { keep_probability: null }
      : { keep_probability: value, drop_probability: complement(value) };
  const p = value ?? 0.5;
  return keepGiven ? { drop_probability: p, keep_probability: complement(p) } : { drop_probability: p };
}

/** The gates of each recurrent kind, in the order the engine and the lecture list them. */
export const GATE_NAMES: Record<RecurrentKind, readonly string[]> = {
  rnn: ["hidden"],
  lstm: ["forget", "input", "candidate", "output"],
  gru: ["reset", "update", "candidate"],
};

export function isRecurrent(node: NodeSpec): node is RecurrentNode {
  return isRecurrentKind(node.kind);
}

export function activationKind(a: Activation | undefined | null): ActivationKind {
  if (!a) return "linear";
  return typeof a === "string" ? a : a.kind;
}
