/**
 * k-means for landmark selection, as graphtools' LandmarkGraph runs it: scikit-learn's
 * MiniBatchKMeans(n_clusters = L, init_size = 3L, n_init = 1, batch_size = 10000) with its other
 * defaults (max_iter 100, tol 0, max_no_improvement 10, reassignment_ratio 0.01), then every row
 * labelled by its nearest final centre.
 *
 * The steps, after scikit-learn 1.2 (`sklearn/cluster/_kmeans.py`, Sculley 2010):
 * - seeding: greedy k-means++ (2 + ⌊ln L⌋ D²-sampled candidates per centre, the one lowering the
 *   potential most kept) on 3L rows drawn uniformly with replacement (on all N rows when 3L ≥ N);
 * - ⌊100·N / B⌋ steps at most (B = min(10000, N)), each on B rows drawn with replacement: label them
 *   by nearest centre, then move each centre to the running mean of every row it was ever given
 *   (per-centre counts); every time 10·L rows have been drawn (or while a centre has count 0),
 *   centres whose count is below 1% of the largest are moved onto random rows of the batch and
 *   given the smallest remaining count (at most B/2 of them: the first in NumPy's argsort of the
 *   counts, ./npy-argsort.ts, whose order among equal counts scikit-learn inherits);
 * - stop when the exponentially weighted mean batch inertia (weight 2B/(N+1)) has not improved for
 *   10 steps.
 *
 * The random streams are ours (not NumPy's), so labels agree with the reference's in distribution,
 * not bit for bit. Fed scikit-learn's own draws (test/geometry/embedding/kmeans-reference.test.ts,
 * fixtures by scripts/fixtures/kmeans.py) the run is scikit-learn's: same steps, labels and inertia.
 * Distances here are exact (Σ(x−c)²) where scikit-learn's are ‖c‖² − 2x·c, so where two centres
 * coincide to rounding (a centre reassigned onto a row that is already a centre) a point between
 * them can go the other way; at n = 20 000 that moves a few of 20 000 labels, nothing systematic.
 */
import { gemmRaw } from '../../core/gemm.js';
import { createF32Module, F32_WASM_BASE64 } from '../../core/wasm/f32-loader.js';
import { numpyArgsort } from './npy-argsort.js';

/** Knobs of {@link miniBatchKmeansRaw} (scikit-learn's names; defaults as graphtools passes them). */
export interface MiniBatchKmeansOptions {
  batchSize?: number;
  maxIter?: number;
  maxNoImprovement?: number;
  reassignmentRatio?: number;
  initSize?: number;
}

/** Squared norms of the rows of the row-major N×f matrix F. */
function rowNorms(F: Float64Array, N: number, f: number): Float64Array {
  const out = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    let s = 0;
    for (let p = 0; p < f; p++) s += F[i * f + p] * F[i * f + p];
    out[i] = s;
  }
  return out;
}

/**
 * An instance of the float32 kernels of its own (instantiated on first use), so that the training
 * kernels' operands, which persist in their instance's memory between a forward and a backward
 * pass, are never overwritten here.
 */
const SCREEN = createF32Module(F32_WASM_BASE64);
/** Rows screened per float32 product (the Gram block is B×L floats in the module's memory). */
const SCREEN_ROWS = 256;
const U32 = 2 ** -24;
/** Covers the float64 rounding of ‖c‖² − 2·x·c itself (where ‖x‖ is tiny, the float32 slack is too). */
const EPS4 = 2 ** -50;

