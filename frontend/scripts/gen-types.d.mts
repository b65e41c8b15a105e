/** Regenerates src/generated in memory: file name → text. */
export function generate(): Promise<Map<string, string>>;
