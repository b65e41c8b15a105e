/**
 * The wire types come from src/generated only: no interface or type alias elsewhere in the app may
 * carry the name of a generated type (a re-export such as `export type { RunSpec } from "../generated"`
 * declares nothing and is fine).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const SRC = __dirname;
const GENERATED = path.join(SRC, "generated");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return full === GENERATED ? [] : sourceFiles(full);
    return /\.tsx?$/.test(name) ? [full] : [];
  });
}

/** Every interface and type alias a source text declares, at any depth. */
function declaredTypes(text: string): string[] {
  const source = ts.createSourceFile("scanned.ts", text, ts.ScriptTarget.Latest, false);
  const names: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) names.push(node.name.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return names;
}

const read = (file: string) => readFileSync(file, "utf8");
const generatedNames = new Set(
  readdirSync(GENERATED).flatMap((f) => declaredTypes(read(path.join(GENERATED, f)))),
);

describe("wire types", () => {
  it("are generated: the schema bundle declares the contracts the app reads", () => {
    for (const name of ["RunSpec", "TelemetryFrame", "RunPublic", "TraceResponse", "CatalogLayer"]) {
      expect(generatedNames.has(name), name).toBe(true);
    }
  });

  it("have one name each: no numbered duplicate such as NetworkSpec1", () => {
    const duplicates = [...generatedNames].filter((name) => {
      const numbered = /^(.*\D)\d+$/.exec(name);
      return numbered !== null && generatedNames.has(numbered[1]!);
    });
    expect(duplicates).toEqual([]);
  });

  it("are not restated: no declaration outside src/generated has a generated type's name", () => {
    const restated = sourceFiles(SRC).flatMap((file) =>
      declaredTypes(read(file))
        .filter((name) => generatedNames.has(name))
        .map((name) => `${path.relative(SRC, file)}: ${name}`),
    );
    expect(restated).toEqual([]);
    // Parsing every source file takes seconds on a busy machine; the limit only stops a hang.
  }, 120_000);

  it("would be caught: restatements are found, re-exports are not", () => {
    const app = [
      'export type { RunSpec } from "../generated";',
      "export function f() { interface TelemetryFrame { seq: number } return null as unknown as TelemetryFrame; }",
      "type RunPublic = { id: string };",
    ].join("\n");
    expect(declaredTypes(app).filter((name) => generatedNames.has(name))).toEqual([
      "TelemetryFrame",
      "RunPublic",
    ]);
  });
});