/**
 * Nearest centre (of the L rows of C, squared norms cn) of each listed row of F (squared norms fn):
 * labels[r] and squared distance d2[r] for rows[r], r < count; ties go to the lower centre index.
 *
 * The float64 answer, found fast: the Gram products x·c are screened in float32 (WebAssembly SIMD,
 * core/wasm/f32.wat's gemm, about twice the float64 kernel's speed), each approximate
 * distance ‖x‖² + ‖c‖² − 2·x·c carrying the bound 2.5·(f + 2)·2⁻²⁴·‖x‖‖c‖ of float32 rounding
 * (operands and an f-term sum; plus 2⁻⁵⁰ of the terms for the float64 sum); every centre whose interval reaches below the smallest upper end
 * is then measured exactly, Σ(x_p − c_p)² in float64, and the least of those wins. Where the
 * float32 kernel is unavailable, or f is small, the float64 Gram products decide directly.
 */
export function nearestCentres(
  F: Float64Array, fn: Float64Array, f: number, rows: Int32Array, count: number,
  C: Float64Array, cn: Float64Array, L: number, labels: Int32Array, d2: Float64Array,
): void {
  const w = f >= 16 ? SCREEN.wasm() : undefined;
  if (w === undefined) {
    nearestCentresF64(F, fn, f, rows, count, C, cn, L, labels, d2);
    return;
  }
  const B = SCREEN_ROWS;
  const Lp = (L + 3) & ~3;
  // layout (bytes): centres transposed f×Lp | batch rows B×f | Gram B×Lp
  const offB = 0, offA = 4 * f * Lp, offG = offA + 4 * B * f;
  let mem = SCREEN.memory(offG + 4 * B * Lp);
  if (mem === undefined) {
    nearestCentresF64(F, fn, f, rows, count, C, cn, L, labels, d2);
    return;
  }
  const bt = offB >> 2;
  for (let c = 0; c < L; c++) for (let p = 0; p < f; p++) mem[bt + p * Lp + c] = C[c * f + p];
  for (let p = 0; p < f; p++) mem.fill(0, bt + p * Lp + L, bt + (p + 1) * Lp);
  const cr = Float64Array.from(cn, (v) => Math.sqrt(v));
  const slack = 2.5 * (f + 2) * U32;
  const cand = new Int32Array(L);
  for (let r0 = 0; r0 < count; r0 += B) {
    const nb = Math.min(B, count - r0);
    const nbp = (nb + 3) & ~3;
    const at = offA >> 2;
    for (let r = 0; r < nb; r++) {
      const o = rows[r0 + r] * f, d = at + r * f;
      for (let p = 0; p < f; p++) mem[d + p] = F[o + p];
    }
    mem.fill(0, at + nb * f, at + nbp * f);
    w.gemm(nbp, Lp, f, offA, f, 1, offB, Lp, offG, Lp, 0);
    mem = SCREEN.memory(0) as Float32Array;
    const gt = offG >> 2;
    for (let r = 0; r < nb; r++) {
      const row = rows[r0 + r];
      const xr = Math.sqrt(fn[row]) * slack; // ‖x‖² is common to every centre: left out
      const g = gt + r * Lp;
      // one pass: the smallest upper end so far (it only falls), and every centre whose lower end
      // is below it when visited (a superset of those below the final one, filtered again below)
      let hi = Infinity, m = 0;
      for (let c = 0; c < L; c++) {
        const gc = mem[g + c];
        const v = cn[c] - 2 * gc, e = xr * cr[c] + EPS4 * (cn[c] + 2 * Math.abs(gc));
        if (v - e <= hi) {
          cand[m++] = c;
          if (v + e < hi) hi = v + e;
        }
      }
      let best = Infinity, a = 0;
      const xo = row * f;
      for (let q = 0; q < m; q++) {
        const c = cand[q], co = c * f;
        const gc = mem[g + c];
        if (cn[c] - 2 * gc - xr * cr[c] - EPS4 * (cn[c] + 2 * Math.abs(gc)) > hi) continue;
        let s = 0;
        for (let p = 0; p < f; p++) { const t = F[xo + p] - C[co + p]; s += t * t; }
        if (s < best) { best = s; a = c; }
      }
      labels[r0 + r] = a;
      d2[r0 + r] = best;
    }
  }
}

