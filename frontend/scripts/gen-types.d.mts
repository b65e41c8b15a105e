/** Regenerates src/generated in memory from `dir` (shared_schemas/json by default): file name → text. */
export function generate(dir?: string): Promise<Map<string, string>>;
