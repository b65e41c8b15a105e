/** The selected layer's settings, generated from the catalog's parameter specs. */
import { useState } from "react";
import { useShallow } from "zustand/react/shallow";
import { layerKind } from "../catalog/normalize";
import type { OptionSpec, ParamSpec } from "../catalog/types";
import { fieldOf } from "../graph/problems";
import {
  activationKind,
  type ActivationSpec,
  type Conv2DNode,
  type DenseNode,
  type InitSpec,
  type NodeSpec,
  isRecurrent,
} from "../spec/types";
import { useCatalogStore, useSpecStore, useStores } from "../store/context";
import { ActivationPlot } from "./ActivationPlot";
import { Field, NumberInput, ParamInput, ProblemList, Select } from "./forms";
import { ConvWeightsEditor, WeightsEditor } from "./WeightsEditor";
import { RecurrentSection } from "./RecurrentSection";
import { useFitSoon } from "./useFitSoon";

const EMPTY: readonly never[] = [];

function OptionParams({
  option,
  value,
  onChange,
}: {
  option: OptionSpec | undefined;
  value: Record<string, unknown>;
  onChange: (name: string, v: unknown) => void;
}) {
  if (!option || option.params.length === 0) return null;
  return (
    <div className="option-params">
      {option.params.map((p: ParamSpec) => (
        <Field key={p.name} label={p.name} hint={p.description}>
          <ParamInput param={p} value={value[p.name]} onChange={(v) => onChange(p.name, v)} />
        </Field>
      ))}
    </div>
  );
}

function WeightedSection({
  node,
  nIn,
  update,
}: {
  node: DenseNode | Conv2DNode;
  nIn: number | null;
  update: (patch: Partial<NodeSpec>, key?: string) => void;
}) {
  const { activations, initializers } = useCatalogStore(
    useShallow((s) => ({ activations: s.catalog.activations, initializers: s.catalog.initializers })),
  );
  const act: ActivationSpec =
    typeof node.activation === "object" && node.activation
      ? node.activation
      : { kind: activationKind(node.activation) };
  const actOption = activations.find((a) => a.name === act.kind);
  const setActivation = (next: ActivationSpec) => {
    // A bare name when no parameter differs from its default keeps specs and URLs short.
    const hasParams = Object.keys(next).some((k) => k !== "kind");
    update({ activation: hasParams ? next : next.kind } as Partial<NodeSpec>, "activation");
  };
  const init = node.init ?? null;
  const initOption = initializers.find((i) => i.name === init?.scheme);
  return (
    <>
      <h3>Activation φ</h3>
      <Field label="activation">
        <Select
          ariaLabel="activation"
          value={act.kind}
          options={activations.map((a) => a.name)}
          labels={Object.fromEntries(activations.map((a) => [a.name, a.title]))}
          onChange={(kind) => setActivation({ kind: kind as ActivationSpec["kind"] })}
        />
      </Field>
      <OptionParams
        option={actOption}
        value={act as unknown as Record<string, unknown>}
        onChange={(name, v) => setActivation({ ...act, [name]: v })}
      />
      <ActivationPlot spec={act} />
      <h3>Initialiser</h3>
      <Field label="weights" hint="How W is drawn before training (ignored when W is set by hand).">
        <Select
          ariaLabel="initialiser"
          value={init?.scheme ?? "default"}
          options={["default", ...initializers.map((i) => i.name)]}
          labels={{
            default: "default (He for ReLU family, else Xavier)",
            ...Object.fromEntries(initializers.map((i) => [i.name, i.title])),
          }}
          onChange={(scheme) =>
            update(
              { init: scheme === "default" ? null : ({ scheme } as InitSpec) } as Partial<NodeSpec>,
              "init",
            )
          }
        />
      </Field>
      {init ? (
        <OptionParams
          option={initOption}
          value={init as unknown as Record<string, unknown>}
          onChange={(name, v) =>
            update({ init: { ...init, [name]: v } } as Partial<NodeSpec>, `init:${name}`)
          }
        />
      ) : null}
      <Field label="bias_init" hint="constant starting bias (0, or 0.1 for ReLU)">
        <NumberInput
          value={node.bias_init ?? 0}
          onChange={(v) => update({ bias_init: v ?? 0 } as Partial<NodeSpec>)}
          ariaLabel="bias_init"
        />
      </Field>
      <h3>Weights W and bias b</h3>
      {node.kind === "dense" ? (
        <WeightsEditor
          node={node}
          nIn={nIn}
          onChange={(patch, key) => update(patch as Partial<NodeSpec>, key)}
        />
      ) : (
        <ConvWeightsEditor node={node} onChange={(patch, key) => update(patch as Partial<NodeSpec>, key)} />
      )}
    </>
  );
}

