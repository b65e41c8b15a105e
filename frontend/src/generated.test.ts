import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generate } from "../scripts/gen-types.mjs";

describe("src/generated", () => {
  it("matches the JSON Schema in shared_schemas/json (run `npm run gen:types` when this fails)", async () => {
    const expected = await generate();
    const dir = path.resolve(__dirname, "generated");
    const present = readdirSync(dir)
      .filter((f) => f.endsWith(".ts"))
      .sort();
    expect(present).toEqual([...expected.keys()].sort());
    for (const [file, text] of expected) expect(readFileSync(path.join(dir, file), "utf8"), file).toBe(text);
  }, 30000);
});
