/** One-line descriptions of a node for its card on the canvas. Pure. */
import { activationKind, type NodeSpec, type Pair } from "../spec/types";

function pairText(p: Pair | null | undefined, fallback: number): string {
  if (p === null || p === undefined) return `${fallback}×${fallback}`;
  return Array.isArray(p) ? `${p[0]}×${p[1]}` : `${p}×${p}`;
}

export function shapeText(shape: readonly number[] | null | undefined): string {
  return shape && shape.length ? `[${shape.join(", ")}]` : "[?]";
}

/** Size of the node: "3 units", "8 filters 3×3", "p = 0.5", "[1, 8, 8]". */
export function sizeText(spec: NodeSpec): string {
  switch (spec.kind) {
    case "input":
      return `shape ${shapeText(spec.shape)}`;
    case "dense":
      return `${spec.units} unit${spec.units === 1 ? "" : "s"}`;
    case "conv2d":
      return `${spec.filters} filter${spec.filters === 1 ? "" : "s"} ${pairText(spec.kernel, 3)}, stride ${pairText(spec.stride, 1).split("×")[0]}, pad ${pairText(spec.padding, 0).split("×")[0]}`;
    case "maxpool2d":
    case "avgpool2d":
      return `window ${pairText(spec.kernel, 2)}`;
    case "dropout":
      return spec.keep_probability !== null && spec.keep_probability !== undefined
        ? `ρ = ${spec.keep_probability} (p = ${+(1 - spec.keep_probability).toFixed(6)})`
        : `p = ${spec.drop_probability ?? 0.5}`;
    case "batchnorm":
      return spec.gamma || spec.beta ? "γ, β set" : `ε = ${spec.eps ?? 1e-5}`;
    case "add":
      return spec.survival_probability !== undefined && spec.survival_probability < 1
        ? `branch survives ${spec.survival_probability}`
        : "";
    default:
      return "";
  }
}

/** Activation line for weighted and activation nodes, with explicit weights and DropConnect flagged. */
export function detailText(spec: NodeSpec): string {
  if (spec.kind === "activation") return `φ = ${activationKind(spec.activation).replace("_", " ")}`;
  if (spec.kind !== "dense" && spec.kind !== "conv2d") return "";
  const parts = [activationKind(spec.activation).replace("_", " ")];
  if (spec.weights) parts.push("weights set");
  if (spec.kind === "dense" && spec.drop_connect) parts.push(`DropConnect ${spec.drop_connect}`);
  return parts.join(" · ");
}
