import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EigenvalueDecomposition, Matrix, SingularValueDecomposition } from 'ml-matrix';
import { pca } from '../../src/geometry/pca.js';
import { participationRatio } from '../../src/geometry/participation.js';
import { tensor } from '../../src/core/tensor.js';
import { gaussianCloud } from './helpers.js';

const EPS = 2 ** -52;

/** Anisotropic correlated cloud: Gaussian · random mixing, plus an offset. */
function cloud(n: number, d: number, seed: number): Float64Array {
  const z = gaussianCloud(n, d, seed);
  const m = gaussianCloud(d, d, seed + 1);
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      let s = 3 + j;
      for (let p = 0; p < d; p++) s += z[i * d + p]! * m[p * d + j]! / (1 + p);
      x[i * d + j] = s;
    }
  }
  return x;
}

function rowsOf(x: Float64Array, n: number, d: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from(x.subarray(i * d, (i + 1) * d)));
}

function oracleCov(x: Float64Array, n: number, d: number): { values: number[]; vectors: Matrix } {
  const m = new Matrix(rowsOf(x, n, d)).center('column');
  const cov = m.transpose().mmul(m).div(n - 1);
  const evd = new EigenvalueDecomposition(cov, { assumeSymmetric: true });
  // ml-matrix returns ascending order
  const order = evd.realEigenvalues.map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0]);
  const V = evd.eigenvectorMatrix;
  const vectors = new Matrix(d, d);
  order.forEach(([, i], j) => vectors.setColumn(j, V.getColumn(i)));
  return { values: order.map((o) => o[0]), vectors };
}

