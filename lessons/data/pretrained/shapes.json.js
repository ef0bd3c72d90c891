// The transfer lesson's shipped source CNN (data/pretrained/shapes/, made by `npm run pretrain`).
import { emitPretrained } from "../../../data/pretrained.mjs";

emitPretrained("shapes");
