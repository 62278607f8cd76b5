/**
 * Partial spectra of large symmetric operators given only as products, built on the core dense
 * solver (`symmetricEigenRaw`) and Householder QR:
 *
 * - a few extreme eigenpairs by block subspace iteration with Rayleigh–Ritz projection
 *   (Rutishauser's method; the randomized range finder of Halko, Martinsson & Tropp 2011 is its
 *   first step), used for classical MDS, landmark spectral features and PCA initialisation;
 * - spectral sums Σ f(λ_i) by stochastic Lanczos quadrature (Ubaru, Chen & Saad 2017), used for the
 *   von Neumann entropy of large diffusion operators.
 */
import { gemmRaw } from '../../core/gemm.js';
import { householderFormQColMajor, householderQrColMajor } from '../../core/linalg/householder.js';
import { symmetricEigenRaw } from '../../core/linalg/symmetric-eigen.js';
import { choleskyInPlace } from '../cholesky.js';

/** out (m×b, row-major) = A · X (m×b, row-major) for a symmetric m×m operator A. */
export type BlockApply = (X: Float64Array, b: number, out: Float64Array) => void;

/** Orthonormal basis of the columns of the row-major m×b matrix W (b ≤ m), written into Q (row-major). */
export function orthonormalize(W: Float64Array, m: number, b: number, Q: Float64Array): void {
  const a = new Float64Array(m * b);
  for (let i = 0; i < m; i++) for (let j = 0; j < b; j++) a[j * m + i] = W[i * b + j];
  const tau = new Float64Array(b);
  householderQrColMajor(m, b, a, tau);
  const q = new Float64Array(m * b);
  householderFormQColMajor(m, b, a, tau, q);
  for (let i = 0; i < m; i++) for (let j = 0; j < b; j++) Q[i * b + j] = q[j * m + i];
}

/** Scratch of {@link orthonormalizeTall} for an m×b block (kept by callers that repeat it). */
export interface TallScratch { readonly G: Float64Array; readonly Q1: Float64Array }

/** Scratch for {@link orthonormalizeTall} of m×b blocks. */
export function tallScratch(m: number, b: number): TallScratch {
  return { G: new Float64Array(b * b), Q1: new Float64Array(m * b) };
}

/**
 * Q (row-major m×b) ← W·L⁻ᵀ with L·Lᵀ = WᵀW (one CholeskyQR pass: two gemms, a b×b Cholesky from
 * ../cholesky.ts and a triangular inverse). False, leaving Q unspecified, when a pivot L_jj² is
 * below 1e-12 of the largest diagonal entry of WᵀW (cond(W) beyond ~10⁶, where one pass would lose
 * orthogonality that a second could not restore). `G` is b×b scratch; W and Q must not overlap.
 */
function choleskyQrPass(W: Float64Array, m: number, b: number, Q: Float64Array, G: Float64Array): boolean {
  gemmRaw(true, false, b, b, m, 1, W, b, W, b, 0, G, b);
  let maxDiag = 0;
  for (let j = 0; j < b; j++) if (G[j * b + j] > maxDiag) maxDiag = G[j * b + j];
  if (!(maxDiag > 0) || !Number.isFinite(maxDiag) || !choleskyInPlace(G, b)) return false;
  for (let j = 0; j < b; j++) if (!(G[j * b + j] * G[j * b + j] > 1e-12 * maxDiag)) return false;
  // the strict upper triangle (still WᵀW's) ← zero, then the lower triangle ← L⁻¹ in place, row by row
  for (let i = 0; i < b; i++) G.fill(0, i * b + i + 1, (i + 1) * b);
  for (let i = 0; i < b; i++) {
    const ri = i * b;
    const inv = 1 / G[ri + i];
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let p = j; p < i; p++) s += G[ri + p] * G[p * b + j];
      G[ri + j] = -s * inv;
    }
    G[ri + i] = inv;
  }
  gemmRaw(false, true, m, b, b, 1, W, b, G, b, 0, Q, b); // Q = W·(L⁻¹)ᵀ
  return true;
}

