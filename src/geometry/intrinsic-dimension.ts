/**
 * Nearest-neighbour estimators of the intrinsic dimension of a point cloud: TwoNN (Facco et al.
 * 2017) and the Levina–Bickel maximum-likelihood estimator (2004) with the MacKay–Ghahramani
 * harmonic-mean combination. Both use the exact {@link knn}.
 */
import { assertInteger, assertNumber, type AbortSignalLike } from '../core/errors.js';
import { knnRaw, knnTick, type KnnTick } from './knn.js';
import { checkOptionKeys, type KnownOptions } from '../core/options.js';
import { LEVINA_BICKEL_KEYS, TWO_NN_KEYS } from './option-keys.js';
import { checkCallback, checkSignal, ownOptions, type GeometryProgress } from './options.js';
import { singletonRows, scaleByPowerOfTwo, toPointMatrix, type PointMatrix, type PointsInput } from './points.js';

/** Options every neighbour-based estimator takes. */
export interface NeighbourEstimatorOptions {
  /** Point dimension, required when `X` is a flat typed array. */
  dim?: number;
  /** Progress of the neighbour search about every 50 ms (`{ phase, done, total }`). */
  onProgress?: (p: GeometryProgress) => void;
  /** Checked at every progress point. */
  signal?: AbortSignalLike;
}

/** Own options, `signal` and `onProgress` checked, and the points of an estimator `name`. */
function readNeighbourInput<O extends NeighbourEstimatorOptions>(X: PointsInput, options: O, name: string, keys: KnownOptions): { opts: Partial<O>; P: PointMatrix; tick: KnnTick | undefined } {
  const opts = ownOptions<O>(options, name);
  checkOptionKeys(opts, keys, name);
  const signal = checkSignal(opts.signal, name);
  const onProgress = checkCallback<(p: GeometryProgress) => void>(opts.onProgress, `${name}: onProgress`);
  const P = toPointMatrix(X, `${name}: X`, { dim: opts.dim, allowRank3: true });
  // both estimators use distance ratios only: an exact power-of-two rescaling keeps the squared
  // distances in range (no NaN above ~1e154, no false duplicates below ~1e-154)
  scaleByPowerOfTwo(P.data);
  return { opts, P, tick: knnTick(name, onProgress, signal) };
}

/** Distances of every point to its k nearest neighbours, row-major n×k, ascending. */
function neighbourDistances(P: PointMatrix, k: number, tick: KnnTick | undefined): Float64Array {
  const idx = new Int32Array(P.n * k);
  const dist = new Float64Array(P.n * k);
  knnRaw(P.data, P.n, P.d, k, idx, dist, { tick });
  return dist;
}

/** Result of {@link twoNN}. */
export interface TwoNNResult {
  /** Estimated intrinsic dimension (slope of the fit through the origin). */
  readonly dimension: number;
  /** Points used in the fit (after dropping duplicates and the largest `discardFraction`). */
  readonly used: number;
  /**
   * Points dropped because another point is at distance 0: every copy of a repeated state (a fixed
   * point, a short cycle, identical first steps). They carry no dimension, and they are left out of
   * the neighbour search too: two copies would pose as a first and second neighbour at equal
   * distance (μ = 1) of the points around them.
   */
  readonly duplicates: number;
  /** μ_i = r₂/r₁ of the non-duplicate points, sorted ascending. */
  readonly mu: Float64Array;
}

/** Options of {@link twoNN}. */
export interface TwoNNOptions extends NeighbourEstimatorOptions {
  /** Fraction of the largest μ dropped before the fit (default 0.1, as in Facco et al.). */
  discardFraction?: number;
}

/**
 * TwoNN intrinsic dimension (Facco, d'Errico, Rodriguez, Laio 2017). For each point μ = r₂/r₁, the
 * ratio of its second to first neighbour distance (repeated states, e.g. a fixed point or the
 * identical first steps of sequences that start blank, are dropped and are no one's neighbours; see
 * `duplicates`); μ is sorted
 * ascending, the largest 10% discarded (and always the last, where F = 1), F_i = i/N for i = 1..N′ (N the number of non-duplicate
 * points), and d is the least-squares slope through the origin of −ln(1 − F_i) against ln μ_i.
 * Its standard error is about d/√N.
 *
 * @example
 * ```ts
 * const { dimension } = twoNN(states);   // states [n,d] or [B,T,H]
 * ```
 */