describe('pca', () => {
  it('matches ml-matrix EigenvalueDecomposition of the covariance (values, vectors up to sign)', () => {
    const n = 300;
    const d = 12;
    const x = cloud(n, d, 1);
    const p = pca(x, { dim: d });
    const ref = oracleCov(x, n, d);
    expect(p.k).toBe(d);
    const lam = ref.values[0]!;
    // eigenvalue error of a symmetric solver: c·d·ε·‖C‖ (plus the float64 covariance: n·ε·‖C‖)
    for (let j = 0; j < d; j++) expect(Math.abs(p.explainedVariance[j]! - ref.values[j]!)).toBeLessThan(10 * (n + d) * EPS * lam);
    // eigenvector error ~ ε·‖C‖ / gap
    for (let j = 0; j < d; j++) {
      const gap = Math.min(j > 0 ? ref.values[j - 1]! - ref.values[j]! : Infinity, j < d - 1 ? ref.values[j]! - ref.values[j + 1]! : Infinity);
      let dot = 0;
      for (let q = 0; q < d; q++) dot += p.components[j * d + q]! * ref.vectors.get(q, j);
      expect(1 - Math.abs(dot)).toBeLessThan(Math.max(1e-12, (100 * (n + d) * EPS * lam / gap) ** 2 + 1e-13));
    }
    const total = ref.values.reduce((a, b) => a + b, 0);
    for (let j = 0; j < d; j++) expect(p.explainedVarianceRatio[j]).toBeCloseTo(ref.values[j]! / total, 12);
    // PR from the PCA eigenvalues equals the trace formula
    expect(participationRatio({ eigenvalues: p.eigenvalues })).toBeCloseTo(participationRatio(x, { dim: d }), 10);
  });

  it('d > n uses the Gram matrix: singular values match ml-matrix SVD of the centred data', () => {
    const n = 15;
    const d = 40;
    const x = cloud(n, d, 2);
    const p = pca(x, { dim: d });
    expect(p.k).toBe(n - 1);
    const m = new Matrix(rowsOf(x, n, d)).center('column');
    const svd = new SingularValueDecomposition(m, { autoTranspose: true });
    const s = svd.diagonal;
    for (let j = 0; j < n - 1; j++) {
      expect(Math.abs(p.explainedVariance[j]! - (s[j]! * s[j]!) / (n - 1))).toBeLessThan(1e3 * (n + d) * EPS * s[0]! ** 2);
    }
    // orthonormal axes; right singular vectors agree up to sign
    const V = svd.rightSingularVectors;
    for (let a = 0; a < n - 1; a++) {
      for (let b = 0; b < n - 1; b++) {
        let dot = 0;
        for (let q = 0; q < d; q++) dot += p.components[a * d + q]! * p.components[b * d + q]!;
        expect(Math.abs(dot - (a === b ? 1 : 0))).toBeLessThan(1e-10);
      }
      let dv = 0;
      for (let q = 0; q < d; q++) dv += p.components[a * d + q]! * V.get(q, a);
      expect(Math.abs(Math.abs(dv) - 1)).toBeLessThan(1e-8);
    }
  });

  it('sign convention: each component’s largest-|entry| is positive; deterministic', () => {
    const x = cloud(100, 6, 3);
    const a = pca(x, { dim: 6 });
    const b = pca(x.map((v) => v), { dim: 6 });
    expect(Array.from(a.components)).toEqual(Array.from(b.components));
    for (let j = 0; j < a.k; j++) {
      const row = Array.from(a.components.subarray(j * 6, (j + 1) * 6));
      const big = row.reduce((m, v) => (Math.abs(v) > Math.abs(m) ? v : m), 0);
      expect(big).toBeGreaterThan(0);
    }
  });

  it('transform / inverseTransform: exact reconstruction with all components, projection otherwise', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 2, max: 8 }), fc.integer({ min: 3, max: 40 }), (seed, d, n) => {
        const x = cloud(n, d, seed);
        const p = pca(x, { dim: d });
        const z = p.transform(x, );
        const back = p.inverseTransform(tensor(Float32Array.from(z), [n, p.k]));
        if (p.k === d) {
          let big = 0;
          for (const v of x) big = Math.max(big, Math.abs(v));
          for (let i = 0; i < x.length; i++) expect(Math.abs(back[i]! - x[i]!)).toBeLessThan(1e-5 * big * d); // scores went through float32
        }
        // scores are centred and their variances are the explained variances
        for (let j = 0; j < p.k; j++) {
          let s = 0;
          let s2 = 0;
          for (let i = 0; i < n; i++) {
            s += z[i * p.k + j]!;
            s2 += z[i * p.k + j]! ** 2;
          }
          const scale = Math.sqrt(p.totalVariance * n);
          expect(Math.abs(s)).toBeLessThan(1e-9 * scale * n);
          expect(Math.abs(s2 / (n - 1) - p.explainedVariance[j]!)).toBeLessThan(1e-9 * p.totalVariance);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('varianceFraction picks the fewest components; [B,T,H] input is flattened over B and T', () => {
    const n = 200;
    const d = 5;
    const x = new Float64Array(n * d);
    const z = gaussianCloud(n, d, 4);
    const sd = [10, 5, 2, 1, 0.5];
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x[i * d + j] = sd[j]! * z[i * d + j]!;
    const p = pca(x, { dim: d });
    const cum = Array.from(p.explainedVarianceRatio).map((_, j, a) => a.slice(0, j + 1).reduce((s, v) => s + v, 0));
    for (const f of [0.5, 0.9, 0.99, 1]) {
      const k = pca(x, { dim: d, varianceFraction: f }).k;
      expect(cum[k - 1]!).toBeGreaterThanOrEqual(f - 1e-12);
      if (k > 1) expect(cum[k - 2]!).toBeLessThan(f);
    }
    const t = tensor(Float32Array.from(x), [4, 50, 5]);
    const q = pca(t, { components: 2 });
    const ref = pca(Float64Array.from(Float32Array.from(x)), { dim: 5, components: 2 });
    expect(q.k).toBe(2);
    expect(Array.from(q.explainedVariance)).toEqual(Array.from(ref.explainedVariance));
    expect(q.transform(t).length).toBe(200 * 2);
  });

  it('center: false analyses second moments about the origin', () => {
    const x = gaussianCloud(50, 3, 5, 1, 7);
    const p = pca(x, { dim: 3, center: false });
    expect(Array.from(p.mean)).toEqual([0, 0, 0]);
    // the top axis points along the offset (1,1,1)/√3
    for (let q = 0; q < 3; q++) expect(p.components[q]).toBeCloseTo(1 / Math.sqrt(3), 1);
  });

  it('rejects bad input', () => {
    expect(() => pca(new Float64Array(3), { dim: 3 })).toThrow(/at least 2 states, got 1/);
    expect(() => pca(gaussianCloud(10, 3, 1), { dim: 3, components: 4 })).toThrow(/components/);
    expect(() => pca(gaussianCloud(10, 3, 1), { dim: 3, varianceFraction: 0 })).toThrow(/varianceFraction/);
    expect(() => pca(gaussianCloud(10, 3, 1), { dim: 3, components: 1, varianceFraction: 0.5 })).toThrow(RangeError);
    const bad = gaussianCloud(10, 3, 1);
    bad[4] = -Infinity;
    expect(() => pca(bad, { dim: 3 })).toThrow(/-Infinity at point 1, coordinate 1/);
    const p = pca(gaussianCloud(10, 3, 1), { dim: 3 });
    expect(() => p.transform(gaussianCloud(4, 2, 1) as never)).toThrow(/dimension/);
    expect(() => p.transform(tensor(new Float32Array(8), [4, 2]))).toThrow(/dimension 3/);
  });
});
