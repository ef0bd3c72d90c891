// The transfer lesson's shipped files, served by the site itself (see data/pretrained.mjs):
// the source CNN's weights and the sweep recorded with them. Each is null when not built yet.
import {FileAttachment} from "observablehq:stdlib";

export const shippedSource = () => FileAttachment("../data/pretrained/shapes.json").json();
export const recordedSweep = () => FileAttachment("../data/pretrained/shapes-sweep.json").json();
