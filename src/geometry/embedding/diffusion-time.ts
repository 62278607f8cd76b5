/**
 * PHATE's automatic diffusion time. PHATE (`phate/vne.py`) takes the von Neumann entropy from the
 * singular values σ_i of the row-stochastic diffusion operator P = D⁻¹W (W symmetric), not from the
 * eigenvalues of the symmetric conjugate D^-½WD^-½: for t = 0..tMax−1 (PHATE's x axis) the curve is
 * H = −Σ p_i log p_i with p_i = σ_i^{t+1} / Σ_j σ_j^{t+1} + ε (ε the float64 machine epsilon, as
 * PHATE adds it), and t is the knee of that curve.
 *
 * The σ_i are the square roots of the eigenvalues of the symmetric matrix P·Pᵀ = D⁻¹W²D⁻¹: exactly
 * (dense eigenvalues) up to `exactMax` nodes, by deflated stochastic Lanczos quadrature on P·Pᵀ
 * beyond (see diffusionEntropy). The quadrature approximates the curve, so its knee can move; it
 * exists only for operators too large to decompose.
 */
import { gemmRaw } from '../../core/gemm.js';
import { symmetricEigenRaw } from '../../core/linalg/symmetric-eigen.js';
import { lanczosQuadrature, topEigenpairs } from './eigs.js';
import { vonNeumannEntropyFromQuadrature } from './entropy.js';
import { csrRowSums, csrTimesDense, csrToDense, type Csr } from './sparse.js';

const EPS = 2.220446049250313e-16;

/**
 * The entropy curve of PHATE's `compute_von_neumann_entropy` from singular values: entry t − 1 is the
 * entropy of the normalized σᵗ, each probability raised by ε as PHATE does. Computed in log space
 * (PHATE's repeated products underflow to 0 where ours reach a tiny positive number; both then give
 * p_i = ε to machine precision).
 */
export function singularValueEntropy(sigma: ArrayLike<number>, tMax: number): Float64Array {
  const m = sigma.length;
  const logs = new Float64Array(m);
  let maxLog = -Infinity;
  for (let i = 0; i < m; i++) {
    const s = sigma[i];
    logs[i] = s > 0 ? Math.log(s) : -Infinity;
    if (logs[i] > maxLog) maxLog = logs[i];
  }
  const H = new Float64Array(tMax);
  if (maxLog === -Infinity) return H;
  for (let t = 1; t <= tMax; t++) {
    let Z = 0;
    for (let i = 0; i < m; i++) Z += Math.exp(t * (logs[i] - maxLog));
    let h = 0;
    for (let i = 0; i < m; i++) {
      const p = Math.exp(t * (logs[i] - maxLog)) / Z + EPS;
      h -= p * Math.log(p);
    }
    H[t - 1] = h;
  }
  return H;
}

/** Singular values of P = D⁻¹W (descending), from the exact eigenvalues of D⁻¹W²D⁻¹. */
export function diffusionSingularValues(W: Csr): Float64Array {
  const m = W.rows;
  const deg = csrRowSums(W);
  const Wd = csrToDense(W);
  const G = new Float64Array(m * m);
  const nnz = W.indptr[m];
  // W² = W·W: sparse times dense when W is sparse, gemm when it is (nearly) dense
  if (nnz * 3 < m * m) csrTimesDense(W, Wd, m, G);
  else gemmRaw(false, false, m, m, m, 1, Wd, m, Wd, m, 0, G, m);
  for (let i = 0; i < m; i++) {
    const di = deg[i] > 0 ? 1 / deg[i] : 0;
    for (let j = 0; j < m; j++) {
      const dj = deg[j] > 0 ? 1 / deg[j] : 0;
      G[i * m + j] = G[i * m + j] * di * dj;
    }
  }
  const values = new Float64Array(m);
  symmetricEigenRaw(m, G, values, null, Wd.length >= m * m + 2 * m ? Wd : undefined);
  for (let i = 0; i < m; i++) values[i] = Math.sqrt(Math.max(values[i], 0));
  return values;
}

