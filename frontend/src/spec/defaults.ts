import { unhandledKind, type NodeSpec, type RunSpec } from "./types";

/** A new node of `kind` with the defaults a student would start from. */
export function defaultNodeSpec(kind: NodeSpec["kind"], id: string): NodeSpec {
  switch (kind) {
    case "input":
      return { id, kind, shape: [2] };
    case "dense":
      return { id, kind, units: 4, activation: "tanh" };
    case "conv2d":
      return { id, kind, filters: 4, kernel: 3, stride: 1, padding: 0, activation: "relu" };
    case "maxpool2d":
    case "avgpool2d":
      return { id, kind, kernel: 2 };
    case "dropout":
      return { id, kind, drop_probability: 0.5 };
    case "batchnorm":
      return { id, kind };
    case "activation":
      return { id, kind, activation: "relu" };
    case "flatten":
    case "add":
    case "concat":
      return { id, kind };
    case "rnn":
      return { id, kind, units: 4, activation: "tanh", return_sequences: false };
    case "lstm":
    case "gru":
      return { id, kind, units: 4, return_sequences: false };
    default:
      return unhandledKind(kind);
  }
}

/** The setup shown on first load: TensorFlow Playground's circle with two small tanh layers. */
export function defaultSpec(): RunSpec {
  return {
    version: 1,
    network: {
      nodes: [
        { id: "x", kind: "input", shape: [2] },
        { id: "h1", kind: "dense", units: 4, activation: "tanh" },
        { id: "h2", kind: "dense", units: 2, activation: "tanh" },
        { id: "y", kind: "dense", units: 1, activation: "sigmoid" },
      ],
      edges: [
        ["x", "h1"],
        ["h1", "h2"],
        ["h2", "y"],
      ],
    },
    data: {
      dataset: "circle",
      n: 500,
      noise: 0,
      train_fraction: 0.5,
      preprocess: "none",
      features: ["x", "y"],
    },
    training: {
      loss: "bce",
      optimizer: { kind: "sgd", lr: 0.1 },
      schedule: { kind: "constant" },
      regularization: { l1: 0, l2: 0 },
      batch_size: 10,
      epochs: 500,
      stop: {},
      clip: {},
    },
    seed: 0,
    dtype: "float32",
    device: "auto",
  };
}
