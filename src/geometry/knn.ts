/**
 * Exact k-nearest-neighbour search (Euclidean) within one point cloud, blocked for speed.
 *
 * Squared distances are formed tile by tile as ‖x‖² + ‖y‖² − 2·x·y with the packed gemm (its
 * WebAssembly SIMD kernel where available) on a centred float64 copy (centring keeps the norms small, so the
 * cancellation error stays small). Each point keeps a bounded max-heap of a few more candidates than
 * asked; the survivors' distances are then recomputed directly (Σ(x_p − y_p)²) and sorted by
 * (distance, index). A rounding bound certifies that no point outside the candidate set can be closer
 * than the k-th kept one; when the certificate fails (exact ties, many duplicates) that row is
 * recomputed by brute force, so the result always equals the brute-force answer.
 */
import { assertInteger, type AbortSignalLike, type FloatArray } from '../core/errors.js';
import { gemmRaw } from '../core/gemm.js';
import { squaredDistanceRaw } from './distance.js';
import { checkOptionKeys } from '../core/options.js';
import { KNN_KEYS } from './option-keys.js';
import { checkCallback, checkMemory, checkSignal, createProgress, ownOptions, type GeometryProgress } from './options.js';
import { scaleByPowerOfTwo, toPointMatrix, type PointsInput } from './points.js';

/** Result of {@link knn}: row-major n×k neighbour indices and Euclidean distances, ascending. */
export interface KnnResult {
  /** `indices[i*k + j]` is the j-th nearest neighbour of point i (the point itself excluded). */
  readonly indices: Int32Array;
  /** `distances[i*k + j]` = ‖x_i − x_{indices[i*k+j]}‖, non-decreasing in j. */
  readonly distances: Float64Array;
  readonly n: number;
  readonly k: number;
}

/** Progress hook of {@link knnRaw}: called at every tile and row (cheap; the caller throttles by time). */
export type KnnTick = (phase: string, done: number, total: number) => void;

/** Options of {@link knn} and {@link knnRaw}. */
export interface KnnOptions {
  /** Point dimension, required when `X` is a flat typed array. */
  dim?: number;
  /** Tile size in points (multiple of 4, default 256). */
  blockSize?: number;
  /** Progress about every 50 ms: `{ phase: 'distances' | 'refine' | 'neighbours', done, total }`. */
  onProgress?: (p: GeometryProgress) => void;
  /** Checked at every progress point (a synchronous call only sees an abort requested from its callbacks). */
  signal?: AbortSignalLike;
}

const EPS = 2 ** -52;

/**
 * Unchecked kernel: exact k nearest neighbours of every row of `x` (row-major n×d, finite values,
 * 1 ≤ k ≤ n − 1) among the other rows. Writes `indices` (Int32Array n·k) and `distances`
 * (Float64Array n·k), sorted by (distance, index). Does not modify `x`.
 */
