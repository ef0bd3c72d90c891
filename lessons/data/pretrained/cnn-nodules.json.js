// The cnn lesson's shipped, converged checkpoint (data/pretrained/cnn-nodules/, made by `npm run checkpoint`).
import {emitPretrained} from "../../../data/pretrained.mjs";

emitPretrained("cnn-nodules");
