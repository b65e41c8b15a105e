/**
 * The status bar's short form of a frame note (the whole sentence goes in its tooltip): the rate,
 * and what holds it down — the telemetry budget (frames cost too much on this network) or a shared
 * core (other runs take most of this run's core, and frames keep to their share of what is left).
 */
export function frameNoteLabel(note: string | null | undefined): string {
  if (!note) return "";
  const rate = note.split(":")[0];
  return note.includes("% of a core") ? `${rate} (shared core)` : `${rate} (budget)`;
}
