/**
 * Telemetry kept out of React state: the newest frame plus fixed-size ring-buffer histories, read by
 * canvas/uPlot code once per animation frame. The websocket client writes; views only read.
 */
import type { GraphLayer, Metrics } from "../generated";
import { type LiveFrame, type LiveLayer, QUANTITY_KEYS } from "../wire/frame";
import { Ring } from "./ring";

export const SCALAR_KEYS = ["epoch", "loss", "val_loss", "accuracy", "val_accuracy", "lr"] as const;
export type ScalarKey = (typeof SCALAR_KEYS)[number];

export const SCALAR_CAPACITY = 4096;
export const LAYER_CAPACITY = 1024;

/** Aligned histories: `step` plus named series of the same length. */
export class SeriesSet<K extends string = string> {
  readonly step: Ring;
  private readonly series = new Map<K, Ring>();

  constructor(readonly capacity: number) {
    this.step = new Ring(capacity);
  }

  get length(): number {
    return this.step.length;
  }

  /** The ring of one series, or undefined when that series was never seen. */
  get(key: K): Ring | undefined {
    return this.series.get(key);
  }

  keys(): K[] {
    return [...this.series.keys()];
  }

  /** Append one row; keys absent from `values` get NaN. Returns false when `step` does not advance. */
  push(
    step: number,
    values: ReadonlyMap<K, number | null | undefined> | Partial<Record<K, number | null>>,
  ): boolean {
    if (this.step.length > 0 && !(step > this.step.last())) return false;
    const entries: [K, number | null | undefined][] =
      values instanceof Map ? [...values.entries()] : (Object.entries(values) as [K, number | null][]);
    for (const [key] of entries) {
      if (!this.series.has(key)) {
        const ring = new Ring(this.capacity);
        for (let i = 0; i < this.step.length; i++) ring.push(Number.NaN);
        this.series.set(key, ring);
      }
    }
    this.step.push(step);
    const given = new Map(entries);
    for (const [key, ring] of this.series) ring.push(given.get(key) ?? Number.NaN);
    return true;
  }

  clear(): void {
    this.step.clear();
    this.series.clear();
  }
}

/** Series key for a layer quantity statistic, e.g. "delta.rms", or a layer scalar, e.g. "update_ratio". */
export type LayerSeriesKey = string;

function layerValues(layer: LiveLayer): Map<LayerSeriesKey, number | null> {
  const values = new Map<LayerSeriesKey, number | null>();
  for (const q of QUANTITY_KEYS) {
    const stats = layer[q]?.stats;
    if (!stats) continue;
    for (const [name, value] of Object.entries(stats)) {
      if (typeof value === "number" || value === null) values.set(`${q}.${name}`, value);
    }
  }
  for (const key of ["update_ratio", "var_z_predicted", "var_z_measured"] as const) {
    const value = layer[key];
    if (typeof value === "number") values.set(key, value);
  }
  return values;
}

type Listener = (frame: LiveFrame) => void;

export class TelemetryHub {
  /** The newest decoded frame, or null before the first one of the current run. */
  latest: LiveFrame | null = null;
  /** Increments on every accepted frame and on reset; compare with your last drawn value. */
  version = 0;
  runId: string | null = null;
  graph: GraphLayer[] | null = null;
  readonly scalars = new SeriesSet<ScalarKey>(SCALAR_CAPACITY);
  private readonly layers = new Map<string, SeriesSet<LayerSeriesKey>>();
  private readonly listeners = new Set<Listener>();

  /** Per-layer statistic histories (aligned with their own `step` ring). */
  layerHistory(layerId: string): SeriesSet<LayerSeriesKey> | undefined {
    return this.layers.get(layerId);
  }

  layerIds(): string[] {
    return [...this.layers.keys()];
  }

  /** Forget everything; called when another run is watched or the current one is reset. */
  reset(runId: string | null = null): void {
    this.runId = runId;
    this.latest = null;
    this.graph = null;
    this.scalars.clear();
    this.layers.clear();
    this.version++;
  }

  setGraph(layers: GraphLayer[]): void {
    this.graph = layers;
    this.version++;
  }

  /** Accept a frame (older seq than the newest one is ignored); appends to the histories. */
  ingest(frame: LiveFrame): boolean {
    if (this.runId !== null && frame.run && frame.run !== this.runId) return false;
    if (this.latest && frame.seq <= this.latest.seq && frame.run === this.latest.run) return false;
    this.latest = frame;
    this.version++;
    this.scalars.push(frame.step, {
      epoch: frame.epoch,
      loss: frame.loss,
      val_loss: frame.val_loss ?? null,
      accuracy: frame.accuracy ?? null,
      val_accuracy: frame.val_accuracy ?? null,
      lr: frame.lr ?? null,
    });
    for (const layer of frame.layers) {
      let set = this.layers.get(layer.id);
      if (!set) {
        set = new SeriesSet<LayerSeriesKey>(LAYER_CAPACITY);
        this.layers.set(layer.id, set);
      }
      set.push(frame.step, layerValues(layer));
    }
    for (const listener of this.listeners) listener(frame);
    return true;
  }

  /** Backfill the scalar history (e.g. from GET /runs/{id}/metrics) before live frames arrive. */
  ingestMetrics(rows: readonly Metrics[]): void {
    for (const row of rows) {
      this.scalars.push(row.step, {
        epoch: row.epoch ?? null,
        loss: row.loss ?? null,
        val_loss: row.val_loss ?? null,
        accuracy: row.accuracy ?? null,
        val_accuracy: row.val_accuracy ?? null,
        lr: row.lr ?? null,
      });
    }
    this.version++;
  }

  /** Called synchronously for every accepted frame. Draw in a tick instead (see useTelemetryTick). */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
