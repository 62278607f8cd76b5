/**
 * Landmarks for large PHATE problems, as graphtools' LandmarkGraph: spectral clustering of the
 * diffusion operator (the leading eigenvectors of the symmetric diffusion affinity
 * D^{-1/2} K D^{-1/2}, mapped through P, then k-means) into L groups; then the landmark operator
 * P_LL = (M normalized by rows) · (Mᵀ normalized by rows), with M[a, j] = Σ_{i ∈ group a} K[i, j],
 * and the transitions from points to landmarks Mᵀ normalized by rows. Nothing of size n×n is formed.
 *
 * P_LL = R⁻¹ S with S = M D⁻¹ Mᵀ symmetric and R = diag(row sums of S) = diag(row sums of M), so it
 * is a diffusion operator like P itself (this is used for its spectrum).
 */
import { gemmRaw } from '../../core/gemm.js';
import { csrFromCoo, csrRowNormalize, csrTranspose, type Csr } from './sparse.js';

/**
 * Unchecked k-means (squared Euclidean) of the rows of F (row-major N×f) into at most L groups:
 * greedy k-means++ seeding (scikit-learn's: 2 + ⌊ln L⌋ D²-sampled candidates per centre, the one
 * that lowers the potential most kept) on a random subset of min(N, 3L) rows (as MiniBatchKMeans'
 * init_size), then
 * Lloyd iterations on all rows with Hamerly's bounds (most rows skip the distance scan once the
 * centres settle). Returns labels 0..G−1 with every group non-empty (G ≤ L).
 */
export function kmeansRaw(
  F: Float64Array, N: number, f: number, L: number, rng: () => number, maxIter = 30,
  check?: () => void,
): { labels: Int32Array; groups: number; iterations: number } {
  L = Math.min(L, N);
  // --- seeding on a subset: k-means++ (D² sampling), drawing centres in batches of up to 32
  // between distance updates so that the updates are gemm products (an approximation of the
  // sequential rule in the spirit of k-means||)
  const S = Math.min(N, 3 * L);
  const perm = Int32Array.from({ length: N }, (_, i) => i);
  for (let i = 0; i < S; i++) {
    const j = i + Math.floor(rng() * (N - i));
    const t = perm[i]!; perm[i] = perm[j]!; perm[j] = t;
  }
  const Fs = new Float64Array(S * f);
  const sn = new Float64Array(S);
  for (let s = 0; s < S; s++) {
    Fs.set(F.subarray(perm[s]! * f, (perm[s]! + 1) * f), s * f);
    let t = 0;
    for (let p = 0; p < f; p++) t += Fs[s * f + p]! * Fs[s * f + p]!;
    sn[s] = t;
  }
  const C = new Float64Array(L * f);
  seedGreedyKmeansPP(Fs, sn, S, f, L, C, rng, check);
  check?.();
  // --- first assignment of every row by blocked distances (gemm)
  const labels = new Int32Array(N);
  const upper = new Float64Array(N);
  const lower = new Float64Array(N);
  const cn = new Float64Array(L);
  const B = 256;
  const G = new Float64Array(B * L);
  const Fb = new Float64Array(B * f);
  const centreNorms = (): void => {
    for (let c = 0; c < L; c++) {
      let s = 0;
      for (let p = 0; p < f; p++) s += C[c * f + p]! * C[c * f + p]!;
      cn[c] = s;
    }
  };
  /** Nearest and second-nearest centre of the listed rows, by blocked Gram products (gemm). */
  const assignRows = (rows: Int32Array, count: number): number => {
    let changed = 0;
    let cmax = 0;
    for (let c = 0; c < L; c++) if (cn[c]! > cmax) cmax = cn[c]!;
    for (let r0 = 0; r0 < count; r0 += B) {
      const nb = Math.min(B, count - r0);
      for (let r = 0; r < nb; r++) Fb.set(F.subarray(rows[r0 + r]! * f, (rows[r0 + r]! + 1) * f), r * f);
      gemmRaw(false, true, nb, L, f, 1, Fb, f, C, f, 0, G, L);
      for (let r = 0; r < nb; r++) {
        const i = rows[r0 + r]!;
        let xn = 0;
        for (let p = 0; p < f; p++) xn += Fb[r * f + p]! * Fb[r * f + p]!;
        let b1 = Infinity, b2 = Infinity, a = 0;
        for (let c = 0; c < L; c++) {
          const d = xn + cn[c]! - 2 * G[r * L + c]!;
          if (d < b1) { b2 = b1; b1 = d; a = c; } else if (d < b2) b2 = d;
        }
        if (a !== labels[i]) changed++;
        labels[i] = a;
        // the Gram trick's rounding is bounded by a few ε·(‖x‖² + ‖c‖²): keep the lower bound safe
        const slack = 1e-12 * f * (xn + cmax);
        upper[i] = exactDist(i, a);
        lower[i] = Math.sqrt(Math.max(b2 - slack, 0));
      }
    }
    return changed;
  };
  const exactDist = (i: number, c: number): number => {
    let d = 0;
    const io = i * f, co = c * f;
    for (let p = 0; p < f; p++) { const t = F[io + p]! - C[co + p]!; d += t * t; }
    return Math.sqrt(d);
  };
  const all = Int32Array.from({ length: N }, (_, i) => i);
  const need = new Int32Array(N);
  centreNorms();
  labels.fill(-1);
  assignRows(all, N);
  const sums = new Float64Array(L * f);
  const counts = new Int32Array(L);
  const moved = new Float64Array(L);
  const old = new Float64Array(f);
  let iterations = 0;
  for (let it = 0; it < maxIter; it++) {
    iterations = it + 1;
    // update centres
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < N; i++) {
      const a = labels[i]!;
      counts[a]!++;
      for (let p = 0; p < f; p++) sums[a * f + p]! += F[i * f + p]!;
    }
    let maxMove = 0;
    for (let c = 0; c < L; c++) {
      if (counts[c] === 0) { moved[c] = 0; continue; }
      let d = 0;
      for (let p = 0; p < f; p++) {
        old[p] = C[c * f + p]!;
        const v = sums[c * f + p]! / counts[c]!;
        C[c * f + p] = v;
        d += (v - old[p]!) ** 2;
      }
      moved[c] = Math.sqrt(d);
      if (moved[c]! > maxMove) maxMove = moved[c]!;
    }
    // reassign with Hamerly's bounds; rows whose bounds fail are re-scanned together (gemm)
    centreNorms();
    let count = 0;
    for (let i = 0; i < N; i++) {
      upper[i]! += moved[labels[i]!]!;
      lower[i]! -= maxMove;
      if (upper[i]! <= lower[i]!) continue;
      upper[i] = exactDist(i, labels[i]!);
      if (upper[i]! <= lower[i]!) continue;
      need[count++] = i;
    }
    const changed = assignRows(need, count);
    check?.();
    if (changed === 0) break;
  }
  // relabel to non-empty groups
  const map = new Int32Array(L).fill(-1);
  let groups = 0;
  for (let i = 0; i < N; i++) {
    const a = labels[i]!;
    if (map[a] === -1) map[a] = groups++;
  }
  // stable order: by original centre index
  const order = Array.from({ length: L }, (_, c) => c).filter((c) => map[c]! >= 0);
  order.forEach((c, g) => { map[c] = g; });
  for (let i = 0; i < N; i++) labels[i] = map[labels[i]!]!;
  return { labels, groups, iterations };
}

