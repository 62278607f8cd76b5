import { describe, expect, it } from 'vitest';
import { lanczosQuadrature, orthonormalizeTall, randomizedSvdSymmetric, topEigenpairs } from '../../../src/geometry/embedding/eigs.js';
import { vonNeumannEntropy, vonNeumannEntropyFromQuadrature } from '../../../src/geometry/embedding/entropy.js';
import { gemmRaw } from '../../../src/core/gemm.js';
import { symmetricEigen } from '../../../src/core/linalg/symmetric-eigen.js';
import { createRng } from '../../../src/core/rng.js';

function randomSymmetric(m: number, seed: number): Float64Array {
  // A = Q diag(λ) Qᵀ with λ_i = 0.8^i·(±1): a decaying spectrum with both signs
  const rng = createRng(seed);
  const G = Float64Array.from({ length: m * m }, () => rng.normal());
  const { vectors } = symmetricEigen({ rows: m, cols: m, data: G.map((_, e) => G[e]! + G[(e % m) * m + Math.floor(e / m)]!) });
  const Q = vectors.data;
  const A = new Float64Array(m * m);
  for (let k = 0; k < m; k++) {
    const l = 0.8 ** k * (k % 3 === 2 ? -1 : 1);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) A[i * m + j]! += l * Q[i * m + k]! * Q[j * m + k]!;
  }
  return A;
}

describe('topEigenpairs', () => {
  it('matches the dense solver on a 300×300 operator (subspace iteration path)', () => {
    const m = 300;
    const A = randomSymmetric(m, 1);
    const apply = (X: Float64Array, b: number, out: Float64Array): void => gemmRaw(false, false, m, b, m, 1, A, m, X, b, 0, out, b);
    const ref = symmetricEigen({ rows: m, cols: m, data: A });
    for (const which of ['algebraic', 'magnitude'] as const) {
      const { values, vectors } = topEigenpairs(apply, m, 4, createRng(2), { which, tol: 1e-13, maxIter: 500 });
      // reference selection
      const order = Array.from({ length: m }, (_, i) => i);
      if (which === 'magnitude') order.sort((a, b) => Math.abs(ref.values[b]!) - Math.abs(ref.values[a]!));
      for (let j = 0; j < 4; j++) {
        const r = order[j]!;
        expect(Math.abs(values[j]! - ref.values[r]!)).toBeLessThanOrEqual(1e-10);
        let dot = 0;
        for (let i = 0; i < m; i++) dot += vectors[i * 4 + j]! * ref.vectors.data[i * m + r]!;
        expect(Math.abs(Math.abs(dot) - 1)).toBeLessThanOrEqual(1e-8);
      }
    }
  });
});

describe('orthonormalizeTall (CholeskyQR2, Householder beyond its range)', () => {
  // W = U·diag(s)·Vᵀ with orthonormal U (m×b), V (b×b): cond(W) = s_max / s_min, chosen
  function block(m: number, b: number, cond: number, seed: number): Float64Array {
    const rng = createRng(seed);
    const U = new Float64Array(m * b), A = Float64Array.from({ length: m * b }, () => rng.normal());
    orthonormalizeTall(A, m, b, U); // a well-conditioned Gaussian block: the CholeskyQR2 path
    const W = new Float64Array(m * b);
    for (let i = 0; i < m; i++) for (let j = 0; j < b; j++) W[i * b + j] = U[i * b + j]! * cond ** (-j / (b - 1));
    return W;
  }
  for (const cond of [1, 1e3, 1e5, 1e9, 1e14]) {
    it(`returns an orthonormal basis of the same span at cond(W) = ${cond}`, () => {
      const m = 400, b = 12;
      const W = block(m, b, cond, 7);
      const Wc = W.slice();
      const Q = new Float64Array(m * b);
      orthonormalizeTall(W, m, b, Q);
      expect(Array.from(W)).toEqual(Array.from(Wc));
      const G = new Float64Array(b * b);
      gemmRaw(true, false, b, b, m, 1, Q, b, Q, b, 0, G, b);
      for (let i = 0; i < b; i++) for (let j = 0; j < b; j++) expect(Math.abs(G[i * b + j]! - (i === j ? 1 : 0))).toBeLessThanOrEqual(50 * m * 2 ** -52);
      // W = Q·(QᵀW): the residual relative to ‖W‖
      const C = new Float64Array(b * b), Rw = new Float64Array(m * b);
      gemmRaw(true, false, b, b, m, 1, Q, b, W, b, 0, C, b);
      gemmRaw(false, false, m, b, b, 1, Q, b, C, b, 0, Rw, b);
      let res = 0, nrm = 0;
      for (let e = 0; e < m * b; e++) { res = Math.max(res, Math.abs(Rw[e]! - W[e]!)); nrm = Math.max(nrm, Math.abs(W[e]!)); }
      expect(res).toBeLessThanOrEqual(1e-12 * nrm);
    });
  }
});