/** {@link nearestCentres} by float64 Gram products alone (blocked gemm). */
function nearestCentresF64(
  F: Float64Array, fn: Float64Array, f: number, rows: Int32Array, count: number,
  C: Float64Array, cn: Float64Array, L: number, labels: Int32Array, d2: Float64Array,
): void {
  const B = 256;
  const Fb = new Float64Array(Math.min(B, count) * f);
  const G = new Float64Array(Math.min(B, count) * L);
  for (let r0 = 0; r0 < count; r0 += B) {
    const nb = Math.min(B, count - r0);
    for (let r = 0; r < nb; r++) Fb.set(F.subarray(rows[r0 + r] * f, (rows[r0 + r] + 1) * f), r * f);
    gemmRaw(false, true, nb, L, f, 1, Fb, f, C, f, 0, G, L);
    for (let r = 0; r < nb; r++) {
      const xn = fn[rows[r0 + r]];
      let best = Infinity, a = 0;
      for (let c = 0; c < L; c++) {
        const d = xn + cn[c] - 2 * G[r * L + c];
        if (d < best) { best = d; a = c; }
      }
      labels[r0 + r] = a;
      d2[r0 + r] = best > 0 ? best : 0;
    }
  }
}

/**
 * Unchecked mini-batch k-means of the rows of F (row-major N×f) into L centres (L ≤ N), as
 * scikit-learn's MiniBatchKMeans with graphtools' settings. Returns the label of every row (centres
 * that end up empty are dropped and the rest renumbered 0..groups−1 in centre order, as graphtools'
 * `np.unique(clusters)`), the number of steps run, and the final inertia.
 */
