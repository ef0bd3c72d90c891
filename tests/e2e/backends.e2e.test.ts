/**
 * Backends in a real browser, served with COOP/COEP like `npm run serve`: WebAssembly threads on a
 * cross-origin isolated page (and `?threads=1` obeyed); WebGPU on headless Chromium's software
 * adapter flagged before training and, when it fails, training goes on with the automatic choice;
 * a WebGL context lost mid-training (WEBGL_lose_context) does not lose the run, on the page's thread
 * and in the training worker (WebGL through OffscreenCanvas).
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useBrowserSession, type OpenPage } from "./site";
import { trainingPlace } from "./worker";

// WebGPU is behind a flag in headless Chromium; there it gets the SwiftShader (software) adapter.
const { enabled, open } = useBrowserSession(true, ["--enable-unsafe-webgpu"]);

const controls = (page: Page) => page.locator(".meddl-controls").first();
const badge = (page: Page) => page.locator(".meddl-backend").first();
const stepsOf = async (page: Page) => Number(await controls(page).getAttribute("data-step"));

async function openCnn(query = ""): Promise<OpenPage> {
  const opened = await open(`/cnn${query}`, ".meddl-backend");
  await controls(opened.page).waitFor({ timeout: 180_000 });
  return opened;
}

async function chooseBackend(page: Page, label: string, name: string): Promise<void> {
  await page.locator(".meddl-field", { hasText: "Backend" }).locator("select").selectOption({ label });
  await page.locator(`.meddl-backend[data-backend="${name}"]`).waitFor({ timeout: 120_000 });
  await controls(page).waitFor({ timeout: 180_000 }); // the trainer is rebuilt on the new backend
}

async function waitForSteps(page: Page, atLeast: number, timeout = 240_000): Promise<void> {
  await page.waitForFunction(
    (n) => Number((document.querySelector(".meddl-controls") as HTMLElement | null)?.dataset.step ?? 0) >= n,
    atLeast,
    { timeout },
  );
}

/** Run in the page or a worker: from now on, keeps every WebGL context made there (in `self.__gl`). */
function keepWebGlContexts(): void {
  const scope = self as unknown as { __gl: WebGLRenderingContext[]; HTMLCanvasElement?: { prototype: object } };
  scope.__gl = [];
  const canvases = [scope.HTMLCanvasElement?.prototype, OffscreenCanvas.prototype].filter(Boolean);
  for (const proto of canvases as { getContext: Function }[]) {
    const original = proto.getContext;
    proto.getContext = function (this: unknown, type: string, ...rest: unknown[]) {
      const context = original.call(this, type, ...rest);
      if (context && String(type).startsWith("webgl")) scope.__gl.push(context);
      return context;
    };
  }
}

/** Run where keepWebGlContexts ran: loses every kept context still alive (WEBGL_lose_context); how many. */
function loseWebGlContexts(): number {
  let n = 0;
  for (const gl of (self as unknown as { __gl: WebGLRenderingContext[] }).__gl)
    if (!gl.isContextLost()) {
      gl.getExtension("WEBGL_lose_context")?.loseContext();
      n++;
    }
  return n;
}

/** After a lost context: the notice names it, and the run trains on from where it was (not from step 0); then pauses. */
async function expectTrainingGoesOn(page: Page, notice: string | null, lostAt: number): Promise<void> {
  expect(notice).toMatch(
    /WebGL failed \(the WebGL context was lost\)\. Training goes on with WebAssembly from the same weights/,
  );
  const after = await stepsOf(page);
  expect(after).toBeGreaterThanOrEqual(lostAt);
  await waitForSteps(page, after + 5);
  expect(await controls(page).getAttribute("data-state")).toBe("running");
  await page.getByRole("button", { name: /Pause/ }).click();
}

