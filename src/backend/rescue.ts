/**
 * Keeps a training run alive when its backend fails: a lost WebGL context, a WebGPU device that
 * cannot take the kit's buffers, a step that hangs on the GPU, a WebAssembly crash.
 *
 * How: on a GPU backend (whose memory goes with the device) every tfjs variable (model weights and
 * optimizer state alike) is copied to plain arrays before each step; only variables that changed are
 * read, all in one transfer. When a step throws, hangs or loses its context, the kit switches to the
 * automatic backend, puts the copies back as new tensors there, and runs the step again. Nothing
 * here knows about trainers: `guardedStep` wraps whatever one step is, in the page or in a worker.
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendName } from "./choose";

/** Backends whose tensors live on the GPU and vanish with it. */
export const VOLATILE_BACKENDS = new Set<string>(["webgl", "webgpu"]);

/** A GPU step slower than this counts as hung (generous: software GPUs compile shaders slowly). */
let stepTimeoutMs = 90_000;
export function setStepTimeout(ms: number): void {
  stepTimeoutMs = ms;
}

type Values = Float32Array | Int32Array | Uint8Array;
interface SavedVariable {
  /** Which tensor the copy was taken from: a variable's dataId changes whenever it is assigned. */
  dataId: object;
  values: Values;
  shape: number[];
  dtype: tf.DataType;
}

/** Copies of every variable as it was before the current step, by variable name. */
const saved = new Map<string, SavedVariable>();
/** Backend instances known to be dead (context or device lost). */
const deadBackends = new WeakSet<object>();
/** Backend instances we listen to for loss. */
const watched = new WeakSet<object>();
/** Rejects the step in flight when its backend dies, so the run does not wait for the timeout. */
let onLoss: ((error: Error) => void) | null = null;

export class BackendFailure extends Error {
  constructor(
    message: string,
    readonly backend: string,
  ) {
    super(message);
    this.name = "BackendFailure";
  }
}

// ── switching, provided by setup.ts (kept out of this file so it has no cycle with setup) ──

/** Sets up another backend, best first, skipping the ones that failed; returns its name. */
export type BackendSwitcher = (failed: ReadonlySet<string>) => Promise<{ name: BackendName }>;
let switcher: BackendSwitcher | null = null;
/** Backends that failed during this run (cleared when the user picks a backend again). */
const failed = new Set<string>();

export function setBackendSwitcher(next: BackendSwitcher): void {
  switcher = next;
  failed.clear();
}

// ── listeners: the badge (and a worker's host) hear about every switch ──

export interface BackendNotice {
  /** The backend that now trains. */
  name: string;
  /** What happened, in a sentence for the page. */
  message: string;
}
const noticeListeners = new Set<(notice: BackendNotice) => void>();
export function onBackendNotice(listener: (notice: BackendNotice) => void): () => void {
  noticeListeners.add(listener);
  return () => noticeListeners.delete(listener);
}

/**
 * Tells every listener (the badge) that the run moved. The rescue calls it; a page whose training
 * runs in a worker calls it with the notice the worker sent, so the page's badge updates too.
 */
export function announceBackendNotice(notice: BackendNotice): void {
  for (const listener of noticeListeners) listener(notice);
}

// ── the parts ──

function registeredVariables(): tf.Variable[] {
  return Object.values(tf.engine().registeredVariables);
}

interface GlBackend {
  gpgpu?: { gl?: WebGLRenderingContext };
}
interface GpuBackend {
  device?: { lost?: Promise<{ message?: string }> };
}

/** Whether the current backend's context or device is gone. */
export function backendIsLost(backend: object = tf.backend()): boolean {
  if (deadBackends.has(backend)) return true;
  const gl = (backend as GlBackend).gpgpu?.gl;
  return gl != null && typeof gl.isContextLost === "function" && gl.isContextLost();
}

/** Listens once per backend instance for a lost WebGL context or WebGPU device. */
function watchForLoss(backend: object, name: string): void {
  if (watched.has(backend)) return;
  watched.add(backend);
  const lose = (why: string) => {
    deadBackends.add(backend);
    onLoss?.(new BackendFailure(why, name));
  };
  const canvas = (backend as GlBackend).gpgpu?.gl?.canvas as (HTMLCanvasElement | OffscreenCanvas) | undefined;
  canvas?.addEventListener?.("webglcontextlost", () => lose("the WebGL context was lost"));
  (backend as GpuBackend).device?.lost?.then((info) =>
    lose(`the WebGPU device was lost (${info?.message || "no reason given"})`),
  );
}

