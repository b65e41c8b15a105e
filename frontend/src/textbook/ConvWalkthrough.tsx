/**
 * The convolution walk-through. Forward: the filter moves over the (padded) image cell by cell; each
 * cell shows its patch, the products w_j × x_j and their sum, and the feature map fills in. Pooling:
 * each window's winner. Backward: δ routed through the pool to the winners only, then the shared
 * filter's gradient as the sum of δ × patch over the neurons (cells) that use it; finally the update.
 */
import { useEffect, useMemo, useState } from "react";
import {
  cellOrder,
  coverage,
  isPaddingPixel,
  outputShape,
  poolWindow,
  receptiveField,
  sharedWeightGradient,
  type Pair,
} from "./logic/conv";
import {
  convPhase,
  convPart,
  poolPart,
  type ConvPart,
  type Grid as G,
  type PoolPart,
} from "./logic/convTrace";
import { formatNumber, type Precision } from "./logic/format";
import type { StepState } from "./logic/steps";
import type { TraceResponse } from "./logic/trace";
import { Grid } from "./Grid";

interface Props {
  trace: TraceResponse;
  step: StepState;
  precision: Precision;
  width: number;
}

const CHANNEL_NAMES = ["R", "G", "B"];

function channelName(c: number, n: number): string {
  return n === 3 ? CHANNEL_NAMES[c]! : n === 1 ? "" : `channel ${c}`;
}

function CellStepper({
  index,
  count,
  onChange,
  label,
}: {
  index: number;
  count: number;
  onChange: (i: number) => void;
  label: string;
}) {
  const [playing, setPlaying] = useState(false);
  useEffect(() => {
    if (!playing) return;
    if (index >= count - 1) {
      setPlaying(false);
      return;
    }
    const t = window.setTimeout(() => onChange(index + 1), 700);
    return () => window.clearTimeout(t);
  }, [playing, index, count, onChange]);
  return (
    <div className="tb-cellstepper" role="group" aria-label={label}>
      <button onClick={() => onChange(0)} disabled={index === 0} title="First">
        «
      </button>
      <button
        onClick={() => onChange(Math.max(0, index - 1))}
        disabled={index === 0}
        data-testid="tb-cell-prev"
      >
        ◀ {label}
      </button>
      <span className="tb-cellpos" data-testid="tb-cell-pos">
        {index + 1} / {count}
      </span>
      <button
        onClick={() => onChange(Math.min(count - 1, index + 1))}
        disabled={index >= count - 1}
        data-testid="tb-cell-next"
      >
        {label} ▶
      </button>
      <button
        onClick={() => setPlaying((p) => !p)}
        disabled={index >= count - 1 && !playing}
        data-testid="tb-cell-play"
      >
        {playing ? "❚❚ Pause" : "▶ Animate"}
      </button>
      <button onClick={() => onChange(count - 1)} disabled={index >= count - 1} title="Last">
        »
      </button>
    </div>
  );
}