/** The landmark graph of a symmetric kernel K (N×N) for the given group labels (0..G−1). */
export interface LandmarkGraph {
  /** S = M D⁻¹ Mᵀ (G×G, symmetric): the landmark operator is S normalized by rows. */
  readonly affinity: Csr;
  /** Transitions from points to landmarks (N×G, rows sum to 1): Mᵀ normalized by rows. */
  readonly transitions: Csr;
  readonly groups: number;
}

/** Unchecked: builds the landmark affinity and transitions of graphtools' LandmarkGraph. */
export function landmarkGraph(K: Csr, labels: Int32Array, G: number): LandmarkGraph {
  const N = K.rows;
  const nnz = K.indptr[N]!;
  const r = new Int32Array(nnz);
  for (let i = 0; i < N; i++) r.fill(labels[i]!, K.indptr[i]!, K.indptr[i + 1]!);
  // M[a, j] = Σ_{i ∈ a} K[i, j]  (G×N)
  const M = csrFromCoo(G, N, r, K.indices, K.values, nnz);
  const Mt = csrTranspose(M); // N×G: row j lists the groups touching column j
  const deg = new Float64Array(N);
  for (let j = 0; j < N; j++) {
    let s = 0;
    for (let e = Mt.indptr[j]!; e < Mt.indptr[j + 1]!; e++) s += Mt.values[e]!;
    deg[j] = s;
  }
  // S = M D⁻¹ Mᵀ by Gustavson's row-by-row product with a dense accumulator
  const acc = new Float64Array(G);
  const mark = new Int32Array(G).fill(-1);
  const cols: number[] = [];
  const indptr = new Int32Array(G + 1);
  let outIdx: number[] = [];
  let outVal: number[] = [];
  const idxParts: Int32Array[] = [];
  const valParts: Float64Array[] = [];
  let total = 0;
  for (let a = 0; a < G; a++) {
    cols.length = 0;
    for (let e = M.indptr[a]!; e < M.indptr[a + 1]!; e++) {
      const j = M.indices[e]!;
      const w = M.values[e]! / deg[j]!;
      for (let q = Mt.indptr[j]!; q < Mt.indptr[j + 1]!; q++) {
        const b = Mt.indices[q]!;
        if (mark[b] !== a) { mark[b] = a; acc[b] = 0; cols.push(b); }
        acc[b]! += w * Mt.values[q]!;
      }
    }
    for (const b of cols) { outIdx.push(b); outVal.push(acc[b]!); }
    total += cols.length;
    indptr[a + 1] = total;
    if (outIdx.length > 1 << 20) {
      idxParts.push(Int32Array.from(outIdx)); valParts.push(Float64Array.from(outVal));
      outIdx = []; outVal = [];
    }
  }
  idxParts.push(Int32Array.from(outIdx)); valParts.push(Float64Array.from(outVal));
  const indices = new Int32Array(total);
  const values = new Float64Array(total);
  let off = 0;
  for (let p = 0; p < idxParts.length; p++) {
    indices.set(idxParts[p]!, off); values.set(valParts[p]!, off); off += idxParts[p]!.length;
  }
  const S: Csr = { rows: G, cols: G, indptr, indices, values };
  return { affinity: S, transitions: csrRowNormalize(Mt), groups: G };
}

