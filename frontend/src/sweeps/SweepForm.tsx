/**
 * Make a sweep from the spec being edited: one or two axes, each a field (picked from the common ones
 * or typed as a JSON pointer) and a list of values. The server checks every grid point; its problems
 * come back naming the axis (`/axes/1/values/2`) and are shown beside that axis.
 */
import { useMemo, useState } from "react";
import { ApiError } from "../net/api";
import type { Problem } from "../spec/types";
import { useStores } from "../store/context";
import { commonFields, parseValues } from "./fields";

interface AxisDraft {
  pointer: string;
  custom: boolean;
  values: string;
}

const OTHER = "__other__";

function AxisRow({
  index,
  axis,
  fields,
  problems,
  onChange,
  onRemove,
}: {
  index: number;
  axis: AxisDraft;
  fields: ReturnType<typeof commonFields>;
  problems: Problem[];
  onChange: (a: AxisDraft) => void;
  onRemove?: () => void;
}) {
  const parsed = parseValues(axis.values);
  const example = fields.find((f) => f.pointer === axis.pointer)?.example ?? "1, 2, 3";
  return (
    <fieldset className="sweep-axis" data-testid={`sweep-axis-${index}`}>
      <legend>Axis {index + 1}</legend>
      <label>
        field{" "}
        <select
          value={axis.custom ? OTHER : axis.pointer}
          onChange={(e) =>
            e.target.value === OTHER
              ? onChange({ ...axis, custom: true })
              : onChange({ ...axis, custom: false, pointer: e.target.value })
          }
          data-testid={`sweep-field-${index}`}
        >
          {fields.map((f) => (
            <option key={f.pointer} value={f.pointer}>
              {f.label}
            </option>
          ))}
          <option value={OTHER}>other (JSON pointer)…</option>
        </select>
      </label>
      {axis.custom ? (
        <label>
          pointer{" "}
          <input
            value={axis.pointer}
            onChange={(e) => onChange({ ...axis, pointer: e.target.value })}
            placeholder="/data/noise"
            data-testid={`sweep-pointer-${index}`}
          />
        </label>
      ) : (
        <code className="muted">{axis.pointer}</code>
      )}
      <label className="sweep-values">
        values{" "}
        <input
          value={axis.values}
          onChange={(e) => onChange({ ...axis, values: e.target.value })}
          placeholder={example}
          data-testid={`sweep-values-${index}`}
        />
      </label>
      <span className="muted small">
        {parsed.error
          ? `⚠ ${parsed.error}`
          : `${parsed.values.length} value${parsed.values.length === 1 ? "" : "s"}`}
      </span>
      {onRemove ? (
        <button className="link" onClick={onRemove} data-testid={`sweep-remove-${index}`}>
          remove
        </button>
      ) : null}
      {problems.length ? (
        <ul className="sweep-problems" role="alert">
          {problems.map((p, i) => (
            <li key={i}>
              <code>{p.pointer}</code> {p.message}
            </li>
          ))}
        </ul>
      ) : null}
    </fieldset>
  );
}

export function SweepForm() {
  const { api, specs, manyRuns } = useStores();
  const spec = specs.getState().spec();
  const fields = useMemo(() => commonFields(spec), [spec]);
  const [axes, setAxes] = useState<AxisDraft[]>([
    { pointer: "/training/optimizer/lr", custom: false, values: "0.01, 0.1, 1" },
  ]);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [busy, setBusy] = useState(false);
  const parsed = axes.map((a) => parseValues(a.values));
  const size = parsed.reduce((n, p) => n * p.values.length, 1);

  const submit = async () => {
    setBusy(true);
    setProblems([]);
    try {
      const created = await api.createSweep(
        specs.getState().spec(),
        axes.map((a, k) => ({ pointer: a.pointer.trim(), values: parsed[k]!.values })),
      );
      manyRuns.getState().showSweep(created.id, created.owner);
    } catch (e) {
      setProblems(e instanceof ApiError ? e.problems : [{ pointer: "", message: String(e) }]);
    } finally {
      setBusy(false);
    }
  };

  const forAxis = (k: number) => problems.filter((p) => p.pointer.startsWith(`/axes/${k}/`));
  const general = problems.filter((p) => !/^\/axes\/\d+\//.test(p.pointer));
  return (
    <section className="sweep-form" aria-label="New sweep">
      <h3>New sweep from the network in the editor</h3>
      {axes.map((a, k) => (
        <AxisRow
          key={k}
          index={k}
          axis={a}
          fields={fields}
          problems={forAxis(k)}
          onChange={(next) => setAxes(axes.map((x, i) => (i === k ? next : x)))}
          onRemove={axes.length > 1 ? () => setAxes(axes.filter((_, i) => i !== k)) : undefined}
        />
      ))}
      <div className="sweep-form-actions">
        {axes.length < 2 ? (
          <button
            onClick={() =>
              setAxes([...axes, { pointer: fields[5]?.pointer ?? "/seed", custom: false, values: "" }])
            }
            data-testid="sweep-add-axis"
          >
            + second axis
          </button>
        ) : null}
        <button
          className="primary"
          disabled={busy || parsed.some((p) => p.error !== null)}
          onClick={() => void submit()}
          data-testid="sweep-run"
        >
          ▶ Run {size} run{size === 1 ? "" : "s"}
        </button>
      </div>
      {general.length ? (
        <ul className="sweep-problems" role="alert" data-testid="sweep-problems">
          {general.map((p, i) => (
            <li key={i}>
              {p.pointer ? <code>{p.pointer}</code> : null} {p.message}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
