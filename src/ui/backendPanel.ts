/** Shows which tfjs backend trains and why, and lets the user pick another. */
import type { BackendName } from "../backend/choose";
import type { BackendStatus } from "../backend/setup";
import { el } from "../core/dom";
import { select, type Input } from "./inputs";

const DESCRIPTIONS: Record<BackendName, string> = {
  webgl: "WebGL (GPU)",
  wasm: "WebAssembly (CPU, fast)",
  cpu: "plain JavaScript (CPU, slow)",
  webgpu: "WebGPU (experimental)",
};

export function backendSelect(value: BackendName | "auto" = "auto"): Input<BackendName | "auto"> {
  return select<BackendName | "auto">({
    label: "Backend",
    value,
    options: [
      { value: "auto", label: "automatic (recommended)" },
      ...(Object.keys(DESCRIPTIONS) as BackendName[]).map((name) => ({ value: name, label: DESCRIPTIONS[name] })),
    ],
  });
}

export function backendBadge(status: BackendStatus): HTMLElement {
  const renderer = status.probe.renderer ? `WebGL renderer: ${status.probe.renderer}.` : "No WebGL.";
  return el(
    "div",
    { class: "meddl-backend", "data-backend": status.name },
    el("span", { class: "meddl-badge" }, status.name),
    ` Training runs on ${DESCRIPTIONS[status.name]}: ${status.reason}.`,
    el("div", { class: "meddl-help" }, `${renderer} Automatic choice here: ${status.auto.name}.`),
    status.failures.length
      ? el("div", { class: "meddl-message" }, `Could not start: ${status.failures.join("; ")}`)
      : null,
  );
}
