/** Forward one layer, backward one layer, apply the update; previous/next example; undo and reset. */
import { exampleLabel } from "./logic/model";
import { canStep, type StepAction, type StepState } from "./logic/steps";

interface Props {
  step: StepState;
  onStep: (action: StepAction) => void;
}

interface StepButton {
  action: StepAction;
  label: string;
  title: string;
  tone?: string;
}

const BUTTONS: StepButton[] = [
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

const PREV_EXAMPLE: StepButton = { action: "prevExample", label: "‹", title: "Previous example (←)" };
const NEXT_EXAMPLE: StepButton = { action: "nextExample", label: "›", title: "Next example (→)" };

export function StepControls({ step, onStep }: Props) {
  // a button is enabled exactly when its step can be taken
  const button = (b: StepButton, testId: string, className?: string) => (
    <button
      key={b.action}
      className={className}
      onClick={() => onStep(b.action)}
      disabled={!canStep(step, b.action)}
      title={b.title}
      data-testid={testId}
    >
      {b.label}
    </button>
  );
  return (
    <div className="tb-steps" role="toolbar" aria-label="Step through one iteration">
      {BUTTONS.map((b) => button(b, `tb-${b.action}`, b.tone ? `tb-step ${b.tone}` : "tb-step"))}
      <span className="tb-example" role="group" aria-label="Example">
        {button(PREV_EXAMPLE, "tb-prev-example")}
        <span className="tb-example-label" data-testid="tb-example">
          Example {exampleLabel(step.example)}
          <span className="muted"> of {step.nExamples}</span>
        </span>
        {button(NEXT_EXAMPLE, "tb-next-example")}
      </span>
    </div>
  );
}
