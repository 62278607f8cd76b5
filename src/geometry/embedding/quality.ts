/**
 * How well an embedding keeps the neighbourhoods of the original points: the fraction of k nearest
 * neighbours kept, and trustworthiness (Venna & Kaski 2001, as scikit-learn's
 * `sklearn.manifold.trustworthiness`). Both can be evaluated within groups (e.g. per time step) and
 * averaged.
 */
import { knnRaw } from '../knn.js';
import { firstRowUnlikeFirst, scaleByPowerOfTwo, toPointMatrix, type PointMatrix, type PointsInput } from '../points.js';
import { NEIGHBORHOOD_KEYS } from './option-keys.js';
import { ownOptions, resolveLongRun, type EmbeddingProgress } from './options.js';
import type { AbortSignalLike } from '../../core/errors.js';

/** An embedding as returned by tsne/phate (`{ embedding, shape }`), or any point cloud. */
export type EmbeddingInput = PointsInput | { readonly embedding: Float64Array; readonly shape: readonly number[] };

/** Options of {@link neighborhoodPreservation} and {@link trustworthiness}. */
export interface NeighborhoodOptions {
  /** Number of neighbours (default 10 for neighborhoodPreservation, 5 for trustworthiness). */
  k?: number;
  /** Group label per point: the score is computed within each group and the group scores averaged. */
  groups?: Int32Array;
  /** Dimension of X when it is a flat typed array. */
  dimX?: number;
  /** Dimension of Y when it is a flat typed array. */
  dimY?: number;
  /** trustworthiness only: progress `{ phase: 'ranks', done, total }` (points ranked), at least every ~100 ms. */
  onProgress?: (p: EmbeddingProgress) => void;
  /** trustworthiness only: aborts at the next progress point. */
  signal?: AbortSignalLike;
}

/** Reads an embedding result `{ embedding, shape }` or any point cloud as a point matrix. */
export function toEmbedding(Y: EmbeddingInput, name: string, dim?: number): PointMatrix {
  if (Y !== null && typeof Y === 'object' && 'embedding' in Y && (Y as { embedding: unknown }).embedding instanceof Float64Array) {
    const e = Y as { embedding: Float64Array; shape: readonly number[] };
    if (!Array.isArray(e.shape) || e.shape.length !== 2) throw new TypeError(`${name}: an embedding result needs shape [n, dims]`);
    return toPointMatrix(e.embedding, name, { dim: e.shape[1] });
  }
  return toPointMatrix(Y, name, { dim, allowRank3: true, dimOption: 'dimY' });
}

function prepare(
  X: PointsInput, Y: EmbeddingInput, opts: NeighborhoodOptions, name: string, defK: number,
): { A: PointMatrix; B: PointMatrix; k: number; groups: Int32Array[] } {
  const A = toPointMatrix(X, `${name}: X`, { dim: opts.dimX, allowRank3: true, dimOption: 'dimX' });
  const B = toEmbedding(Y, `${name}: Y`, opts.dimY);
  if (A.n !== B.n) throw new RangeError(`${name}: X has ${A.n} points but Y has ${B.n}`);
  const k = opts.k ?? defK;
  if (typeof k !== 'number') throw new TypeError(`${name}: k must be a positive integer, got ${typeof k}`);
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`${name}: k must be a positive integer, got ${k}`);
  let groups: Int32Array[];
  if (opts.groups !== undefined) {
    if (!(opts.groups instanceof Int32Array)) throw new TypeError(`${name}: groups must be an Int32Array`);
    if (opts.groups.length !== A.n) throw new RangeError(`${name}: groups has length ${opts.groups.length}, expected ${A.n}`);
    const map = new Map<number, number[]>();
    for (let i = 0; i < A.n; i++) {
      const g = opts.groups[i];
      let l = map.get(g);
      if (!l) map.set(g, (l = []));
      l.push(i);
    }
    groups = [...map.keys()].sort((a, b) => a - b).map((g) => Int32Array.from(map.get(g)!));
  } else {
    groups = [Int32Array.from({ length: A.n }, (_, i) => i)];
  }
  return { A, B, k, groups };
}

/**
 * The points of one group (all of M's own copy when there is one group), scaled by an exact power of
 * two: neighbour ranks keep their bits, and squared distances neither overflow nor underflow. Points
 * that are all equal are refused: every rank would be a tie broken by index.
 */
function groupPoints(M: PointMatrix, idx: Int32Array, labels: Int32Array | undefined, whole: boolean, name: string, arg: string): Float64Array {
  let out = M.data;
  if (!whole) {
    out = new Float64Array(idx.length * M.d);
    for (let a = 0; a < idx.length; a++) out.set(M.data.subarray(idx[a] * M.d, (idx[a] + 1) * M.d), a * M.d);
  }
  if (firstRowUnlikeFirst(out, idx.length, M.d) < 0) {
    // a group is named by its label (e.g. a time step before any input arrived), with a way out
    const which = whole ? 'every point' : `every point of group ${labels![idx[0]]} (groups[${idx[0]}] = ${labels![idx[0]]}, ${idx.length} points)`;
    const out = whole ? '' : `; score without that group (leave its points out of X, Y and groups)`;
    throw new RangeError(`${name}: ${arg}: ${which} equals point ${idx[0]}, so every neighbour rank is a tie (broken by index) and the score would measure nothing${out}`);
  }
  scaleByPowerOfTwo(out);
  return out;
}

/**
 * Mean fraction of each point's k nearest neighbours in X that are also among its k nearest
 * neighbours in Y (1 = every neighbourhood kept). Neighbours exclude the point itself; ties are
 * broken by index.
 *
 * @example
 * ```ts
 * const { embedding, shape } = tsne(X, { seed: 1 });
 * neighborhoodPreservation(X, { embedding, shape }, { k: 10 }); // e.g. 0.6
 * ```
 */
