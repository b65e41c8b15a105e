/**
 * The app's import graph points one way. Pure layers sit at the bottom: charts/ draws and imports no
 * view, net/ (the server) and telemetry/ (what arrives from it) do not import each other, and no module
 * reaches itself through its imports. Test files and test fixtures are left out: they may import anything.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const SRC = __dirname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === "test" ? [] : sourceFiles(full);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [full] : [];
  });
}

function resolve(from: string, specifier: string): string | null {
  if (!specifier.startsWith(".")) return null;
  const base = path.resolve(path.dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`, `${base}/index.tsx`]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

/** Module (path under src/) → the modules it imports, type-only imports and re-exports included. */
function importGraph(files: readonly string[]): Map<string, string[]> {
  return new Map(
    files.map((file) => [
      path.relative(SRC, file),
      ts
        .preProcessFile(readFileSync(file, "utf8"), true, true)
        .importedFiles.map((i) => resolve(file, i.fileName))
        .filter((f): f is string => f !== null)
        .map((f) => path.relative(SRC, f)),
    ]),
  );
}

/** Every import cycle, each as the modules on it (Tarjan's strongly connected components). */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

const folder = (module: string) => module.split(path.sep)[0];

/** Imports from a folder into folders it must not depend on. */
function upward(graph: ReadonlyMap<string, readonly string[]>, from: string, banned: readonly string[]) {
  return [...graph].flatMap(([module, deps]) =>
    folder(module) === from
      ? deps.filter((d) => banned.includes(folder(d))).map((d) => `${module} → ${d}`)
      : [],
  );
}

const graph = importGraph(sourceFiles(SRC));

describe("imports", () => {
  it("walk the whole app", () => {
    expect(graph.get("App.tsx")?.length).toBeGreaterThan(0);
    expect(graph.has("charts/histogramGrid.ts")).toBe(true);
  });

  it("from charts/ never reach a view or the app around it", () => {
    expect(upward(graph, "charts", ["views", "panels", "app", "store", "textbook", "nodes", "net"])).toEqual(
      [],
    );
  });

  it("between net/ and telemetry/ go neither way", () => {
    expect([...upward(graph, "net", ["telemetry"]), ...upward(graph, "telemetry", ["net"])]).toEqual([]);
  });

  it("form no cycle", () => {
    expect(cycles(graph)).toEqual([]);
  });

  it("cycles and upward imports would be found", () => {
    const bad = new Map([
      ["charts/a.ts", ["views/b.ts"]],
      ["views/b.ts", ["views/c.ts"]],
      ["views/c.ts", ["views/b.ts"]],
    ]);
    expect(cycles(bad)).toEqual([["views/b.ts", "views/c.ts"]]);
    expect(upward(bad, "charts", ["views"])).toEqual(["charts/a.ts → views/b.ts"]);
  });
});
