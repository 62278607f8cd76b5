/**
 * Scale invariance at the ends of the double range. Participation ratio, explained-variance ratios,
 * PCA axes, TwoNN and Levina–Bickel are scale-free, and kNN distances scale with the data: states
 * multiplied by a power of two must give the same bits (the identity holds exactly in floating
 * point while no square over- or underflows), and by 10^±k the same values to a few ulps. Squares
 * of 1e160 overflow and squares of 1e-160 underflow, which gave NaN, false "zero variance" and
 * false duplicates before the states were rescaled.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { participationRatio } from '../../src/geometry/participation.js';
import { pca } from '../../src/geometry/pca.js';
import { knn } from '../../src/geometry/knn.js';
import { levinaBickel, twoNN } from '../../src/geometry/intrinsic-dimension.js';
import { scaleByPowerOfTwo } from '../../src/geometry/points.js';
import { gaussianCloud } from './helpers.js';

const EPS = 2 ** -52;
const n = 300;
const d = 6;
const base = gaussianCloud(n, d, 5);
for (let i = 0; i < n; i++) for (let p = 0; p < d; p++) base[i * d + p]! *= 1 + p; // anisotropic
const scaled = (s: number) => base.map((v) => v * s);

describe('geometry at any scale of the states', () => {
  const pr = participationRatio(base, { dim: d });
  const p0 = pca(base, { dim: d });
  const t0 = twoNN(base, { dim: d }).dimension;
  const l0 = levinaBickel(base, { dim: d }).dimension;
  const k0 = knn(base, 4, { dim: d });

  for (const e of [-700, -520, 520, 700]) {
    it(`× 2^${e}: the same bits (distances × 2^${e})`, () => {
      const X = scaled(2 ** e);
      expect(participationRatio(X, { dim: d })).toBe(pr);
      const p = pca(X, { dim: d });
      expect(Array.from(p.explainedVarianceRatio)).toEqual(Array.from(p0.explainedVarianceRatio));
      expect(Array.from(p.components)).toEqual(Array.from(p0.components));
      expect(twoNN(X, { dim: d }).dimension).toBe(t0);
      expect(levinaBickel(X, { dim: d }).dimension).toBe(l0);
      const k = knn(X, 4, { dim: d });
      expect(Array.from(k.indices)).toEqual(Array.from(k0.indices));
      expect(Array.from(k.distances)).toEqual(Array.from(k0.distances, (v) => v * 2 ** e));
    });
  }

  for (const s of [1e-200, 1e-160, 1e160, 1e200]) {
    it(`× ${s}: finite and equal to the unit-scale values within a few ulps`, () => {
      const X = scaled(s);
      expect(Math.abs(participationRatio(X, { dim: d }) - pr)).toBeLessThanOrEqual(8 * n * EPS * pr);
      const p = pca(X, { dim: d });
      p.explainedVarianceRatio.forEach((v, j) => expect(Math.abs(v - p0.explainedVarianceRatio[j]!)).toBeLessThanOrEqual(8 * n * EPS));
      expect(Number.isFinite(twoNN(X, { dim: d }).dimension)).toBe(true);
      expect(Math.abs(twoNN(X, { dim: d }).dimension - t0)).toBeLessThanOrEqual(1e-9 * t0);
      expect(Math.abs(levinaBickel(X, { dim: d }).dimension - l0)).toBeLessThanOrEqual(1e-9 * l0);
      expect(Array.from(knn(X, 4, { dim: d }).indices)).toEqual(Array.from(k0.indices));
    });
  }

  it('pca gives the variances, mean and transform in the caller\'s units', () => {
    for (const e of [-300, 300]) {
      const X = scaled(2 ** e);
      const p = pca(X, { dim: d });
      expect(Array.from(p.explainedVariance)).toEqual(Array.from(p0.explainedVariance, (v) => v * 4 ** e));
      expect(p.totalVariance).toBe(p0.totalVariance * 4 ** e);
      expect(Array.from(p.mean)).toEqual(Array.from(p0.mean, (v) => v * 2 ** e));
      expect(Array.from(p.transform(X))).toEqual(Array.from(p0.transform(base), (v) => v * 2 ** e));
    }
    // 1e-200: variances of 1e-400 are not doubles (0), the ratios and axes still are
    const tiny = pca(scaled(1e-200), { dim: d });
    expect(tiny.explainedVariance.every((v) => v === 0)).toBe(true);
    expect(Math.abs(tiny.explainedVarianceRatio.reduce((a, b) => a + b, 0) - 1)).toBeLessThanOrEqual(8 * d * EPS);
  });

  it('scaleByPowerOfTwo: max |entry| in [1, 2), exact, its factor restores the input (fast-check)', () => {
    fc.assert(fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 20 }), (a) => {
      const x = Float64Array.from(a);
      const f = scaleByPowerOfTwo(x);
      const m = x.reduce((s, v) => Math.max(s, Math.abs(v)), 0);
      if (m === 0) return f === 1;
      expect(m >= 1 && m < 2).toBe(true);
      a.forEach((v, i) => { if (Math.abs(v) / f >= 2 ** -1022) expect(x[i]! * f).toBe(v); }); // normal after scaling: exact
      return true;
    }));
  });
});
