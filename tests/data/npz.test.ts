/**
 * The .npz reader on files crafted here: every dtype, every header version, stored and
 * deflated members, and each way a file can be wrong.
 */
import { zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_MAX_BYTES,
  encodeNpy,
  formatBytes,
  readNpy,
  readNpz,
  requireArray,
  writeNpz,
  type NpyInput,
} from "../../src/data/npz";
import { dataError } from "../helpers/data";


const SAMPLES: Record<string, NpyInput> = {
  u8: { dtype: "uint8", shape: [2, 3], data: [0, 1, 2, 127, 254, 255] },
  f4: { dtype: "float32", shape: [3], data: [1.5, -2, 3.25] },
  f8: { dtype: "float64", shape: [1, 2], data: [Math.PI, -1e300] },
  i8: { dtype: "int64", shape: [4], data: [-5, 0, 2 ** 40, 2 ** 53 - 1] },
  i4: { dtype: "int32", shape: [2], data: [-1, 123456] },
  b1: { dtype: "bool", shape: [3], data: [1, 0, 1] },
  names: { dtype: "unicode", shape: [2], data: ["héllo", "x🙂"] },
};

describe("readNpz round trip", () => {
  for (const version of [1, 2, 3] as const) {
    for (const compress of [false, true]) {
      it(`reads every dtype from header v${version}.0, ${compress ? "deflated" : "stored"} members`, () => {
        const bytes = writeNpz(SAMPLES, { version, compress });
        const arrays = readNpz(bytes);
        expect(Object.keys(arrays).sort()).toEqual(Object.keys(SAMPLES).sort());

        expect(arrays.u8!.dtype).toBe("uint8");
        expect(arrays.u8!.shape).toEqual([2, 3]);
        expect(arrays.u8!.data).toBeInstanceOf(Uint8Array);
        expect(Array.from(arrays.u8!.data as Uint8Array)).toEqual([0, 1, 2, 127, 254, 255]);

        expect(arrays.f4!.dtype).toBe("float32");
        expect(arrays.f4!.data).toBeInstanceOf(Float32Array);
        expect(Array.from(arrays.f4!.data as Float32Array)).toEqual([1.5, -2, 3.25]);

        expect(arrays.f8!.dtype).toBe("float64");
        expect(arrays.f8!.shape).toEqual([1, 2]);
        expect(Array.from(arrays.f8!.data as Float64Array)).toEqual([Math.PI, -1e300]);

        expect(arrays.i8!.dtype).toBe("int64");
        expect(arrays.i8!.descr).toBe("<i8");
        expect(Array.from(arrays.i8!.data as Float64Array)).toEqual([-5, 0, 2 ** 40, 2 ** 53 - 1]);

        expect(arrays.i4!.dtype).toBe("int32");
        expect(Array.from(arrays.i4!.data as Int32Array)).toEqual([-1, 123456]);

        expect(arrays.b1!.dtype).toBe("bool");
        expect(Array.from(arrays.b1!.data as Uint8Array)).toEqual([1, 0, 1]);

        expect(arrays.names!.dtype).toBe("unicode");
        expect(arrays.names!.descr).toBe("<U5");
        expect(arrays.names!.data).toEqual(["héllo", "x🙂"]);
      });
    }
  }

  it("writes stored members with zip method 0 and deflated ones with method 8", () => {
    // Byte 8 of a zip local file header is the compression method.
    const stored = writeNpz({ a: SAMPLES.u8! }, { compress: false });
    const deflated = writeNpz({ a: { dtype: "uint8", shape: [1000], data: new Uint8Array(1000) } }, { compress: true });
    expect(stored[8]).toBe(0);
    expect(deflated[8]).toBe(8);
    expect(deflated.length).toBeLessThan(1000); // 1000 zeros compress well
  });

  it("pads the header to a multiple of 64 bytes and ends it with a newline, as NumPy does", () => {
    for (const version of [1, 2, 3] as const) {
      const npy = encodeNpy(SAMPLES.f4!, { version });
      const dataStart = npy.length - 3 * 4;
      expect(dataStart % 64).toBe(0);
      expect(npy[dataStart - 1]).toBe(0x0a);
      expect(npy[6]).toBe(version);
    }
  });

  it("reads a 0-d (scalar) array and an empty array", () => {
    const arrays = readNpz(
      writeNpz({
        scalar: { dtype: "float32", shape: [], data: [42] },
        empty: { dtype: "uint8", shape: [0, 28, 28], data: [] },
      }),
    );
    expect(arrays.scalar!.shape).toEqual([]);
    expect(Array.from(arrays.scalar!.data as Float32Array)).toEqual([42]);
    expect(arrays.empty!.shape).toEqual([0, 28, 28]);
    expect(arrays.empty!.data.length).toBe(0);
  });

  it("accepts an ArrayBuffer and a Uint8Array that is a view into a larger buffer", () => {
    const bytes = writeNpz({ f4: SAMPLES.f4! });
    const fromBuffer = readNpz(bytes.slice().buffer);
    expect(Array.from(fromBuffer.f4!.data as Float32Array)).toEqual([1.5, -2, 3.25]);
    const padded = new Uint8Array(bytes.length + 7);
    padded.set(bytes, 7);
    const fromView = readNpz(padded.subarray(7));
    expect(Array.from(fromView.f4!.data as Float32Array)).toEqual([1.5, -2, 3.25]);
  });

  it("unpacks only the arrays asked for", () => {
    const arrays = readNpz(writeNpz(SAMPLES), { only: ["u8", "f4"] });
    expect(Object.keys(arrays).sort()).toEqual(["f4", "u8"]);
  });

  it("readNpy reads a bare .npy", () => {
    const arr = readNpy(encodeNpy(SAMPLES.i4!, { version: 2 }), "i4");
    expect(arr.shape).toEqual([2]);
    expect(Array.from(arr.data as Int32Array)).toEqual([-1, 123456]);
  });
});

