/** Shows which tfjs backend trains and why, and lets the user pick another. */
import type { BackendName } from "../backend/choose";
import { onBackendNotice, type BackendNotice } from "../backend/rescue";
import type { BackendStatus } from "../backend/setup";
import { el, replace } from "../core/dom";
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

function describe(name: string): string {
  return DESCRIPTIONS[name as BackendName] ?? name;
}

/** One line on WebAssembly threads: on or off, and why. */
function threadsLine(status: BackendStatus): HTMLElement | null {
  const t = status.threads;
  if (!t) return null;
  const count = t.actual ?? t.count;
  const text = t.on ? `WebAssembly threads: on (${count}), ${t.reason}.` : `WebAssembly threads: off, ${t.reason}.`;
  return el("div", { class: "meddl-help meddl-threads", "data-threads": t.on ? String(count) : "off" }, text);
}

/** A warning when WebGPU runs on a software adapter: slow, and likely to fail on the kit's models. */
function adapterLine(status: BackendStatus): HTMLElement | null {
  const gpu = status.webgpu;
  if (!gpu?.available || !gpu.software) return null;
  return el(
    "div",
    { class: "meddl-message meddl-software-adapter", "data-software-adapter": gpu.name ?? "unnamed" },
    `⚠ Software WebGPU adapter${gpu.name ? ` (${gpu.name})` : ""}: ${gpu.why}. It runs on the CPU, slowly, and may ` +
      "fail on these models; if it does, training moves to the automatic choice with its weights kept.",
  );
}

function badgeContent(status: BackendStatus, notice: BackendNotice | null): (HTMLElement | string | null)[] {
  const name = notice?.name ?? status.name;
  const renderer = status.probe.renderer ? `WebGL renderer: ${status.probe.renderer}.` : "No WebGL.";
  return [
    el("span", { class: "meddl-badge" }, name),
    notice ? ` Training now runs on ${describe(name)}.` : ` Training runs on ${describe(name)}: ${status.reason}.`,
    notice ? el("div", { class: "meddl-message meddl-backend-notice", role: "alert" }, notice.message) : null,
    notice && notice.name !== "webgpu" ? null : adapterLine(status), // moot once the run has left WebGPU
    threadsLine(status),
    el("div", { class: "meddl-help" }, `${renderer} Automatic choice here: ${status.auto.name}.`),
    status.failures.length
      ? el("div", { class: "meddl-message" }, `Could not start: ${status.failures.join("; ")}`)
      : null,
  ];
}

/**
 * The badge: which backend, why, WebAssembly threads, a software WebGPU adapter. It updates itself
 * when a failing backend moves the run elsewhere (rescue.ts), and says what happened.
 */
export function backendBadge(status: BackendStatus): HTMLElement {
  const root = el("div", {
    class: "meddl-backend",
    "data-backend": status.name,
    "data-threads": status.threads?.on ? String(status.threads.actual ?? status.threads.count) : "off",
  });
  replace(root, ...badgeContent(status, null));
  let shown = false;
  const stop = onBackendNotice((notice) => {
    if (shown && !root.isConnected) return void stop(); // the cell re-ran: this badge is gone
    shown ||= root.isConnected;
    root.dataset.backend = notice.name;
    root.dataset.rescued = "true";
    replace(root, ...badgeContent(status, notice));
  });
  return root;
}
