/**
 * The shapes of a recurrent node's explicit weights (DESIGN.md "Recurrent layers") and the edits the
 * inspector makes to them and to the per-gate initialisers.
 */
import { GATE_NAMES, type GateInit, type RecurrentNode } from "./types";

export interface GateMatrix {
  /** the key in `weights`: rnn "hh" / "hx", lstm and gru the gate name */
  key: string;
  rows: number;
  cols: number;
  /** what the columns read, for the table's headers */
  columns: string[];
}

function columnNames(units: number, features: number, withState: boolean): string[] {
  const h = withState ? Array.from({ length: units }, (_, i) => `h${i + 1}`) : [];
  const x = Array.from({ length: features }, (_, i) => `x${i + 1}`);
  return [...h, ...x];
}

/** The matrices of a node reading `features` inputs per step: rnn W_hh and W_hx, else one per gate. */
export function gateMatrices(node: RecurrentNode, features: number): GateMatrix[] {
  const u = node.units;
  if (node.kind === "rnn") {
    return [
      { key: "hh", rows: u, cols: u, columns: columnNames(u, 0, true) },
      { key: "hx", rows: u, cols: features, columns: columnNames(0, features, false) },
    ];
  }
  return GATE_NAMES[node.kind].map((g) => ({
    key: g,
    rows: u,
    cols: u + features,
    columns: columnNames(u, features, true),
  }));
}

function zeros(rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => 0));
}

/** Zero weights and biases of the right shapes: the start of typing a worked example in. */
export function zeroWeights(
  node: RecurrentNode,
  features: number,
): { weights: Record<string, number[][]>; bias: number[] | Record<string, number[]> } {
  const weights = Object.fromEntries(gateMatrices(node, features).map((m) => [m.key, zeros(m.rows, m.cols)]));
  const bias =
    node.kind === "rnn"
      ? Array.from({ length: node.units }, () => 0)
      : Object.fromEntries(
          GATE_NAMES[node.kind].map((g) => [g, Array.from({ length: node.units }, () => 0)]),
        );
  return { weights, bias };
}

/** One gate's initialiser (rnn: its only one), or null when it takes the defaults. */
export function gateInit(node: RecurrentNode, gate: string): GateInit | null {
  if (node.kind === "rnn") return node.init ?? null;
  return node.init?.[gate] ?? null;
}

/** The node's `init` with one gate's initialiser replaced (null: back to the defaults). */
export function withGateInit(
  node: RecurrentNode,
  gate: string,
  next: GateInit | null,
): Pick<RecurrentNode, "init"> {
  const empty = (g: GateInit | null) => !g || (g.input == null && g.recurrent == null && g.bias == null);
  if (node.kind === "rnn") return { init: empty(next) ? null : next };
  const all: Record<string, GateInit> = { ...(node.init ?? {}) };
  if (empty(next)) delete all[gate];
  else all[gate] = next!;
  return { init: Object.keys(all).length ? all : null };
}
