// The GAN lesson's shipped pixel-loss-only generator (data/pretrained/gan-ct-pixel/, made by
// `npm run pretrain:gan`), packed as one JSON file; null when this build has none.
import { emitPretrained } from "../../../data/pretrained.mjs";

emitPretrained("gan-ct-pixel");