export function knnRaw(
  x: FloatArray,
  n: number,
  d: number,
  k: number,
  indices: Int32Array,
  distances: Float64Array,
  opts: { blockSize?: number; tick?: KnnTick } = {},
): void {
  if (n === 0 || k === 0) return;
  const tick = opts.tick;
  const slack = Math.max(4, Math.ceil(k / 8));
  const kk = Math.min(n - 1, k + slack);
  if (kk >= n - 1 || n <= 64) {
    for (let i = 0; i < n; i++) {
      bruteForceRow(x, n, d, k, i, indices, distances);
      if (tick) tick('neighbours', i + 1, n);
    }
    return;
  }
  let B = opts.blockSize ?? 256;
  B = Math.max(4, B - (B % 4));
  const nPad = Math.ceil(n / B) * B;

  // centred float64 copy, padded with zero rows to a multiple of the block size
  const X = new Float64Array(nPad * d);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let p = 0; p < d; p++) mean[p] += x[o + p];
  }
  for (let p = 0; p < d; p++) mean[p] /= n;
  const norms = new Float64Array(nPad);
  let maxNorm = 0;
  for (let i = 0; i < n; i++) {
    const o = i * d;
    let s = 0;
    for (let p = 0; p < d; p++) {
      const v = x[o + p] - mean[p];
      X[o + p] = v;
      s += v * v;
    }
    norms[i] = s;
    if (s > maxNorm) maxNorm = s;
  }

  // bounded max-heaps keyed by (approximate squared distance, index)
  const hd = new Float64Array(n * kk);
  const hi = new Int32Array(n * kk);
  const hs = new Int32Array(n);
  const top = new Float64Array(n).fill(Infinity); // a full heap's root distance (Infinity until full)
  const G = new Float64Array(B * B);

  const tiles = Math.ceil(n / B);
  const tileTotal = (tiles * (tiles + 1)) / 2;
  let tileDone = 0;
  for (let I0 = 0; I0 < n; I0 += B) {
    for (let J0 = I0; J0 < n; J0 += B) {
      if (tick) tick('distances', tileDone++, tileTotal);
      tileDots(X, d, I0, J0, B, G);
      const iEnd = Math.min(I0 + B, n);
      const jEnd = Math.min(J0 + B, n);
      for (let i = I0; i < iEnd; i++) {
        const ni = norms[i];
        const go = (i - I0) * B - J0;
        const jStart = J0 === I0 ? i + 1 : J0;
        for (let j = jStart; j < jEnd; j++) {
          let s = ni + norms[j] - 2 * G[go + j];
          if (s < 0) s = 0;
          // most candidates lose to a full heap's root: test that here, not in a call
          if (s <= top[i]) { heapPush(hd, hi, hs, kk, i, s, j); if (hs[i] === kk) top[i] = hd[i * kk]; }
          if (s <= top[j]) { heapPush(hd, hi, hs, kk, j, s, i); if (hs[j] === kk) top[j] = hd[j * kk]; }
        }
      }
    }
  }

  // exact recomputation of the kept candidates, certificate, brute-force fallback
  const cd = new Float64Array(kk);
  const ci = new Int32Array(kk);
  const order = new Int32Array(kk);
  const relExact = (d + 2) * EPS;
  for (let i = 0; i < n; i++) {
    if (tick) tick('refine', i, n);
    const base = i * kk;
    const io = i * d;
    for (let c = 0; c < kk; c++) {
      const j = hi[base + c];
      const s = squaredDistanceRaw(x, io, x, j * d, d);
      cd[c] = s;
      ci[c] = j;
      order[c] = c;
    }
    sortByDistIndex(order, cd, ci, kk);
    const dk = cd[order[k - 1]];
    const aMax = hd[base]; // root of the max-heap: the largest approximate distance kept
    const errBound = 2 * (d + 6) * EPS * (norms[i] + maxNorm);
    if (aMax - errBound > dk * (1 + relExact)) {
      const o = i * k;
      for (let c = 0; c < k; c++) {
        const oc = order[c];
        indices[o + c] = ci[oc];
        distances[o + c] = Math.sqrt(cd[oc]);
      }
    } else {
      bruteForceRow(x, n, d, k, i, indices, distances);
    }
  }
}

/**
 * G[(i−I0)·B + (j−J0)] = X_i · X_j for the B×B tile (rows of X padded to a multiple of B), by the
 * packed gemm (WebAssembly SIMD where available). Its sums run in index order from 0 with separate
 * multiply and add, as dotBlock4x4Raw's do, so the tile is the same bits either way (up to d = 4096,
 * beyond which gemm sums in chunks; the certificate below holds for any summation order).
 */
function tileDots(X: Float64Array, d: number, I0: number, J0: number, B: number, G: Float64Array): void {
  gemmRaw(false, true, B, B, d, 1, X.subarray(I0 * d, (I0 + B) * d), d, X.subarray(J0 * d, (J0 + B) * d), d, 0, G, B);
}

/** Push (s, j) into row `row`'s bounded max-heap of capacity kk, ordered by (s, j). */
function heapPush(hd: Float64Array, hi: Int32Array, hs: Int32Array, kk: number, row: number, s: number, j: number): void {
  const base = row * kk;
  const size = hs[row];
  if (size < kk) {
    // sift up
    let c = size;
    while (c > 0) {
      const parent = (c - 1) >> 1;
      const pd = hd[base + parent];
      if (pd > s || (pd === s && hi[base + parent] > j)) break;
      hd[base + c] = pd;
      hi[base + c] = hi[base + parent];
      c = parent;
    }
    hd[base + c] = s;
    hi[base + c] = j;
    hs[row] = size + 1;
    return;
  }
  const rd = hd[base];
  if (s > rd || (s === rd && j > hi[base])) return;
  // replace the root and sift down
  let c = 0;
  for (;;) {
    const l = 2 * c + 1;
    if (l >= kk) break;
    let m = l;
    let md = hd[base + l];
    const r = l + 1;
    if (r < kk) {
      const rdv = hd[base + r];
      if (rdv > md || (rdv === md && hi[base + r] > hi[base + l])) {
        m = r;
        md = rdv;
      }
    }
    if (md < s || (md === s && hi[base + m] < j)) break;
    hd[base + c] = md;
    hi[base + c] = hi[base + m];
    c = m;
  }
  hd[base + c] = s;
  hi[base + c] = j;
}

