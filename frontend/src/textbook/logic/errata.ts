/**
 * Errata (GET /api/v1/errata): where a slide's printed number differs from the correct value. Each
 * entry is shown beside the table or view it concerns, chosen from the example's table/equation name.
 */

export interface Erratum {
  example: string;
  quantity: string;
  slide_value: string;
  correct_value: string;
  note?: string;
  source?: string;
  preset?: string | null;
}

export type Section = "outputs" | "neurons" | "weights" | "conv" | "general";

export function errataFor(all: readonly Erratum[], presetId: string | null): Erratum[] {
  if (!presetId) return [];
  return all.filter((e) => e.preset === presetId);
}

/** Which part of textbook mode an erratum belongs beside. */
export function sectionOf(e: Erratum): Section {
  const text = `${e.example} ${e.quantity}`;
  if (/pool|padd|filter|conv|CNN|feature map/i.test(text)) return "conv";
  if (/Tables? 4\b|Tables 4 and 8|Table 8|Table 11|Table 13|SSE/.test(text)) return "outputs";
  if (/Tables? (6|7|10)\b|eq\. 4[45]|Δw|update/.test(text)) return "weights";
  if (/Tables? (5|12)\b|eq\. (3[7-9]|4[0-3]|50)\b|δ|derivative/.test(text)) return "neurons";
  return "general";
}

export function inSection(all: readonly Erratum[], section: Section): Erratum[] {
  return all.filter((e) => sectionOf(e) === section);
}

/** Parse the errata body (a list) defensively: anything malformed is dropped. */
export function parseErrata(body: unknown): Erratum[] {
  const list = Array.isArray(body)
    ? body
    : Array.isArray((body as { errata?: unknown })?.errata)
      ? (body as { errata: unknown[] }).errata
      : [];
  return list.filter(
    (e): e is Erratum =>
      typeof e === "object" &&
      e !== null &&
      typeof (e as Erratum).example === "string" &&
      typeof (e as Erratum).correct_value === "string",
  );
}

/** Errata grouped by the lecture they come from, in the order each lecture first appears. */
export function groupBySource(all: readonly Erratum[]): [string, Erratum[]][] {
  const groups = new Map<string, Erratum[]>();
  for (const e of all) {
    const source = e.source ?? "Other";
    const list = groups.get(source) ?? [];
    list.push(e);
    groups.set(source, list);
  }
  return [...groups.entries()];
}