export function miniBatchKmeansRaw(
  F: Float64Array, N: number, f: number, L: number, rng: () => number,
  opts: MiniBatchKmeansOptions = {}, check?: () => void,
): { labels: Int32Array; groups: number; steps: number; inertia: number } {
  L = Math.min(L, N);
  const batch = Math.min(opts.batchSize ?? 10000, N);
  const maxIter = opts.maxIter ?? 100;
  const maxNoImprovement = opts.maxNoImprovement ?? 10;
  const ratio = opts.reassignmentRatio ?? 0.01;
  const initSize = Math.min(opts.initSize ?? 3 * L, N);
  const fn = rowNorms(F, N, f);
  const draw = (k: number): number => Math.min(k - 1, Math.floor(rng() * k));
  // seeding on init_size rows drawn with replacement; on all rows in order (no draws) when
  // init_size is not below N, as scikit-learn's _init_centroids
  const Fs = new Float64Array(initSize * f);
  const sn = new Float64Array(initSize);
  for (let s = 0; s < initSize; s++) {
    const i = initSize < N ? draw(N) : s;
    Fs.set(F.subarray(i * f, (i + 1) * f), s * f);
    sn[s] = fn[i];
  }
  let C = new Float64Array(L * f);
  seedGreedyKmeansPP(Fs, sn, initSize, f, L, C, rng, check);
  check?.();
  let Cn = new Float64Array(L * f);
  const cn = rowNorms(C, L, f);
  const counts = new Float64Array(L);
  const idx = new Int32Array(batch);
  const lab = new Int32Array(batch);
  const d2 = new Float64Array(batch);
  const members = new Int32Array(batch);
  const start = new Int32Array(L + 1);
  const fill = new Int32Array(L);
  const nSteps = Math.floor((maxIter * N) / batch);
  let sinceReassign = 0;
  let ewa = NaN, ewaMin = Infinity, noImprovement = 0;
  let steps = 0;
  for (let step = 0; step < nSteps; step++) {
    steps = step + 1;
    for (let b = 0; b < batch; b++) idx[b] = draw(N);
    // scikit-learn decides on reassignment before the step
    sinceReassign += batch;
    let reassign = false;
    for (let c = 0; c < L && !reassign; c++) if (counts[c] === 0) reassign = true;
    if (reassign || sinceReassign >= 10 * L) { sinceReassign = 0; reassign = true; }
    nearestCentres(F, fn, f, idx, batch, C, cn, L, lab, d2);
    let inertia = 0;
    for (let b = 0; b < batch; b++) inertia += d2[b];
    // centres: running means over every row each was given
    start.fill(0);
    for (let b = 0; b < batch; b++) start[lab[b] + 1]++;
    for (let c = 0; c < L; c++) start[c + 1] += start[c];
    fill.set(start.subarray(0, L));
    for (let b = 0; b < batch; b++) members[fill[lab[b]]++] = idx[b];
    for (let c = 0; c < L; c++) {
      const w = start[c + 1] - start[c];
      const co = c * f;
      if (w === 0) { Cn.set(C.subarray(co, co + f), co); continue; }
      const old = counts[c];
      for (let p = 0; p < f; p++) Cn[co + p] = C[co + p] * old;
      for (let e = start[c]; e < start[c + 1]; e++) {
        const io = members[e] * f;
        for (let p = 0; p < f; p++) Cn[co + p] += F[io + p];
      }
      counts[c] = old + w;
      const inv = 1 / counts[c];
      for (let p = 0; p < f; p++) Cn[co + p] *= inv;
    }
    if (reassign && ratio > 0) reassignSmall(Cn, counts, L, f, F, idx, batch, ratio, rng);
    const sw = C; C = Cn; Cn = sw;
    for (let c = 0; c < L; c++) {
      let s = 0;
      for (let p = 0; p < f; p++) s += C[c * f + p] * C[c * f + p];
      cn[c] = s;
    }
    check?.();
    // early stopping on the smoothed inertia (the first step's is the seeding's, ignored)
    if (step === 0) continue;
    const bi = inertia / batch;
    if (Number.isNaN(ewa)) ewa = bi;
    else { const alpha = Math.min((batch * 2) / (N + 1), 1); ewa = ewa * (1 - alpha) + bi * alpha; }
    if (ewa < ewaMin) { noImprovement = 0; ewaMin = ewa; } else noImprovement++;
    if (noImprovement >= maxNoImprovement) break;
  }
  // final labels of every row
  const all = Int32Array.from({ length: N }, (_, i) => i);
  const labels = new Int32Array(N);
  const dist = new Float64Array(N);
  nearestCentres(F, fn, f, all, N, C, cn, L, labels, dist);
  let inertia = 0;
  for (let i = 0; i < N; i++) inertia += dist[i];
  const map = new Int32Array(L).fill(-1);
  for (let i = 0; i < N; i++) map[labels[i]] = 0;
  let groups = 0;
  for (let c = 0; c < L; c++) if (map[c] === 0) map[c] = groups++;
  for (let i = 0; i < N; i++) labels[i] = map[labels[i]];
  return { labels, groups, steps, inertia };
}

/**
 * scikit-learn's low-count reassignment: centres whose count is below `ratio` × the largest count
 * (at most half the batch of them: the first in NumPy's argsort of the counts) move onto distinct
 * uniformly drawn rows of the batch, and take the smallest count among the centres that stay.
 */
