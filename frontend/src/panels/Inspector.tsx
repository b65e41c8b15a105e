/** The selected layer's settings, generated from the catalog's parameter specs. */
import { useState } from "react";
import { useShallow } from "zustand/react/shallow";
import { layerKind } from "../catalog/normalize";
import { fieldOf } from "../graph/problems";
import {
  type Conv2DNode,
  type DenseNode,
  dropoutPatch,
  type InitSpec,
  type NodeSpec,
  isRecurrent,
} from "../spec/types";
import { useCatalogStore, useSpecStore, useStores } from "../store/context";
import { ActivationSection, OptionParams } from "./ActivationSection";
import { BatchNormSection } from "./BatchNormSection";
import { Field, NumberInput, ParamInput, ProblemList, Select } from "./forms";
import { ConvWeightsEditor, WeightsEditor } from "./WeightsEditor";
import { RecurrentSection } from "./RecurrentSection";
import { useFitSoon } from "./useFitSoon";

const EMPTY: readonly never[] = [];

function WeightedSection({
  node,
  nIn,
  update,
}: {
  node: DenseNode | Conv2DNode;
  nIn: number | null;
  update: (patch: Partial<NodeSpec>, key?: string) => void;
}) {
  const initializers = useCatalogStore(useShallow((s) => s.catalog.initializers));
  const init = node.init ?? null;
  const initOption = initializers.find((i) => i.name === init?.scheme);
  return (
    <>
      <ActivationSection activation={node.activation} update={update} />
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
  // The selected node's input shape: batch norm's γ and β have one value per feature (channel).
  const inShape = useSpecStore((s) => {
    const edge = s.edges.find((e) => e.target === s.selectedId);
    return edge ? s.validation.shapes[edge.source] : undefined;
  });
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
            onChange={(v) =>
              update(
                (node.kind === "dropout" && (p.name === "drop_probability" || p.name === "keep_probability")
                  ? dropoutPatch(p.name, v as number | null, node.keep_probability != null)
                  : { [p.name]: v }) as Partial<NodeSpec>,
              )
            }
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
      {node.kind === "activation" ? <ActivationSection activation={node.activation} update={update} /> : null}
      {node.kind === "batchnorm" ? (
        <BatchNormSection
          node={node}
          features={inShape && inShape.length ? (inShape[0] ?? null) : null}
          update={update}
          error={fieldProblem}
        />
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
