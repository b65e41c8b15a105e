/** The φ picker with its parameters and plot: a weighted layer's activation, or an activation node's. */
import { useShallow } from "zustand/react/shallow";
import type { OptionSpec, ParamSpec } from "../catalog/types";
import { activationKind, type Activation, type ActivationSpec, type NodeSpec } from "../spec/types";
import { useCatalogStore } from "../store/context";
import { ActivationPlot } from "./ActivationPlot";
import { Field, ParamInput, Select } from "./forms";

export function OptionParams({
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

export function ActivationSection({
  activation,
  update,
}: {
  activation: Activation | null | undefined;
  update: (patch: Partial<NodeSpec>, key?: string) => void;
}) {
  const activations = useCatalogStore(useShallow((s) => s.catalog.activations));
  const act: ActivationSpec =
    typeof activation === "object" && activation ? activation : { kind: activationKind(activation) };
  const actOption = activations.find((a) => a.name === act.kind);
  const setActivation = (next: ActivationSpec) => {
    // A bare name when no parameter differs from its default keeps specs and URLs short.
    const hasParams = Object.keys(next).some((k) => k !== "kind");
    update({ activation: hasParams ? next : next.kind } as Partial<NodeSpec>, "activation");
  };
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
    </>
  );
}
