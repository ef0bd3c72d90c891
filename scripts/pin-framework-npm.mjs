// Pins the npm packages Observable Framework resolves for its client bundle, so `npm run build`
// needs no network and gives the same site every time.
//
// Why: Framework's client code imports "npm:react-dom", "npm:d3", … with no version. At build time
// Framework resolves each to a version: first from its cache (lessons/.observablehq/cache/_npm/
// <name>@<version>/), else by asking registry.npmjs.org for @latest. So a fresh clone with no network
// fails ("fetch failed"), and with network the versions drift from build to build. An (empty) cache
// directory per pinned version is all the resolution needs (see resolveNpmVersion in
// node_modules/@observablehq/framework/dist/npm.js): this script makes exactly those, and removes
// any other cached version of a pinned package (Framework would pick the highest).
// The pages never import npm: modules themselves (they use the kit's bundle), so no package file
// is fetched either; the offline build in CI (.ci/run) checks both.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

const cache = "lessons/.observablehq/cache/_npm";
const { packages } = JSON.parse(readFileSync("framework-npm-pins.json", "utf-8"));

/** Cached "<name>@<version>" directories of one package. */
function cachedVersions(name) {
  const dir = name.startsWith("@") ? join(cache, name.split("/")[0]) : cache;
  const base = name.startsWith("@") ? name.split("/")[1] : name;
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((entry) => entry.startsWith(`${base}@`))
    .map((entry) => ({ version: entry.slice(base.length + 1), path: join(dir, entry) }));
}

let removed = 0;
for (const [name, version] of Object.entries(packages)) {
  if (!/^\d+\.\d+\.\d+$/.test(version))
    throw new Error(`framework-npm-pins.json: ${name} must be pinned to an exact version, got "${version}"`);
  for (const cached of cachedVersions(name)) {
    if (cached.version !== version) {
      rmSync(cached.path, { recursive: true, force: true });
      removed++;
    }
  }
  mkdirSync(join(cache, `${name}@${version}`), { recursive: true });
}
console.log(
  `pinned ${Object.keys(packages).length} Framework npm packages${removed ? ` (removed ${removed} other cached versions)` : ""}`,
);
