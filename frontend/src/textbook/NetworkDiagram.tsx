/**
 * The book's network figure, drawn live: neurons numbered through the network, each neuron's z and a
 * once the forward step reaches it and δ once the backward step does; the selected neuron's incoming
 * edges carry their weight w_{i,k}, the gradient ∂E/∂w for the chosen example (backward) and the
 * weight after the update.
 */
import { useRef } from "react";
import { formatNumber, type Precision, type BookQuantity } from "./logic/format";
import { CARD_HEADER, diagramLayout, lineHeight, type NeuronPos } from "./logic/layout";
import type { BookModel } from "./logic/model";
import { sourcesOf, weightName } from "./logic/numbering";
import { activeLayer, reached, type StepState } from "./logic/steps";
import { useSize } from "./useSize";

interface Props {
  model: BookModel;
  step: StepState;
  precision: Precision;
  selected: number;
  onSelect: (neuron: number) => void;
}

interface Line {
  label: string;
  value: string;
  tone: "fwd" | "bwd" | "upd" | "plain";
  testId?: string;
}

function Card({
  p,
  lines,
  width,
  height,
  lh,
  cls,
  onSelect,
}: {
  p: NeuronPos;
  lines: Line[];
  width: number;
  height: number;
  lh: number;
  cls: string;
  onSelect: () => void;
}) {
  const top = p.y - height / 2;
  return (
    <g
      className={cls}
      data-testid={`tb-neuron-${p.neuron}`}
      onClick={onSelect}
      onKeyDown={(ev) => {
        if (ev.key === "Enter" || ev.key === " ") {
          ev.preventDefault();
          onSelect();
        }
      }}
      tabIndex={0}
      role="button"
      aria-label={`neuron ${p.neuron}: ${lines.map((l) => `${l.label} ${l.value}`).join(", ")}`}
    >
      <rect x={p.x} y={top} width={width} height={height} rx={8} className="tb-card" />
      <circle cx={p.x + 15} cy={top + 15} r={12} className="tb-badge" />
      <text x={p.x + 15} y={top + 21} textAnchor="middle" className="tb-neuron-number">
        {p.neuron}
      </text>
      {lines.map((l, i) => (
        <text key={l.label} x={p.x + 8} y={top + CARD_HEADER + lh * (i + 0.8)} className={`tb-val ${l.tone}`}>
          <tspan className="tb-val-label">{l.label}</tspan>
          <tspan x={p.x + width - 7} textAnchor="end" data-testid={l.testId}>
            {l.value}
          </tspan>
        </text>
      ))}
    </g>
  );
}

