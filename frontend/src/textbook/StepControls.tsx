/** Forward one layer, backward one layer, apply the update; previous/next example; undo and reset. */
import { exampleLabel } from "./logic/model";
import { canStep, type StepAction, type StepState } from "./logic/steps";

interface Props {
  step: StepState;
  onStep: (action: StepAction) => void;
}

const BUTTONS: { action: StepAction; label: string; title: string; tone?: string }[] = [
  { action: "reset", label: "« Reset", title: "Back to the inputs (Home)" },
  { action: "undo", label: "↶ Undo", title: "Undo the last step (Backspace)" },
  {
    action: "forward",
    label: "Forward ▶",
    title: "Forward one layer: z = W·a + b, a = φ(z) (F)",
    tone: "fwd",
  },
  {
    action: "backward",
    label: "◀ Backward",
    title: "Backward one layer: δ and the gradients (B)",
    tone: "bwd",
  },
  {
    action: "update",
    label: "Apply update ✓",
    title: "w ← w − α·Δw with the batch-summed Δw (U)",
    tone: "upd",
  },
  { action: "finish", label: "All »", title: "Jump to the end of the iteration" },
];

export function StepControls({ step, onStep }: Props) {
  return (
    <div className="tb-steps" role="toolbar" aria-label="Step through one iteration">
      {BUTTONS.map((b) => (
        <button
          key={b.action}
          className={b.tone ? `tb-step ${b.tone}` : "tb-step"}
          onClick={() => onStep(b.action)}
          disabled={!canStep(step, b.action)}
          title={b.title}
          data-testid={`tb-${b.action}`}
        >
          {b.label}
        </button>
      ))}
      <span className="tb-example" role="group" aria-label="Example">
        <button
          onClick={() => onStep("prevExample")}
          disabled={!canStep(step, "prevExample")}
          title="Previous example (←)"
          data-testid="tb-prev-example"
        >
          ‹
        </button>
        <span className="tb-example-label" data-testid="tb-example">
          Example {exampleLabel(step.example)}
          <span className="muted"> of {step.nExamples}</span>
        </span>
        <button
          onClick={() => onStep("nextExample")}
          disabled={!canStep(step, "nextExample")}
          title="Next example (→)"
          data-testid="tb-next-example"
        >
          ›
        </button>
      </span>
    </div>
  );
}
