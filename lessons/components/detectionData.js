// The BBBC039 entry for the detection lesson's menu, when the file was present at build time
// (see data/realData.mjs). The file goes through FileAttachment: the site serves it itself.
import {FileAttachment} from "observablehq:stdlib";
import {bbbc039FromFile, detectionFromSegmentation} from "../_lib/meddl.js";

const bbbc039File = FileAttachment("../data/bbbc039.npz");

export async function realDetectionSources() {
  const {bbbc039} = await FileAttachment("../data/real-datasets.json").json();
  if (!bbbc039) return [];
  return [{
    id: "bbbc039",
    label: `BBBC039 nuclei: find every nucleus (real data, ${(bbbc039.bytes / 1e6).toFixed(1)} MB)`,
    load: async () => detectionFromSegmentation(bbbc039FromFile(new Uint8Array(await bbbc039File.arrayBuffer()), "bbbc039.npz"))
  }];
}