/** Insertion sort of `order[0..m)` by (cd[order], ci[order]) ascending (m is small). */
function sortByDistIndex(order: Int32Array, cd: Float64Array, ci: Int32Array, m: number): void {
  for (let a = 1; a < m; a++) {
    const o = order[a];
    const od = cd[o];
    const oi = ci[o];
    let b = a - 1;
    while (b >= 0) {
      const q = order[b];
      const qd = cd[q];
      if (qd < od || (qd === od && ci[q] < oi)) break;
      order[b + 1] = q;
      b--;
    }
    order[b + 1] = o;
  }
}

/** Exact k nearest neighbours of row i by direct computation against every other row. */
function bruteForceRow(
  x: FloatArray, n: number, d: number, k: number, i: number,
  indices: Int32Array, distances: Float64Array,
): void {
  const hd = new Float64Array(k);
  const hi = new Int32Array(k);
  const hs = new Int32Array(1);
  const io = i * d;
  for (let j = 0; j < n; j++) {
    if (j === i) continue;
    heapPush(hd, hi, hs, k, 0, squaredDistanceRaw(x, io, x, j * d, d), j);
  }
  const order = new Int32Array(k);
  for (let c = 0; c < k; c++) order[c] = c;
  sortByDistIndex(order, hd, hi, k);
  const o = i * k;
  for (let c = 0; c < k; c++) {
    indices[o + c] = hi[order[c]];
    distances[o + c] = Math.sqrt(hd[order[c]]);
  }
}

/**
 * Exact k nearest neighbours (Euclidean) of every point of a cloud among the other points.
 *
 * Neighbours are sorted by distance, ties broken by the smaller index; a point never lists itself,
 * and a duplicate point is a neighbour at distance 0. The search is blocked (tiles of 256 points,
 * their dot products by the packed gemm) and certified exact: the result equals brute force.
 * Cost O(n²·d/2); practical up to about 20 000 points.
 *
 * @param X - points: a Tensor `[n,d]` (or hidden states `[B,T,H]`, read as B·T points as `pca` reads them), a flat row-major Float64Array/Float32Array with `opts.dim`,
 *   or an array of points.
 * @param k - number of neighbours, 1 ≤ k ≤ n − 1.
 * @example
 * ```ts
 * const { indices, distances } = knn(tensor([[0, 0], [1, 0], [0, 2]]), 1);
 * // indices = [1, 0, 0], distances = [1, 1, 2]
 * const res = knn(flatFloat64, 15, { dim: 50 });   // n = flatFloat64.length / 50
 * ```
 */
export function knn(X: PointsInput, k: number, options: KnnOptions = {}): KnnResult {
  const name = 'knn';
  const opts = ownOptions<KnnOptions>(options, name);
  checkOptionKeys(opts, KNN_KEYS, name);
  const signal = checkSignal(opts.signal, name);
  const onProgress = checkCallback<(p: GeometryProgress) => void>(opts.onProgress, `${name}: onProgress`);
  assertInteger(k, 'knn: k', 1);
  const P = toPointMatrix(X, 'knn: X', { dim: opts.dim, allowRank3: true });
  if (k > P.n - 1) {
    throw new RangeError(`knn: k = ${k} neighbours need at least ${k + 1} points, got ${P.n}`);
  }
  if (opts.blockSize !== undefined) assertInteger(opts.blockSize, 'knn: blockSize', 4, 4096);
  checkMemory(P.n * (k + Math.max(4, Math.ceil(k / 8))) * 24, `${name}: ${P.n} points with k = ${k}`);
  const indices = new Int32Array(P.n * k);
  const distances = new Float64Array(P.n * k);
  // exact power-of-two rescaling (P.data is a copy): squared distances neither overflow above ~1e154
  // nor underflow below ~1e-154 (which made distinct points duplicates); the bits are unchanged otherwise
  const scale = scaleByPowerOfTwo(P.data);
  knnRaw(P.data, P.n, P.d, k, indices, distances, { blockSize: opts.blockSize, tick: knnTick(name, onProgress, signal) });
  if (scale !== 1) for (let e = 0; e < distances.length; e++) distances[e] *= scale;
  return { indices, distances, n: P.n, k };
}

/** A {@link KnnTick} reporting by time through `onProgress` and checking `signal`; undefined when neither is given. */
export function knnTick(
  name: string,
  onProgress: ((p: GeometryProgress) => void) | undefined,
  signal: AbortSignalLike | undefined,
): KnnTick | undefined {
  if (!onProgress && !signal) return undefined;
  const pr = createProgress(name, onProgress, signal);
  return (phase, done, total) => pr.tick(phase, done, total);
}