describe.skipIf(!enabled)("backends in Chromium", () => {
  it("is cross-origin isolated and gives WebAssembly all the threads tfjs will run; ?threads=1 is obeyed", async () => {
    const { page, watch } = await openCnn();
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await expect.poll(() => badge(page).getAttribute("data-backend")).toBe("wasm");
    const threads = await badge(page).getAttribute("data-threads");
    const line = (await page.locator(".meddl-threads").textContent()) ?? "";
    console.log(`cores ${cores}, badge threads ${threads}: ${line}`);
    // Isolated, so tfjs loaded its threaded SIMD build…
    const wasmFiles = await page.evaluate(() =>
      performance
        .getEntriesByType("resource")
        .map((e) => e.name)
        .filter((n) => n.endsWith(".wasm")),
    );
    expect(wasmFiles.some((n) => /tfjs-backend-wasm-threaded-simd\.[^/]*wasm$/.test(n))).toBe(true);
    // …which runs half the logical cores (at most 8): on this kit's 2-core test machine, one.
    const expected = Math.max(1, Math.min(8, Math.floor(cores / 2)));
    if (expected > 1) {
      expect(threads).toBe(String(expected));
      expect(line).toMatch(/threads: on \(\d+\), cross-origin isolated/);
    } else {
      expect(threads).toBe("off");
      expect(line).toMatch(/cross-origin isolated, but tfjs's wasm build uses at most half the logical cores/);
    }
    // It trains with threads: a few steps go by, the console stays clean (COEP blocked nothing).
    await page.getByRole("button", { name: /Step/ }).click();
    await waitForSteps(page, 1);
    expect(watch.errors).toEqual([]);
    expect(watch.external).toEqual([]);
    await page.close();

    const one = await openCnn("?threads=1");
    expect(await badge(one.page).getAttribute("data-threads")).toBe("off");
    expect(await one.page.locator(".meddl-threads").textContent()).toMatch(
      /threads: off, \?threads=1 in the address asks for one thread/,
    );
    await one.page.getByRole("button", { name: /Step/ }).click();
    await waitForSteps(one.page, 1);
    expect(one.watch.errors).toEqual([]);
    await one.page.close();
  });

  it("the training worker reads ?threads=N too: the note under the badge gives its thread count and why", async () => {
    const plain = await openCnn();
    const byDefault = await trainingPlace(plain.page);
    expect(byDefault).toMatchObject({ place: "worker", backend: "wasm" });
    const cores = await plain.page.evaluate(() => navigator.hardwareConcurrency);
    const cap = Math.max(1, Math.min(8, Math.floor(cores / 2)));
    expect(await plain.page.locator(".meddl-training-place").first().getAttribute("data-threads")).toBe(String(cap));
    expect(byDefault.text).toMatch(/Its WebAssembly threads: .*cross-origin isolated/);
    await plain.page.close();

    const one = await openCnn("?threads=1");
    const asked = await trainingPlace(one.page);
    expect(await one.page.locator(".meddl-training-place").first().getAttribute("data-threads")).toBe("1");
    expect(asked.text).toMatch(/Its WebAssembly threads: one \(\?threads=1 in the address asks for one thread\)/);
    await one.page.getByRole("button", { name: /Step/ }).click();
    await waitForSteps(one.page, 1);
    expect(one.watch.errors).toEqual([]);
    await one.page.close();
  });

  it("flags WebGPU's software adapter before training; when WebGPU fails, training goes on with the automatic choice", async () => {
    const { page, watch } = await openCnn();
    await chooseBackend(page, "WebGPU (experimental)", "webgpu");
    // Flagged before any training: headless Chromium's adapter is SwiftShader.
    const flag = page.locator(".meddl-software-adapter");
    await flag.waitFor({ timeout: 30_000 });
    expect(await flag.textContent()).toMatch(/Software WebGPU adapter.*swiftshader/i);
    expect(await stepsOf(page)).toBe(0);

    // Step: WebGPU cannot take the batch buffer here; the step runs on wasm instead, with a message.
    await page.getByRole("button", { name: /Step/ }).click();
    await page.locator('.meddl-backend[data-rescued="true"]').waitFor({ timeout: 240_000 });
    expect(await badge(page).getAttribute("data-backend")).toBe("wasm");
    const notice = await page.locator(".meddl-backend-notice").textContent();
    console.log(`WebGPU rescue: ${notice}`);
    expect(notice).toMatch(/WebGPU failed \(.+\)\. Training goes on with WebAssembly from the same weights/);
    await waitForSteps(page, 1);
    expect(await controls(page).getAttribute("data-state")).toBe("paused");
    expect(await controls(page).locator(".meddl-message").textContent()).toMatch(/WebGPU failed/);

    // And it keeps training, the loss a number.
    await page
      .getByRole("button", { name: /Resume|Train/ })
      .first()
      .click();
    await waitForSteps(page, 6);
    await page.getByRole("button", { name: /Pause/ }).click();
    expect(Number.isFinite(Number(await controls(page).getAttribute("data-loss")))).toBe(true);
    expect(watch.errors).toEqual([]);
    expect(watch.external).toEqual([]);
    await page.close();
  });

  it("a WebGL context lost mid-training: the run goes on from the same weights elsewhere, no page error", async () => {
    // On the page's own thread (?worker=off); the next test loses the context inside the worker.
    const { page, watch } = await openCnn("?worker=off");
    // Keep every WebGL context the page makes, to lose tfjs's one later (the test's hand on the GPU).
    await page.evaluate(keepWebGlContexts);
    await chooseBackend(page, "WebGL (GPU)", "webgl");
    await page.getByRole("button", { name: /Train/ }).first().click();
    await waitForSteps(page, 4);
    const lostAt = await stepsOf(page);
    const lost = await page.evaluate(loseWebGlContexts);
    expect(lost).toBeGreaterThan(0);

    await page.locator('.meddl-backend[data-rescued="true"]').waitFor({ timeout: 240_000 });
    expect(await badge(page).getAttribute("data-backend")).toBe("wasm");
    const notice = await page.locator(".meddl-backend-notice").textContent();
    console.log(`lost at step ${lostAt}; ${notice}`);
    await expectTrainingGoesOn(page, notice, lostAt);
    expect(Number.isFinite(Number(await controls(page).getAttribute("data-loss")))).toBe(true);
    expect(watch.errors).toEqual([]); // no page error, and not even a console error
    await page.close();
  });

  it("WebGL in the training worker (OffscreenCanvas): trains there; a context lost there moves the run on, same weights", async () => {
    const { page, watch } = await openCnn();
    // The training worker (not a wasm thread's): its script is the kit's worker bundle.
    const trainingWorker = () => page.workers().find((w) => /worker/i.test(w.url()) && !/blob:/.test(w.url()));
    await expect.poll(() => Boolean(trainingWorker()), { timeout: 120_000 }).toBe(true);
    const worker = trainingWorker()!;
    // Keep every WebGL context the worker makes from now on (tfjs's among them), to lose it later.
    await worker.evaluate(keepWebGlContexts);
    await chooseBackend(page, "WebGL (GPU)", "webgl");
    await page.getByRole("button", { name: /Train/ }).first().click();
    await waitForSteps(page, 4);
    // Not moved to the main thread: Chromium has OffscreenCanvas, so WebGL runs in the worker.
    expect(await trainingPlace(page)).toMatchObject({ place: "worker", backend: "webgl" });
    const lostAt = await stepsOf(page);
    const lost = await worker.evaluate(loseWebGlContexts);
    expect(lost).toBeGreaterThan(0); // tfjs drew with WebGL in the worker

    await page.locator('.meddl-backend[data-rescued="true"]').waitFor({ timeout: 240_000 });
    const notice = (await page.locator(".meddl-backend-notice").textContent()) ?? "";
    console.log(`worker: lost at step ${lostAt}; ${notice}`);
    await expectTrainingGoesOn(page, notice, lostAt);
    expect(watch.errors).toEqual([]);
    await page.close();
  });

  it("setupBackend runs inside a module worker (no window, no document): probes, isolates, threads, computes", async () => {
    const { page, watch } = await openCnn();
    const result = await page.evaluate(async () => {
      const names = performance.getEntriesByType("resource").map((e) => e.name);
      const lib = names.find((n) => /meddl\.[^/]*\.js$/.test(n))!;
      const wasm = names.find((n) => /\.wasm$/.test(n))!; // the build this page loaded serves the worker too
      const code = `import {setupBackend, tf} from ${JSON.stringify(lib)};
        const file = ${JSON.stringify(wasm)};
        const paths = {"tfjs-backend-wasm.wasm": file, "tfjs-backend-wasm-simd.wasm": file, "tfjs-backend-wasm-threaded-simd.wasm": file};
        try {
          const status = await setupBackend({wasmPaths: paths});
          const sum = tf.tidy(() => tf.ones([4, 4]).sum().dataSync()[0]);
          postMessage({name: status.name, threads: status.threads, webgl: status.probe.webgl, sum, isolated: self.crossOriginIsolated, window: typeof window});
        } catch (e) { postMessage({error: String((e && e.stack) || e)}); }`;
      const worker = new Worker(URL.createObjectURL(new Blob([code], { type: "text/javascript" })), { type: "module" });
      return await new Promise<Record<string, unknown>>((resolve) => {
        worker.onmessage = (e) => resolve(e.data);
        worker.onerror = (e) => resolve({ error: e.message });
      });
    });
    console.log(`setupBackend in a worker: ${JSON.stringify(result)}`);
    expect(result.error).toBeUndefined();
    expect(result).toMatchObject({ name: "wasm", sum: 16, isolated: true, window: "undefined", webgl: true });
    expect((result.threads as { reason: string }).reason).toMatch(/cross-origin isolated/);
    expect(watch.errors).toEqual([]);
    await page.close();
  });
});