export function twoNN(X: PointsInput, options: TwoNNOptions = {}): TwoNNResult {
  const { opts, P, tick } = readNeighbourInput(X, options, 'twoNN', TWO_NN_KEYS);
  const discard = opts.discardFraction ?? 0.1;
  assertNumber(discard, 'twoNN: discardFraction', 0, 0.99);
  if (P.n < 3) throw new RangeError(`twoNN: need at least 3 points (2 neighbours each), got ${P.n}`);
  const U = singletonRows(P.data, P.n, P.d);
  const nU = U.keep.length;
  let duplicates = P.n - nU;
  if (nU < 3) throw new RangeError(`twoNN: only ${nU} non-duplicate points (of ${P.n}); need at least 3 distinct points that are not repeated`);
  const dist = neighbourDistances({ data: U.data, n: nU, d: P.d }, 2, tick);
  const muAll: number[] = [];
  for (let i = 0; i < nU; i++) {
    const r1 = dist[2 * i];
    const r2 = dist[2 * i + 1];
    if (r1 === 0) {
      duplicates++;
      continue;
    }
    muAll.push(r2 / r1);
  }
  const mu = Float64Array.from(muAll).sort();
  const N = mu.length;
  const used = Math.min(Math.floor(N * (1 - discard)), N - 1); // F_N = 1 would give −ln 0
  if (used < 2) {
    throw new RangeError(`twoNN: only ${N} non-duplicate points (of ${P.n}); need at least 3 distinct points`);
  }
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < used; i++) {
    const xv = Math.log(mu[i]);
    const yv = -Math.log(1 - (i + 1) / N);
    sxy += xv * yv;
    sxx += xv * xv;
  }
  if (sxx === 0) {
    throw new RangeError('twoNN: every kept point has r₂ = r₁ (μ = 1); the dimension is undefined');
  }
  return { dimension: sxy / sxx, used, duplicates, mu };
}

/** Result of {@link levinaBickel}. */
export interface LevinaBickelResult {
  /** Harmonic mean of the per-point estimates: [ (1/n) Σ 1/m̂_k(x_i) ]⁻¹. */
  readonly dimension: number;
  /** Per-point estimates m̂_k(x_i) (NaN for dropped duplicate points). */
  readonly local: Float64Array;
  /** Points used (all but the duplicates; a point whose k neighbours are equidistant counts, with m̂ = ∞). */
  readonly used: number;
  /** Points dropped because another point is at distance 0 (every copy of a repeated state; NaN in `local`), as in twoNN. */
  readonly duplicates: number;
  readonly k: number;
}

/** Options of {@link levinaBickel}. */
export interface LevinaBickelOptions extends NeighbourEstimatorOptions {
  /** Number of neighbours (default 10, at least 2). */
  k?: number;
}

/**
 * Levina–Bickel maximum-likelihood intrinsic dimension with k neighbours, in the variant of MacKay &
 * Ghahramani (2005): per point m̂_k(x) = [ (1/(k−1)) Σ_{j<k} ln(T_k/T_j) ]⁻¹ (T_j the distance to
 * the j-th neighbour), combined over points by the harmonic mean, i.e. the inverse of the mean of
 * the inverse local estimates (Levina & Bickel's own average of m̂_k is biased upwards). Repeated
 * states are dropped (NaN in `local`) and are no one's neighbours.
 *
 * @example
 * ```ts
 * const { dimension, local } = levinaBickel(states, { k: 20 });
 * ```
 */
export function levinaBickel(X: PointsInput, options: LevinaBickelOptions = {}): LevinaBickelResult {
  const { opts, P, tick } = readNeighbourInput(X, options, 'levinaBickel', LEVINA_BICKEL_KEYS);
  const k = opts.k ?? 10;
  assertInteger(k, 'levinaBickel: k', 2);
  if (k > P.n - 1) {
    throw new RangeError(`levinaBickel: k = ${k} neighbours need at least ${k + 1} points, got ${P.n}`);
  }
  // repeated states dropped and out of the neighbour search, as in twoNN (copies would be neighbours at equal distances)
  const U = singletonRows(P.data, P.n, P.d);
  const nU = U.keep.length;
  if (k > nU - 1) {
    throw new RangeError(`levinaBickel: k = ${k} neighbours need at least ${k + 1} points that are not repeated, got ${nU} (of ${P.n})`);
  }
  const dist = neighbourDistances({ data: U.data, n: nU, d: P.d }, k, tick);
  const local = new Float64Array(P.n).fill(NaN);
  let sumInv = 0;
  let used = 0;
  let duplicates = P.n - nU;
  for (let u = 0; u < nU; u++) {
    const i = U.keep[u];
    const o = u * k;
    const tk = dist[o + k - 1];
    if (dist[o] === 0) {
      local[i] = NaN;
      duplicates++;
      continue;
    }
    // log(T_k/T_j), not log T_k − log T_j: the quotient is exact under the power-of-two rescaling of
    // the states (so the bits do not depend on it) and does not cancel
    let s = 0;
    for (let j = 0; j < k - 1; j++) s += Math.log(tk / dist[o + j]);
    const inv = s / (k - 1);
    local[i] = 1 / inv;
    sumInv += inv;
    used++;
  }
  if (used === 0 || sumInv === 0) {
    throw new RangeError(`levinaBickel: no usable points (${duplicates} of ${P.n} have duplicate neighbours)`);
  }
  return { dimension: used / sumInv, local, used, duplicates, k };
}
