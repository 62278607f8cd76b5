import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { participationRatio, participationRatioFromEigenvalues } from '../../src/geometry/participation.js';
import { tensor } from '../../src/core/tensor.js';
import { gaussianCloud, orthonormalRows } from './helpers.js';

const EPS = 2 ** -52;

function covarianceEigenvalues(x: Float64Array, n: number, d: number): number[] {
  const rows = Array.from({ length: n }, (_, i) => Array.from(x.subarray(i * d, (i + 1) * d)));
  const m = new Matrix(rows);
  const cov = m.clone().center('column').transpose().mmul(m.clone().center('column'));
  return new EigenvalueDecomposition(cov, { assumeSymmetric: true }).realEigenvalues;
}

describe('participationRatio', () => {
  it('from eigenvalues: exact values', () => {
    expect(participationRatioFromEigenvalues([1, 1, 1])).toBe(3);
    expect(participationRatioFromEigenvalues([4, 1])).toBeCloseTo(25 / 17, 15);
    expect(participationRatio({ eigenvalues: [5, 0, 0] })).toBe(1);
    expect(() => participationRatioFromEigenvalues([1, -1])).toThrow(/non-negative/);
    expect(() => participationRatioFromEigenvalues([0, 0])).toThrow(/zero/);
    expect(() => participationRatioFromEigenvalues([1, NaN])).toThrow(/finite/);
  });

  it('equals (Σλ)²/Σλ² of the covariance eigenvalues from ml-matrix (both d ≤ n and d > n paths)', () => {
    for (const [n, d] of [[60, 7], [9, 25]] as const) {
      const x = gaussianCloud(n, d, n + d);
      for (let i = 0; i < n; i++) for (let p = 0; p < d; p++) x[i * d + p]! *= 1 + p; // anisotropic
      const ev = covarianceEigenvalues(x, n, d).map((v) => Math.max(v, 0));
      const ref = participationRatioFromEigenvalues(ev);
      const pr = participationRatio(x, { dim: d });
      expect(Math.abs(pr - ref)).toBeLessThan(100 * n * d * EPS * ref);
    }
  });

  it('rank-r data with equal variances: PR = r up to rounding', () => {
    const n = 64;
    const d = 30;
    for (const r of [1, 2, 4, 6]) {
      const q = orthonormalRows(r, d, r);
      const x = new Float64Array(n * d);
      for (let t = 0; t < n; t++) {
        for (let c = 0; c < r; c++) {
          // columns: cos/sin of distinct frequencies over a full period: zero mean, orthogonal, equal norm
          const f = 1 + (c >> 1);
          const u = (c & 1 ? Math.sin : Math.cos)((2 * Math.PI * f * t) / n);
          for (let p = 0; p < d; p++) x[t * d + p]! += u * q[c * d + p]!;
        }
      }
      const pr = participationRatio(x, { dim: d });
      expect(Math.abs(pr - r)).toBeLessThan(10 * n * d * EPS * r);
    }
  });

  it('isotropic Gaussian: PR ≈ d/(1 + d/n) (sample-covariance spread)', () => {
    const n = 4000;
    const d = 20;
    const pr = participationRatio(gaussianCloud(n, d, 3), { dim: d });
    // E Σλ² ≈ d(1 + d/n) for unit variances; relative spread of PR ~ √(8/(n·d)) ≈ 0.01
    expect(Math.abs(pr - d / (1 + d / n))).toBeLessThan(4 * d * Math.sqrt(8 / (n * d)));
  });

  it('accepts [B,T,H] tensors (flattened over B and T) and is invariant to shifts and scale', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), fc.double({ min: 0.01, max: 100, noNaN: true }), (seed, s) => {
        const x = gaussianCloud(24, 5, seed);
        const y = x.map((v, i) => s * v + (i % 5));
        const a = participationRatio(tensor(Float32Array.from(x), [4, 6, 5]));
        const b = participationRatio(y, { dim: 5 });
        expect(a).toBeGreaterThanOrEqual(1);
        expect(a).toBeLessThanOrEqual(5);
        expect(Math.abs(a - b)).toBeLessThan(1e-5 * a); // float32 storage of the tensor
      }),
      { numRuns: 30 },
    );
  });

  it('rejects bad input', () => {
    expect(() => participationRatio(new Float64Array(4).fill(1), { dim: 2 })).toThrow(/zero variance/);
    expect(() => participationRatio(new Float64Array(2), { dim: 2 })).toThrow(/at least 2 points/);
    expect(() => participationRatio(new Float64Array([1, 2, Infinity, 4]), { dim: 2 })).toThrow(/Infinity at point 1/);
  });
});
