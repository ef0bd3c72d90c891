// Build-time packing of shipped weights (Framework data loaders import this).
// A model saved by our pretraining scripts is three files in data/pretrained/<name>/:
// model.json, weights.bin and a record (pretrain.json). A page gets them as ONE JSON file,
// with the weights in base64, served by the site itself: no fetch from anywhere else.
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

/** The bundle for data/pretrained/<name>/, or null when those weights are not there. */
export function pretrainedBundle(name, record = "pretrain.json") {
  const dir = resolve("data", "pretrained", name);
  if (!existsSync(join(dir, "weights.bin"))) return null;
  return {
    name,
    modelJson: JSON.parse(readFileSync(join(dir, "model.json"), "utf8")),
    weightsBase64: readFileSync(join(dir, "weights.bin")).toString("base64"),
    record: existsSync(join(dir, record)) ? JSON.parse(readFileSync(join(dir, record), "utf8")) : null,
  };
}

/** Writes the bundle (or null) to stdout: the whole body of a `<name>.json.js` data loader. */
export function emitPretrained(name, record) {
  process.stdout.write(JSON.stringify(pretrainedBundle(name, record)));
}
