/**
 * Download MedMNIST files from Zenodo into data/ (or --out DIR).
 *
 *   node --import tsx scripts/data.ts pneumoniamnist breastmnist
 *   node --import tsx scripts/data.ts chestmnist --out ~/datasets --force
 *
 * MEDDL_DATA_BASE_URL=http://127.0.0.1:8000 fetches "<base>/<name>.npz" instead of Zenodo
 * (a local mirror, or a test server); the MD5 check still applies.
 *
 * Each file streams to "<name>.npz.part" with progress shown, is checked against its published
 * MD5, and only then renamed to "<name>.npz": a cut-off or damaged download never looks finished.
 */
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, existsSync } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DataError, formatBytes } from "../src/data/npz";
import {
  checkMd5,
  datasetFileName,
  expectedMd5,
  formatProgress,
  httpErrorMessage,
  isOfflineError,
  md5MismatchMessage,
  downloadUrl,
  hostOf,
  offlineMessage,
  parseDataArgs,
} from "../src/data/download";
import type { MedmnistId } from "../src/data/medmnist";

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** Give up when no bytes arrive for this long (a stalled connection would otherwise hang forever). */
const STALL_TIMEOUT_MS = 60_000;

async function md5OfFile(file: string): Promise<string> {
  const hash = createHash("md5");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** Prints progress in place on a terminal, and every 10% when output goes to a log. */
function progressPrinter(fileName: string, total: number | undefined): (received: number, done?: boolean) => void {
  const interactive = process.stdout.isTTY === true;
  let lastDecile = -1;
  let lastPrint = 0;
  let lastLine = "";
  return (received, done = false) => {
    const line = formatProgress(fileName, received, total);
    if (interactive) {
      const now = Date.now();
      if (done || now - lastPrint > 100) {
        process.stdout.write(`\r${line}${done ? "\n" : ""}`);
        lastPrint = now;
      }
    } else {
      const decile = total ? Math.floor((received / total) * 10) : Math.floor(received / (10 * 1024 * 1024));
      if ((done || decile !== lastDecile) && line !== lastLine) {
        console.log(line);
        lastDecile = decile;
        lastLine = line;
      }
    }
  };
}

async function download(id: MedmnistId, outDir: string, force: boolean): Promise<void> {
  const fileName = datasetFileName(id);
  const target = path.join(outDir, fileName);
  const expected = expectedMd5(id);

  if (!force && existsSync(target)) {
    const verdict = checkMd5(await md5OfFile(target), expected);
    if (verdict !== "mismatch") {
      console.log(
        `${fileName}: already in ${outDir}${verdict === "match" ? " (MD5 checked)" : ""}; use --force to download again`,
      );
      return;
    }
    console.log(`${fileName}: the copy in ${outDir} does not match the published MD5; downloading again`);
  }

  const url = downloadUrl(id, process.env.MEDDL_DATA_BASE_URL);
  const host = hostOf(url);
  const partial = `${target}.part`;
  const controller = new AbortController();
  let stallTimer = setTimeout(() => controller.abort(), STALL_TIMEOUT_MS);
  const resetStallTimer = () => {
    clearTimeout(stallTimer);
    stallTimer = setTimeout(() => controller.abort(), STALL_TIMEOUT_MS);
  };

  try {
    let response: Response;
    try {
      response = await fetch(url, { signal: controller.signal });
    } catch (error) {
      if (isOfflineError(error)) throw new DataError(offlineMessage(host));
      if (controller.signal.aborted)
        throw new DataError(`${host} did not answer within ${STALL_TIMEOUT_MS / 1000} s; try again later`);
      throw error;
    }
    if (!response.ok || !response.body) {
      throw new DataError(httpErrorMessage(url, response.status, response.statusText));
    }
    const lengthHeader = response.headers.get("content-length");
    const total = lengthHeader ? Number(lengthHeader) : undefined;
    const show = progressPrinter(fileName, total);
    const hash = createHash("md5");
    const out = createWriteStream(partial);
    let received = 0;
    try {
      const reader = response.body.getReader();
      for (;;) {
        const { done, value: bytes } = await reader.read();
        if (done) break;
        resetStallTimer();
        hash.update(bytes);
        received += bytes.length;
        // Respect back-pressure: wait when the disk is slower than the network.
        if (!out.write(bytes)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
        show(received);
      }
    } catch (error) {
      if (controller.signal.aborted)
        throw new DataError(`the download of ${fileName} stalled for ${STALL_TIMEOUT_MS / 1000} s; try again`);
      if (isOfflineError(error)) throw new DataError(`the connection to ${host} dropped during ${fileName}; try again`);
      throw error;
    } finally {
      await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    }
    show(received, true);
    if (total !== undefined && received !== total) {
      throw new DataError(
        `the download of ${fileName} stopped early (${formatBytes(received)} of ${formatBytes(total)}); try again`,
      );
    }

    const actual = hash.digest("hex");
    const verdict = checkMd5(actual, expected);
    if (verdict === "mismatch") throw new DataError(md5MismatchMessage(fileName, actual, expected!));
    await rename(partial, target);
    console.log(
      verdict === "match"
        ? `${fileName}: saved to ${target} (MD5 ${actual} matches the published one)`
        : `${fileName}: saved to ${target} (no published MD5 to check against; MD5 is ${actual})`,
    );
  } finally {
    clearTimeout(stallTimer);
    // Whatever went wrong, never leave a half-written file behind.
    await rm(partial, { force: true });
  }
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseDataArgs(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    console.error("usage: npm run data -- <name> [<name> ...] [--out DIR] [--force]");
    return 2;
  }
  const outDir = path.resolve(args.outDir ?? path.join(REPO_ROOT, "data"));
  await mkdir(outDir, { recursive: true });
  let failures = 0;
  for (const id of args.ids) {
    try {
      await download(id, outDir, args.force);
    } catch (error) {
      failures++;
      console.error(`${datasetFileName(id)}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return failures === 0 ? 0 : 1;
}

process.exitCode = await main();
