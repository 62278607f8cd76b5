/**
 * DEMaP, "denoised embedding manifold preservation" (Moon et al. 2019, PHATE paper): the Spearman
 * correlation between geodesic distances of the (noiseless) data — shortest paths on its kNN graph,
 * edges weighted by Euclidean length — and Euclidean distances in the embedding, over all pairs.
 * As the authors' code (graphtools kNN graph with `knn` = 30, decay off, `shortest_path(distance='data')`).
 */
import { knnRaw } from '../knn.js';
import { firstRowUnlikeFirst, scaleByPowerOfTwo, toPointMatrix, type PointsInput } from '../points.js';
import { DEMAP_KEYS } from './option-keys.js';
import { intOption, ownOptions, resolveLongRun, type EmbeddingRunOptions } from './options.js';
import { toEmbedding, type EmbeddingInput } from './quality.js';

/** Options of {@link demap}. */
export interface DemapOptions extends Omit<EmbeddingRunOptions, 'seed' | 'rng'> {
  /** Neighbours per point in the geodesic graph (default 30, as the authors' code, or n − 1 when there are fewer points). */
  k?: number;
  /** Score only these points (geodesics still run on the whole graph): for large n. */
  subsample?: Int32Array;
  /** Dimension of X when it is a flat typed array. */
  dimX?: number;
  /** Dimension of Y when it is a flat typed array. */
  dimY?: number;
}

/** Ranks (1-based, ties averaged) of `v`; Infinity ranks last. */
export function averageRanks(v: Float64Array): Float64Array {
  const n = v.length;
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  idx.sort((a, b) => v[a] - v[b] || (v[a] === v[b] ? 0 : v[a] === Infinity ? 1 : -1));
  const r = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i + 1;
    while (j < n && v[idx[j]] === v[idx[i]]) j++;
    const rank = (i + 1 + j) / 2;
    for (let q = i; q < j; q++) r[idx[q]] = rank;
    i = j;
  }
  return r;
}

/** Spearman's ρ (Pearson correlation of the average ranks). */
export function spearman(a: Float64Array, b: Float64Array): number {
  const ra = averageRanks(a), rb = averageRanks(b);
  const n = a.length;
  const mean = (n + 1) / 2;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    const x = ra[i] - mean, y = rb[i] - mean;
    sab += x * y; saa += x * x; sbb += y * y;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : NaN;
}

/** Single-source shortest paths (Dijkstra, binary heap) on a CSR graph into `dist`. */
function dijkstra(
  indptr: Int32Array, nbr: Int32Array, w: Float64Array, src: number, dist: Float64Array,
  heapNode: Int32Array, heapKey: Float64Array,
): void {
  dist.fill(Infinity);
  dist[src] = 0;
  let size = 0;
  const push = (node: number, key: number): void => {
    let i = size++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (heapKey[p] <= key) break;
      heapNode[i] = heapNode[p]; heapKey[i] = heapKey[p]; i = p;
    }
    heapNode[i] = node; heapKey[i] = key;
  };
  push(src, 0);
  while (size > 0) {
    const u = heapNode[0], du = heapKey[0];
    const lastN = heapNode[--size], lastK = heapKey[size];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= size) break;
      if (c + 1 < size && heapKey[c + 1] < heapKey[c]) c++;
      if (heapKey[c] >= lastK) break;
      heapNode[i] = heapNode[c]; heapKey[i] = heapKey[c]; i = c;
    }
    heapNode[i] = lastN; heapKey[i] = lastK;
    if (du > dist[u]) continue;
    for (let e = indptr[u]; e < indptr[u + 1]; e++) {
      const v = nbr[e], nd = du + w[e];
      if (nd < dist[v]) { dist[v] = nd; push(v, nd); }
    }
  }
}

/**
 * DEMaP score of an embedding: Spearman correlation between the geodesic distances of `X` (shortest
 * paths on its symmetrized k-nearest-neighbour graph, edge length = Euclidean distance) and the
 * Euclidean distances of `Y`, over all pairs (of `subsample`, when given). Pass the noiseless data as
 * `X` when it is known (as the paper does); 1 means the embedding orders all pairs as the manifold does.
 * Pairs in different components of the graph have infinite geodesic distance and rank last.
 *
 * @example
 * ```ts
 * import { demap, phate } from 'rnn-lyap/geometry';
 * const X = Array.from({ length: 60 }, (_, i) => [Math.cos(i / 10), Math.sin(i / 10), i / 30]);
 * const score = demap(X, phate(X, { knn: 3, seed: 1 }), { k: 5 }); // close to 1
 * ```
 */
