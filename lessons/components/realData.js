// Real datasets found at build time (see data/realData.mjs), as menu entries for the dataset picker.
// Each file goes through FileAttachment, so the site serves it itself: no upload, no other host.
import {FileAttachment} from "observablehq:stdlib";
import {MEDMNIST_INFO, medmnistFromFile, bbbc039FromFile, bbbc039ForTraining} from "../_lib/meddl.js";

const files = {
  pathmnist: FileAttachment("../data/medmnist/pathmnist.npz"),
  chestmnist: FileAttachment("../data/medmnist/chestmnist.npz"),
  dermamnist: FileAttachment("../data/medmnist/dermamnist.npz"),
  octmnist: FileAttachment("../data/medmnist/octmnist.npz"),
  pneumoniamnist: FileAttachment("../data/medmnist/pneumoniamnist.npz"),
  retinamnist: FileAttachment("../data/medmnist/retinamnist.npz"),
  breastmnist: FileAttachment("../data/medmnist/breastmnist.npz"),
  bloodmnist: FileAttachment("../data/medmnist/bloodmnist.npz"),
  tissuemnist: FileAttachment("../data/medmnist/tissuemnist.npz"),
  organamnist: FileAttachment("../data/medmnist/organamnist.npz"),
  organcmnist: FileAttachment("../data/medmnist/organcmnist.npz"),
  organsmnist: FileAttachment("../data/medmnist/organsmnist.npz"),
};

/** Menu entries for the MedMNIST files present when the site was built. */
export async function realDatasetSources() {
  const manifest = await FileAttachment("../data/real-datasets.json").json();
  return manifest.medmnist.map(({id, bytes}) => ({
    id,
    label: `${MEDMNIST_INFO[id].title} (real data, ${(bytes / 1e6).toFixed(1)} MB)`,
    load: async () => medmnistFromFile(new Uint8Array(await files[id].arrayBuffer()), `${id}.npz`, {id})
  }));
}

const bbbc039File = FileAttachment("../data/bbbc039.npz");

/** The BBBC039 entry for the U-Net lesson's menu, when the file was present at build time. */
export async function realSegmentationSources(size = 64) {
  const {bbbc039} = await FileAttachment("../data/real-datasets.json").json();
  if (!bbbc039) return [];
  return [{
    id: "bbbc039",
    label: `BBBC039 nuclei (real data, ${(bbbc039.bytes / 1e6).toFixed(1)} MB)`,
    load: async () => bbbc039ForTraining(bbbc039FromFile(new Uint8Array(await bbbc039File.arrayBuffer()), "bbbc039.npz"), {size})
  }];
}