describe('randomizedSvdSymmetric (scikit-learn\'s randomized_svd on a symmetric operator)', () => {
  const m = 300;
  const A = randomSymmetric(m, 3);
  const apply = (X: Float64Array, b: number, out: Float64Array): void => gemmRaw(false, false, m, b, m, 1, A, m, X, b, 0, out, b);
  const ref = symmetricEigen({ rows: m, cols: m, data: A });
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => Math.abs(ref.values[b]!) - Math.abs(ref.values[a]!));

  it('gives the leading singular values (|λ|) and vectors where the block has converged', () => {
    // block k + 10 = 14: the error decays like (|λ_15| / |λ_j|)^16 = 0.8^(16·(14−j)), below 1e-12 for j < 4
    const { values, vectors } = randomizedSvdSymmetric(apply, m, 4, createRng(5), 7);
    for (let j = 0; j < 4; j++) {
      const r = order[j]!;
      expect(Math.abs(values[j]! - Math.abs(ref.values[r]!))).toBeLessThanOrEqual(1e-12);
      let dot = 0;
      for (let i = 0; i < m; i++) dot += vectors[i * 4 + j]! * ref.vectors.data[i * m + r]!;
      expect(Math.abs(Math.abs(dot) - 1)).toBeLessThanOrEqual(1e-10);
    }
  });

  it('returns orthonormal vectors and descending values below convergence too (one power iteration, 30 of 300)', () => {
    const k = 30;
    const { values, vectors } = randomizedSvdSymmetric(apply, m, k, createRng(6), 1);
    for (let j = 1; j < k; j++) expect(values[j]!).toBeLessThanOrEqual(values[j - 1]!);
    // Ritz-type values never exceed the true singular values of the same rank
    for (let j = 0; j < k; j++) expect(values[j]!).toBeLessThanOrEqual(Math.abs(ref.values[order[j]!]!) * (1 + 1e-12));
    const G = new Float64Array(k * k);
    gemmRaw(true, false, k, k, m, 1, vectors, k, vectors, k, 0, G, k);
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) expect(Math.abs(G[i * k + j]! - (i === j ? 1 : 0))).toBeLessThanOrEqual(1e-10);
  });
});

describe('stochastic Lanczos quadrature', () => {
  it('is exact for a diagonal operator when Lanczos runs to completion', () => {
    // sign probes have v_i² = 1/m, so vᵀ f(A) v = (1/m) Σ f(λ_i) for diagonal A; Lanczos with as many
    // steps as distinct eigenvalues integrates every f exactly
    const m = 60;
    const lam = Float64Array.from({ length: m }, (_, i) => [1, 0.9, 0.7, -0.5, 0.3, 0.1, 0.05, -0.02, 0.01, 0][i % 10]!);
    const q = lanczosQuadrature((X, b, out) => {
      for (let i = 0; i < m; i++) for (let p = 0; p < b; p++) out[i * b + p] = lam[i]! * X[i * b + p]!;
    }, m, createRng(3), 3, 20);
    let wsum = 0;
    for (const w of q.weights) wsum += w;
    expect(Math.abs(wsum - m)).toBeLessThanOrEqual(1e-10 * m);
    const He = vonNeumannEntropy(lam, 40);
    const Hq = vonNeumannEntropyFromQuadrature(q.nodes, q.weights, 40);
    for (let t = 0; t < 40; t++) expect(Math.abs(Hq[t]! - He[t]!)).toBeLessThanOrEqual(1e-9);
  });
});
