/**
 * The α-decay kNN kernel of PHATE (Moon et al. 2019), held sparse:
 * K(x, y) = exp(−(‖x − y‖ / σ_k(x))^α), σ_k(x) the distance from x to its k-th nearest neighbour
 * (the point itself excluded), entries below `thresh` dropped, the diagonal 1, then symmetrized
 * (K + Kᵀ)/2. This follows graphtools' kNNGraph, which PHATE uses: affinities are computed for every
 * neighbour within the radius where the kernel falls to `thresh`, σ_k·(−ln thresh)^{1/α}.
 */
import { knnRaw } from '../knn.js';
import { scaleByPowerOfTwo } from '../points.js';
import { rowDist2 } from './distance.js';
import { csrFromCoo, csrSymmetrize, type Csr } from './sparse.js';

/** Options of the α-decay kernel. */
export interface AlphaDecayKernelOptions {
  /** Neighbour whose distance sets each point's bandwidth (default 5). */
  knn?: number;
  /** The exponent α (default 40). */
  decay?: number;
  /** Affinities below this are dropped (default 1e-4, as graphtools). */
  thresh?: number;
}

/**
 * Unchecked: the symmetrized α-decay kernel of the rows of `x` (row-major n×d, finite,
 * 1 ≤ k ≤ n − 1, decay > 0, 0 < thresh < 1; not modified). Also returns the bandwidths σ_k (in
 * the units of `x`; σ_k is floored at 2.2e-16 once x is scaled by a power of two to a largest
 * |entry| in [1, 2), i.e. at about ε·max|x|).
 */
export function alphaDecayKernelRaw(
  x: Float64Array,
  n: number,
  d: number,
  k: number,
  decay: number,
  thresh: number,
): { kernel: Csr; bandwidth: Float64Array } {
  // the kernel depends on distance ratios only: an exact power-of-two rescaling of a copy keeps their
  // bits, keeps squared distances from under- or overflowing (1e-160 or 1e160 gave one flat or NaN
  // kernel) and makes σ_k's floor relative to the largest |coordinate|, not absolute
  x = x.slice();
  const scale = scaleByPowerOfTwo(x);
  const radiusFactor = Math.pow(-Math.log(thresh), 1 / decay);
  // neighbours are searched until the kernel's support is covered: when more than 5% of the
  // points still have all their candidates inside the radius, the search is widened threefold (as
  // graphtools' search_multiplier); the few remaining points get an exact radius scan below
  let kSearch = Math.min(n - 1, 10 * (k + 1));
  let idx: Int32Array;
  let dist: Float64Array;
  for (;;) {
    idx = new Int32Array(n * kSearch);
    dist = new Float64Array(n * kSearch);
    knnRaw(x, n, d, kSearch, idx, dist);
    if (kSearch >= n - 1) break;
    let short = 0;
    for (let i = 0; i < n; i++) {
      const sigma = Math.max(dist[i * kSearch + k - 1], 2.220446049250313e-16);
      if (dist[i * kSearch + kSearch - 1] < sigma * radiusFactor) short++;
    }
    if (short <= n / 20) break;
    kSearch = Math.min(n - 1, kSearch * 3);
  }
  const bandwidth = new Float64Array(n);
  let cap = n * (kSearch + 1);
  let r = new Int32Array(cap);
  let c = new Int32Array(cap);
  let v = new Float64Array(cap);
  let e = 0;
  const push = (i: number, j: number, val: number): void => {
    if (e === cap) {
      cap *= 2;
      const r2 = new Int32Array(cap); r2.set(r); r = r2;
      const c2 = new Int32Array(cap); c2.set(c); c = c2;
      const v2 = new Float64Array(cap); v2.set(v); v = v2;
    }
    r[e] = i; c[e] = j; v[e] = val; e++;
  };
  const tiny = 2.220446049250313e-16;
  for (let i = 0; i < n; i++) {
    const base = i * kSearch;
    const sigma = Math.max(dist[base + k - 1], tiny);
    bandwidth[i] = sigma;
    const radius = sigma * radiusFactor;
    push(i, i, 1);
    if (dist[base + kSearch - 1] < radius && kSearch < n - 1) {
      // the search did not reach the kernel's support: scan every point (exact radius query)
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        const a = Math.exp(-Math.pow(Math.sqrt(rowDist2(x, i * d, j * d, d)) / sigma, decay));
        if (a >= thresh) push(i, j, a);
      }
    } else {
      for (let q = 0; q < kSearch; q++) {
        const dq = dist[base + q];
        if (dq >= radius) break;
        const a = Math.exp(-Math.pow(dq / sigma, decay));
        if (a >= thresh) push(i, idx[base + q], a);
      }
    }
  }
  if (scale !== 1) for (let i = 0; i < n; i++) bandwidth[i] *= scale;
  const K = csrFromCoo(n, n, r, c, v, e);
  return { kernel: csrSymmetrize(K), bandwidth };
}