/**
 * Copies every variable that changed since the last copy into plain arrays: floats in one transfer
 * from the GPU, the rest one by one. Copies of variables that no longer exist are dropped.
 */
export async function saveVariables(): Promise<void> {
  const variables = registeredVariables();
  const names = new Set(variables.map((v) => v.name));
  for (const name of saved.keys()) if (!names.has(name)) saved.delete(name);
  const changed = variables.filter((v) => saved.get(v.name)?.dataId !== v.dataId);
  if (changed.length === 0) return;
  const floats = changed.filter((v) => v.dtype === "float32");
  const others = changed.filter((v) => v.dtype !== "float32");
  const taken = changed.map((v) => ({ variable: v, dataId: v.dataId as object }));
  const flat = floats.length ? tf.tidy(() => tf.concat(floats.map((v) => v.reshape([-1])))) : null;
  const [all, ...rest] = await Promise.all([
    flat ? flat.data<"float32">() : Promise.resolve(new Float32Array(0)),
    ...others.map((v) => v.data()),
  ]);
  flat?.dispose();
  // A lost context reads back zeros without an error: never keep such a copy.
  if (backendIsLost()) throw new BackendFailure("the WebGL context was lost", tf.getBackend());
  let offset = 0;
  const byVariable = new Map<tf.Variable, Values>();
  for (const v of floats) {
    byVariable.set(v, (all as Float32Array).slice(offset, offset + v.size));
    offset += v.size;
  }
  others.forEach((v, i) => byVariable.set(v, rest[i] as Values));
  for (const { variable, dataId } of taken) {
    saved.set(variable.name, {
      dataId,
      values: byVariable.get(variable)!,
      shape: [...variable.shape],
      dtype: variable.dtype,
    });
  }
}

/** How many variables a restore set from copies, and how many it had to start from zeros. */
export interface RestoreCount {
  restored: number;
  zeroed: number;
}

/**
 * Puts the saved copies back into every variable, as tensors on the current backend. A variable
 * with no copy keeps its value when the old backend can still be read (tfjs moves it when used);
 * on a dead backend it starts from zeros (in practice: optimizer slots made during the failed step,
 * which start from zeros anyway).
 */
export function restoreVariables(oldBackendDead: boolean): RestoreCount {
  const count: RestoreCount = { restored: 0, zeroed: 0 };
  tf.tidy(() => {
    for (const v of registeredVariables()) {
      const copy = saved.get(v.name);
      if (copy && copy.dtype === v.dtype && copy.shape.join() === v.shape.join()) {
        v.assign(tf.tensor(copy.values, copy.shape, copy.dtype));
        count.restored++;
      } else if (oldBackendDead) {
        v.assign(tf.zeros(v.shape, v.dtype));
        count.zeroed++;
      }
    }
  });
  // The variables' new tensors are the copies: remember that, so the next save skips them.
  for (const v of registeredVariables()) {
    const copy = saved.get(v.name);
    if (copy) copy.dataId = v.dataId as object;
  }
  return count;
}

/**
 * Runs optional work ahead of training (a trainer's warm-up pass) and ignores a failure there: the
 * first guarded step meets the same failing backend and moves the run, with a message. Without
 * this, a warm-up on a broken backend would throw into the page as an uncaught error.
 */
export function ignoringBackendFailure(work: () => void): void {
  try {
    work();
  } catch (error) {
    if (!isBackendError(tf.getBackend(), error)) throw error; // the code's own errors still show
  }
}

/** Whether an error on this backend should move the run to another backend. */
export function isBackendError(backend: string, error: unknown): boolean {
  if (VOLATILE_BACKENDS.has(backend)) return true; // any failure on a GPU backend
  if (backend === "wasm") return typeof WebAssembly === "object" && error instanceof WebAssembly.RuntimeError;
  return false; // cpu is the last resort: an error there is the code's, not the backend's
}

/** Runs `work` but gives up when the backend dies or, on a GPU, when it takes longer than the timeout. */
function watchStep<T>(work: Promise<T>, backend: string): Promise<T> {
  if (!VOLATILE_BACKENDS.has(backend)) return work;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const failure = new Promise<never>((_, reject) => {
    onLoss = reject;
    timer = setTimeout(
      () =>
        reject(
          new BackendFailure(`a training step on ${backend} did not finish in ${stepTimeoutMs / 1000} s`, backend),
        ),
      stepTimeoutMs,
    );
  });
  return Promise.race([work, failure]).finally(() => {
    clearTimeout(timer);
    onLoss = null;
  });
}