export function NetworkDiagram({ model, step, precision, selected, onSelect }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const { width, height } = useSize(ref);
  const columns = [model.numbering.inputs, ...model.numbering.layers];
  const layout = diagramLayout(columns, width, height);
  const pos = new Map<number, NeuronPos>(layout.neurons.map((n) => [n.neuron, n]));
  const e = step.example;
  const active = activeLayer(step);
  const fmt = (x: number | null | undefined, q: BookQuantity) => formatNumber(x, precision, q);

  const linesFor = (p: NeuronPos): Line[] => {
    if (p.layer < 0) return [{ label: "x", value: fmt(model.inputs[e]?.[p.unit], "input"), tone: "plain" }];
    const l = model.layers[p.layer]!;
    const r = reached(step, p.layer);
    const out: Line[] = [];
    if (r.forward) {
      out.push({ label: "z", value: fmt(l.z[e]?.[p.unit], "z"), tone: "fwd", testId: `tb-z-${p.neuron}` });
      out.push({ label: "a", value: fmt(l.a[e]?.[p.unit], "a"), tone: "fwd", testId: `tb-a-${p.neuron}` });
    }
    if (r.backward)
      out.push({
        label: "δ",
        value: fmt(l.delta[e]?.[p.unit], "delta"),
        tone: "bwd",
        testId: `tb-delta-${p.neuron}`,
      });
    return out;
  };

  const edges: React.ReactNode[] = [];
  const labels: React.ReactNode[] = [];
  model.layers.forEach((l, li) => {
    const sources = sourcesOf(model.numbering, li);
    const r = reached(step, li);
    l.neurons.forEach((i, row) => {
      const to = pos.get(i)!;
      const isSel = i === selected;
      sources.forEach((k, col) => {
        const from = pos.get(k)!;
        const cls = `tb-edge${r.forward ? " fwd" : ""}${r.backward ? " bwd" : ""}${active === li ? " active" : ""}${isSel ? " selected" : ""}`;
        edges.push(
          <line key={`${i}-${k}`} x1={from.x + from.w} y1={from.y} x2={to.x} y2={to.y} className={cls} />,
        );
        if (isSel) labels.push(edgeLabel(li, row, col, k, from.x + from.w, from.y, to.x, to.y));
      });
      if (isSel) {
        const b = layout.biases[li]!;
        edges.push(
          <line
            key={`${i}-0`}
            x1={b.x + 16}
            y1={b.y}
            x2={to.x}
            y2={to.y}
            className="tb-edge bias selected"
          />,
        );
        labels.push(edgeLabel(li, row, -1, 0, b.x + 16, b.y, to.x, to.y));
      }
    });
  });

  function edgeLabel(
    li: number,
    row: number,
    col: number,
    k: number,
    x1: number,
    y1: number,
    x2: number,
    y2: number,
  ) {
    const l = model.layers[li]!;
    const r = reached(step, li);
    const i = l.neurons[row]!;
    const w = col < 0 ? l.bias[row] : l.weights[row]?.[col];
    const g = col < 0 ? l.gradBiasPerExample[e]?.[row] : l.gradWeightsPerExample[e]?.[row]?.[col];
    const after = col < 0 ? l.biasAfter[row] : l.weightsAfter[row]?.[col];
    // Narrow diagrams: values only (the names are in the inspector below), placed a third of the way
    // along the edge so labels from neighbouring sources keep apart.
    const narrow = layout.gap < 160;
    // Sources close together (many inputs): smaller labels, two lines at most.
    const small = narrow || (col >= 0 && (pos.get(k)?.room ?? 999) < 80);
    const lines: [string, string, string][] = [[narrow ? "w" : weightName(i, k), fmt(w, "weight"), "plain"]];
    if (r.backward && !(small && r.updated)) lines.push(["∂", fmt(g, "grad"), "bwd"]);
    // Narrow: the new weight to 8 decimals like the gradients (the tables below give every digit).
    if (r.updated) lines.push(["→", fmt(after, small ? "grad" : "weight"), "upd"]);
    // Sized to its text (tabular digits are about 0.63 em wide).
    const ef = small ? 12 : 15;
    const lh = ef + 3;
    const boxW = Math.max(...lines.map(([a, b]) => (a.length + b.length + 2) * ef * 0.63)) + 8;
    const boxH = lines.length * lh + 5;
    // One label per source, just after it on its edge, so labels never stack; the bias label
    // sits just before the receiving card instead (its edge comes down from above).
    const span = Math.max(1, x2 - x1);
    const x = col < 0 ? x1 + 4 : narrow ? x1 + Math.max(2, (span - boxW) / 2) : x1 + 4;
    const t = (x - x1 + boxW / 2) / span;
    // The bias label stays in the free band above the cards, beside its "+1".
    const y = col < 0 ? Math.max(2, y1 - boxH / 2) : y1 + (y2 - y1) * t - boxH / 2;
    return (
      <g
        key={`lbl-${i}-${k}`}
        className="tb-edgelabel"
        transform={`translate(${x},${y})`}
        data-testid={`tb-edge-${i}-${k}`}
      >
        <rect width={boxW} height={boxH} rx={4} />
        {lines.map(([label, value, tone], idx) => (
          <text key={label} x={4} y={2 + lh * (idx + 0.8)} className={`tb-eval ${tone}`} fontSize={ef}>
            <tspan className="tb-val-label">{label}</tspan>
            <tspan x={boxW - 4} textAnchor="end">
              {value}
            </tspan>
          </text>
        ))}
      </g>
    );
  }

  return (
    <div
      className="tb-diagram"
      ref={ref}
      style={{ ["--tb-card-font" as string]: width >= 1000 ? "17px" : "13.5px" }}
    >
      <svg
        width={width}
        height={height}
        role="img"
        aria-label="Network diagram with the book's neuron numbers"
      >
        {layout.biases.map((b) => (
          <g key={`bias-${b.layer}`} className="tb-bias">
            <rect x={b.x - 16} y={b.y - 13} width={32} height={26} rx={4} />
            <text x={b.x} y={b.y + 5} textAnchor="middle">
              +1
            </text>
          </g>
        ))}
        <g>{edges}</g>
        {layout.neurons.map((p) => {
          const r = p.layer >= 0 ? reached(step, p.layer) : { forward: true, backward: false };
          const cls = `tb-neuron${p.layer < 0 ? " input" : ""}${r.forward ? " fwd" : ""}${r.backward ? " bwd" : ""}${active === p.layer ? " active" : ""}${p.neuron === selected ? " selected" : ""}`;
          const lines = linesFor(p);
          if (!layout.cards)
            return (
              <g
                key={p.neuron}
                className={cls}
                data-testid={`tb-neuron-${p.neuron}`}
                onClick={() => onSelect(p.neuron)}
              >
                <circle cx={p.x + p.w / 2} cy={p.y} r={p.w / 2} className="tb-card" />
                <text x={p.x + p.w / 2} y={p.y + 6} textAnchor="middle" className="tb-neuron-number">
                  {p.neuron}
                </text>
                <title>{lines.map((l) => `${l.label} = ${l.value}`).join("\n")}</title>
              </g>
            );
          const most = p.layer < 0 ? 1 : 3;
          const lh = lineHeight(p.room, most);
          const h = Math.min(p.room - 6, CARD_HEADER + 6 + most * lh);
          return (
            <Card
              key={p.neuron}
              p={p}
              lines={lines}
              lh={lh}
              width={p.w}
              height={h}
              cls={cls}
              onSelect={() => onSelect(p.neuron)}
            />
          );
        })}
        {labels}
      </svg>
    </div>
  );
}
