import type { ComponentType } from "react";

/** Where a live view sits in the shell. "main" views share the area under the canvas; "side" views stack on the right. */
export type ViewArea = "main" | "side";

/** Props every registered view receives; everything else comes from the telemetry API and store selectors. */
export interface ViewProps {
  /** True when the view's tab is visible; a hidden view should skip drawing. */
  visible: boolean;
}

export interface ViewDefinition {
  id: string;
  title: string;
  /** One short sentence shown as the tab tooltip. */
  description?: string;
  area?: ViewArea;
  component: ComponentType<ViewProps>;
}