describe("readNpz errors", () => {
  it("refuses Fortran-order arrays, naming the array", () => {
    const bytes = writeNpz({ train_images: encodeNpy(SAMPLES.f4!, { fortranOrder: true }) });
    const err = dataError(() => readNpz(bytes));
    expect(err.message).toContain("'train_images'");
    expect(err.message).toContain("Fortran");
  });

  it("refuses big-endian arrays, naming the array", () => {
    // Same bytes, header claims big-endian: the reader must refuse rather than return garbage.
    const bytes = writeNpz({ weights: encodeNpy(SAMPLES.f4!, { descr: ">f4" }) });
    const err = dataError(() => readNpz(bytes));
    expect(err.message).toContain("'weights'");
    expect(err.message).toContain("big-endian");
  });

  it("accepts a big-endian marker on one-byte data, where byte order means nothing", () => {
    const bytes = writeNpz({ u: encodeNpy(SAMPLES.u8!, { descr: ">u1" }) });
    expect(Array.from(readNpz(bytes).u!.data as Uint8Array)).toEqual([0, 1, 2, 127, 254, 255]);
  });

  it("refuses dtypes it cannot read, saying which", () => {
    const err = dataError(() => readNpz(writeNpz({ c: encodeNpy(SAMPLES.f8!, { descr: "<c8" }) })));
    expect(err.message).toContain("'<c8'");
    const pickled = dataError(() => readNpz(writeNpz({ o: encodeNpy(SAMPLES.f8!, { descr: "|O" }) })));
    expect(pickled.message).toContain("Python objects");
  });

  it("says plainly when the file is not a zip", () => {
    const text = new TextEncoder().encode("train_images,train_labels\n1,2\n");
    expect(dataError(() => readNpz(text)).message).toBe("not a zip file (an .npz is a zip archive of .npy arrays)");
    expect(dataError(() => readNpz(new Uint8Array(0))).message).toContain("not a zip file");
  });

  it("recognises a bare .npy handed over as an .npz", () => {
    expect(dataError(() => readNpz(encodeNpy(SAMPLES.u8!))).message).toContain("single .npy");
  });

  it("says the archive is truncated or damaged when the end is cut off", () => {
    const bytes = writeNpz(SAMPLES, { compress: true });
    for (const keep of [0.5, 0.9]) {
      const cut = bytes.subarray(0, Math.floor(bytes.length * keep));
      expect(dataError(() => readNpz(cut)).message).toMatch(/^the zip archive is truncated or damaged/);
    }
  });

  it("says the archive is damaged when a deflated member is corrupted", () => {
    const big = { dtype: "float32" as const, shape: [4096], data: Float32Array.from({ length: 4096 }, (_, i) => Math.sin(i)) };
    const bytes = writeNpz({ a: big }, { compress: true });
    const broken = bytes.slice();
    for (let i = 100; i < 400; i++) broken[i] = 0xff; // scribble over the compressed stream
    expect(dataError(() => readNpz(broken)).message).toMatch(/truncated or damaged/);
  });

  it("says which array is truncated when a stored member holds too few bytes", () => {
    const npy = encodeNpy({ dtype: "uint8", shape: [10, 10], data: new Uint8Array(100) });
    const bytes = zipSync({ "images.npy": [npy.subarray(0, npy.length - 30), { level: 0 }] });
    const err = dataError(() => readNpz(bytes));
    expect(err.message).toContain("'images' is truncated");
    expect(err.message).toContain("(10, 10)");
  });

  it("refuses a member that is not a .npy", () => {
    const bytes = zipSync({ "x.npy": new TextEncoder().encode("hello, I am text") });
    expect(dataError(() => readNpz(bytes)).message).toContain("'x' is not a .npy file");
  });

  it("requireArray names the missing array and lists what was found", () => {
    const arrays = readNpz(writeNpz({ train_images: SAMPLES.u8!, val_images: SAMPLES.u8! }));
    expect(requireArray(arrays, "train_images").shape).toEqual([2, 3]);
    expect(dataError(() => requireArray(arrays, "train_labels")).message).toBe(
      "missing array 'train_labels' (found: train_images, val_images)",
    );
  });

  it("enforces the file size limit, 200 MB by default", () => {
    expect(DEFAULT_MAX_BYTES).toBe(200 * 1024 * 1024);
    const bytes = writeNpz({ a: { dtype: "uint8", shape: [5000], data: new Uint8Array(5000).fill(7) } }, { compress: false });
    const err = dataError(() => readNpz(bytes, { maxBytes: 1024 }));
    expect(err.message).toBe(`file is ${formatBytes(bytes.length)}; the limit is 1 KB`);
    // Within the limit it reads fine.
    expect(readNpz(bytes, { maxBytes: bytes.length }).a!.data.length).toBe(5000);
  });

  it("enforces the unpacked size limit (a small file can claim to unpack to gigabytes)", () => {
    const bytes = writeNpz({ a: { dtype: "uint8", shape: [100_000], data: new Uint8Array(100_000) } }, { compress: true });
    expect(bytes.length).toBeLessThan(2000);
    const err = dataError(() => readNpz(bytes, { maxUnpackedBytes: 50_000 }));
    expect(err.message).toContain("unpack to more than 48.8 KB");
  });

  it("formats sizes the way the messages need", () => {
    expect(formatBytes(512)).toBe("512 bytes");
    expect(formatBytes(200 * 1024 * 1024)).toBe("200 MB");
    expect(formatBytes(3.1 * 1024 ** 3)).toBe("3.1 GB");
    expect(formatBytes(4159364)).toBe("4 MB");
  });
});
