/**
 * A run's own loss landscape (POST /runs/{id}/landscape) as the plot shows it: the plane's ranges,
 * the path in plot coordinates and the sentence under it. Pure, so the wording is unit-tested.
 */
import type { NetworkLandscape, NetworkLandscapeRequest } from "../../generated";
import { fmtNum } from "../../charts/format";
import type { PlotFrame } from "./contourPlot";

export type Directions = NonNullable<NetworkLandscapeRequest["directions"]>;

export const DIRECTION_TITLES: Record<Directions, string> = {
  random:
    "Two random directions, each filter scaled to the weights' own (Li et al. 2018): the shape of the loss around the weights",
  path: "The two directions the run moved along most (its path's principal components): the way it came",
};

/** The plot's α (horizontal) and β (vertical) ranges. */
export function planeRanges(l: NetworkLandscape): Pick<PlotFrame, "xRange" | "yRange"> {
  return {
    xRange: [l.alphas[0] ?? -1, l.alphas[l.alphas.length - 1] ?? 1],
    yRange: [l.betas[0] ?? -1, l.betas[l.betas.length - 1] ?? 1],
  };
}

/** What the picture shows, in a sentence or two. */
export function landscapeSummary(l: NetworkLandscape): string {
  const first = l.path[0];
  const parts = [
    `Centre: the weights at step ${l.step}, loss ${fmtNum(l.center_loss, 4)} (training set, ${l.examples} examples, ${l.parameters} parameters).`,
  ];
  if (first && l.path.length > 1) {
    parts.push(
      `Path: ${l.path.length} points from step ${first.step} (loss ${fmtNum(first.loss, 4)}), the start and then epoch ends.`,
    );
  }
  if (l.off_plane !== null) {
    const share = Math.round(l.off_plane * 100);
    parts.push(
      share >= 50
        ? `${share} % of the path's movement lies off this plane: try the path's own directions.`
        : `${share} % of the path's movement lies off this plane.`,
    );
  }
  return parts.join(" ");
}

/** Where a projected path point falls on the plot. */
export function pathPoints(l: NetworkLandscape): [number, number][] {
  return l.path.map((p) => [p.alpha, p.beta]);
}
