/**
 * One hidden neuron's activation over the 2-D input plane, drawn from the current frame's
 * `boundary.neurons[layerId][unit]` — a thumbnail for node components of the graph editor.
 * Draws inside the shared animation-frame loop, only when the frame changes.
 */
import { memo, useRef } from "react";
import { clearedContext } from "../../charts/canvas";
import { GridImage } from "../../charts/gridImage";
import { divergingLut } from "../../charts/palette";
import type { ActivationLike, BoundaryLike, FrameLike } from "../logic/frame";
import { asGrid } from "../boundary/points";
import { useLiveDraw } from "../useLiveDraw";
import { activationRange } from "./layout";

const LUT = divergingLut();

export interface NeuronHeatmapProps {
  layerId: string;
  unit: number;
  /** side in CSS pixels */
  size?: number;
  activation?: ActivationLike;
}

function NeuronHeatmapImpl({ layerId, unit, size = 32, activation }: NeuronHeatmapProps) {
  const ref = useRef<HTMLCanvasElement | null>(null);
  const img = useRef(new GridImage());
  useLiveDraw(true, `${layerId}|${unit}|${size}`, (frame) => {
    const c = ref.current;
    if (!c) return;
    const ctx = clearedContext(c, size, size);
    if (!ctx) return;
    const b = (frame as FrameLike | null)?.boundary as BoundaryLike | null | undefined;
    const maps = b?.neurons?.[layerId];
    const g = maps && unit < maps.length ? asGrid(maps[unit], b?.neuron_resolution) : null;
    if (!g) return;
    const act = activation ?? (frame as FrameLike | null)?.layers?.find((l) => l.id === layerId)?.activation;
    img.current.set(g.values, g.rows, g.cols, { lut: LUT, ...activationRange(act, g.values) }, true);
    img.current.draw(ctx, 0, 0, size, size, true);
  });
  return (
    <canvas
      ref={ref}
      className="neuron-heatmap"
      width={size}
      height={size}
      aria-label={`${layerId} unit ${unit} activation map`}
    />
  );
}

export const NeuronHeatmap = memo(NeuronHeatmapImpl);
