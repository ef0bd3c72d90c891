/**
 * Read (and write) NumPy `.npz` files in plain TypeScript, in node and in the browser.
 *
 * An `.npz` is a zip archive; each member `<name>.npy` holds one array:
 *   - 6 magic bytes "\x93NUMPY", then the format version (major, minor);
 *   - a header length (2 bytes in v1.0, 4 bytes in v2.0/v3.0, little-endian);
 *   - a header that is a Python dict literal, e.g.
 *     {'descr': '|u1', 'fortran_order': False, 'shape': (4708, 28, 28), }
 *   - then the raw array bytes.
 * We let `fflate` handle the zip archive and the deflate compression, and only parse the
 * small `.npy` header ourselves: that part is what a learner can read and check.
 */
import { unzipSync, zipSync, type Zippable } from "fflate";

/** Files larger than this are refused unless the caller raises the limit (a browser tab has little memory). */
export const DEFAULT_MAX_BYTES = 200 * 1024 * 1024;
/**
 * Limit on the arrays once unpacked. A zip member can claim any unpacked size, so without
 * this a small damaged (or hostile) file could make us allocate gigabytes.
 */
export const DEFAULT_MAX_UNPACKED_BYTES = 1024 * 1024 * 1024;

/** A problem with the user's data file, worded for a learner rather than for a debugger. */
export class DataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DataError";
  }
}

/** The dtypes the kit reads, named as NumPy names them. */
export type NpyDtype = "bool" | "uint8" | "int32" | "int64" | "float32" | "float64" | "unicode";

interface NpyBase {
  /** Size of each axis, C (row-major) order: the last axis varies fastest. */
  shape: number[];
  /** The dtype string exactly as the file wrote it, e.g. "<f4" (kept for messages). */
  descr: string;
}

/**
 * One array read from a `.npy`. The union lets TypeScript know which typed array goes with
 * which dtype. int64 arrives as a Float64Array: JavaScript numbers are exact up to 2^53,
 * which covers every label or count a dataset holds.
 */
export type NpyArray =
  | (NpyBase & { dtype: "bool" | "uint8"; data: Uint8Array })
  | (NpyBase & { dtype: "int32"; data: Int32Array })
  | (NpyBase & { dtype: "int64"; data: Float64Array })
  | (NpyBase & { dtype: "float32"; data: Float32Array })
  | (NpyBase & { dtype: "float64"; data: Float64Array })
  | (NpyBase & { dtype: "unicode"; data: string[] });

/** Every dtype except text: arrays whose `data` can be indexed as numbers. */
export type NumericNpyArray = Exclude<NpyArray, { dtype: "unicode" }>;

export interface ReadNpzOptions {
  /** Refuse files larger than this many bytes (default {@link DEFAULT_MAX_BYTES}). */
  maxBytes?: number;
  /** Refuse archives whose arrays unpack to more than this (default {@link DEFAULT_MAX_UNPACKED_BYTES}). */
  maxUnpackedBytes?: number;
  /** Only unpack these arrays (saves memory and time); the others are skipped. */
  only?: readonly string[];
}

const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"

/** "3.1 GB", "200 MB", "512 bytes": sizes in binary units, as a file manager shows them. */
export function formatBytes(bytes: number): string {
  const units = ["KB", "MB", "GB", "TB"];
  if (bytes < 1024) return `${bytes} bytes`;
  let value = bytes;
  let unit = "bytes";
  for (const u of units) {
    if (value < 1024) break;
    value /= 1024;
    unit = u;
  }
  // One decimal for small numbers, none once the decimal stops mattering.
  const text = value >= 100 ? value.toFixed(0) : value.toFixed(1).replace(/\.0$/, "");
  return `${text} ${unit}`;
}

function toUint8Array(bytes: Uint8Array | ArrayBuffer): Uint8Array {
  return bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  if (bytes.length < prefix.length) return false;
  return prefix.every((b, i) => bytes[i] === b);
}

