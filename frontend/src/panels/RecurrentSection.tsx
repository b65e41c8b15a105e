/**
 * The inspector's part for rnn, lstm and gru nodes: the rnn's activation φ, each gate's initialisers
 * (the columns on h_(t−1), those on x_t, the bias) and, to reproduce a worked example, every gate's
 * W and b typed in by hand.
 */
import { useShallow } from "zustand/react/shallow";
import {
  activationKind,
  GATE_NAMES,
  type ActivationSpec,
  type GateInit,
  type InitSpec,
  type NodeSpec,
  type RecurrentNode,
} from "../spec/types";
import { gateInit, gateMatrices, withGateInit, zeroWeights, type GateMatrix } from "../spec/recurrent";
import { useCatalogStore } from "../store/context";
import { ActivationPlot } from "./ActivationPlot";
import { Field, NumberInput, Select } from "./forms";

type Update = (patch: Partial<NodeSpec>, key?: string) => void;

interface RecurrentProps {
  node: RecurrentNode;
  /** F, features per step of the node's input; null until an input of shape [T, F] is connected */
  features: number | null;
  update: Update;
}

const MAX_TYPED_WEIGHTS = 400;

function SchemeSelect({
  label,
  fallback,
  value,
  onChange,
}: {
  label: string;
  fallback: string;
  value: InitSpec | null | undefined;
  onChange: (next: InitSpec | null) => void;
}) {
  const initializers = useCatalogStore((s) => s.catalog.initializers);
  return (
    <Select
      ariaLabel={label}
      value={value?.scheme ?? "default"}
      options={["default", ...initializers.map((i) => i.name)]}
      labels={{
        default: `default (${fallback})`,
        ...Object.fromEntries(initializers.map((i) => [i.name, i.title])),
      }}
      onChange={(scheme) => onChange(scheme === "default" ? null : ({ scheme } as InitSpec))}
    />
  );
}

/** A gate's two weight matrices: what each multiplies and the initialiser used when none is chosen. */
const MATRIX_INITS = [
  { key: "recurrent", on: "on h_(t−1)", fallback: "orthogonal" },
  { key: "input", on: "on x_t", fallback: "Xavier" },
] as const;

function GateInitFields({ node, gate, update }: { node: RecurrentNode; gate: string; update: Update }) {
  const init = gateInit(node, gate);
  const set = (patch: Partial<GateInit>, key: string) =>
    update(withGateInit(node, gate, { ...(init ?? {}), ...patch }), `init:${gate}:${key}`);
  const prefix = node.kind === "rnn" ? "" : `${gate} `;
  const biasDefault = node.kind === "lstm" && gate === "forget" ? 1 : 0;
  return (
    <fieldset className="gate-init" data-gate={gate}>
      <legend>{node.kind === "rnn" ? "W_hh, W_hx, b" : `${gate} gate`}</legend>
      {MATRIX_INITS.map(({ key, on, fallback }) => (
        <Field key={key} label={on}>
          <SchemeSelect
            label={`${prefix}${key} init`}
            fallback={fallback}
            value={init?.[key]}
            onChange={(scheme) => set({ [key]: scheme }, key)}
          />
        </Field>
      ))}
      <Field label="bias">
        <NumberInput
          value={init?.bias ?? null}
          nullable
          placeholder={String(biasDefault)}
          ariaLabel={`${prefix}bias init`}
          onChange={(bias) => set({ bias: bias ?? null }, "bias")}
        />
      </Field>
    </fieldset>
  );
}

