/**
 * The kit's layering, checked on the source itself: no import loops in src/, and each folder
 * imports only from the folders below it. A learner who opens a model builder finds no chart in
 * it; a chart knows no page widget.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = resolve(__dirname, "../src");

/** Which folders each folder may import from (besides itself). */
const ALLOWED: Record<string, string[]> = {
  core: [],
  backend: ["core"],
  data: ["core"],
  metrics: ["core", "data"],
  models: ["core", "data", "metrics"],
  train: ["core", "data", "models", "metrics", "backend"],
  viz: ["core", "data", "models", "metrics", "train"],
  ui: ["core", "data", "models", "metrics", "train", "viz", "backend", "records"],
  worker: ["core", "data", "models", "metrics", "train", "backend"],
  lessons: ["core", "data", "models", "metrics", "train", "viz", "ui", "backend", "worker", "explain", "records"],
  /** What the lessons quote from the measured records (data/records/*.json). */
  records: ["core", "data", "models", "metrics", "train"],
  explain: ["core", "data", "models", "metrics", "train"],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

/** Every relative module a file imports or re-exports (type-only imports included: they couple too). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specifiers = [...text.matchAll(/(?:import|export)[^"';]*?from\s+["'](\.[^"']+)["']/g)].map((m) => m[1]);
  return specifiers.map((s) => {
    const base = resolve(dirname(file), s);
    for (const candidate of [`${base}.ts`, join(base, "index.ts"), base]) {
      try {
        if (statSync(candidate).isFile()) return candidate;
      } catch {
        /* try the next */
      }
    }
    throw new Error(`${relative(SRC, file)} imports ${s}, which does not exist`);
  });
}

/** Every import loop (depth-first search; a file met again while still on the path closes a loop). */
function findLoops(deps: Map<string, string[]>): string[][] {
  const loops: string[][] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (file: string, path: string[]) => {
    if (state.get(file) === "done") return;
    if (state.get(file) === "visiting") return void loops.push([...path.slice(path.indexOf(file)), file]);
    state.set(file, "visiting");
    for (const dep of deps.get(file) ?? []) visit(dep, [...path, file]);
    state.set(file, "done");
  };
  for (const file of deps.keys()) visit(file, []);
  return loops;
}

const folderOf = (file: string) => relative(SRC, file).split("/")[0];
const files = sourceFiles(SRC).filter((f) => relative(SRC, f) !== "index.ts");
const graph = new Map(files.map((f) => [f, importsOf(f)]));

describe("source layering", () => {
  it("every file lives in a known folder", () => {
    const unknown = files.filter((f) => !(folderOf(f) in ALLOWED)).map((f) => relative(SRC, f));
    expect(unknown).toEqual([]);
  });

  it("each folder imports only from the folders below it (models and metrics never import charts or UI; charts never import UI)", () => {
    const violations: string[] = [];
    for (const [file, deps] of graph) {
      const from = folderOf(file);
      for (const dep of deps) {
        const to = folderOf(dep);
        if (to !== from && !ALLOWED[from]?.includes(to))
          violations.push(`${relative(SRC, file)} → ${relative(SRC, dep)}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it("has no import loops", () => {
    expect(findLoops(graph).map((loop) => loop.map((f) => relative(SRC, f)).join(" → "))).toEqual([]);
  });

  it("finds a loop when there is one (the check itself can fail)", () => {
    const fake = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", ["a"]],
      ["d", ["a"]],
    ]);
    expect(findLoops(fake)).toEqual([["a", "b", "c", "a"]]);
  });
});

describe("the pages' library", () => {
  const ROOT = resolve(__dirname, "..");
  const exported = new Set(
    [...readFileSync(join(SRC, "index.ts"), "utf8").matchAll(/export\s*\{([^}]*)\}\s*from/g)]
      .flatMap((m) => m[1].split(",").map((n) => n.trim()))
      .concat(["tf", "Plot"]),
  );
  const pages = ["lessons", "lessons/components"].flatMap((dir) =>
    readdirSync(join(ROOT, dir))
      .filter((f) => /\.(md|js)$/.test(f))
      .map((f) => join(ROOT, dir, f)),
  );

  it("exports every name a lesson page imports from the bundle (a missing one would fail only in the browser)", () => {
    const missing: string[] = [];
    for (const page of pages) {
      for (const m of readFileSync(page, "utf8").matchAll(
        /import\s*\{([^}]*)\}\s*from\s*["'][^"']*_lib\/meddl\.js["']/g,
      )) {
        for (const name of m[1]
          .split(",")
          .map((n) => n.trim().split(/\s+as\s+/)[0])
          .filter(Boolean)) {
          if (!exported.has(name)) missing.push(`${relative(ROOT, page)}: ${name}`);
        }
      }
    }
    expect(pages.length).toBeGreaterThan(4);
    expect(missing).toEqual([]);
  });
});

describe("the pages' links", () => {
  const ROOT = resolve(__dirname, "..");
  it("give every shareable control on a page its own link key (two controls under one key would overwrite each other)", async () => {
    const { keyFromLabel } = await import("../src/ui/linkCodec");
    const clashes: string[] = [];
    for (const file of readdirSync(join(ROOT, "lessons")).filter((f) => f.endsWith(".md"))) {
      const text = readFileSync(join(ROOT, "lessons", file), "utf8");
      const seen = new Map<string, string>();
      // slider({label: "…", …, key: "…"}), select(…), checkbox(…): the key is given, or made from the label.
      for (const call of text.matchAll(/\b(?:slider|select|checkbox)\(\{label: ("[^"]*"|`[^`]*`)([^\n]*)/g)) {
        const label = call[1].slice(1, -1);
        const given = /\bkey: "([^"]*)"/.exec(call[2])?.[1];
        if (/\bkey: false\b/.test(call[2])) continue;
        const key = given ?? keyFromLabel(label);
        if (seen.has(key)) clashes.push(`${file}: "${label}" and "${seen.get(key)}" both use ${key}`);
        seen.set(key, label);
      }
    }
    expect(clashes).toEqual([]);
  });
});
