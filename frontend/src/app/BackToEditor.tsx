/** The button that leaves a full-page mode (textbook, many runs) for the editor; Esc does the same. */
export function BackToEditor({
  onClose,
  className,
  testId,
}: {
  onClose: () => void;
  className: string;
  testId: string;
}) {
  return (
    <button className={className} onClick={onClose} data-testid={testId} title="Back to the editor (Esc)">
      ✕ Editor
    </button>
  );
}