export function demap(X: PointsInput, Y: EmbeddingInput, options: DemapOptions = {}): number {
  const name = 'demap';
  const opts = ownOptions(options, name, DEMAP_KEYS);
  const A = toPointMatrix(X, `${name}: X`, { dim: opts.dimX, allowRank3: true, dimOption: 'dimX' });
  const B = toEmbedding(Y, `${name}: Y`, opts.dimY);
  const n = A.n;
  if (B.n !== n) throw new RangeError(`${name}: X has ${n} points but Y has ${B.n}`);
  if (n < 3) throw new RangeError(`${name}: need at least 3 points, got ${n}`);
  // the default neighbour count is capped by the points there are (an explicit k is checked)
  const k = intOption(opts.k, Math.min(30, n - 1), `${name}: k`, 1, n - 1);
  let sub: Int32Array;
  if (opts.subsample !== undefined) {
    if (!(opts.subsample instanceof Int32Array)) throw new TypeError(`${name}: subsample must be an Int32Array`);
    sub = opts.subsample;
    if (sub.length < 3) throw new RangeError(`${name}: subsample needs at least 3 points, got ${sub.length}`);
    for (let a = 0; a < sub.length; a++) {
      if (!(sub[a] >= 0 && sub[a] < n)) throw new RangeError(`${name}: subsample[${a}] = ${sub[a]} is outside 0..${n - 1}`);
    }
  } else {
    sub = Int32Array.from({ length: n }, (_, i) => i);
  }
  const s = sub.length;
  const pairs = (s * (s - 1)) / 2;
  if (pairs * 8 * 4 > 2 ** 32) {
    throw new RangeError(`${name}: ${s} points give ${pairs} pairs (${Math.ceil((pairs * 32) / 2 ** 20)} MiB); pass a smaller subsample`);
  }
  const run = resolveLongRun(opts, name);
  // only the ranks of distances enter: exact power-of-two rescalings of the copies keep their bits and
  // keep squared distances from overflowing (NaN at 1e160) or underflowing (ties at 1e-160)
  const unitX = scaleByPowerOfTwo(A.data);
  const unitY = scaleByPowerOfTwo(B.data);
  // symmetrized kNN graph (union of the directed neighbour lists), as CSR
  const ind = new Int32Array(n * k), dst = new Float64Array(n * k);
  knnRaw(A.data, n, A.d, k, ind, dst);
  const deg = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) for (let q = 0; q < k; q++) { deg[i + 1]++; deg[ind[i * k + q] + 1]++; }
  for (let i = 0; i < n; i++) deg[i + 1] += deg[i];
  const fill = deg.slice(0, n);
  const nbr = new Int32Array(deg[n]), w = new Float64Array(deg[n]);
  for (let i = 0; i < n; i++) {
    for (let q = 0; q < k; q++) {
      const j = ind[i * k + q], d = dst[i * k + q];
      nbr[fill[i]] = j; w[fill[i]++] = d;
      nbr[fill[j]] = i; w[fill[j]++] = d;
    }
  }
  const geo = new Float64Array(pairs), emb = new Float64Array(pairs);
  const dist = new Float64Array(n);
  const heapNode = new Int32Array(nbr.length + 1), heapKey = new Float64Array(nbr.length + 1);
  let p = 0, last = Date.now();
  const db = B.d;
  for (let a = 0; a < s; a++) {
    const i = sub[a];
    dijkstra(deg, nbr, w, i, dist, heapNode, heapKey);
    for (let b = a + 1; b < s; b++) {
      const j = sub[b];
      geo[p] = dist[j];
      let e = 0;
      for (let q = 0; q < db; q++) { const t = B.data[i * db + q] - B.data[j * db + q]; e += t * t; }
      emb[p++] = Math.sqrt(e);
    }
    const now = Date.now();
    if (now - last >= 100) { last = now; run.progress('geodesics', a + 1, s); run.check(); }
  }
  run.progress('geodesics', s, s);
  // Spearman's ρ of a constant vector is 0/0: say which argument and, for equal points, which one
  const tied = (v: Float64Array, unit: number, arg: string, what: string): void => {
    if (firstRowUnlikeFirst(v, v.length, 1) < 0) {
      const same = v[0] === 0 ? `: every point equals point ${sub[0]}` : '';
      throw new RangeError(`${name}: ${arg}: the ${what} distances of all ${pairs} pairs are equal (${v[0] * unit}${same}), so their ranks all tie and the correlation is undefined`);
    }
  };
  tied(geo, unitX, 'X', 'geodesic');
  tied(emb, unitY, 'Y', 'embedding');
  return spearman(geo, emb);
}