/**
 * An orthonormal basis of the columns of the well-conditioned tall block W (m×b, row-major) into Q,
 * by CholeskyQR2 (Yamamoto et al. 2015: two CholeskyQR passes, orthogonal to working precision for
 * cond(W) up to ~10⁶, all of its work in gemm), falling back to Householder ({@link orthonormalize})
 * beyond. W is left unchanged. `scratch` (from {@link tallScratch}) saves the allocations in a loop.
 */
export function orthonormalizeTall(W: Float64Array, m: number, b: number, Q: Float64Array, scratch: TallScratch = tallScratch(m, b)): void {
  const { G, Q1 } = scratch;
  if (choleskyQrPass(W, m, b, Q1, G) && choleskyQrPass(Q1, m, b, Q, G)) return;
  orthonormalize(W, m, b, Q);
}

/** Options of {@link topEigenpairs}. */
export interface TopEigenOptions {
  /** Extra block columns beyond k (default 10). */
  oversample?: number;
  /** Iterations at most (default 100). */
  maxIter?: number;
  /** Stop when the selected Ritz values move less than tol·max|θ| (default 1e-10). */
  tol?: number;
  /** `'algebraic'`: the k largest eigenvalues; `'magnitude'`: the k largest |λ| (default). */
  which?: 'algebraic' | 'magnitude';
  /** Use the dense solver when m is at most this (default 200). */
  denseBelow?: number;
}

/**
 * The k leading eigenpairs of a symmetric m×m operator: values (in the order selected) and the
 * row-major m×k matrix of unit eigenvectors (column j pairs with values[j]).
 */
export function topEigenpairs(
  apply: BlockApply, m: number, k: number, rng: () => number, opts: TopEigenOptions = {},
): { values: Float64Array; vectors: Float64Array; iterations: number } {
  const which = opts.which ?? 'magnitude';
  const denseBelow = opts.denseBelow ?? 200;
  k = Math.min(k, m);
  if (m <= denseBelow) {
    const I = new Float64Array(m * m);
    for (let i = 0; i < m; i++) I[i * m + i] = 1;
    const A = new Float64Array(m * m);
    apply(I, m, A);
    for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) {
      const v = 0.5 * (A[i * m + j] + A[j * m + i]);
      A[i * m + j] = v; A[j * m + i] = v;
    }
    const vals = new Float64Array(m);
    const vecs = new Float64Array(m * m);
    symmetricEigenRaw(m, A, vals, vecs);
    const sel = select(vals, k, which);
    const values = new Float64Array(k);
    const vectors = new Float64Array(m * k);
    for (let j = 0; j < k; j++) {
      values[j] = vals[sel[j]];
      for (let i = 0; i < m; i++) vectors[i * k + j] = vecs[i * m + sel[j]];
    }
    return { values, vectors, iterations: 0 };
  }
  const b = Math.min(m, k + (opts.oversample ?? 10));
  const maxIter = opts.maxIter ?? 100;
  const tol = opts.tol ?? 1e-10;
  const Q = new Float64Array(m * b);
  const W = new Float64Array(m * b);
  for (let e = 0; e < m * b; e++) W[e] = gaussian(rng);
  orthonormalize(W, m, b, Q);
  const T = new Float64Array(b * b);
  const theta = new Float64Array(b);
  const S = new Float64Array(b * b);
  let prev: Float64Array | undefined;
  for (let it = 1; ; it++) {
    apply(Q, b, W);
    gemmRaw(true, false, b, b, m, 1, Q, b, W, b, 0, T, b);
    for (let i = 0; i < b; i++) for (let j = i + 1; j < b; j++) {
      const v = 0.5 * (T[i * b + j] + T[j * b + i]);
      T[i * b + j] = v; T[j * b + i] = v;
    }
    symmetricEigenRaw(b, T, theta, S);
    const sel = select(theta, k, which);
    const cur = Float64Array.from(sel, (s) => theta[s]);
    let scale = 0;
    for (const v of theta) scale = Math.max(scale, Math.abs(v));
    let moved = Infinity;
    if (prev) {
      moved = 0;
      for (let j = 0; j < k; j++) moved = Math.max(moved, Math.abs(cur[j] - prev[j]));
    }
    if (moved <= tol * scale || it >= maxIter) {
      const Ssel = new Float64Array(b * k);
      for (let i = 0; i < b; i++) for (let j = 0; j < k; j++) Ssel[i * k + j] = S[i * b + sel[j]];
      const vectors = new Float64Array(m * k);
      gemmRaw(false, false, m, k, b, 1, Q, b, Ssel, k, 0, vectors, k);
      return { values: cur, vectors, iterations: it };
    }
    prev = cur;
    orthonormalize(W, m, b, Q);
  }
}