/** Typed arrays use the computer's byte order; .npy files (as we accept them) are little-endian. */
const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Read a whole `.npz` archive into named arrays (member "train_images.npy" becomes key "train_images").
 * Throws {@link DataError} with a plain message when the file is not what we expect.
 */
export function readNpz(input: Uint8Array | ArrayBuffer, options: ReadNpzOptions = {}): Record<string, NpyArray> {
  const bytes = toUint8Array(input);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxUnpacked = options.maxUnpackedBytes ?? DEFAULT_MAX_UNPACKED_BYTES;

  if (bytes.length > maxBytes) {
    throw new DataError(`file is ${formatBytes(bytes.length)}; the limit is ${formatBytes(maxBytes)}`);
  }
  if (startsWith(bytes, NPY_MAGIC)) {
    throw new DataError("this is a single .npy array, not an .npz archive (read it with readNpy)");
  }
  // Every zip starts with a local file header "PK\x03\x04" (or, if empty, the end record "PK\x05\x06").
  const isZip =
    startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) || startsWith(bytes, [0x50, 0x4b, 0x05, 0x06]);
  if (!isZip) {
    throw new DataError("not a zip file (an .npz is a zip archive of .npy arrays)");
  }

  const wanted = options.only ? new Set(options.only) : undefined;
  let unpackedTotal = 0;
  let members: Record<string, Uint8Array>;
  try {
    members = unzipSync(bytes, {
      filter: (file) => {
        const key = memberKey(file.name);
        if (key === undefined) return false; // folders or non-array files: nothing to read
        if (wanted && !wanted.has(key)) return false;
        // Sizes come from the zip's table of contents, so we can refuse before unpacking anything.
        unpackedTotal += file.originalSize;
        if (unpackedTotal > maxUnpacked) {
          throw new DataError(
            `the arrays in this file unpack to more than ${formatBytes(maxUnpacked)}, which is the limit`,
          );
        }
        if (file.compression !== 0 && file.compression !== 8) {
          throw new DataError(
            `array '${key}' is compressed with zip method ${file.compression}; only stored and deflated members can be read`,
          );
        }
        return true;
      },
    });
  } catch (err) {
    if (err instanceof DataError) throw err;
    const detail = err instanceof Error ? err.message : String(err);
    throw new DataError(`the zip archive is truncated or damaged (${detail})`);
  }

  const arrays: Record<string, NpyArray> = {};
  for (const [name, data] of Object.entries(members)) {
    const key = memberKey(name);
    if (key !== undefined) arrays[key] = readNpy(data, key);
  }
  return arrays;
}

/** "train_images.npy" -> "train_images"; undefined for members that are not arrays. */
function memberKey(memberName: string): string | undefined {
  if (!memberName.endsWith(".npy")) return undefined;
  return memberName.slice(0, -".npy".length);
}

/**
 * Get one array, or throw a message that lists what the file does contain
 * (a learner who picked the wrong file sees at once what it holds).
 */
export function requireArray(arrays: Record<string, NpyArray>, key: string): NpyArray {
  const found = arrays[key];
  if (found === undefined) {
    const names = Object.keys(arrays);
    throw new DataError(`missing array '${key}' (found: ${names.length ? names.join(", ") : "no arrays"})`);
  }
  return found;
}

/** Shape as NumPy prints it: (4708, 28, 28), (624,), (). */
export function formatShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}

interface NpyHeader {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
  /** Where the array bytes start. */
  dataOffset: number;
}