/**
 * Greedy k-means++ (Arthur & Vassilvitskii 2007, with scikit-learn's local trials) of the S rows of
 * Fs (squared norms sn) into L centres written to C. Candidate distances come from one gemm per centre.
 */
function seedGreedyKmeansPP(
  Fs: Float64Array, sn: Float64Array, S: number, f: number, L: number, C: Float64Array,
  rng: () => number, check?: () => void,
): void {
  const trials = 2 + Math.floor(Math.log(L));
  const minD = new Float64Array(S);
  const cum = new Float64Array(S);
  const cand = new Int32Array(trials);
  const Cc = new Float64Array(trials * f);
  const Gc = new Float64Array(S * trials);
  const dist = (s: number, c2: number, g: number): number => { const v = sn[s]! + c2 - 2 * g; return v > 0 ? v : 0; };
  // first centre uniformly; its distances
  const first = Math.floor(rng() * S);
  C.set(Fs.subarray(first * f, (first + 1) * f), 0);
  gemmRaw(false, true, S, 1, f, 1, Fs, f, C.subarray(0, f), f, 0, Gc, 1);
  for (let s = 0; s < S; s++) minD[s] = dist(s, sn[first]!, Gc[s]!);
  minD[first] = 0;
  let last = Date.now();
  for (let nc = 1; nc < L; nc++) {
    let total = 0;
    for (let s = 0; s < S; s++) { total += minD[s]!; cum[s] = total; }
    for (let q = 0; q < trials; q++) {
      let pick: number;
      if (total > 0) {
        const r = rng() * total;
        let lo = 0, hi = S - 1;
        while (lo < hi) { const mid = (lo + hi) >> 1; if (cum[mid]! > r) hi = mid; else lo = mid + 1; }
        pick = lo;
      } else {
        pick = Math.floor(rng() * S); // every row already coincides with a centre
      }
      cand[q] = pick;
      Cc.set(Fs.subarray(pick * f, (pick + 1) * f), q * f);
    }
    gemmRaw(false, true, S, trials, f, 1, Fs, f, Cc, f, 0, Gc, trials);
    let best = 0, bestPot = Infinity;
    for (let q = 0; q < trials; q++) {
      const c2 = sn[cand[q]!]!;
      let pot = 0;
      for (let s = 0; s < S; s++) { const d = dist(s, c2, Gc[s * trials + q]!); pot += d < minD[s]! ? d : minD[s]!; }
      if (pot < bestPot) { bestPot = pot; best = q; }
    }
    const c2 = sn[cand[best]!]!;
    for (let s = 0; s < S; s++) { const d = dist(s, c2, Gc[s * trials + best]!); if (d < minD[s]!) minD[s] = d; }
    minD[cand[best]!] = 0;
    C.set(Cc.subarray(best * f, (best + 1) * f), nc * f);
    const now = Date.now();
    if (check && now - last >= 100) { last = now; check(); }
  }
}
