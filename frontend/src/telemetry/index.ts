export { Ring } from "./ring";
export {
  TelemetryHub,
  SeriesSet,
  SCALAR_KEYS,
  SCALAR_CAPACITY,
  LAYER_CAPACITY,
  type ScalarKey,
  type LayerSeriesKey,
} from "./hub";
export { addDrawer, useTelemetryTick, type Drawer } from "./tick";
export {
  QUANTITY_KEYS,
  type LiveFrame,
  type LiveLayer,
  type LiveQuantity,
  type QuantityKey,
} from "../wire/frame";