/** Parse the magic, version and header dict of one `.npy`. */
function parseNpyHeader(bytes: Uint8Array, name: string): NpyHeader {
  if (!startsWith(bytes, NPY_MAGIC)) {
    throw new DataError(`array '${name}' is not a .npy file (it does not start with the NumPy magic bytes)`);
  }
  if (bytes.length < 10) throw new DataError(`array '${name}' is truncated (its header is cut off)`);
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLength: number;
  let headerStart: number;
  if (major === 1) {
    headerLength = view.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new DataError(`array '${name}' is truncated (its header is cut off)`);
    headerLength = view.getUint32(8, true);
    headerStart = 12;
  } else {
    throw new DataError(`array '${name}' uses .npy format version ${major}.${bytes[7]}; versions 1.0, 2.0 and 3.0 can be read`);
  }
  const dataOffset = headerStart + headerLength;
  if (dataOffset > bytes.length) throw new DataError(`array '${name}' is truncated (its header is cut off)`);
  // v1/v2 headers are latin1 text, v3 allows utf-8. The keys we need are plain ASCII either way.
  const encoding = major === 3 ? "utf-8" : "latin1";
  const header = new TextDecoder(encoding).decode(bytes.subarray(headerStart, dataOffset));

  const descrMatch = /'descr'\s*:\s*'([^']*)'/.exec(header);
  if (!descrMatch) {
    if (/'descr'\s*:\s*\[/.test(header)) {
      throw new DataError(`array '${name}' is a structured (record) array; only plain arrays can be read`);
    }
    throw new DataError(`array '${name}' has a header without a dtype ('descr')`);
  }
  const fortranMatch = /'fortran_order'\s*:\s*(True|False)/.exec(header);
  const shapeMatch = /'shape'\s*:\s*\(([^)]*)\)/.exec(header);
  if (!fortranMatch || !shapeMatch) {
    throw new DataError(`array '${name}' has a damaged header: ${header.trim()}`);
  }
  const shape = shapeMatch[1]!
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map((s) => Number(s.replace(/L$/, ""))); // Python 2 wrote longs as "28L"
  if (shape.some((n) => !Number.isInteger(n) || n < 0)) {
    throw new DataError(`array '${name}' has a damaged shape in its header: (${shapeMatch[1]})`);
  }
  return { descr: descrMatch[1]!, fortranOrder: fortranMatch[1] === "True", shape, dataOffset };
}

const SUPPORTED_DTYPES = "uint8 (|u1), bool (|b1), int32 (<i4), int64 (<i8), float32 (<f4), float64 (<f8), text (<U)";

/** Map a NumPy dtype string such as "<f4" to our dtype name and the bytes per element. */
function parseDescr(descr: string, name: string): { dtype: NpyDtype; itemSize: number } {
  const order = descr[0];
  const kindAndSize = "<>|=".includes(order ?? "") ? descr.slice(1) : descr;
  const kind = kindAndSize[0];
  const size = Number(kindAndSize.slice(1));
  // "=" means "this machine's order"; files written on the usual PCs are little-endian.
  if (order === ">" && size > 1) {
    throw new DataError(
      `array '${name}' is stored big-endian ('${descr}'); save it little-endian, e.g. in NumPy: a.astype(a.dtype.newbyteorder('<'))`,
    );
  }
  if (kind === "u" && size === 1) return { dtype: "uint8", itemSize: 1 };
  if (kind === "b" && size === 1) return { dtype: "bool", itemSize: 1 };
  if (kind === "i" && size === 4) return { dtype: "int32", itemSize: 4 };
  if (kind === "i" && size === 8) return { dtype: "int64", itemSize: 8 };
  if (kind === "f" && size === 4) return { dtype: "float32", itemSize: 4 };
  if (kind === "f" && size === 8) return { dtype: "float64", itemSize: 8 };
  // '<U53' is text of up to 53 characters, each stored as 4 bytes (UTF-32).
  if (kind === "U" && Number.isInteger(size) && size >= 0) return { dtype: "unicode", itemSize: 4 * size };
  if (kind === "O") {
    throw new DataError(`array '${name}' holds Python objects (pickled), which cannot be read safely outside Python`);
  }
  throw new DataError(`array '${name}' has dtype '${descr}', which the kit cannot read; supported: ${SUPPORTED_DTYPES}`);
}

/**
 * Read one `.npy` file (header versions 1.0, 2.0, 3.0; C order; little-endian).
 * `name` only serves the error messages.
 */
