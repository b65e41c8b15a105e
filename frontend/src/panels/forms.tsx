/** Small form controls shared by the panels: numbers that tolerate half-typed input, selects, toggles. */
import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import type { ParamSpec } from "../catalog/types";

export function Field({
  label,
  hint,
  error,
  children,
}: {
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  children: ReactNode;
}) {
  return (
    <label className={error ? "field has-error" : "field"} title={hint}>
      <span className="field-label">{label}</span>
      {children}
      {error ? (
        <span className="field-error" role="alert">
          ⚠ {error}
        </span>
      ) : null}
    </label>
  );
}

export interface NumberInputProps {
  value: number | null | undefined;
  onChange: (value: number | null) => void;
  min?: number | null | undefined;
  max?: number | null | undefined;
  step?: number | "any" | null | undefined;
  integer?: boolean;
  nullable?: boolean;
  placeholder?: string;
  ariaLabel?: string;
  className?: string;
}

/** A number box that keeps what the user types ("-", "0.") and commits only parseable values. */
export function NumberInput({
  value,
  onChange,
  min,
  max,
  step,
  integer,
  nullable,
  placeholder,
  ariaLabel,
  className,
}: NumberInputProps) {
  const [text, setText] = useState(value === null || value === undefined ? "" : String(value));
  const focused = useRef(false);
  useEffect(() => {
    if (!focused.current) setText(value === null || value === undefined ? "" : String(value));
  }, [value]);
  const parse = (t: string): number | null | undefined => {
    if (t.trim() === "") return nullable ? null : undefined;
    const n = Number(t);
    if (!Number.isFinite(n)) return undefined;
    if (integer && !Number.isInteger(n)) return undefined;
    return n;
  };
  const parsed = parse(text);
  const outOfRange =
    typeof parsed === "number" && ((min != null && parsed < min) || (max != null && parsed > max));
  return (
    <input
      className={[className ?? "num", parsed === undefined || outOfRange ? "invalid" : ""].join(" ").trim()}
      type="text"
      inputMode="decimal"
      aria-label={ariaLabel}
      aria-invalid={parsed === undefined || outOfRange}
      value={text}
      placeholder={placeholder}
      data-step={step ?? undefined}
      onFocus={() => (focused.current = true)}
      onBlur={() => {
        focused.current = false;
        setText(value === null || value === undefined ? "" : String(value));
      }}
      onChange={(e) => {
        setText(e.target.value);
        const n = parse(e.target.value);
        if (n !== undefined) onChange(n);
      }}
    />
  );
}

export function Select<T extends string | number>({
  value,
  options,
  onChange,
  ariaLabel,
  labels,
}: {
  value: T | null | undefined;
  options: readonly T[];
  onChange: (value: T) => void;
  ariaLabel?: string;
  labels?: Partial<Record<string, string>>;
}) {
  return (
    <select
      aria-label={ariaLabel}
      value={value === null || value === undefined ? "" : String(value)}
      onChange={(e) => {
        const found = options.find((o) => String(o) === e.target.value);
        if (found !== undefined) onChange(found);
      }}
    >
      {value === null || value === undefined ? <option value="">—</option> : null}
      {options.map((o) => (
        <option key={String(o)} value={String(o)}>
          {labels?.[String(o)] ?? String(o)}
        </option>
      ))}
    </select>
  );
}

export function Toggle({
  checked,
  onChange,
  label,
  title,
}: {
  checked: boolean;
  onChange: (v: boolean) => void;
  label: string;
  title?: string;
}) {
  const id = useId();
  return (
    <span className={checked ? "toggle on" : "toggle"} title={title}>
      <input id={id} type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <label htmlFor={id}>{label}</label>
    </span>
  );
}