export function Inspector() {
  const { specs } = useStores();
  const selectedId = useSpecStore((s) => s.selectedId);
  const node = useSpecStore((s) => s.nodes.find((n) => n.id === s.selectedId)?.data.spec ?? null);
  const problems = useSpecStore((s) =>
    s.selectedId ? (s.validation.mapped.byNode[s.selectedId] ?? EMPTY) : EMPTY,
  );
  const nIn = useSpecStore((s) => {
    const edge = s.edges.find((e) => e.target === s.selectedId);
    const shape = edge ? s.validation.shapes[edge.source] : undefined;
    return shape && shape.length === 1 ? (shape[0] ?? null) : null;
  });
  // A recurrent node reads [T, F]: F, the features per step, sizes its matrices.
  const features = useSpecStore((s) => {
    const edge = s.edges.find((e) => e.target === s.selectedId);
    const shape = edge ? s.validation.shapes[edge.source] : undefined;
    return shape && shape.length === 2 ? (shape[1] ?? null) : null;
  });
  const outShape = useSpecStore((s) => (s.selectedId ? s.validation.shapes[s.selectedId] : undefined));
  const catalog = useCatalogStore((s) => s.catalog);
  const source = useSpecStore((s) => {
    const into = s.edges.filter((e) => e.target === s.selectedId);
    return into.length === 1 ? into[0]!.source : null;
  });
  const [idText, setIdText] = useState<string | null>(null);
  const fitSoon = useFitSoon();

  if (!selectedId || !node) {
    return (
      <div className="inspector empty">
        <h2>Inspector</h2>
        <p className="hint">
          Select a layer on the canvas to edit its size, activation, initialiser and weights.
        </p>
      </div>
    );
  }
  const kindSpec = layerKind(catalog, node.kind);
  const update = (patch: Partial<NodeSpec>, key?: string) => specs.getState().updateNode(node.id, patch, key);
  const needsFlatten = problems.some((p) => !fieldOf(p) && /flatten/.test(p.message));
  const fieldProblem = (name: string) => problems.find((p) => fieldOf(p) === name)?.message;

  return (
    <div className="inspector" aria-label={`Inspector for ${node.id}`}>
      <h2>
        {kindSpec?.title ?? node.kind} <code>{node.id}</code>
      </h2>
      {kindSpec?.description ? <p className="hint">{kindSpec.description}</p> : null}
      <ProblemList problems={problems.filter((p) => !fieldOf(p))} />
      {needsFlatten && source ? (
        <button
          className="primary fix"
          onClick={() => {
            specs.getState().insertBetween(source, node.id, "flatten");
            fitSoon();
          }}
          data-testid="insert-flatten"
        >
          Insert a flatten layer before {node.id}
        </button>
      ) : null}
      <Field
        label="id"
        hint="the name used in the spec, traces and views"
        error={idText !== null && idText !== node.id ? "letters, digits, _ or -, unique" : undefined}
      >
        <input
          type="text"
          aria-label="id"
          value={idText ?? node.id}
          onChange={(e) => {
            setIdText(e.target.value);
            if (specs.getState().renameNode(node.id, e.target.value)) setIdText(null);
          }}
          onBlur={() => setIdText(null)}
        />
      </Field>
      <Field label="label" hint="display name on the canvas (optional)">
        <input
          type="text"
          aria-label="label"
          maxLength={80}
          value={node.label ?? ""}
          onChange={(e) => update({ label: e.target.value || null }, "label")}
        />
      </Field>
      {(kindSpec?.params ?? []).map((p) => (
        <Field key={p.name} label={p.name} hint={p.description} error={fieldProblem(p.name)}>
          <ParamInput
            param={p}
            value={(node as unknown as Record<string, unknown>)[p.name]}
            onChange={(v) => update({ [p.name]: v } as Partial<NodeSpec>)}
          />
        </Field>
      ))}
      {outShape ? (
        <p className="shape-line">
          output per example: <strong>[{outShape.join(", ")}]</strong>
        </p>
      ) : null}
      {node.kind === "dense" || node.kind === "conv2d" ? (
        <WeightedSection node={node} nIn={nIn} update={update} />
      ) : null}
      {isRecurrent(node) ? <RecurrentSection node={node} features={features} update={update} /> : null}
      {fieldProblem("weights") || fieldProblem("bias") || fieldProblem("activation") ? (
        <ProblemList
          problems={problems.filter((p) =>
            ["weights", "bias", "activation", "init"].includes(fieldOf(p) ?? ""),
          )}
        />
      ) : null}
      <div className="inspector-actions">
        <button className="danger" onClick={() => specs.getState().removeNodes([node.id])}>
          Delete layer
        </button>
      </div>
    </div>
  );
}