export function readNpy(input: Uint8Array | ArrayBuffer, name = "array"): NpyArray {
  const bytes = toUint8Array(input);
  const header = parseNpyHeader(bytes, name);
  if (header.fortranOrder) {
    throw new DataError(
      `array '${name}' is stored in Fortran (column-major) order; save it in C order, e.g. in NumPy: np.ascontiguousarray(a)`,
    );
  }
  const { dtype, itemSize } = parseDescr(header.descr, name);
  const count = header.shape.reduce((a, b) => a * b, 1);
  const byteLength = count * itemSize;
  const available = bytes.length - header.dataOffset;
  if (available < byteLength) {
    throw new DataError(
      `array '${name}' is truncated: shape ${formatShape(header.shape)} needs ${byteLength} bytes of data but only ${available} are there`,
    );
  }
  if (itemSize > 1 && dtype !== "unicode" && !HOST_IS_LITTLE_ENDIAN) {
    throw new DataError("this computer stores numbers big-endian; the .npz reader only runs on little-endian machines");
  }
  // slice() copies: the result no longer keeps the whole archive in memory, and a fresh
  // buffer starts at offset 0, which typed arrays need (a Float32Array must start at a multiple of 4).
  const raw = bytes.slice(header.dataOffset, header.dataOffset + byteLength);
  const base = { shape: header.shape, descr: header.descr };
  switch (dtype) {
    case "uint8":
    case "bool":
      return { ...base, dtype, data: raw };
    case "int32":
      return { ...base, dtype, data: new Int32Array(raw.buffer, 0, count) };
    case "int64": {
      const big = new BigInt64Array(raw.buffer, 0, count);
      const data = new Float64Array(count);
      for (let i = 0; i < count; i++) data[i] = Number(big[i]!);
      return { ...base, dtype, data };
    }
    case "float32":
      return { ...base, dtype, data: new Float32Array(raw.buffer, 0, count) };
    case "float64":
      return { ...base, dtype, data: new Float64Array(raw.buffer, 0, count) };
    case "unicode":
      return { ...base, dtype, data: decodeUtf32Strings(raw, count, itemSize / 4) };
  }
}

/** NumPy text arrays: fixed-width UTF-32 code points, padded with zeros at the end. */
function decodeUtf32Strings(raw: Uint8Array, count: number, width: number): string[] {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const strings: string[] = [];
  for (let i = 0; i < count; i++) {
    let text = "";
    for (let j = 0; j < width; j++) {
      const codePoint = view.getUint32((i * width + j) * 4, true);
      if (codePoint === 0) break;
      text += String.fromCodePoint(codePoint);
    }
    strings.push(text);
  }
  return strings;
}

// ---------------------------------------------------------------------------------------------
// Writing. Used by the tests to craft files, and by the kit to save arrays NumPy can load.
// ---------------------------------------------------------------------------------------------

/** What {@link encodeNpy} accepts: like {@link NpyArray}, but int64 data may be any numbers. */
export type NpyInput =
  | { dtype: "bool" | "uint8"; shape: readonly number[]; data: Uint8Array | readonly number[] }
  | { dtype: "int32"; shape: readonly number[]; data: Int32Array | readonly number[] }
  | { dtype: "int64"; shape: readonly number[]; data: BigInt64Array | Float64Array | readonly number[] }
  | { dtype: "float32"; shape: readonly number[]; data: Float32Array | readonly number[] }
  | { dtype: "float64"; shape: readonly number[]; data: Float64Array | readonly number[] }
  | { dtype: "unicode"; shape: readonly number[]; data: readonly string[] };

export interface EncodeNpyOptions {
  /** .npy format version; 1 is what NumPy writes unless the header is huge. */
  version?: 1 | 2 | 3;
  /** Write a header that claims Fortran order (only useful to test a reader's error). */
  fortranOrder?: boolean;
  /** Write this dtype string instead of the usual one, e.g. '>f4' (only useful to test a reader). */
  descr?: string;
}

const DEFAULT_DESCR: Record<NpyDtype, string> = {
  bool: "|b1",
  uint8: "|u1",
  int32: "<i4",
  int64: "<i8",
  float32: "<f4",
  float64: "<f8",
  unicode: "<U", // the width is appended when encoding
};

