/** Batch norm's learned scale γ and shift β, typed as one number per feature (or channel). */
import { useEffect, useRef, useState } from "react";
import type { BatchNormNode, NodeSpec } from "../spec/types";
import { Field } from "./forms";

/** "1, 2, 0.5" → [1, 2, 0.5]; "" → null (the default); undefined while a value does not parse. */
export function parseVector(text: string): number[] | null | undefined {
  const parts = text.split(/[,\s]+/).filter(Boolean);
  if (parts.length === 0) return null;
  const values = parts.map(Number);
  return values.every((v) => Number.isFinite(v)) ? values : undefined;
}

function VectorInput({
  value,
  onChange,
  ariaLabel,
  placeholder,
}: {
  value: readonly number[] | null | undefined;
  onChange: (v: number[] | null) => void;
  ariaLabel: string;
  placeholder: string;
}) {
  const shown = (value ?? []).join(", ");
  const [text, setText] = useState(shown);
  const focused = useRef(false);
  useEffect(() => {
    if (!focused.current) setText(shown);
  }, [shown]);
  return (
    <input
      type="text"
      aria-label={ariaLabel}
      placeholder={placeholder}
      value={text}
      onFocus={() => (focused.current = true)}
      onBlur={() => {
        focused.current = false;
        setText(shown);
      }}
      onChange={(e) => {
        setText(e.target.value);
        const parsed = parseVector(e.target.value);
        if (parsed !== undefined) onChange(parsed);
      }}
    />
  );
}

/** γ and β: what an empty field starts from (ones, zeros). */
const PARAMS = [
  { name: "gamma", symbol: "γ", empty: "ones", fill: 1 },
  { name: "beta", symbol: "β", empty: "zeros", fill: 0 },
] as const;

export function BatchNormSection({
  node,
  features,
  update,
  error,
}: {
  node: BatchNormNode;
  features: number | null;
  update: (patch: Partial<NodeSpec>, key?: string) => void;
  error: (name: string) => string | undefined;
}) {
  const per = features === null ? "one per feature (per channel after a conv)" : `${features} values`;
  return (
    <>
      <h3>Scale γ and shift β</h3>
      <p className="hint">
        y = γ·x̂ + β, with x̂ = (x − μ_B)/√(σ²_B + ε) over the batch. Leave empty to start from γ = 1, β = 0.
      </p>
      {PARAMS.map(({ name, symbol, empty, fill }) => (
        <Field key={name} label={name} hint={`${symbol}, ${per}`} error={error(name)}>
          <VectorInput
            ariaLabel={name}
            placeholder={features === null ? empty : `${features} × ${fill}`}
            value={node[name]}
            onChange={(v) => update({ [name]: v } as Partial<NodeSpec>, name)}
          />
        </Field>
      ))}
    </>
  );
}
