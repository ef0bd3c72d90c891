// The unet lesson's shipped, converged checkpoint (data/pretrained/unet-nuclei/, made by `npm run checkpoint`).
import {emitPretrained} from "../../../data/pretrained.mjs";

emitPretrained("unet-nuclei");
