// The training worker's script (made by `npm run bundle` from src/worker/entry.ts). FileAttachment
// makes Framework copy it into the built site, so the page starts it from its own host.
import {FileAttachment} from "observablehq:stdlib";

export const trainingWorkerUrl = FileAttachment("../_lib/trainingWorker.js").href;
