// The GAN lesson's shipped pixel + adversarial generator (data/pretrained/gan-ct-adversarial/, made by
// `npm run pretrain:gan`), packed as one JSON file; null when this build has none.
import { emitPretrained } from "../../../data/pretrained.mjs";

emitPretrained("gan-ct-adversarial");
