/** Editable W [out][in] and b [out] of a dense layer, so textbook weights can be typed in exactly. */
import type { DenseNode, Conv2DNode } from "../spec/types";
import { NumberInput } from "./forms";
import { useState } from "react";

export function WeightsEditor({
  node,
  nIn,
  onChange,
}: {
  node: DenseNode;
  nIn: number | null;
  onChange: (patch: Partial<DenseNode>, key: string) => void;
}) {
  const units = node.units;
  const weights = node.weights;
  const bias = node.bias;
  const tooBig = nIn !== null && units * nIn > 400;
  if (!weights) {
    return (
      <div className="weights-editor">
        <p className="hint">
          The initialiser sets W and b when the run starts. Enter them yourself to reproduce a worked example.
        </p>
        <button
          disabled={nIn === null || tooBig}
          onClick={() =>
            onChange(
              {
                weights: Array.from({ length: units }, () => Array.from({ length: nIn ?? 0 }, () => 0)),
                bias: bias ?? Array.from({ length: units }, () => 0),
              },
              "weights:create",
            )
          }
        >
          Set weights by hand
        </button>
        {nIn === null ? <p className="hint">Connect an input first, so the matrix size is known.</p> : null}
        {tooBig ? (
          <p className="hint">
            Too many weights ({units}×{nIn}) to type; keep the initialiser.
          </p>
        ) : null}
      </div>
    );
  }
  const setCell = (r: number, c: number, v: number | null) => {
    const next = weights.map((row) => row.slice());
    next[r]![c] = v ?? 0;
    onChange({ weights: next }, `weights:${r}:${c}`);
  };
  const setBias = (r: number, v: number | null) => {
    const next = (bias ?? Array.from({ length: units }, () => 0)).slice();
    next[r] = v ?? 0;
    onChange({ bias: next }, `bias:${r}`);
  };
  return (
    <div className="weights-editor">
      <table className="matrix" aria-label="weights">
        <thead>
          <tr>
            <th scope="col">unit</th>
            <th scope="col" title="bias">
              b
            </th>
            {(weights[0] ?? []).map((_, c) => (
              <th key={c} scope="col" title={`weight from input ${c + 1}`}>
                w·{c + 1}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weights.map((row, r) => (
            <tr key={r}>
              <th scope="row">{r + 1}</th>
              <td>
                <NumberInput
                  value={bias?.[r] ?? 0}
                  onChange={(v) => setBias(r, v)}
                  ariaLabel={`b${r + 1}`}
                  className="cell"
                />
              </td>
              {row.map((w, c) => (
                <td key={c}>
                  <NumberInput
                    value={w}
                    onChange={(v) => setCell(r, c, v)}
                    ariaLabel={`W${r + 1},${c + 1}`}
                    className="cell"
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">
        Row i holds neuron i's weights (the book puts the bias in column 0; here it is the b column).
      </p>
      <button onClick={() => onChange({ weights: null, bias: null }, "weights:clear")}>
        Use the initialiser instead
      </button>
    </div>
  );
}

/** Conv weights are 4-D; they are edited as JSON [out_ch][in_ch][kh][kw]. */
export function ConvWeightsEditor({
  node,
  onChange,
}: {
  node: Conv2DNode;
  onChange: (patch: Partial<Conv2DNode>, key: string) => void;
}) {
  const [text, setText] = useState(node.weights ? JSON.stringify(node.weights) : "");
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="weights-editor">
      <textarea
        rows={4}
        aria-label="conv weights as JSON"
        placeholder="[[[[0, 1, 0], [1, -4, 1], [0, 1, 0]]]]  (empty: use the initialiser)"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          if (!e.target.value.trim()) {
            setError(null);
            onChange({ weights: null }, "conv:weights");
            return;
          }
          try {
            const parsed = JSON.parse(e.target.value) as number[][][][];
            if (!Array.isArray(parsed)) throw new Error("not a list");
            setError(null);
            onChange({ weights: parsed }, "conv:weights");
          } catch {
            setError("Not valid JSON yet: a list [out_ch][in_ch][kh][kw] of numbers.");
          }
        }}
      />
      {error ? <p className="field-error">⚠ {error}</p> : null}
    </div>
  );
}