function MatrixTable({
  matrix,
  values,
  bias,
  onCell,
  onBias,
}: {
  matrix: GateMatrix;
  values: number[][];
  bias: number[] | null;
  onCell: (r: number, c: number, v: number) => void;
  onBias: ((r: number, v: number) => void) | null;
}) {
  return (
    <table className="matrix" aria-label={`weights ${matrix.key}`}>
      <thead>
        <tr>
          <th scope="col">unit</th>
          {onBias ? <th scope="col">b</th> : null}
          {matrix.columns.map((c) => (
            <th key={c} scope="col">
              {c}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {Array.from({ length: matrix.rows }, (_, r) => (
          <tr key={r}>
            <th scope="row">{r + 1}</th>
            {onBias ? (
              <td>
                <NumberInput
                  value={bias?.[r] ?? 0}
                  onChange={(v) => onBias(r, v ?? 0)}
                  ariaLabel={`${matrix.key} b${r + 1}`}
                  className="cell"
                />
              </td>
            ) : null}
            {Array.from({ length: matrix.cols }, (_, c) => (
              <td key={c}>
                <NumberInput
                  value={values[r]?.[c] ?? 0}
                  onChange={(v) => onCell(r, c, v ?? 0)}
                  ariaLabel={`${matrix.key} W${r + 1},${c + 1}`}
                  className="cell"
                />
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function RecurrentWeights({ node, features, update }: RecurrentProps) {
  const matrices = features === null ? [] : gateMatrices(node, features);
  const count = matrices.reduce((n, m) => n + m.rows * m.cols, 0);
  if (!node.weights) {
    return (
      <div className="weights-editor">
        <p className="hint">
          The initialisers set every gate&apos;s W and b when the run starts. Enter them yourself to reproduce
          a worked example (the lecture&apos;s layout: the columns on h_(t−1) first, then those on x_t).
        </p>
        <button
          disabled={features === null || count > MAX_TYPED_WEIGHTS}
          onClick={() => update(zeroWeights(node, features ?? 0) as Partial<NodeSpec>, "weights:create")}
        >
          Set weights by hand
        </button>
        {features === null ? (
          <p className="hint">Connect a sequence input [T, F] first, so the matrix sizes are known.</p>
        ) : null}
        {count > MAX_TYPED_WEIGHTS ? (
          <p className="hint">Too many weights ({count}) to type; keep the initialisers.</p>
        ) : null}
      </div>
    );
  }
  const weights = node.weights;
  const setCell = (key: string, r: number, c: number, v: number) => {
    const next = (weights[key] ?? []).map((row) => row.slice());
    (next[r] ??= [])[c] = v;
    update({ weights: { ...weights, [key]: next } } as Partial<NodeSpec>, `weights:${key}:${r}:${c}`);
  };
  const biasOf = (key: string): number[] | null => {
    if (node.kind === "rnn") return key === "hh" ? (node.bias ?? null) : null;
    return node.bias?.[key] ?? null;
  };
  const setBias = (key: string, r: number, v: number) => {
    const next = (biasOf(key) ?? Array.from({ length: node.units }, () => 0)).slice();
    next[r] = v;
    const bias = node.kind === "rnn" ? next : { ...(node.bias ?? {}), [key]: next };
    update({ bias } as Partial<NodeSpec>, `bias:${key}:${r}`);
  };
  return (
    <div className="weights-editor">
      {matrices.map((m) => (
        <div key={m.key}>
          <h4>{node.kind === "rnn" ? (m.key === "hh" ? "W_hh (and b)" : "W_hx") : `${m.key} gate`}</h4>
          <MatrixTable
            matrix={m}
            values={weights[m.key] ?? []}
            bias={biasOf(m.key)}
            onCell={(r, c, v) => setCell(m.key, r, c, v)}
            onBias={node.kind === "rnn" && m.key === "hx" ? null : (r, v) => setBias(m.key, r, v)}
          />
        </div>
      ))}
      <button onClick={() => update({ weights: null, bias: null } as Partial<NodeSpec>, "weights:clear")}>
        Use the initialisers instead
      </button>
    </div>
  );
}

/** Activation (rnn), per-gate initialisers and explicit weights of a recurrent node. */
export function RecurrentSection({ node, features, update }: RecurrentProps) {
  const { activations } = useCatalogStore(useShallow((s) => ({ activations: s.catalog.activations })));
  const act: ActivationSpec | null =
    node.kind === "rnn"
      ? typeof node.activation === "object" && node.activation
        ? node.activation
        : { kind: node.activation ? activationKind(node.activation) : "tanh" }
      : null;
  const gates = GATE_NAMES[node.kind];
  return (
    <>
      {act ? (
        <>
          <h3>Activation φ</h3>
          <Field label="activation" hint="h_t = φ(W_hh h_(t−1) + W_hx x_t + b)">
            <Select
              ariaLabel="activation"
              value={act.kind}
              options={activations.map((a) => a.name)}
              labels={Object.fromEntries(activations.map((a) => [a.name, a.title]))}
              onChange={(kind) => update({ activation: kind } as Partial<NodeSpec>, "activation")}
            />
          </Field>
          <ActivationPlot spec={act} />
        </>
      ) : null}
      <h3>Initialisers</h3>
      {gates.map((g) => (
        <GateInitFields key={g} node={node} gate={g} update={update} />
      ))}
      <p className="hint">
        Defaults: orthogonal on h (it keeps ‖W_hh h‖ = ‖h‖ at the start), Xavier on x, bias 0
        {node.kind === "lstm" ? " (the forget gate 1, so the cell remembers from the start)" : ""}.
      </p>
      <h3>Weights W and bias b</h3>
      <RecurrentWeights node={node} features={features} update={update} />
    </>
  );
}