export function neighborhoodPreservation(X: PointsInput, Y: EmbeddingInput, options: NeighborhoodOptions = {}): number {
  const name = 'neighborhoodPreservation';
  const opts = ownOptions(options, name, NEIGHBORHOOD_KEYS);
  const { A, B, k, groups } = prepare(X, Y, opts, name, 10);
  let total = 0;
  for (const idx of groups) {
    const m = idx.length;
    if (k > m - 1) throw new RangeError(`${name}: k = ${k} needs at least ${k + 1} points per group, a group has ${m}`);
    const xa = groupPoints(A, idx, opts.groups, groups.length === 1, name, 'X');
    const xb = groupPoints(B, idx, opts.groups, groups.length === 1, name, 'Y');
    const ia = new Int32Array(m * k), ib = new Int32Array(m * k);
    knnRaw(xa, m, A.d, k, ia, new Float64Array(m * k));
    knnRaw(xb, m, B.d, k, ib, new Float64Array(m * k));
    const mark = new Int32Array(m).fill(-1);
    let kept = 0;
    for (let i = 0; i < m; i++) {
      for (let q = 0; q < k; q++) mark[ia[i * k + q]] = i;
      for (let q = 0; q < k; q++) if (mark[ib[i * k + q]] === i) kept++;
    }
    total += kept / (m * k);
  }
  return total / groups.length;
}

/**
 * Trustworthiness (Venna & Kaski 2001), with the definition of scikit-learn:
 * T(k) = 1 − 2 / (n k (2n − 3k − 1)) · Σ_i Σ_{j ∈ U_i} (r(i, j) − k), where U_i are the points among
 * i's k nearest neighbours in Y that are not among its k nearest in X and r(i, j) is j's rank by
 * distance from i in X (1 = nearest). Requires k < n/2. 1 means no false neighbours.
 *
 * @example
 * ```ts
 * trustworthiness(X, tsne(X, { seed: 1 }), { k: 5 }); // close to 1 for a good embedding
 * ```
 */
export function trustworthiness(X: PointsInput, Y: EmbeddingInput, options: NeighborhoodOptions = {}): number {
  const name = 'trustworthiness';
  const opts = ownOptions(options, name, NEIGHBORHOOD_KEYS);
  const { A, B, k, groups } = prepare(X, Y, opts, name, 5);
  const run = resolveLongRun(opts, name);
  let total = 0;
  let done = 0, last = Date.now();
  const tick = (i: number): void => {
    const now = Date.now();
    if (now - last >= 100) { last = now; run.progress('ranks', done + i, A.n); run.check(); }
  };
  for (const idx of groups) {
    const m = idx.length;
    if (k >= m / 2) throw new RangeError(`${name}: k = ${k} must be less than half the points of each group (${m})`);
    const xa = groupPoints(A, idx, opts.groups, groups.length === 1, name, 'X');
    const xb = groupPoints(B, idx, opts.groups, groups.length === 1, name, 'Y');
    total += trustworthinessRaw(xa, xb, m, A.d, B.d, k, tick);
    done += m;
  }
  run.progress('ranks', A.n, A.n);
  return total / groups.length;
}

/** Unchecked trustworthiness of one point set (k < n/2). O(n²·d) time, O(n) memory. */
export function trustworthinessRaw(
  xa: Float64Array, xb: Float64Array, n: number, da: number, db: number, k: number, onRow?: (i: number) => void,
): number {
  const ib = new Int32Array(n * k);
  knnRaw(xb, n, db, k, ib, new Float64Array(n * k));
  const dist = new Float64Array(n);
  const sorted = k > 16 ? new Float64Array(n) : undefined;
  const dj = new Float64Array(k);
  const rank = new Float64Array(k);
  let penalty = 0;
  for (let i = 0; i < n; i++) {
    const io = i * da;
    for (let j = 0; j < n; j++) {
      const jo = j * da;
      let s = 0;
      for (let p = 0; p < da; p++) { const t = xa[io + p] - xa[jo + p]; s += t * t; }
      dist[j] = s;
    }
    dist[i] = -1; // the point itself ranks before everything (rank 0)
    // rank(j) = 1 + #{l ≠ i : d_l < d_j} + #{l ≠ i, l < j : d_l = d_j}  (ties broken by index)
    for (let q = 0; q < k; q++) { dj[q] = dist[ib[i * k + q]]; rank[q] = 0; }
    if (sorted) {
      sorted.set(dist);
      sorted.sort();
      for (let q = 0; q < k; q++) {
        const v = dj[q];
        let lo = 0, hi = n;
        while (lo < hi) { const mid = (lo + hi) >> 1; if (sorted[mid] < v) lo = mid + 1; else hi = mid; }
        let r = lo; // includes the point itself (−1 < v): already 1 + #{l ≠ i : d_l < v}
        if (lo + 1 < n && sorted[lo + 1] === v) {
          const j = ib[i * k + q];
          for (let l = 0; l < j; l++) if (l !== i && dist[l] === v) r++;
        }
        rank[q] = r;
      }
    } else {
      for (let l = 0; l < n; l++) {
        const v = dist[l];
        for (let q = 0; q < k; q++) {
          if (v < dj[q] || (v === dj[q] && l < ib[i * k + q] && l !== i)) rank[q]++;
        }
      }
    }
    for (let q = 0; q < k; q++) if (rank[q] > k) penalty += rank[q] - k;
    if (onRow && (i & 15) === 15) onRow(i + 1);
  }
  return 1 - (2 / (n * k * (2 * n - 3 * k - 1))) * penalty;
}
