/**
 * The downloader's pure helpers, offline: no test here touches the network.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  checkMd5,
  datasetFileName,
  downloadUrl,
  expectedMd5,
  formatProgress,
  hostOf,
  httpErrorMessage,
  isOfflineError,
  md5MismatchMessage,
  offlineMessage,
  parseDataArgs,
  resolveDatasetNames,
} from "../../src/data/download";
import { dataError } from "../helpers/data";


describe("dataset names", () => {
  it("accepts names in any case, with or without .npz, once each", () => {
    expect(resolveDatasetNames(["PneumoniaMNIST", "breastmnist.npz", "pneumoniamnist"])).toEqual([
      "pneumoniamnist",
      "breastmnist",
    ]);
  });

  it("rejects unknown names, listing all of them and the valid ones", () => {
    const err = dataError(() => resolveDatasetNames(["pneumonia", "breastmnist", "mnist"]));
    expect(err.message).toMatch(/^unknown datasets 'pneumonia', 'mnist'; valid names: pathmnist, chestmnist, /);
    expect(err.message).toContain("organsmnist");
    expect(dataError(() => resolveDatasetNames(["x"])).message).toMatch(/^unknown dataset 'x'; valid names:/);
  });

  it("asks for at least one name", () => {
    expect(dataError(() => resolveDatasetNames([])).message).toMatch(/^name at least one dataset/);
  });
});

describe("urls and files", () => {
  it("builds the Zenodo url of record 10519652", () => {
    expect(downloadUrl("pneumoniamnist")).toBe("https://zenodo.org/records/10519652/files/pneumoniamnist.npz?download=1");
    expect(downloadUrl("breastmnist", "http://127.0.0.1:8000/mirror/")).toBe("http://127.0.0.1:8000/mirror/breastmnist.npz");
    expect(datasetFileName("octmnist")).toBe("octmnist.npz");
    expect(hostOf(downloadUrl("octmnist"))).toBe("zenodo.org");
  });
});

describe("md5 checks", () => {
  it("knows the published MD5 of the files", () => {
    expect(expectedMd5("pneumoniamnist")).toBe("28209eda62fecd6e6a2d98b1501bb15f");
    expect(expectedMd5("breastmnist")).toBe("750601b1f35ba3300ea97c75c52ff8f6");
  });

  it("compares a computed digest with the published one", () => {
    const digest = createHash("md5").update("hello").digest("hex");
    expect(digest).toBe("5d41402abc4b2a76b9719d911017c592");
    expect(checkMd5(digest, "5D41402ABC4B2A76B9719D911017C592")).toBe("match");
    expect(checkMd5(digest, "28209eda62fecd6e6a2d98b1501bb15f")).toBe("mismatch");
    expect(checkMd5(digest, undefined)).toBe("unknown");
  });

  it("says the file was deleted when its MD5 is wrong", () => {
    const msg = md5MismatchMessage("breastmnist.npz", "aaa", "bbb");
    expect(msg).toContain("MD5 is aaa but should be bbb");
    expect(msg).toContain("deleted");
  });
});

describe("progress and messages", () => {
  it("formats progress with percent and megabytes", () => {
    expect(formatProgress("pneumoniamnist.npz", 1.7 * 1024 * 1024, 4159364)).toBe("pneumoniamnist.npz   42%  1.7 / 4.0 MB");
    expect(formatProgress("x.npz", 0, 1000)).toBe("x.npz    0%  0.0 / 0.0 MB");
    expect(formatProgress("x.npz", 4159364, 4159364)).toBe("x.npz  100%  4.0 / 4.0 MB");
    expect(formatProgress("x.npz", 3 * 1024 * 1024, undefined)).toBe("x.npz  3 MB");
  });

  it("recognises offline errors, including node fetch's 'fetch failed' wrapper", () => {
    const dns = Object.assign(new Error("getaddrinfo ENOTFOUND zenodo.org"), { code: "ENOTFOUND" });
    const wrapped = new TypeError("fetch failed", { cause: dns });
    expect(isOfflineError(wrapped)).toBe(true);
    expect(isOfflineError(Object.assign(new Error("x"), { code: "EAI_AGAIN" }))).toBe(true);
    expect(isOfflineError(new TypeError("fetch failed", { cause: Object.assign(new Error("refused"), { code: "ECONNREFUSED" }) }))).toBe(true);
    expect(isOfflineError(new Error("something else"))).toBe(false);
    expect(isOfflineError(Object.assign(new Error("disk full"), { code: "ENOSPC" }))).toBe(false);
    expect(isOfflineError(undefined)).toBe(false);
  });

  it("words the offline and HTTP messages for a learner", () => {
    expect(offlineMessage()).toMatch(/^could not reach zenodo\.org — are you offline\?/);
    const notFound = httpErrorMessage("https://zenodo.org/records/10519652/files/x.npz?download=1", 404, "Not Found");
    expect(notFound).toMatch(/^zenodo\.org answered 404 Not Found for /);
    expect(notFound).toContain("check the dataset name");
    expect(httpErrorMessage("https://zenodo.org/a", 503, "Service Unavailable")).toContain("try again later");
  });
});

describe("parseDataArgs", () => {
  it("reads names, --out and --force", () => {
    expect(parseDataArgs(["pneumoniamnist", "--out", "/tmp/d", "BreastMNIST", "--force"])).toEqual({
      ids: ["pneumoniamnist", "breastmnist"],
      outDir: "/tmp/d",
      force: true,
    });
    expect(parseDataArgs(["--out=data2", "octmnist"])).toEqual({ ids: ["octmnist"], outDir: "data2", force: false });
  });

  it("rejects unknown options and a bare --out", () => {
    expect(dataError(() => parseDataArgs(["--fast", "octmnist"])).message).toContain("unknown option '--fast'");
    expect(dataError(() => parseDataArgs(["octmnist", "--out"])).message).toContain("--out needs a folder");
  });
});
