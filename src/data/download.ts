/**
 * Pure helpers for `scripts/data.ts` (the MedMNIST downloader): name checks, URLs, MD5 checks,
 * progress lines and error wording. No network and no node-only imports here, so tests run
 * them offline and a page could reuse them.
 */
import { DataError, formatBytes } from "./npz";
import { MEDMNIST_IDS, MEDMNIST_INFO, isMedmnistId, medmnistUrl, type MedmnistId } from "./medmnist";

export { medmnistUrl };

/**
 * Turn what a user typed into subset ids: "PneumoniaMNIST", "pneumoniamnist.npz" and
 * "pneumoniamnist" all mean the same file. Unknown names are all reported at once, with the valid list.
 */
export function resolveDatasetNames(names: readonly string[]): MedmnistId[] {
  if (names.length === 0) {
    throw new DataError(`name at least one dataset to download; valid names: ${MEDMNIST_IDS.join(", ")}`);
  }
  const ids: MedmnistId[] = [];
  const unknown: string[] = [];
  for (const name of names) {
    const cleaned = name.trim().toLowerCase().replace(/\.npz$/, "");
    if (isMedmnistId(cleaned)) {
      if (!ids.includes(cleaned)) ids.push(cleaned);
    } else {
      unknown.push(name);
    }
  }
  if (unknown.length > 0) {
    const what = unknown.length === 1 ? "unknown dataset" : "unknown datasets";
    throw new DataError(`${what} ${unknown.map((n) => `'${n}'`).join(", ")}; valid names: ${MEDMNIST_IDS.join(", ")}`);
  }
  return ids;
}

/**
 * Where to fetch a subset from: Zenodo, or `baseUrl` + "/<name>.npz" when one is given
 * (a local mirror, or a test server on this machine).
 */
export function downloadUrl(id: MedmnistId, baseUrl?: string): string {
  if (!baseUrl) return medmnistUrl(id);
  return `${baseUrl.replace(/\/+$/, "")}/${datasetFileName(id)}`;
}

/** The file name a subset is saved under, e.g. "pneumoniamnist.npz". */
export function datasetFileName(id: MedmnistId): string {
  return `${id}.npz`;
}

/** The published MD5 of a subset's file, or undefined when we do not know it. */
export function expectedMd5(id: MedmnistId): string | undefined {
  return MEDMNIST_INFO[id].md5;
}

export type Md5Verdict = "match" | "mismatch" | "unknown";

/** Compare a computed MD5 with the published one ("unknown" when none is published). Case does not matter. */
export function checkMd5(actual: string, expected: string | undefined): Md5Verdict {
  if (!expected) return "unknown";
  return actual.toLowerCase() === expected.toLowerCase() ? "match" : "mismatch";
}

/** The message shown when a download does not match its published MD5 (the file is then deleted). */
export function md5MismatchMessage(fileName: string, actual: string, expected: string): string {
  return (
    `${fileName} is damaged or not the official file: its MD5 is ${actual} but should be ${expected}. ` +
    "It was deleted; run the command again to download it afresh."
  );
}

/**
 * One progress line: "pneumoniamnist.npz   42%  1.7 / 4.0 MB" when the size is known,
 * "pneumoniamnist.npz  1.7 MB" when the server did not say.
 */
export function formatProgress(fileName: string, received: number, total: number | undefined): string {
  if (total && total > 0) {
    const percent = Math.min(100, Math.floor((received / total) * 100));
    return `${fileName}  ${String(percent).padStart(3)}%  ${formatMegabytes(received)} / ${formatMegabytes(total)} MB`;
  }
  return `${fileName}  ${formatBytes(received)}`;
}

/** "1.7" (MB, no unit): both numbers in one unit, so they are easy to compare while they grow. */
function formatMegabytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1);
}

/**
 * Whether a failed fetch means "no network" (DNS or connection failure) rather than a server answer.
 * Node's fetch throws "fetch failed" with the real reason in `cause`, so we look there too.
 */
export function isOfflineError(error: unknown): boolean {
  const offlineCodes = new Set([
    "ENOTFOUND",
    "EAI_AGAIN",
    "ECONNREFUSED",
    "ECONNRESET",
    "ENETUNREACH",
    "EHOSTUNREACH",
    "ETIMEDOUT",
    "UND_ERR_CONNECT_TIMEOUT",
    "UND_ERR_SOCKET",
  ]);
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === "object"; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && offlineCodes.has(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** What to tell the user when zenodo.org cannot be reached at all. */
export function offlineMessage(host = "zenodo.org"): string {
  return (
    `could not reach ${host} — are you offline? Check your internet connection (or proxy) and try again. ` +
    "If you already have the .npz file, open it in the page instead of downloading it."
  );
}

/** "zenodo.org" from "https://zenodo.org/records/...". */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** What to tell the user when the server answered with an error status. */
export function httpErrorMessage(url: string, status: number, statusText: string): string {
  const hint =
    status === 404
      ? "the file is not on the record (check the dataset name)"
      : status === 429
        ? "the server is limiting requests; wait a minute and try again"
        : status >= 500
          ? "the server has a problem right now; try again later"
          : "the download was refused";
  const host = hostOf(url);
  return `${host} answered ${status} ${statusText} for ${url}: ${hint}`;
}

export interface DataArgs {
  ids: MedmnistId[];
  /** Folder to save into. */
  outDir: string | undefined;
  /** Download again even if a good copy is already there. */
  force: boolean;
}

/** Parse `scripts/data.ts` arguments: dataset names, plus `--out DIR` and `--force`. */
export function parseDataArgs(argv: readonly string[]): DataArgs {
  const names: string[] = [];
  let outDir: string | undefined;
  let force = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--force") force = true;
    else if (arg === "--out") {
      outDir = argv[++i];
      if (!outDir) throw new DataError("--out needs a folder, e.g. --out data");
    } else if (arg.startsWith("--out=")) outDir = arg.slice("--out=".length);
    else if (arg.startsWith("-")) throw new DataError(`unknown option '${arg}'; options: --out DIR, --force`);
    else names.push(arg);
  }
  return { ids: resolveDatasetNames(names), outDir, force };
}