/** Turn an array into the bytes of a `.npy` file. */
export function encodeNpy(array: NpyInput, options: EncodeNpyOptions = {}): Uint8Array {
  const version = options.version ?? 1;
  const count = array.shape.reduce((a, b) => a * b, 1);
  if (array.data.length !== count) {
    throw new Error(`encodeNpy: shape ${formatShape(array.shape)} needs ${count} values but data has ${array.data.length}`);
  }
  const { body, descr } = encodeBody(array, count);
  const shapeText = array.shape.length === 1 ? `(${array.shape[0]},)` : `(${array.shape.join(", ")})`;
  const dict = `{'descr': '${options.descr ?? descr}', 'fortran_order': ${options.fortranOrder ? "True" : "False"}, 'shape': ${shapeText}, }`;
  const dictBytes = new TextEncoder().encode(dict);
  // The header (with magic and length) is padded with spaces to a multiple of 64 bytes and ends in
  // "\n", as NumPy does, so the array data starts aligned.
  const prefixLength = version === 1 ? 10 : 12;
  const unpadded = prefixLength + dictBytes.length + 1;
  const headerLength = Math.ceil(unpadded / 64) * 64 - prefixLength;
  if (version === 1 && headerLength > 0xffff) throw new Error("encodeNpy: header too long for version 1; use version 2");

  const out = new Uint8Array(prefixLength + headerLength + body.length);
  out.set(NPY_MAGIC, 0);
  out[6] = version;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, headerLength, true);
  else view.setUint32(8, headerLength, true);
  out.set(dictBytes, prefixLength);
  out.fill(0x20, prefixLength + dictBytes.length, prefixLength + headerLength - 1);
  out[prefixLength + headerLength - 1] = 0x0a; // "\n"
  out.set(body, prefixLength + headerLength);
  return out;
}

function encodeBody(array: NpyInput, count: number): { body: Uint8Array; descr: string } {
  const descr = DEFAULT_DESCR[array.dtype];
  switch (array.dtype) {
    case "bool":
    case "uint8":
      return { body: Uint8Array.from(array.data), descr };
    case "int32":
      return { body: new Uint8Array(Int32Array.from(array.data).buffer), descr };
    case "int64": {
      const big = new BigInt64Array(count);
      for (let i = 0; i < count; i++) {
        const v = array.data[i]!;
        big[i] = typeof v === "bigint" ? v : BigInt(Math.trunc(v));
      }
      return { body: new Uint8Array(big.buffer), descr };
    }
    case "float32":
      return { body: new Uint8Array(Float32Array.from(array.data).buffer), descr };
    case "float64":
      return { body: new Uint8Array(Float64Array.from(array.data).buffer), descr };
    case "unicode": {
      const codePoints = array.data.map((s) => Array.from(s, (ch) => ch.codePointAt(0)!));
      const width = Math.max(1, ...codePoints.map((c) => c.length));
      const body = new Uint8Array(count * width * 4);
      const view = new DataView(body.buffer);
      codePoints.forEach((cps, i) => cps.forEach((cp, j) => view.setUint32((i * width + j) * 4, cp, true)));
      return { body, descr: `${descr}${width}` };
    }
  }
}

export interface WriteNpzOptions extends EncodeNpyOptions {
  /** Deflate the members (like np.savez_compressed) or store them as-is (like np.savez). Default true. */
  compress?: boolean;
}

/**
 * Build an `.npz` archive. Each value is an array to encode, or the bytes of an
 * already-encoded `.npy` (handy for crafting a damaged member in a test).
 */
export function writeNpz(arrays: Record<string, NpyInput | Uint8Array>, options: WriteNpzOptions = {}): Uint8Array {
  const compress = options.compress ?? true;
  const files: Zippable = {};
  for (const [key, value] of Object.entries(arrays)) {
    const npy = value instanceof Uint8Array ? value : encodeNpy(value, options);
    // fflate writes compression level 0 as a "stored" member (zip method 0), anything else as deflate (method 8).
    files[`${key}.npy`] = [npy, { level: compress ? 6 : 0 }];
  }
  return zipSync(files);
}
