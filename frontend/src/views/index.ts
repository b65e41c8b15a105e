/**
 * The live views, registered with the app shell (src/app/ViewsArea.tsx renders them as tabs).
 * Each view draws the newest frame — or the frame scrubbed to on the timeline — inside the app's one
 * requestAnimationFrame loop, only when something it shows changed.
 */
import type { ViewDefinition } from "../app/viewTypes";
import { LayerInternalsView } from "./internals/LayerInternalsView";
import { GradientFlowView } from "./gradients/GradientFlowView";
import { LossView } from "./loss/LossView";
import { BoundaryView } from "./boundary/BoundaryView";
import { NetworkView } from "./network/NetworkView";
import { NodesView } from "./nodes/NodesView";
import { ConvView } from "./conv/ConvView";
import { PredictionsView } from "./predictions/PredictionsView";
import { LandscapeView } from "./landscape/LandscapeView";
import { ActivationGallery } from "./activations/ActivationGallery";
import { ThroughTimeView } from "./recurrent/ThroughTimeView";
import { GatesView } from "./recurrent/GatesView";
import { UnrolledView } from "./recurrent/UnrolledView";
import { DataParallelView } from "./parallel/DataParallelView";
import "./views.css";

export const views: ViewDefinition[] = [
  {
    id: "internals",
    title: "Internals",
    description: "Histograms of W, z, a and δ for every layer, live",
    area: "main",
    component: LayerInternalsView,
  },
  {
    id: "nodes",
    title: "Nodes",
    description:
      "Batch norm before and after with its statistics, the units dropout dropped this step, DropConnect's dropped weights, δ splitting at residual adds, activation nodes z → a",
    area: "main",
    component: NodesView,
  },
  {
    id: "gradients",
    title: "Gradients",
    description: "RMS δ and ∂L/∂W per layer over steps, with warnings about vanishing or exploding gradients",
    area: "main",
    component: GradientFlowView,
  },
  {
    id: "loss",
    title: "Loss",
    description: "Training and validation curves; earlier runs overlaid for comparison",
    area: "main",
    component: LossView,
  },
  {
    id: "through-time",
    title: "δ through time",
    description:
      "Recurrent layers: RMS ∂L/∂h_t and each gate's δ against the step t, with the diagnosis of vanishing or exploding gradients through time",
    area: "main",
    component: ThroughTimeView,
  },
  {
    id: "gates",
    title: "Gates",
    description:
      "Recurrent layers: histograms of W, z, a and δ per gate, gates shut or open, the cell state c and h",
    area: "main",
    component: GatesView,
  },
  {
    id: "unrolled",
    title: "Unrolled",
    description:
      "Recurrent layers unrolled in time: a layer × step grid coloured by RMS δ, scrubbed with the timeline",
    area: "main",
    component: UnrolledView,
  },
  {
    id: "data-parallel",
    title: "Data parallel",
    description:
      "Data-parallel runs: each worker's shard of the batch and its gradient, the all-reduce, the update, and the difference from one worker's batch gradient",
    area: "main",
    component: DataParallelView,
  },
  {
    id: "boundary",
    title: "Boundary",
    description: "The network's output over the 2-D input plane, with the data points",
    area: "main",
    component: BoundaryView,
  },
  {
    id: "network",
    title: "Network",
    description: "Each neuron's own activation map over the input plane",
    area: "main",
    component: NetworkView,
  },
  {
    id: "conv",
    title: "Conv maps",
    description: "Filters and feature maps of one example; click a map cell to see its receptive field",
    area: "main",
    component: ConvView,
  },
  {
    id: "predictions",
    title: "Predictions",
    description:
      "Accuracy, confusion matrix and the first examples with their outputs; predicted vs true for regression",
    area: "main",
    component: PredictionsView,
  },
  {
    id: "landscape",
    title: "Optimisers",
    description:
      "Race optimisers on 2-D test functions from a point you click; their velocity and moments step by step",
    area: "main",
    component: LandscapeView,
  },
  {
    id: "activations",
    title: "Activations",
    description: "Every activation with f and f′, its range, where it saturates and what that does to δ",
    area: "main",
    component: ActivationGallery,
  },
];

export { NeuronHeatmap, type NeuronHeatmapProps } from "./network/NeuronHeatmap";
export { edgeStyle, maxAbsWeight, nodeFill, type EdgeStyle } from "./logic/edgeStyle";
export { currentFrame } from "./state";
