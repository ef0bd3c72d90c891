// Where the wasm backend finds its binaries: the kit's own copies (made by `npm run bundle`),
// never a CDN. FileAttachment makes Framework copy them into the built site.
import {FileAttachment} from "observablehq:stdlib";

export const wasmPaths = {
  "tfjs-backend-wasm.wasm": FileAttachment("../_lib/wasm/tfjs-backend-wasm.wasm").href,
  "tfjs-backend-wasm-simd.wasm": FileAttachment("../_lib/wasm/tfjs-backend-wasm-simd.wasm").href,
  "tfjs-backend-wasm-threaded-simd.wasm": FileAttachment("../_lib/wasm/tfjs-backend-wasm-threaded-simd.wasm").href
};
