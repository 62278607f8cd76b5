import { describe, expect, it } from 'vitest';
import { phate, phateKernel } from '../../../src/geometry/embedding/phate.js';
import { neighborhoodPreservation } from '../../../src/geometry/embedding/quality.js';
import { csrToDense } from '../../../src/geometry/embedding/sparse.js';
import { findKnee } from '../../../src/geometry/embedding/entropy.js';
import { svd } from '../../../src/core/linalg/svd.js';
import { pairwiseDistances } from '../../../src/geometry/embedding/mds.js';
import { symmetricEigen } from '../../../src/core/linalg/symmetric-eigen.js';
import { tensor } from '../../../src/core/tensor.js';
import { clusters, knnAccuracy, trajectory } from './helpers.js';

/** The PHATE pipeline written out densely from its definition (reference for small n). */
function densePhatePotentialDistances(x: Float64Array, n: number, d: number, t: number, gamma: number): Float64Array {
  const K = csrToDense(phateKernel(x, { dim: d }));
  const P = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += K[i * n + j]!;
    for (let j = 0; j < n; j++) P[i * n + j] = K[i * n + j]! / s;
  }
  let Pt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) Pt[i * n + i] = 1;
  for (let s = 0; s < t; s++) {
    const next = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) {
      const a = P[i * n + k]!;
      if (a === 0) continue;
      for (let j = 0; j < n; j++) next[i * n + j]! += a * Pt[k * n + j]!;
    }
    Pt = next;
  }
  const pot = Pt.map((v) => (gamma === 1 ? -Math.log(v + 1e-7) : Math.sqrt(v) / 0.5));
  return pairwiseDistances(pot, n, n);
}