/**
 * The entropy curve H(t), t = 1..tMax, of the diffusion operator D⁻¹W. Exact up to `exactMax` nodes;
 * beyond, deflated stochastic Lanczos quadrature of A = P·Pᵀ (σ = √λ): the `deflate` largest
 * eigenvalues of A by block subspace iteration (at most 40 iterations: the deflation needs an
 * approximately invariant subspace, not converged vectors), which carry the curve at large t, enter exactly, and
 * the rest of the spectrum comes from Lanczos quadrature (`probes` probe vectors, `steps` steps) of A
 * with that eigenspace projected out, (I − VVᵀ)·A·(I − VVᵀ), whose extra zero eigenvalues add
 * nothing to Σσᵗ for t ≥ 1. Plain quadrature of all of A left the variance of the few dominant terms
 * in the curve (on the 2000-node tutorial tree its knee fell anywhere in 40–48 over seeds where the
 * exact one is 44).
 */
export function diffusionEntropy(
  W: Csr, tMax: number, exactMax: number, rng: () => number, probes = 32, steps = 80, deflate = 64,
): Float64Array {
  const m = W.rows;
  if (m <= exactMax) return singularValueEntropy(diffusionSingularValues(W), tMax);
  const deg = csrRowSums(W);
  const inv = deg.map((v) => (v > 0 ? 1 / v : 0));
  let tmp = new Float64Array(0), mid = new Float64Array(0);
  const apply = (X: Float64Array, b: number, out: Float64Array): void => {
    if (tmp.length < m * b) { tmp = new Float64Array(m * b); mid = new Float64Array(m * b); }
    for (let i = 0; i < m; i++) for (let q = 0; q < b; q++) tmp[i * b + q] = X[i * b + q] * inv[i];
    csrTimesDense(W, tmp.subarray(0, m * b), b, mid.subarray(0, m * b));
    csrTimesDense(W, mid.subarray(0, m * b), b, out);
    for (let i = 0; i < m; i++) for (let q = 0; q < b; q++) out[i * b + q] *= inv[i];
  };
  const r = Math.min(deflate, Math.floor(m / 4));
  const top = r > 0 ? topEigenpairs(apply, m, r, rng, { which: 'algebraic', tol: 1e-8, maxIter: 40 }) : undefined;
  const V = top?.vectors; // m×r, orthonormal columns
  let c = new Float64Array(0);
  const project = (X: Float64Array, b: number): void => {
    // X ← (I − VVᵀ)·X for the row-major m×b block X
    if (V === undefined) return;
    if (c.length < r * b) c = new Float64Array(r * b);
    gemmRaw(true, false, r, b, m, 1, V, r, X, b, 0, c, b);
    gemmRaw(false, false, m, b, r, -1, V, r, c, b, 1, X, b);
  };
  let xin = new Float64Array(0);
  const quad = lanczosQuadrature(
    (X, b, out) => {
      if (xin.length < m * b) xin = new Float64Array(m * b);
      const xv = xin.subarray(0, m * b);
      xv.set(X.subarray(0, m * b));
      project(xv, b);
      apply(xv, b, out);
      project(out, b);
    },
    m, rng, probes, steps,
  );
  const k = top ? top.values.length : 0;
  const nodes = new Float64Array(k + quad.nodes.length);
  const weights = new Float64Array(k + quad.nodes.length);
  for (let j = 0; j < k; j++) { nodes[j] = Math.sqrt(Math.max(top!.values[j], 0)); weights[j] = 1; }
  for (let q = 0; q < quad.nodes.length; q++) {
    nodes[k + q] = Math.sqrt(Math.max(quad.nodes[q], 0));
    weights[k + q] = Math.max(quad.weights[q], 0);
  }
  return vonNeumannEntropyFromQuadrature(nodes, weights, tMax);
}
