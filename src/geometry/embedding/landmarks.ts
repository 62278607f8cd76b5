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
import { randomizedSvdSymmetric } from './eigs.js';
import { miniBatchKmeansRaw } from './kmeans.js';
import { csrFromCoo, csrRowNormalize, csrRowSums, csrTimesDense, csrTimesDenseUnrolled, csrTranspose, type Csr } from './sparse.js';

/**
 * Unchecked: graphtools' spectral clustering of the nodes of the symmetric kernel K into at most L
 * groups. The features are P·V, V the nSvd leading right singular vectors of D^{-1/2} K D^{-1/2}
 * as graphtools takes them from scikit-learn's randomized_svd (nSvd + 10 columns, 7 power
 * iterations, the final projection B = QᵀM and B's SVD: 16 products with the operator; see
 * randomizedSvdSymmetric), then mini-batch k-means (./kmeans.ts). The last two products matter:
 * the trailing vectors are far from converged, and stopping the iteration earlier (as a Rayleigh–
 * Ritz step on the 15th product's span would) changes the partition's statistics (t at n = 20 000).
 */
export function landmarkClusters(
  K: Csr, L: number, nSvd: number, rng: () => number, check?: () => void,
): { labels: Int32Array; groups: number } {
  const n = K.rows;
  const deg = csrRowSums(K);
  const isd = deg.map((v) => (v > 0 ? 1 / Math.sqrt(v) : 0));
  const k = Math.min(nSvd, n - 1);
  let tmp = new Float64Array(0);
  const vectors = randomizedSvdSymmetric(
    (X, b, out) => {
      if (tmp.length < n * b) tmp = new Float64Array(n * b);
      for (let i = 0; i < n; i++) for (let q = 0; q < b; q++) tmp[i * b + q] = X[i * b + q] * isd[i];
      csrTimesDenseUnrolled(K, tmp, b, out); // four nonzeros a pass: 2× the plain loop at 110 columns
      for (let i = 0; i < n; i++) for (let q = 0; q < b; q++) out[i * b + q] *= isd[i];
      check?.();
    },
    n, k, rng, randomizedSvdIterations(k, n),
  ).vectors;
  const F = csrTimesDense(csrRowNormalize(K), vectors, k, new Float64Array(n * k));
  const km = miniBatchKmeansRaw(F, n, k, L, rng, {}, check);
  return { labels: km.labels, groups: km.groups };
}

/** scikit-learn's randomized_svd power iterations (n_iter 'auto': 7, or 4 when k ≥ 0.1·n). */
function randomizedSvdIterations(k: number, n: number): number {
  return k < 0.1 * n ? 7 : 4;
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
  const nnz = K.indptr[N];
  const r = new Int32Array(nnz);
  for (let i = 0; i < N; i++) r.fill(labels[i], K.indptr[i], K.indptr[i + 1]);
  // M[a, j] = Σ_{i ∈ a} K[i, j]  (G×N)
  const M = csrFromCoo(G, N, r, K.indices, K.values, nnz);
  const Mt = csrTranspose(M); // N×G: row j lists the groups touching column j
  const deg = new Float64Array(N);
  for (let j = 0; j < N; j++) {
    let s = 0;
    for (let e = Mt.indptr[j]; e < Mt.indptr[j + 1]; e++) s += Mt.values[e];
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
    for (let e = M.indptr[a]; e < M.indptr[a + 1]; e++) {
      const j = M.indices[e];
      const w = M.values[e] / deg[j];
      for (let q = Mt.indptr[j]; q < Mt.indptr[j + 1]; q++) {
        const b = Mt.indices[q];
        if (mark[b] !== a) { mark[b] = a; acc[b] = 0; cols.push(b); }
        acc[b] += w * Mt.values[q];
      }
    }
    for (const b of cols) { outIdx.push(b); outVal.push(acc[b]); }
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
    indices.set(idxParts[p], off); values.set(valParts[p], off); off += idxParts[p].length;
  }
  const S: Csr = { rows: G, cols: G, indptr, indices, values };
  return { affinity: S, transitions: csrRowNormalize(Mt), groups: G };
}