/** A pair field (kernel, stride, padding): one number, or h×w when they differ. */
export function PairInput({
  value,
  onChange,
  min,
  max,
  ariaLabel,
}: {
  value: number | [number, number] | null | undefined;
  onChange: (v: number | [number, number] | null) => void;
  min?: number | null;
  max?: number | null;
  ariaLabel?: string;
}) {
  const [h, w] = Array.isArray(value) ? value : [value ?? null, value ?? null];
  const set = (nh: number | null, nw: number | null) => {
    if (nh === null || nw === null) onChange(nh ?? nw);
    else onChange(nh === nw ? nh : [nh, nw]);
  };
  // the two halves take the same bounds; each keeps the other's value
  const half = (v: number | null, name: string, next: (v: number | null) => void) => (
    <NumberInput
      value={v}
      integer
      min={min}
      max={max}
      onChange={next}
      ariaLabel={`${ariaLabel ?? ""} ${name}`}
    />
  );
  return (
    <span className="pair">
      {half(h, "height", (v) => set(v, w))}
      <span aria-hidden>×</span>
      {half(w, "width", (v) => set(h, v))}
    </span>
  );
}

/** One catalog parameter rendered by type (STYLE lesson 5: forms come from the registry). */
export function ParamInput({
  param,
  value,
  onChange,
}: {
  param: ParamSpec;
  value: unknown;
  onChange: (v: unknown) => void;
}) {
  const label = param.name;
  switch (param.type) {
    case "int":
    case "float":
      return (
        <NumberInput
          value={
            typeof value === "number"
              ? value
              : value === null
                ? null
                : ((param.default as number | null | undefined) ?? null)
          }
          integer={param.type === "int"}
          min={param.min}
          max={param.max}
          nullable={param.nullable ?? false}
          ariaLabel={label}
          onChange={onChange}
        />
      );
    case "bool":
      return (
        <input
          type="checkbox"
          aria-label={label}
          checked={Boolean(value ?? param.default)}
          onChange={(e) => onChange(e.target.checked)}
        />
      );
    case "select":
      return (
        <Select
          value={(value ?? param.default) as string}
          options={(param.options ?? []) as string[]}
          ariaLabel={label}
          onChange={onChange}
        />
      );
    case "pair":
      return (
        <PairInput
          value={(value ?? param.default) as number}
          min={param.min}
          max={param.max}
          ariaLabel={label}
          onChange={onChange}
        />
      );
    case "shape":
      return <ShapeInput value={(value ?? param.default) as number[]} onChange={onChange} />;
    default:
      return (
        <input
          type="text"
          aria-label={label}
          value={value === undefined || value === null ? "" : String(value)}
          onChange={(e) => onChange(e.target.value || null)}
        />
      );
  }
}

export function ShapeInput({
  value,
  onChange,
}: {
  value: number[] | undefined;
  onChange: (v: number[]) => void;
}) {
  const [text, setText] = useState((value ?? []).join(", "));
  const focused = useRef(false);
  useEffect(() => {
    if (!focused.current) setText((value ?? []).join(", "));
  }, [value]);
  const parsed = text
    .split(/[,×x\s]+/)
    .filter(Boolean)
    .map(Number);
  const ok = parsed.length >= 1 && parsed.length <= 3 && parsed.every((n) => Number.isInteger(n) && n >= 1);
  return (
    <input
      type="text"
      aria-label="shape"
      className={ok ? "shape" : "shape invalid"}
      value={text}
      placeholder="2   or   1, 8, 8"
      onFocus={() => (focused.current = true)}
      onBlur={() => (focused.current = false)}
      onChange={(e) => {
        setText(e.target.value);
        const p = e.target.value
          .split(/[,×x\s]+/)
          .filter(Boolean)
          .map(Number);
        if (p.length >= 1 && p.length <= 3 && p.every((n) => Number.isInteger(n) && n >= 1)) onChange(p);
      }}
    />
  );
}

export function ProblemList({ problems }: { problems: readonly { pointer: string; message: string }[] }) {
  if (problems.length === 0) return null;
  return (
    <ul className="problems" role="alert">
      {problems.map((p, i) => (
        <li key={i}>⚠ {p.message}</li>
      ))}
    </ul>
  );
}