function Products({
  conv,
  filter,
  cell,
  precision,
  size,
}: {
  conv: ConvPart;
  filter: number;
  cell: Pair;
  precision: Precision;
  size: number;
}) {
  const [r, c] = cell;
  const products = conv.products[filter]?.[r]?.[c] ?? [];
  const patch = conv.patches[r]?.[c] ?? [];
  const field = receptiveField(conv.geometry, r, c);
  const sum = products.flat(2).reduce((s, v) => s + v, 0);
  const b = conv.bias[filter] ?? 0;
  const z = conv.z[filter]?.[r]?.[c];
  const a = conv.a[filter]?.[r]?.[c];
  return (
    <div className="tb-products" data-testid="tb-products">
      <h4>
        Neuron ({r}, {c}): Σ w<sub>j</sub> × x<sub>j</sub>
      </h4>
      <div className="tb-products-channels">
        {products.map((ch, ci) => (
          <table key={ci} className="tb-prodtable" style={{ fontSize: size }}>
            {conv.channels > 1 ? <caption>{channelName(ci, conv.channels)}</caption> : null}
            <tbody>
              {ch.map((row, i) => (
                <tr key={i}>
                  {row.map((p, j) => {
                    const pad = field[i * conv.geometry.kernel[1] + j]?.padding;
                    return (
                      <td
                        key={j}
                        className={pad ? "padding" : undefined}
                        title={pad ? "padding pixel (0)" : undefined}
                      >
                        <span className="x">{formatNumber(patch[ci]?.[i]?.[j], precision, "pixel")}</span>
                        <span className="w">
                          × {formatNumber(conv.weights[filter]?.[ci]?.[i]?.[j], precision, "pixel")}
                        </span>
                        <span className="p">{formatNumber(p, precision, "pixel")}</span>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      </div>
      <p className="tb-sum" data-testid="tb-conv-sum">
        Σ = {formatNumber(sum, precision, "pixel")}
        {b !== 0 ? <> + b {formatNumber(b, precision, "pixel")}</> : null} → z ={" "}
        <b data-testid="tb-conv-z">{formatNumber(z, precision, "pixel")}</b>
        <br />→ a = {conv.activation}(z) ={" "}
        <b data-testid="tb-conv-a">{formatNumber(a, precision, "pixel")}</b>
      </p>
    </div>
  );
}

/** Whether cell (r, c) of the feature map is the winner of some pooling window. */
function isWinner(
  winners: readonly (readonly (readonly number[])[])[] | null,
  r: number,
  c: number,
): boolean {
  return winners?.some((row) => row.some(([wr, wc]) => wr === r && wc === c)) ?? false;
}

function revealUpTo(shape: Pair, index: number): (r: number, c: number) => "current" | "hidden" | null {
  return (r, c) => {
    const i = r * shape[1] + c;
    return i === index ? "current" : i > index ? "hidden" : null;
  };
}

export function ConvWalkthrough({ trace, step, precision, width }: Props) {
  const conv = useMemo(() => convPart(trace), [trace]);
  const pool = useMemo<PoolPart | null>(
    () => (conv ? poolPart(trace, conv.layerIndex) : null),
    [trace, conv],
  );
  const [filter, setFilter] = useState(0);
  const [cursor, setCursor] = useState(0);
  const phase = conv ? convPhase(step.stage, conv.layerIndex, pool?.layerIndex ?? null) : "input";
  useEffect(() => setCursor(0), [phase]);

  if (!conv)
    return <p className="muted">This trace has no convolution layer with receptive fields to show.</p>;

  const g = conv.geometry;
  const outShape = outputShape(g);
  const cells = cellOrder(outShape);
  const padded = conv.paddedInput;
  // Room for the padded input, the filter and the output map side by side.
  const totalCols = padded[0]![0]!.length + g.kernel[1] + outShape[1] + 1;
  const cell = Math.max(34, Math.min(72, Math.floor((width - 130) / totalCols)));
  const font = Math.max(15, Math.min(19, cell * 0.38));
  const isPad = (r: number, c: number) => isPaddingPixel(g, r, c);
  const filterSelect =
    conv.filters > 1 ? (
      <label className="tb-filter-select">
        Filter{" "}
        <select
          value={filter}
          onChange={(e) => setFilter(Number(e.target.value))}
          data-testid="tb-filter-select"
        >
          {conv.weights.map((_, i) => (
            <option key={i} value={i}>
              {i + 1} of {conv.filters}
            </option>
          ))}
        </select>
      </label>
    ) : null;
  // Filters alone on screen (the update) get bigger cells: their numbers are long.
  const bigCell = Math.max(cell, Math.min(84, Math.floor(cell * 1.45)));
  const filterGrids = (weights: G[][], title: string, testId: string, size = cell) => (
    <div className="tb-filter-grids">
      {weights[filter]!.map((ch, ci) => (
        <Grid
          key={ci}
          values={ch}
          cell={size}
          precision={precision}
          quantity="weight"
          label={`${title}${conv.channels > 1 ? ` ${channelName(ci, conv.channels)}` : ""}`}
          testId={`${testId}-${ci}`}
        />
      ))}
    </div>
  );
  const inputGrids = (outline: { r0: number; c0: number; r1: number; c1: number } | null) =>
    padded.map((ch, ci) => (
      <Grid
        key={ci}
        values={ch}
        cell={cell}
        precision={precision}
        image
        isPadding={isPad}
        outline={outline}
        label={`Input${g.padding[0] || g.padding[1] ? ` with padding ${g.padding[0]} (hatched)` : ""}${conv.channels > 1 ? ` ${channelName(ci, conv.channels)}` : ""}`}
        testId={`tb-input-${ci}`}
      />
    ));

  let body: React.ReactNode;
  let stepper: React.ReactNode = null;
  let note: string;

  if (phase === "input" || phase === "conv-forward") {
    const index = phase === "input" ? -1 : Math.min(cursor, cells.length - 1);
    const at = cells[Math.max(0, index)]!;
    const outline =
      index >= 0
        ? {
            r0: at[0] * g.stride[0],
            c0: at[1] * g.stride[1],
            r1: at[0] * g.stride[0] + g.kernel[0] - 1,
            c1: at[1] * g.stride[1] + g.kernel[1] - 1,
          }
        : null;
    if (phase === "conv-forward")
      stepper = <CellStepper index={index} count={cells.length} onChange={setCursor} label="cell" />;
    note =
      phase === "input"
        ? `The ${g.size[0]}×${g.size[1]} input and the ${g.kernel[0]}×${g.kernel[1]} filter. Step forward to move the filter over the image.`
        : `Each output cell is a neuron looking at one ${g.kernel[0]}×${g.kernel[1]} patch with the shared filter: z = Σ wⱼ·xⱼ + b, a = ${conv.activation}(z). Stride ${g.stride.join("×")}, output ${outShape.join("×")} = ⌊(n + 2p − f)/s⌋ + 1.`;
    body = (
      <div className="tb-conv-row">
        <div className="tb-conv-col">{inputGrids(outline)}</div>
        <div className="tb-conv-col">
          {filterGrids(conv.weights, "Filter", "tb-filter")}
          {phase === "conv-forward" ? (
            <Products conv={conv} filter={filter} cell={at} precision={precision} size={font} />
          ) : null}
        </div>
        {phase === "input" ? (
          <div className="tb-conv-col">
            <Grid
              values={coverage(g)}
              cell={cell}
              precision={precision}
              label="Receptive fields covering each pixel"
              testId="tb-coverage"
            />
          </div>
        ) : null}
        {phase === "conv-forward" ? (
          <div className="tb-conv-col">
            <Grid
              values={conv.a[filter]!}
              cell={cell}
              precision={precision}
              marks={revealUpTo(outShape, index)}
              label={`Feature map a (${outShape.join("×")})`}
              testId="tb-fmap"
              onCellClick={(r, c) => setCursor(r * outShape[1] + c)}
            />
          </div>
        ) : null}
      </div>
    );
  } else if (phase === "pool-forward" && pool) {
    const pshape = outputShape(pool.geometry);
    const pcells = cellOrder(pshape);
    const index = Math.min(cursor, pcells.length - 1);
    const at = pcells[index]!;
    const window = poolWindow(pool.geometry, at[0], at[1]);
    const winners = pool.winners?.[filter] ?? null;
    const w = winners?.[at[0]]?.[at[1]];
    const rs = window.map((p) => p[0]);
    const cs = window.map((p) => p[1]);
    stepper = <CellStepper index={index} count={pcells.length} onChange={setCursor} label="window" />;
    note =
      pool.kind === "maxpool2d"
        ? "Max pooling keeps each window's largest value (the winner, marked). Ties go to the first maximum in row-major order."
        : "Average pooling keeps each window's mean.";
    body = (
      <div className="tb-conv-row">
        <Grid
          values={conv.a[filter]!}
          cell={cell}
          precision={precision}
          blocks={pool.geometry.stride}
          outline={{ r0: Math.min(...rs), c0: Math.min(...cs), r1: Math.max(...rs), c1: Math.max(...cs) }}
          marks={(r, c) => (isWinner(winners, r, c) ? "winner" : null)}
          label="Feature map (winners marked)"
          testId="tb-pool-in"
        />
        <Grid
          values={pool.a[filter]!}
          cell={cell}
          precision={precision}
          marks={revealUpTo(pshape, index)}
          label={`Pooled (${pshape.join("×")})`}
          testId="tb-pool-out"
        />
        <p className="tb-pool-detail" data-testid="tb-pool-detail">
          Window ({at[0]}, {at[1]}):{" "}
          {window.map(([r, c]) => formatNumber(conv.a[filter]![r]![c], precision, "pixel")).join(", ")}
          {w ? (
            <>
              {" "}
              → winner at ({w[0]}, {w[1]}) ={" "}
              <b>{formatNumber(conv.a[filter]![w[0]]![w[1]], precision, "pixel")}</b>
            </>
          ) : null}
        </p>
      </div>
    );
  } else if (phase === "pool-backward" && pool) {
    note =
      pool.kind === "maxpool2d"
        ? "Backward through max pooling: each pooled neuron's δ goes to its window's winner only (∂a/∂z = 1 there); every other cell gets 0. A window of equal values routes to its first cell (row-major, torch's rule); a rectifier with z ≤ 0 there still gives δ = 0 (ReLU′(0) = 0)."
        : "Backward through average pooling: each δ is shared equally over its window.";
    const winners = pool.winners?.[filter] ?? null;
    body = (
      <div className="tb-conv-row">
        <Grid
          values={pool.delta[filter]!}
          cell={cell}
          precision={precision}
          quantity="delta"
          label="δ of the pooled neurons"
          testId="tb-pool-delta"
        />
        <span className="tb-arrow" aria-hidden>
          →
        </span>
        <Grid
          values={pool.routed[filter]!}
          cell={cell}
          precision={precision}
          quantity="delta"
          blocks={pool.geometry.stride}
          marks={(r, c) =>
            isWinner(winners, r, c) ? "winner" : (pool.routed[filter]![r]![c] ?? 0) === 0 ? "dim" : null
          }
          label="∂E/∂a routed to the winners"
          testId="tb-routed"
        />
      </div>
    );
  } else if (phase === "conv-backward" || phase === "update") {
    const deltaMap = conv.delta[filter]!;
    const perChannel = Array.from({ length: conv.channels }, (_, ci) =>
      sharedWeightGradient(
        deltaMap,
        conv.patches.map((row) => row.map((cellPatch) => cellPatch[ci]!)),
      ),
    );
    const contributions = perChannel[0]!.contributions;
    const index = Math.min(cursor, Math.max(0, contributions.length - 1));
    const cur = contributions[index];
    const outline = cur
      ? {
          r0: cur.cell[0] * g.stride[0],
          c0: cur.cell[1] * g.stride[1],
          r1: cur.cell[0] * g.stride[0] + g.kernel[0] - 1,
          c1: cur.cell[1] * g.stride[1] + g.kernel[1] - 1,
        }
      : null;
    if (phase === "conv-backward" && contributions.length > 0)
      stepper = (
        <CellStepper index={index} count={contributions.length} onChange={setCursor} label="neuron" />
      );
    note =
      phase === "update"
        ? `Update: W ← W − α·ΔW with α = ${trace.learning_rate}; the same filter is used by every neuron, so it changes once.`
        : `δ = ∂E/∂a × ∂a/∂z per cell. The filter is shared, so its gradient is the sum over the neurons that use it: ΔW = Σ δₙ × patchₙ (${contributions.length} neuron${contributions.length === 1 ? "" : "s"} with δ ≠ 0).`;
    body = (
      <div className="tb-conv-row">
        {phase === "conv-backward" ? (
          <>
            <Grid
              values={deltaMap}
              cell={cell}
              precision={precision}
              quantity="delta"
              marks={(r, c) =>
                cur && cur.cell[0] === r && cur.cell[1] === c
                  ? "current"
                  : deltaMap[r]![c] === 0
                    ? "dim"
                    : null
              }
              label="δ of the conv neurons"
              testId="tb-conv-delta"
            />
            <div className="tb-conv-col">
              {inputGrids(outline)}
              {cur ? (
                <p className="tb-contribution" data-testid="tb-contribution">
                  Neuron ({cur.cell[0]}, {cur.cell[1]}): δ ={" "}
                  {formatNumber(cur.delta, precision, "delta", true)} × its patch (outlined)
                </p>
              ) : null}
            </div>
          </>
        ) : (
          filterGrids(conv.weights, "W before", "tb-filter-before", bigCell)
        )}
        <div className="tb-conv-col">
          {phase === "conv-backward" && cur
            ? perChannel.map((pc, ci) => {
                const mine = pc.contributions[index];
                return mine ? (
                  <Grid
                    key={`c${ci}`}
                    values={mine.patch.map((row) => row.map((v) => v * mine.delta))}
                    cell={cell}
                    precision={precision}
                    quantity="grad"
                    label={`This neuron: δ × patch${conv.channels > 1 ? ` ${channelName(ci, conv.channels)}` : ""}`}
                    testId={`tb-contrib-${ci}`}
                  />
                ) : null;
              })
            : null}
          <div className="tb-filter-grids">
            {perChannel.map((pc, ci) => (
              <Grid
                key={ci}
                values={pc.sum}
                cell={phase === "update" ? bigCell : cell}
                precision={precision}
                quantity="grad"
                label={`ΔW = Σ δ × patch${conv.channels > 1 ? ` ${channelName(ci, conv.channels)}` : ""}`}
                testId={`tb-dw-${ci}`}
              />
            ))}
          </div>
          <p className="muted">Δb = Σ δ = {formatNumber(conv.gradBias[filter], precision, "grad", true)}</p>
        </div>
        {phase === "update" ? (
          <div className="tb-conv-col">
            {filterGrids(conv.weightsAfter, "W after", "tb-filter-after", bigCell)}
            <p className="muted">
              b: {formatNumber(conv.bias[filter], precision, "weight", true)} →{" "}
              {formatNumber(conv.biasAfter[filter], precision, "weight")}
            </p>
          </div>
        ) : null}
      </div>
    );
  } else {
    note =
      phase === "head-forward"
        ? "The layers after the feature map pass it on to the outputs; the outputs table shows predictions and errors."
        : "Backward through the read-out: ∂E/∂a arrives at the pooled or feature-map neurons next.";
    body = (
      <div className="tb-conv-row">
        <Grid
          values={(pool ? pool.a : conv.a)[filter]!}
          cell={cell}
          precision={precision}
          label={pool ? "Pooled map" : "Feature map"}
          testId="tb-head-map"
        />
        {phase === "head-backward" ? (
          <Grid
            values={(pool ? pool.delta : conv.dE_da)[filter]!}
            cell={cell}
            precision={precision}
            quantity="delta"
            label="∂E/∂a arriving"
            testId="tb-head-delta"
          />
        ) : null}
      </div>
    );
  }

  return (
    <div className="tb-conv" data-phase={phase} data-testid="tb-conv">
      <div className="tb-conv-toolbar">
        {filterSelect}
        {stepper}
      </div>
      <p className="tb-conv-note">{note}</p>
      {body}
    </div>
  );
}
