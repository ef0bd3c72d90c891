// Build-time reading of the kit's measured records (Framework data loaders import this).
// A record is data/records/<name>.json, written by a seeded script (`npm run record…`). Lesson
// prose never types a measured number: the page reads it from the record, and tests keep
// record and page equal.
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";

/** Writes data/records/<name>.json (or null when it has not been recorded) to stdout. */
export function emitRecord(name) {
  const file = resolve("data", "records", `${name}.json`);
  process.stdout.write(existsSync(file) ? readFileSync(file, "utf8") : "null");
}