function reassignSmall(
  C: Float64Array, counts: Float64Array, L: number, f: number, F: Float64Array,
  idx: Int32Array, batch: number, ratio: number, rng: () => number,
): void {
  let max = 0;
  for (let c = 0; c < L; c++) if (counts[c] > max) max = counts[c];
  const small: number[] = [];
  for (let c = 0; c < L; c++) if (counts[c] < ratio * max) small.push(c);
  const cap = Math.floor(0.5 * batch);
  let chosen = small;
  if (small.length > cap) {
    // only the first `cap` centres of NumPy's argsort of the counts may move (scikit-learn:
    // `to_reassign[np.argsort(weight_sums)[cap:]] = False`); among equal counts, NumPy's order
    const keep = new Uint8Array(L);
    const order = numpyArgsort(counts);
    for (let q = 0; q < cap; q++) keep[order[q]] = 1;
    chosen = small.filter((c) => keep[c] === 1);
  }
  if (chosen.length === 0) return;
  const isChosen = new Uint8Array(L);
  for (const c of chosen) isChosen[c] = 1;
  // distinct rows of the batch (partial Fisher–Yates)
  const pos = Int32Array.from({ length: batch }, (_, b) => b);
  for (let q = 0; q < chosen.length; q++) {
    const j = q + Math.min(batch - q - 1, Math.floor(rng() * (batch - q)));
    const t = pos[q]; pos[q] = pos[j]; pos[j] = t;
    const row = idx[pos[q]];
    C.set(F.subarray(row * f, (row + 1) * f), chosen[q] * f);
  }
  let minKeep = Infinity;
  for (let c = 0; c < L; c++) if (!isChosen[c] && counts[c] < minKeep) minKeep = counts[c];
  if (!Number.isFinite(minKeep)) minKeep = 0;
  for (const c of chosen) counts[c] = minKeep;
}

/**
 * Greedy k-means++ (Arthur & Vassilvitskii 2007, with scikit-learn's local trials) of the S rows of
 * Fs (squared norms sn) into L centres written to C. Candidate distances come from one gemm per centre.
 */
export function seedGreedyKmeansPP(
  Fs: Float64Array, sn: Float64Array, S: number, f: number, L: number, C: Float64Array,
  rng: () => number, check?: () => void,
): void {
  const trials = 2 + Math.floor(Math.log(L));
  const minD = new Float64Array(S);
  const cum = new Float64Array(S);
  const cand = new Int32Array(trials);
  const Cc = new Float64Array(trials * f);
  const Gc = new Float64Array(S * trials);
  const dist = (s: number, c2: number, g: number): number => { const v = sn[s] + c2 - 2 * g; return v > 0 ? v : 0; };
  const first = Math.min(S - 1, Math.floor(rng() * S));
  C.set(Fs.subarray(first * f, (first + 1) * f), 0);
  gemmRaw(false, true, S, 1, f, 1, Fs, f, C.subarray(0, f), f, 0, Gc, 1);
  for (let s = 0; s < S; s++) minD[s] = dist(s, sn[first], Gc[s]);
  minD[first] = 0;
  let last = Date.now();
  for (let nc = 1; nc < L; nc++) {
    let total = 0;
    for (let s = 0; s < S; s++) { total += minD[s]; cum[s] = total; }
    for (let q = 0; q < trials; q++) {
      let pick: number;
      if (total > 0) {
        // first index whose cumulative potential reaches r (NumPy's searchsorted, side 'left')
        const r = rng() * total;
        let lo = 0, hi = S - 1;
        while (lo < hi) { const mid = (lo + hi) >> 1; if (cum[mid] >= r) hi = mid; else lo = mid + 1; }
        pick = lo;
      } else {
        pick = Math.min(S - 1, Math.floor(rng() * S)); // every row already coincides with a centre
      }
      cand[q] = pick;
      Cc.set(Fs.subarray(pick * f, (pick + 1) * f), q * f);
    }
    gemmRaw(false, true, S, trials, f, 1, Fs, f, Cc, f, 0, Gc, trials);
    let best = 0, bestPot = Infinity;
    for (let q = 0; q < trials; q++) {
      const c2 = sn[cand[q]];
      let pot = 0;
      for (let s = 0; s < S; s++) { const d = dist(s, c2, Gc[s * trials + q]); pot += d < minD[s] ? d : minD[s]; }
      if (pot < bestPot) { bestPot = pot; best = q; }
    }
    const c2 = sn[cand[best]];
    for (let s = 0; s < S; s++) { const d = dist(s, c2, Gc[s * trials + best]); if (d < minD[s]) minD[s] = d; }
    minD[cand[best]] = 0;
    C.set(Cc.subarray(best * f, (best + 1) * f), nc * f);
    const now = Date.now();
    if (check && now - last >= 100) { last = now; check(); }
  }
}
