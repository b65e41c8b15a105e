/**
 * The inline data's text form: one example per line; a sequence example writes its steps separated
 * by "|" ("0, 1 | 1, 0 | 0, 0" is three steps of two features). Rows give [N][F], sequences [N][T][F].
 */

export type Examples = number[][] | number[][][];

export type ParsedExamples = { ok: true; value: Examples | null } | { ok: false; error: string };

function parseNumbers(text: string): number[] {
  return text
    .trim()
    .split(/[,;\s]+/)
    .filter(Boolean)
    .map(Number);
}

function isSequences(value: Examples): value is number[][][] {
  return value.some((example) => example.some((step) => Array.isArray(step)));
}

/** Reads the text; every example must have the same shape (the engine refuses ragged data). */
export function parseExamples(text: string): ParsedExamples {
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  if (!lines.length) return { ok: true, value: null };
  const sequences = lines.some((l) => l.includes("|"));
  if (!sequences) {
    const rows = lines.map(parseNumbers);
    if (!rows.every((r) => r.length > 0 && r.every(Number.isFinite)))
      return { ok: false, error: "Each line needs numbers only, separated by commas or spaces." };
    if (!rows.every((r) => r.length === rows[0]?.length))
      return { ok: false, error: "Each line needs the same number of numbers." };
    return { ok: true, value: rows };
  }
  const examples = lines.map((l) => l.split("|").map(parseNumbers));
  if (!examples.every((e) => e.every((s) => s.length > 0 && s.every(Number.isFinite))))
    return { ok: false, error: "Each step between | needs numbers only." };
  const first = examples[0] ?? [];
  const features = first[0]?.length ?? 0;
  if (!examples.every((e) => e.length === first.length))
    return { ok: false, error: `Each sequence needs the same number of steps (${first.length}).` };
  if (!examples.every((e) => e.every((s) => s.length === features)))
    return { ok: false, error: `Each step needs the same number of features (${features}).` };
  return { ok: true, value: examples };
}

/** The text that `parseExamples` reads back into `value`. */
export function formatExamples(value: Examples | null | undefined): string {
  if (!value) return "";
  if (isSequences(value)) return value.map((e) => e.map((s) => s.join(", ")).join(" | ")).join("\n");
  return value.map((r) => r.join(", ")).join("\n");
}
