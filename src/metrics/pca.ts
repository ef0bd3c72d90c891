/**
 * Principal component analysis, just enough to draw a cloud of feature vectors in 2D:
 * centre the rows, then find the directions of largest variance by power iteration on the
 * covariance matrix. Plain arrays, so it runs anywhere and is easy to read.
 */
import { runAtOnce, type Slices } from "../core/slices";

export interface Projection {
  /** n × k coordinates along the first k components, row-major. */
  coords: Float32Array;
  /** Share of the total variance each component explains (0..1). */
  explained: number[];
}

/** rows: n × d row-major values. Returns the projection on the first k principal components. */
export function pca(rows: ArrayLike<number>, n: number, d: number, k = 2, iterations = 200): Projection {
  return runAtOnce(pcaSlices(rows, n, d, k, iterations));
}

/**
 * The same PCA as work in slices (see core/slices.ts): it may pause after any row of the
 * covariance and any power iteration, so a page can run it without freezing.
 */
export function* pcaSlices(rows: ArrayLike<number>, n: number, d: number, k = 2, iterations = 200): Slices<Projection> {
  if (!(n >= 2 && d >= 1 && rows.length === n * d))
    throw new RangeError(`pca needs n ≥ 2 rows of d values (got ${rows.length} values for n=${n}, d=${d})`);
  const x = centred(rows, n, d);
  const cov = yield* covariance(x, n, d);
  const total = trace(cov, d);
  const components: Float64Array[] = [];
  const explained: number[] = [];
  for (let c = 0; c < Math.min(k, d); c++) {
    const { vector, value } = yield* topEigen(cov, d, iterations, c + 1);
    components.push(vector);
    explained.push(total > 0 ? value / total : 0);
    // Deflate: remove this direction so the next power iteration finds the next one.
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) cov[i * d + j] -= value * vector[i] * vector[j];
  }
  const coords = new Float32Array(n * components.length);
  for (let r = 0; r < n; r++) {
    components.forEach((v, c) => {
      let s = 0;
      for (let j = 0; j < d; j++) s += x[r * d + j] * v[j];
      coords[r * components.length + c] = s;
    });
  }
  return { coords, explained };
}

function centred(rows: ArrayLike<number>, n: number, d: number): Float64Array {
  const x = Float64Array.from(rows as ArrayLike<number>);
  for (let j = 0; j < d; j++) {
    let mean = 0;
    for (let r = 0; r < n; r++) mean += x[r * d + j];
    mean /= n;
    for (let r = 0; r < n; r++) x[r * d + j] -= mean;
  }
  return x;
}

function* covariance(x: Float64Array, n: number, d: number): Slices<Float64Array> {
  const cov = new Float64Array(d * d);
  for (let r = 0; r < n; r++) {
    yield;
    const o = r * d;
    for (let i = 0; i < d; i++) {
      const xi = x[o + i];
      if (xi === 0) continue; // ReLU features are often exactly 0: skip the work
      for (let j = i; j < d; j++) cov[i * d + j] += xi * x[o + j];
    }
  }
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      cov[i * d + j] /= n - 1;
      cov[j * d + i] = cov[i * d + j];
    }
  }
  return cov;
}

function trace(m: Float64Array, d: number): number {
  let t = 0;
  for (let i = 0; i < d; i++) t += m[i * d + i];
  return t;
}

/** Largest eigenvalue and its unit eigenvector of a symmetric matrix, by power iteration (seeded start). */
function* topEigen(
  m: Float64Array,
  d: number,
  iterations: number,
  seed: number,
): Slices<{ vector: Float64Array; value: number }> {
  let v = new Float64Array(d).map((_, i) => Math.sin(i * 12.9898 + seed * 78.233) + 0.1); // fixed, generic start
  normalise(v);
  let value = 0;
  for (let it = 0; it < iterations; it++) {
    yield;
    const w = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += m[i * d + j] * v[j];
      w[i] = s;
    }
    value = normalise(w);
    v = w;
  }
  // A sign convention, so the picture does not flip between runs: the largest entry is positive.
  let big = 0;
  for (let i = 1; i < d; i++) if (Math.abs(v[i]) > Math.abs(v[big])) big = i;
  if (v[big] < 0) for (let i = 0; i < d; i++) v[i] = -v[i];
  return { vector: v, value };
}

function normalise(v: Float64Array): number {
  let s = 0;
  for (const x of v) s += x * x;
  const norm = Math.sqrt(s);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i] /= norm;
  return norm;
}