const READABLE: Record<string, string> = {
  webgl: "WebGL",
  webgpu: "WebGPU",
  wasm: "WebAssembly",
  cpu: "plain JavaScript",
};
function nameOf(backend: string): string {
  return READABLE[backend] ?? backend;
}

function errorText(error: unknown): string {
  const message = (error as Error)?.message ?? String(error);
  return message.length > 240 ? `${message.slice(0, 240)}…` : message;
}

/**
 * One training step that a failing backend cannot take down. Returns null when all went well, or
 * a message for the page when the run moved to another backend (the step then ran there).
 * `committed()` says the step's update was complete when it failed (it failed after, e.g. while
 * validating): then a backend that still holds the variables keeps them, and the step is asked
 * again (a trainer then finishes what was left, see Trainer's validationPending).
 * Errors that are not the backend's, or with no backend left to try, are thrown as before.
 */
export async function guardedStep(step: () => Promise<void>, committed?: () => boolean): Promise<string | null> {
  const backend = tf.getBackend();
  if (!switcher || !backend) {
    await step(); // not set up by setupBackend (e.g. node tests): nothing to fall back to
    return null;
  }
  const volatile = VOLATILE_BACKENDS.has(backend);
  let stepStarted = false;
  try {
    if (volatile) {
      watchForLoss(tf.backend(), backend);
      if (backendIsLost()) throw new BackendFailure("the WebGL context was lost", backend);
      await watchStep(saveVariables(), backend); // what to come back to if this step fails
    }
    stepStarted = true;
    await watchStep(step(), backend);
    if (volatile && backendIsLost()) throw new BackendFailure("the WebGL context was lost", backend);
    return null;
  } catch (error) {
    if (!isBackendError(backend, error)) throw error;
    const note = await moveRun(backend, error, stepStarted && !committed?.());
    const later = await guardedStep(step, committed); // the same step again, on the new backend
    return later ? `${note} ${later}` : note;
  }
}

/**
 * Switches backend after a failure and restores the variables there; returns the page's message.
 * The saved copies go back when the step's update was under way (it may have updated some
 * variables, not all) or when the old backend is dead. Otherwise (it failed before the update, or
 * after it) the variables on the old backend are current: tfjs moves them as they are used.
 */
async function moveRun(from: string, error: unknown, midUpdate: boolean): Promise<string> {
  const old = tf.backend();
  const dead = backendIsLost(old); // alive (e.g. a buffer too large): tfjs can still read its other tensors
  failed.add(from);
  if (dead) retireBackend(from);
  let next: { name: string };
  try {
    next = await switcher!(failed);
  } catch (switchError) {
    throw new Error(
      `${from} failed (${errorText(error)}) and no other backend could start (${errorText(switchError)})`,
    );
  }
  if (VOLATILE_BACKENDS.has(from) && (midUpdate || dead)) restoreVariables(dead);
  const message =
    `${nameOf(from)} failed (${errorText(error)}). Training goes on with ${nameOf(next.name)} from the same weights` +
    (from === "webgl" ? "; pick WebGL again above once the GPU is back." : ".");
  announceBackendNotice({ name: next.name, message });
  return message;
}

/**
 * Forgets a dead backend instance so choosing it again makes a fresh one (a new WebGL context),
 * keeping its factory registered. Its tensors' memory is gone with the device anyway.
 */
function retireBackend(name: string): void {
  const factory = tf.findBackendFactory(name);
  const engine = tf.engine() as unknown as {
    registry: Record<string, { disposeData?: (...args: unknown[]) => unknown }>;
    registryFactory: Record<string, unknown>;
  };
  const instance = engine.registry[name];
  if (instance?.disposeData) {
    // Freeing a tensor on a lost context must not throw while variables are reassigned.
    const dispose = instance.disposeData.bind(instance);
    instance.disposeData = (...args: unknown[]) => {
      try {
        return dispose(...args);
      } catch {
        return true;
      }
    };
  }
  try {
    tf.removeBackend(name);
  } catch {
    delete engine.registry[name];
    delete engine.registryFactory[name];
  }
  if (factory && !tf.findBackendFactory(name)) tf.registerBackend(name, factory, name === "webgl" ? 2 : 1);
}
