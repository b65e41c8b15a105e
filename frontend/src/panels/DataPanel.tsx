/** Dataset, its parameters, 2-D input features, preprocessing, CSV upload and a preview. */
import { useEffect, useRef, useState } from "react";
import { useShallow } from "zustand/react/shallow";
import type { DatasetSpec, ParamSpec } from "../catalog/types";
import { ApiError, type DataPreview, type UploadPublic } from "../net/api";
import { FEATURE_LABEL, FEATURES_2D, type DataSpec, type Feature2D } from "../spec/types";
import { useCatalogStore, useSpecStore, useStores } from "../store/context";
import { DataPreviewView } from "./DataPreview";
import { Field, ParamInput, ProblemList, Select } from "./forms";
import { formatExamples, parseExamples, type Examples } from "./exampleText";

const PREPROCESS_LABEL: Record<string, string> = {
  none: "none",
  minmax: "min-max [0, 1]",
  standardize: "standardise (mean 0, std 1)",
};
/** Rendered by their own controls, not the generic parameter list. */
const OWN_CONTROLS = new Set([
  "features",
  "preprocess",
  "csv_text",
  "upload_id",
  "inputs",
  "targets",
  "target_column",
]);

/** The inline set's two tables, typed as text. */
const INLINE_FIELDS = [
  { key: "inputs", label: "inputs (one row per example; sequence steps split by |)" },
  { key: "targets", label: "targets (one row per example)" },
] as const;

function sameShape(a: readonly number[] | undefined, b: readonly number[] | undefined): boolean {
  return !!a && !!b && a.length === b.length && a.every((v, i) => v === b[i]);
}

function MatrixText({
  value,
  onChange,
  label,
}: {
  value: Examples | null | undefined;
  onChange: (v: Examples | null) => void;
  label: string;
}) {
  const [text, setText] = useState(formatExamples(value));
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <textarea
        rows={4}
        aria-label={label}
        value={text}
        placeholder={
          "one example per line, e.g.\n0.5, 0.2\n0.1, 0.9\nsequences: steps split by |, e.g.\n0, 1 | 1, 0 | 0, 0"
        }
        onChange={(e) => {
          setText(e.target.value);
          const parsed = parseExamples(e.target.value);
          if (parsed.ok) {
            setError(null);
            onChange(parsed.value);
          } else setError(parsed.error);
        }}
      />
      {error ? <span className="field-error">⚠ {error}</span> : null}
    </>
  );
}

