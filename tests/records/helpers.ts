// Reading records and lesson prose for the claim tests.
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";

/** data/records/<name>.json (or any repo path ending in .json), parsed; null when absent. */
export function readRecord<T = any>(nameOrPath: string): T | null {
  const file = resolve(nameOrPath.endsWith(".json") ? nameOrPath : `data/records/${nameOrPath}.json`);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as T) : null;
}

export function lesson(name: string): string {
  return readFileSync(resolve("lessons", `${name}.md`), "utf8");
}

/** A lesson's prose: without its js code blocks and without its `${…}` quotes (which read records). */
export function prose(markdown: string): string {
  const noCode = markdown.replace(/```js[\s\S]*?```/g, "");
  let out = "",
    depth = 0;
  for (let i = 0; i < noCode.length; i++) {
    if (depth === 0 && noCode.startsWith("${", i)) {
      depth = 1;
      i++;
      continue;
    }
    if (depth > 0) {
      if (noCode[i] === "{") depth++;
      else if (noCode[i] === "}") depth--;
      continue;
    }
    out += noCode[i];
  }
  return out;
}

/** The `value:` a page gives a named control, e.g. pageDefault(md, "Filters (first layer)") → 8. */
export function pageDefault(markdown: string, label: string): number {
  const line = markdown.split("\n").find((l) => l.includes(`label: "${label}"`));
  if (!line) throw new Error(`no control labelled "${label}"`);
  const m = /value: (?:[^,]*\?\? )?([\d.]+)/.exec(line);
  if (!m) throw new Error(`no numeric value for "${label}": ${line}`);
  return Number(m[1]);
}
