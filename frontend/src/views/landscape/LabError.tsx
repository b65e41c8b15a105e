/** A laboratory section's error line, announced to screen readers; nothing while there is none. */
export function LabError({ error }: { error: string | null }) {
  return error ? (
    <p className="lab-error" role="alert">
      {error}
    </p>
  ) : null;
}