describe('phate', () => {
  it('points it cannot tell apart are refused in its own terms (it said \'procrustes: a configuration has all points equal\')', () => {
    const same = Array.from({ length: 30 }, () => [1, 2, 3]);
    // σ_k's floor is relative (2.2e-16 once the largest |coordinate| is scaled into [1, 2)): offsets of
    // 1e-18 from a coordinate of 1 are below it
    const flat = Array.from({ length: 30 }, (_, i) => [1e-18 * Math.sin(i), 1e-18 * Math.cos(1.3 * i), 1]);
    for (const X of [same, flat]) {
      for (const mds of ['metric', 'classic'] as const) {
        // classical MDS returned an all-zero embedding for them in silence
        expect(() => phate(X, { knn: 5, seed: 1, mds })).toThrow(/^phate: every point has the same diffusion potential \(the points are all equal, or their neighbour distances are below the kernel's floor/);
      }
    }
    // the same offsets alone embed at any scale (an absolute floor of 2.2e-16 refused them), as they do scaled by 2^60
    const tiny = flat.map((r) => [r[0]!, r[1]!, 0]);
    const e = phate(tiny, { knn: 5, seed: 1 }).embedding;
    expect(e.every(Number.isFinite)).toBe(true);
    expect(Array.from(e)).toEqual(Array.from(phate(tiny.map((r) => r.map((v) => v * 2 ** 60)), { knn: 5, seed: 1 }).embedding));
  });
  it('keeps well-separated clusters apart', () => {
    const { x, labels } = clusters(240, 10, 4, 1);
    const r = phate(x, { dim: 10, seed: 1 });
    expect(r.shape).toEqual([240, 2]);
    expect(knnAccuracy(r.embedding, 240, 2, labels)).toBe(1);
    expect(r.t).toBeGreaterThanOrEqual(1);
    expect(r.entropy.length).toBe(100);
  });

  it('embeds a noisy trajectory as a curve (time neighbours stay neighbours)', () => {
    const x = trajectory(240, 5, 2);
    const r = phate(x, { dim: 5, seed: 1 });
    expect(neighborhoodPreservation(x, r, { dimX: 5, k: 10 })).toBeGreaterThan(0.6);
  });

  it('chooses t at the knee of the von Neumann entropy of the operator', () => {
    const { x } = clusters(150, 6, 3, 3);
    const n = 150;
    const r = phate(x, { dim: 6, seed: 1, mds: 'classic' });
    // reference, as phate/vne.py: singular values of the row-stochastic P = D⁻¹K by a dense SVD,
    // p = σᵗ/Σσᵗ + ε by repeated products, H = −Σ p log p
    const K = csrToDense(phateKernel(x, { dim: 6 }));
    const P = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += K[i * n + j]!;
      for (let j = 0; j < n; j++) P[i * n + j] = K[i * n + j]! / s;
    }
    const { s: sigma } = svd({ rows: n, cols: n, data: P }, { vectors: false });
    const H = new Float64Array(100);
    const pw = Float64Array.from(sigma);
    for (let t = 0; t < 100; t++) {
      let Z = 0;
      for (const v of pw) Z += v;
      let h = 0;
      for (const v of pw) { const p = v / Z + 2 ** -52; h -= p * Math.log(p); }
      H[t] = h;
      for (let i = 0; i < n; i++) pw[i]! *= sigma[i]!;
    }
    // the singular values from the eigenvalues of P·Pᵀ carry an absolute error ≈ n·ε/σ for small σ
    for (let t = 0; t < 100; t++) expect(Math.abs(r.entropy[t]! - H[t]!)).toBeLessThanOrEqual(1e-7 * Math.max(1, H[t]!));
    // the largest singular value of a row-stochastic, non-symmetric P exceeds its eigenvalue 1
    expect(sigma[0]!).toBeGreaterThanOrEqual(1 - 1e-12);
    expect(r.t).toBe(findKnee(H));
    // the Lanczos estimate of the same curve picks (nearly) the same t
    const rl = phate(x, { dim: 6, seed: 1, mds: 'classic', vneExactMax: 0 });
    expect(Math.abs(rl.t - r.t)).toBeLessThanOrEqual(2);
  });

  for (const gamma of [1, 0]) {
    it(`classical MDS of the potential distances matches the dense definition (γ = ${gamma})`, () => {
      const { x } = clusters(60, 4, 2, 5, 3);
      const n = 60, t = 7;
      const r = phate(x, { dim: 4, t, gamma, mds: 'classic', components: 3, seed: 2 });
      expect(r.t).toBe(t);
      expect(Number.isNaN(r.stress)).toBe(true);
      const Dref = densePhatePotentialDistances(x, n, 4, t, gamma);
      // 3 classical-MDS axes are not an exact fit: compare with the same rank-3 fit of Dref, scaled as PHATE
      const { embedding } = phateClassicReference(Dref, n, 3);
      const E1 = pairwiseDistances(r.embedding, n, 3);
      const E2 = pairwiseDistances(embedding, n, 3);
      let err = 0, big = 0;
      for (let e = 0; e < n * n; e++) { err = Math.max(err, Math.abs(E1[e]! - E2[e]!)); big = Math.max(big, E2[e]!); }
      expect(err).toBeLessThanOrEqual(1e-6 * big);
    });
  }

  it('metric MDS lowers the stress of the classical solution and is deterministic by seed', () => {
    const { x } = clusters(120, 5, 3, 6);
    const a = phate(x, { dim: 5, seed: 3 });
    const b = phate(x, { dim: 5, seed: 3 });
    expect(Array.from(a.embedding)).toEqual(Array.from(b.embedding));
    expect(a.stress).toBeGreaterThan(0);
  });

  it('uses landmarks beyond the landmark count without an n×n matrix', () => {
    const { x, labels } = clusters(900, 8, 3, 7);
    const r = phate(tensor(Float32Array.from(x), [900, 8]), { landmarks: 120, seed: 1 });
    expect(r.operatorSize).toBeLessThanOrEqual(120);
    expect(r.operatorSize).toBeGreaterThan(60);
    expect(r.clusters!.length).toBe(900);
    expect(knnAccuracy(r.embedding, 900, 2, labels)).toBeGreaterThan(0.98);
    // a small graph takes the dense eigen path for its spectral features
    const small = clusters(150, 6, 3, 8);
    const rs = phate(small.x, { dim: 6, landmarks: 40, seed: 1 });
    expect(rs.operatorSize).toBeLessThanOrEqual(40);
    expect(knnAccuracy(rs.embedding, 150, 2, small.labels)).toBeGreaterThan(0.98);
  });

  it('rejects bad input with clear errors', () => {
    expect(() => phate([[0, 1], [1, 0], [2, 2]], { knn: 5 })).toThrow(/knn = 5 needs at least 7 points, got 3/);
    expect(() => phate([[0, 1], [NaN, 0], [2, 2], [3, 3], [4, 4], [5, 5], [6, 6], [7, 7]])).toThrow(/finite.*point 1/);
    expect(() => phate(tensor(new Float32Array(16), [2, 2, 2, 2]))).toThrow(/rank-2 \[n,d\] or rank-3 \[B,T,H\]/); // [B,T,H] is points (test/geometry/points-rank3.test.ts)
    const { x } = clusters(30, 3, 2, 8);
    expect(() => phate(x, { dim: 3, gamma: 2 })).toThrow(/gamma/);
    expect(() => phate(x, { dim: 3, t: 0 })).toThrow(/t/);
    expect(() => phate(x, { dim: 3, mds: 'nonmetric' as never })).toThrow(/mds/);
    expect(() => phate(x, { dim: 3, landmarks: 2 })).toThrow(/landmarks/);
  });
});

/** Torgerson MDS with the dense solver (reference). */
function phateClassicReference(D: Float64Array, n: number, k: number): { embedding: Float64Array } {
  const B = new Float64Array(n * n);
  const rm = new Float64Array(n);
  let g = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) { rm[i]! += D[i * n + j]! ** 2 / n; g += D[i * n + j]! ** 2 / (n * n); }
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) B[i * n + j] = -0.5 * (D[i * n + j]! ** 2 - rm[i]! - rm[j]! + g);
  // PHATE's mds.classic: PCA of the double-centred squared distances −2B, i.e. the eigenvectors of B
  // with the largest |λ|, each scaled by 2|λ|
  const { values, vectors } = symmetricEigen({ rows: n, cols: n, data: B });
  const order = Array.from({ length: n }, (_, j) => j).sort((a, b) => Math.abs(values[b]!) - Math.abs(values[a]!));
  const Y = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) Y[i * k + j] = vectors.data[i * n + order[j]!]! * 2 * Math.abs(values[order[j]!]!);
  return { embedding: Y };
}