export function DataPanel() {
  const { specs, api } = useStores();
  const { data, seed, problems } = useSpecStore(
    useShallow((s) => ({ data: s.rest.data, seed: s.rest.seed, problems: s.validation.mapped.byArea.data })),
  );
  const datasets = useCatalogStore((s) => s.catalog.datasets);
  const [preview, setPreview] = useState<DataPreview | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [upload, setUpload] = useState<UploadPublic | null>(null);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const edited = useRef(false);
  // The layer with no outgoing edge is the output; its units must match the data's targets.
  const outputId = useSpecStore((s) => {
    const sinks = s.nodes.filter(
      (n) => n.data.spec.kind === "dense" && !s.edges.some((e) => e.source === n.id),
    );
    return sinks.length === 1 ? sinks[0]!.id : null;
  });
  const outputUnits = useSpecStore((s) => {
    const spec = s.nodes.find((n) => n.id === outputId)?.data.spec;
    return spec?.kind === "dense" ? spec.units : null;
  });
  const output = outputId !== null && outputUnits !== null ? { id: outputId, units: outputUnits } : null;

  const name = data.dataset ?? "circle";
  const info: DatasetSpec | undefined = datasets.find((d) => d.name === name);
  const set = (patch: Partial<DataSpec>, key?: string) => {
    edited.current = true;
    specs.getState().setData(patch, key);
  };

  // A 2-D point gives one input per feature: the input layer follows in the same edit (one undo
  // step), so validation never sees the two disagree while the preview is on its way.
  const setFeatures = (features: Feature2D[]) => {
    set({ features }, "data:features");
    const state = specs.getState();
    const input = state.nodes.find((n) => n.data.spec.kind === "input");
    const shape = (input?.data.spec as { shape?: number[] } | undefined)?.shape;
    if (input && shape?.length === 1 && shape[0] !== features.length) {
      state.updateNode(input.id, { shape: [features.length] }, "data:features");
    }
  };

  useEffect(() => {
    let cancelled = false;
    const timer = setTimeout(() => {
      api
        .datasetPreview(data, seed)
        .then((p) => {
          if (cancelled) return;
          setPreview(p);
          setPreviewError(null);
          // The input layer follows the data the user picks (as in TensorFlow Playground).
          const state = specs.getState();
          const input = state.nodes.find((n) => n.data.spec.kind === "input");
          if (
            edited.current &&
            input &&
            p.input_shape &&
            !sameShape(p.input_shape, (input.data.spec as { shape: number[] }).shape)
          ) {
            state.updateNode(input.id, { shape: p.input_shape }, "data:input-shape");
          }
          edited.current = false;
        })
        .catch((error: unknown) => {
          if (cancelled) return;
          setPreview(null);
          setPreviewError(error instanceof ApiError ? error.message : "The preview could not be loaded.");
        });
    }, 350);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [api, data, seed, specs]);

  const groups = [...new Set(datasets.map((d) => d.group))];
  const targets = preview?.target_names?.length ?? null;
  const fixOutput = () => {
    if (!output || targets === null) return;
    const multiclass = preview?.task === "multiclass";
    specs
      .getState()
      .updateNode(
        output.id,
        { units: targets, ...(multiclass ? { activation: "softmax" } : {}) },
        "data:output",
      );
    if (multiclass) specs.getState().setTraining({ loss: "cross_entropy" });
  };
  const paramsShown = (info?.params ?? []).filter((p) => !OWN_CONTROLS.has(p.name));
  const has = (n: string) => info?.params.some((p) => p.name === n) ?? false;
  const features = data.features ?? ["x", "y"];
  const columns = upload?.columns ?? preview?.feature_names?.concat(preview.target_names ?? []) ?? [];

  // Another dataset starts from its own defaults; only the choices that apply to every set carry over.
  const chooseDataset = (dataset: DataSpec["dataset"]) => {
    edited.current = true;
    const next: DataSpec = { dataset, preprocess: data.preprocess ?? "none" };
    if (data.seed !== undefined && data.seed !== null) next.seed = data.seed;
    specs.getState().setRest({ data: next }, "data:dataset");
  };

  const onFile = async (file: File) => {
    setUploadError(null);
    try {
      const text = await file.text();
      const result = await api.uploadCsv(text, file.name);
      setUpload(result);
      set({
        dataset: "csv",
        upload_id: result.upload_id,
        csv_text: null,
        target_column: result.columns.at(-1) ?? null,
      });
    } catch (error) {
      setUploadError(error instanceof ApiError ? error.message : "The file could not be read.");
    }
  };

  return (
    <div className="panel data-panel">
      <ProblemList problems={problems} />
      <Field label="dataset" hint={info?.description}>
        <select
          aria-label="dataset"
          value={name}
          onChange={(e) => chooseDataset(e.target.value as DataSpec["dataset"])}
        >
          {datasets.length === 0 ? <option value={name}>{name}</option> : null}
          {groups.map((g) => (
            <optgroup key={g} label={g}>
              {datasets
                .filter((d) => d.group === g)
                .map((d) => (
                  <option key={d.name} value={d.name}>
                    {d.title}
                  </option>
                ))}
            </optgroup>
          ))}
        </select>
      </Field>
      {info?.description ? <p className="hint">{info.description}</p> : null}

      {has("features") ? (
        <>
          <h3>Input features</h3>
          <div className="feature-toggles" role="group" aria-label="input features">
            {FEATURES_2D.map((f) => {
              const on = features.includes(f);
              return (
                <button
                  key={f}
                  className={on ? "feature on" : "feature"}
                  aria-pressed={on}
                  data-testid={`feature-${f}`}
                  onClick={() => {
                    const next = on
                      ? features.filter((x) => x !== f)
                      : FEATURES_2D.filter((x) => x === f || features.includes(x));
                    if (next.length) setFeatures(next);
                  }}
                >
                  {FEATURE_LABEL[f]}
                </button>
              );
            })}
          </div>
        </>
      ) : null}

      {has("preprocess") ? (
        <Field label="preprocessing" hint="fitted on the training split only">
          <Select
            ariaLabel="preprocessing"
            value={data.preprocess ?? "none"}
            options={["none", "minmax", "standardize"] as const}
            labels={PREPROCESS_LABEL}
            onChange={(preprocess) => set({ preprocess })}
          />
        </Field>
      ) : null}

      {paramsShown.map((p: ParamSpec) => (
        <Field
          key={p.name}
          label={p.name.replace("_", " ")}
          hint={p.description}
          error={problems.find((q) => q.pointer === `/data/${p.name}`)?.message}
        >
          <ParamInput
            param={p}
            value={(data as Record<string, unknown>)[p.name] ?? p.default}
            onChange={(v) => set({ [p.name]: v } as Partial<DataSpec>, `data:${p.name}`)}
          />
        </Field>
      ))}

      {name === "inline"
        ? INLINE_FIELDS.map(({ key, label }) => (
            <Field key={key} label={label}>
              <MatrixText
                label={key}
                value={data[key]}
                onChange={(rows) => set({ [key]: rows }, `data:${key}`)}
              />
            </Field>
          ))
        : null}

      {name === "csv" || has("target_column") ? (
        <>
          <h3>CSV file</h3>
          <input
            type="file"
            accept=".csv,text/csv"
            aria-label="upload CSV"
            onChange={(e) => e.target.files?.[0] && void onFile(e.target.files[0])}
          />
          {upload ? (
            <p className="hint">
              {upload.name}: {upload.rows} rows, {upload.columns.length} columns
            </p>
          ) : null}
          {uploadError ? <p className="field-error">⚠ {uploadError}</p> : null}
          <Field label="or paste CSV text" hint="first row: column names">
            <textarea
              rows={4}
              aria-label="CSV text"
              value={data.csv_text ?? ""}
              placeholder={"x1,x2,target\n0.5,0.2,1\n0.1,0.9,0"}
              onChange={(e) => set({ csv_text: e.target.value || null, upload_id: null }, "data:csv_text")}
            />
          </Field>
          {columns.length ? (
            <Field label="target column">
              <Select
                ariaLabel="target column"
                value={(data.target_column as string) ?? null}
                options={columns}
                onChange={(target_column) => set({ target_column })}
              />
            </Field>
          ) : null}
        </>
      ) : null}

      {output && targets !== null && output.units !== targets ? (
        <div className="problems" role="alert">
          ⚠ The data has {targets} target value{targets === 1 ? "" : "s"} per example (
          {preview?.target_names?.join(", ")}), but the output layer <code>{output.id}</code> has{" "}
          {output.units} unit{output.units === 1 ? "" : "s"}.{" "}
          <button className="primary" onClick={fixOutput} data-testid="match-output">
            Give {output.id} {targets} unit{targets === 1 ? "" : "s"}
            {preview?.task === "multiclass" ? " (softmax, cross-entropy)" : ""}
          </button>
        </div>
      ) : null}
      <h3>Preview</h3>
      {previewError ? <p className="field-error">⚠ {previewError}</p> : null}
      {preview ? (
        <DataPreviewView preview={preview} />
      ) : !previewError ? (
        <p className="hint">Loading…</p>
      ) : null}
    </div>
  );
}