/**
 * The k leading singular values and right singular vectors of a symmetric m×m operator M, computed
 * as scikit-learn's `randomized_svd(M, k, n_oversamples=10, n_iter)` computes them (Halko,
 * Martinsson & Tropp 2011, Algorithm 4.4 with a final projection): Q spans M^(2·nIter+1)·Ω for a
 * Gaussian m×(k+10) block Ω (re-normalized after every product; scikit-learn uses LU there and QR
 * here, the same span); B = QᵀM; the SVD of B gives M's approximate singular triplets, B's right
 * singular vectors (in span M^(2·nIter+2)·Ω) being the ones returned. The SVD of B comes from the
 * eigen-decomposition of B·Bᵀ = (MQ)ᵀ(MQ): V = MQ·Û·Σ⁻¹. `vectors` is row-major m×k. Singular
 * vectors of a symmetric operator are its eigenvectors for the eigenvalues of largest magnitude.
 */
export function randomizedSvdSymmetric(
  apply: BlockApply, m: number, k: number, rng: () => number, nIter: number,
): { values: Float64Array; vectors: Float64Array } {
  k = Math.min(k, m);
  const b = Math.min(m, k + 10);
  const Q = new Float64Array(m * b);
  const W = new Float64Array(m * b);
  for (let e = 0; e < m * b; e++) W[e] = gaussian(rng);
  Q.set(W);
  const scratch = tallScratch(m, b);
  for (let it = 0; it < 2 * nIter + 1; it++) {
    apply(Q, b, W);
    orthonormalizeTall(W, m, b, Q, scratch);
  }
  apply(Q, b, W); // W = M·Q = Bᵀ
  const G = new Float64Array(b * b);
  gemmRaw(true, false, b, b, m, 1, W, b, W, b, 0, G, b);
  for (let i = 0; i < b; i++) for (let j = i + 1; j < b; j++) {
    const v = 0.5 * (G[i * b + j] + G[j * b + i]);
    G[i * b + j] = v; G[j * b + i] = v;
  }
  const ev = new Float64Array(b);
  const U = new Float64Array(b * b);
  symmetricEigenRaw(b, G, ev, U); // descending: σ_j² and Û
  const values = new Float64Array(k);
  const Us = new Float64Array(b * k);
  for (let j = 0; j < k; j++) {
    const sv = Math.sqrt(Math.max(ev[j], 0));
    values[j] = sv;
    const inv = sv > 0 ? 1 / sv : 0;
    for (let i = 0; i < b; i++) Us[i * k + j] = U[i * b + j] * inv;
  }
  const vectors = new Float64Array(m * k);
  gemmRaw(false, false, m, k, b, 1, W, b, Us, k, 0, vectors, k);
  return { values, vectors };
}

function select(values: Float64Array, k: number, which: 'algebraic' | 'magnitude'): Int32Array {
  const idx = Array.from(values, (_, i) => i);
  if (which === 'magnitude') idx.sort((a, b) => Math.abs(values[b]) - Math.abs(values[a]) || a - b);
  // values come sorted descending from the dense solver: algebraic order is the index order
  return Int32Array.from(idx.slice(0, k));
}

