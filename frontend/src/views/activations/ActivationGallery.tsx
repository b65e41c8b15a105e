/**
 * Every activation of the catalog side by side: f and f′, the range (the lecture's wrong ranges
 * corrected and named), where it saturates and what that does to δ. One click puts it on the layer
 * selected in the editor.
 */
import { memo, useMemo } from "react";
import type { ViewProps } from "../../app/viewTypes";
import { isWeightedKind } from "../../spec/types";
import { useCatalogStore, useSpecStore, useStores } from "../../store/context";
import { GalleryPlot } from "./ActivationPlot";
import { deltaFacts, deltaSentence, RANGES, type ActivationInput } from "./activationFacts";
import "./gallery.css";

type Patch = Parameters<ReturnType<ReturnType<typeof useStores>["specs"]["getState"]>["updateNode"]>[1];

function currentActivation(node: unknown): string | null {
  const n = node as { kind?: string; activation?: string | { kind: string } | null } | null;
  if (!n?.kind || !isWeightedKind(n.kind)) return null;
  if (!n.activation) return "linear";
  return typeof n.activation === "string" ? n.activation : n.activation.kind;
}

function Card({
  name,
  title,
  description,
  target,
  applied,
  onApply,
}: {
  name: string;
  title: string;
  description: string | undefined;
  target: string | null;
  applied: boolean;
  onApply: () => void;
}) {
  const spec = useMemo(() => ({ kind: name }) as ActivationInput, [name]);
  const facts = useMemo(() => deltaFacts(spec), [spec]);
  const range = RANGES[name];
  return (
    <article className="gallery-card" data-testid={`activation-${name}`}>
      <header>
        <h4>{title}</h4>
        <button
          type="button"
          disabled={!target || applied}
          onClick={onApply}
          title={
            target
              ? `Use ${title} on layer ${target}`
              : "Select a Dense or Conv 2-D layer in the editor first"
          }
        >
          {applied ? `on ${target}` : target ? `Put on ${target}` : "Put on layer"}
        </button>
      </header>
      <GalleryPlot spec={spec} facts={facts} />
      {description ? <p className="gallery-formula">{description}</p> : null}
      {range ? (
        <p>
          Range {range.range}
          {range.printed ? (
            <span className="gallery-erratum" data-testid={`erratum-${name}`}>
              {" "}
              (erratum: the lecture&apos;s table prints {range.printed})
            </span>
          ) : null}
        </p>
      ) : null}
      <p className="gallery-delta">{deltaSentence(facts)}</p>
    </article>
  );
}

function ActivationGalleryImpl(_: ViewProps) {
  const activations = useCatalogStore((s) => s.catalog.activations);
  const selectedId = useSpecStore((s) => s.selectedId);
  const selected = useSpecStore((s) => s.nodes.find((n) => n.id === s.selectedId)?.data.spec ?? null);
  const { specs } = useStores();
  const current = currentActivation(selected);
  const target = current !== null ? selectedId : null;
  return (
    <div className="live-view gallery-view" data-testid="activation-gallery">
      <p className="gallery-legend">
        <span className="key-f">f(z)</span> solid · <span className="key-df">f′(z)</span> dashed · shaded: f′
        is 0 or under 5 % of its peak, so δ = f′(z)·(Wᵀδ) nearly vanishes there.{" "}
        {target
          ? `Selected layer: ${target} (${current}).`
          : "Select a Dense or Conv 2-D layer to put one on it."}
      </p>
      <div className="gallery-grid">
        {activations.map((a) => (
          <Card
            key={a.name}
            name={a.name}
            title={a.title}
            description={a.description}
            target={target}
            applied={current === a.name}
            onApply={() => {
              if (target) specs.getState().updateNode(target, { activation: a.name } as Patch);
            }}
          />
        ))}
      </div>
    </div>
  );
}

export const ActivationGallery = memo(ActivationGalleryImpl);
