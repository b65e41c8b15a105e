/**
 * What a sweep axis can set: the common fields of the spec being edited, offered by name, and the
 * parsing of a typed list of values (numbers, names, JSON objects) into JSON values.
 */
import { learnsWeights, type RunSpec } from "../spec/types";

export interface SweepField {
  pointer: string;
  label: string;
  /** values to start from, as the user would type them */
  example: string;
}

/** Learning rate, optimiser, batch size, epochs, seed, and each weighted layer's width, activation and initialiser. */
export function commonFields(spec: RunSpec): SweepField[] {
  const fields: SweepField[] = [
    { pointer: "/training/optimizer/lr", label: "learning rate", example: "0.01, 0.1, 1" },
    { pointer: "/training/optimizer/kind", label: "optimiser", example: "sgd, momentum, adam" },
    { pointer: "/training/batch_size", label: "batch size", example: "1, 8, null" },
    { pointer: "/training/epochs", label: "epochs", example: "50, 200" },
    { pointer: "/seed", label: "seed", example: "0, 1, 2" },
  ];
  spec.network.nodes.forEach((node, i) => {
    if (!learnsWeights(node.kind)) return;
    const base = `/network/nodes/${i}`;
    const unitsName = node.kind === "conv2d" ? "filters" : "units";
    fields.push(
      { pointer: `${base}/${unitsName}`, label: `${node.id}: ${unitsName}`, example: "2, 4, 8" },
      { pointer: `${base}/activation`, label: `${node.id}: activation`, example: "sigmoid, tanh, relu" },
      {
        pointer: `${base}/init`,
        label: `${node.id}: initialiser`,
        example: '{"scheme": "xavier"}, {"scheme": "he"}',
      },
    );
  });
  return fields;
}

/** Split at commas outside quotes, brackets and braces. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === "\\") i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") depth--;
    else if (c === "," && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

/**
 * "0.01, 0.1, relu, {"scheme": "he"}" → [0.01, 0.1, "relu", {scheme: "he"}]: each part read as JSON
 * when it is JSON (numbers, true, null, quoted strings, objects), else as a bare name.
 */
export function parseValues(text: string): { values: unknown[]; error: string | null } {
  const values: unknown[] = [];
  for (const part of splitTopLevel(text)) {
    try {
      values.push(JSON.parse(part));
    } catch {
      if (/^[{["]/.test(part)) return { values: [], error: `${part} is not valid JSON` };
      values.push(part);
    }
  }
  if (values.length === 0) return { values, error: "give at least one value" };
  return { values, error: null };
}

/** A value as a short label: numbers and names as they are, objects as compact JSON. */
export function valueLabel(v: unknown): string {
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(Number(v.toPrecision(4)));
  return JSON.stringify(v);
}

/** "/training/optimizer/lr" → "lr": an axis named by its pointer's last part. */
export function axisName(pointer: string, fields: readonly SweepField[] = []): string {
  const known = fields.find((f) => f.pointer === pointer);
  if (known) return known.label;
  return pointer.split("/").filter(Boolean).pop() ?? pointer;
}

/** A sweep's run is named "sweep <id>: lr=0.1 · units=4" (or "<sweep name>: …"): its values alone. */
export function shortRunName(name: string | null, id: string): string {
  if (!name) return id;
  const at = name.indexOf(": ");
  return at >= 0 ? name.slice(at + 2) : name;
}
