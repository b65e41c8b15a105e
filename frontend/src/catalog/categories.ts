import type { LayerCategory } from "./types";

/** The palette's heading of each layer category, in the order the palette shows them. */
export const CATEGORY_TITLE: Record<LayerCategory, string> = {
  input: "Input",
  weighted: "Layers with weights",
  activation: "Activation",
  recurrent: "Recurrent",
  pooling: "Pooling",
  shape: "Reshape",
  regularisation: "Regularise",
  normalisation: "Normalise",
  merge: "Merge branches",
};

export const LAYER_CATEGORIES = Object.keys(CATEGORY_TITLE) as readonly LayerCategory[];
