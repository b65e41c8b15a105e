export { Ring } from "./ring";
export {
  telemetry,
  TelemetryHub,
  SeriesSet,
  SCALAR_KEYS,
  SCALAR_CAPACITY,
  LAYER_CAPACITY,
  type ScalarKey,
  type MetricsRow,
  type GraphLayerInfo,
  type LayerSeriesKey,
} from "./hub";
export { addDrawer, useTelemetryTick, type Drawer } from "./tick";
export type {
  TelemetryFrame,
  LayerFrame,
  Quantity,
  QuantityKey,
  Stats,
  Histogram,
  LogHistogram,
  ActivationValue,
} from "../net/frame";
export { QUANTITY_KEYS } from "../net/frame";