function gaussian(rng: () => number): number {
  let u = rng();
  while (u <= 0) u = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/**
 * Nodes and weights of stochastic Lanczos quadrature: for `probes` random sign vectors, `steps`
 * Lanczos steps (with full reorthogonalization) give a Gauss rule; Σ_i f(λ_i) ≈ Σ_q w_q f(θ_q).
 * The weights already carry the factor m / probes. All probes advance together, so the operator is
 * applied to an m×probes block per step.
 */
export function lanczosQuadrature(
  apply: BlockApply, m: number, rng: () => number, probes: number, steps: number,
): { nodes: Float64Array; weights: Float64Array } {
  const K = Math.min(steps, m);
  const P = probes;
  // V[p][j] = j-th Lanczos vector of probe p, stored at ((p*K + j) * m)
  const V = new Float64Array(P * K * m);
  const X = new Float64Array(m * P);
  const Wb = new Float64Array(m * P);
  const w = new Float64Array(m);
  const alpha = new Float64Array(P * K);
  const beta = new Float64Array(P * K);
  const len = new Int32Array(P).fill(K);
  const active = new Uint8Array(P).fill(1);
  const inv = 1 / Math.sqrt(m);
  for (let p = 0; p < P; p++) for (let i = 0; i < m; i++) V[p * K * m + i] = rng() < 0.5 ? -inv : inv;
  for (let j = 0; j < K; j++) {
    for (let p = 0; p < P; p++) {
      const o = (p * K + j) * m;
      for (let i = 0; i < m; i++) X[i * P + p] = active[p] ? V[o + i] : 0;
    }
    apply(X, P, Wb);
    for (let p = 0; p < P; p++) {
      if (!active[p]) continue;
      const vj = V.subarray((p * K + j) * m, (p * K + j + 1) * m);
      for (let i = 0; i < m; i++) w[i] = Wb[i * P + p];
      let a = 0;
      for (let i = 0; i < m; i++) a += w[i] * vj[i];
      alpha[p * K + j] = a;
      // full reorthogonalization against this probe's basis (twice is enough)
      for (let pass = 0; pass < 2; pass++) {
        for (let l = 0; l <= j; l++) {
          const vl = V.subarray((p * K + l) * m, (p * K + l + 1) * m);
          let c = 0;
          for (let i = 0; i < m; i++) c += w[i] * vl[i];
          for (let i = 0; i < m; i++) w[i] -= c * vl[i];
        }
      }
      if (j === K - 1) continue;
      let nb = 0;
      for (let i = 0; i < m; i++) nb += w[i] * w[i];
      nb = Math.sqrt(nb);
      if (nb <= 1e-12 * Math.max(1, Math.abs(a))) {
        len[p] = j + 1; // invariant subspace: the rule is exact
        active[p] = 0;
        continue;
      }
      beta[p * K + j + 1] = nb;
      const vn = V.subarray((p * K + j + 1) * m, (p * K + j + 2) * m);
      for (let i = 0; i < m; i++) vn[i] = w[i] / nb;
    }
  }
  const nodes: number[] = [];
  const weights: number[] = [];
  for (let p = 0; p < P; p++) {
    const k = len[p];
    const T = new Float64Array(k * k);
    for (let j = 0; j < k; j++) {
      T[j * k + j] = alpha[p * K + j];
      if (j + 1 < k) {
        T[j * k + j + 1] = beta[p * K + j + 1];
        T[(j + 1) * k + j] = beta[p * K + j + 1];
      }
    }
    const th = new Float64Array(k);
    const S = new Float64Array(k * k);
    symmetricEigenRaw(k, T, th, S);
    for (let q = 0; q < k; q++) {
      nodes.push(th[q]);
      weights.push(S[q] * S[q] * (m / P));
    }
  }
  return { nodes: Float64Array.from(nodes), weights: Float64Array.from(weights) };
}
