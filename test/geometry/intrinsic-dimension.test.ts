import { describe, expect, it } from 'vitest';
import { levinaBickel, twoNN } from '../../src/geometry/intrinsic-dimension.js';
import { randn } from '../../src/core/tensor.js';
import { knn } from '../../src/geometry/knn.js';
import { tensor } from '../../src/core/tensor.js';
import { gaussianCloud, planeIn, swissRollIn } from './helpers.js';

// Standard errors: TwoNN is the MLE of a Pareto exponent from N' ≈ 0.9n ratios, se ≈ d/√N';
// the harmonic-mean MLE uses n(k−1) log-ratios, se ≈ d/√(n(k−1)) (neighbourhoods overlap: ×~1.5).
// Both are biased at the boundary of a bounded sample (unit square: ≈ −0.03 at n = 2000), and the
// MLE underestimates high-dimensional Gaussians (density curvature). Tolerances: 4 se + known bias.
const n = 2000;

describe('twoNN', () => {
  const se = (d: number) => d / Math.sqrt(0.9 * n);
  it('≈ 2 on a plane and on a swiss roll embedded in 10-D', () => {
    expect(Math.abs(twoNN(planeIn(n, 10, 1), { dim: 10 }).dimension - 2)).toBeLessThan(4 * se(2) + 0.03);
    expect(Math.abs(twoNN(swissRollIn(n, 10, 2), { dim: 10 }).dimension - 2)).toBeLessThan(4 * se(2) + 0.03);
  });
  it('≈ d on a d-dimensional Gaussian', () => {
    for (const d of [1, 3, 5]) {
      expect(Math.abs(twoNN(gaussianCloud(n, d, 10 + d), { dim: d }).dimension - d)).toBeLessThan(4 * se(d) + 0.05 * d);
    }
  });
  it('drops duplicates and reports them; follows the recipe on a hand-made example', () => {
    const x = gaussianCloud(200, 3, 4);
    const y = new Float64Array(230 * 3);
    y.set(x);
    y.set(x.subarray(0, 90), 600); // 30 duplicates of points 0..29 → 60 points with r₁ = 0
    const a = twoNN(y, { dim: 3 });
    expect(a.duplicates).toBe(60);
    expect(a.mu.length).toBe(170);
    expect(a.used).toBe(Math.floor(170 * 0.9));
    // and they are no one's neighbours: the same bits as the 170 points that are not repeated
    const ref = twoNN(x.subarray(90), { dim: 3 });
    expect(a.dimension).toBe(ref.dimension);
    expect(Array.from(a.mu)).toEqual(Array.from(ref.mu));
    // 1-D points 0, 1, 3, 7, 15: (r1, r2) = (1,3) (1,2) (2,3) (4,6) (8,12) → μ sorted [1.5, 1.5, 1.5, 2, 3]
    const mu = [1.5, 1.5, 1.5, 2, 3];
    let sxy = 0;
    let sxx = 0;
    for (let i = 0; i < 4; i++) {
      sxy += Math.log(mu[i]!) * -Math.log(1 - (i + 1) / 5);
      sxx += Math.log(mu[i]!) ** 2;
    }
    const b = twoNN([[0], [1], [3], [7], [15]], { discardFraction: 0 });
    expect(Array.from(b.mu)).toEqual(mu);
    expect(b.used).toBe(4); // the last point (F = 1) is never usable
    expect(b.dimension).toBeCloseTo(sxy / sxx, 14);
    const c = twoNN([[0], [1], [3], [7], [15]], { discardFraction: 0.2 });
    expect(c.dimension).toBe(b.dimension);
    const e = twoNN([[0], [1], [3], [7], [15]], { discardFraction: 0.5 });
    expect(e.used).toBe(2);
    expect(e.dimension).toBeCloseTo(
      (Math.log(1.5) * -Math.log(0.8) + Math.log(1.5) * -Math.log(0.6)) / (2 * Math.log(1.5) ** 2), 14);
  });
  it('accepts [B,T,H] tensors and rejects bad input', () => {
    const t = tensor(Float32Array.from(gaussianCloud(300, 2, 5)), [3, 100, 2]);
    expect(Math.abs(twoNN(t).dimension - 2)).toBeLessThan(4 * (2 / Math.sqrt(270)) + 0.05);
    expect(() => twoNN([[0], [1]])).toThrow(/at least 3 points/);
    expect(() => twoNN([[0], [0], [0], [1]])).toThrow(/non-duplicate/);
    expect(() => twoNN([[0], [NaN], [2]])).toThrow(/NaN at point 1/);
  });
});

describe('repeated states (identical first steps of sequences, a state revisited) do not bias the estimate', () => {
  // 1000 points of a plane in 10-D, 200 of them repeated: dropping every copy but letting the copies
  // pose as first and second neighbours at equal distance (μ = 1) of the points around them gave
  // TwoNN 2.45 for this plane (2.01 without the copies)
  const x = planeIn(1000, 10, 3);
  const y = new Float64Array(1200 * 10);
  y.set(x);
  y.set(x.subarray(0, 2000), 10000);
  const single = x.subarray(2000); // the 800 points that are not repeated
  it('levinaBickel: local estimates (k−1)/Σ log(T_k/T_j) from knn\'s distances, bit for bit (log T_k − log T_j of the rescaled distances differed in the last bits in 5 of 12 seeds)', () => {
    const k = 10;
    for (let seed = 1; seed <= 12; seed++) {
      const x = randn([200, 5], { seed }).data;
      const r = levinaBickel(x, { dim: 5, k });
      const nb = knn(x, k, { dim: 5 });
      for (let i = 0; i < 200; i++) {
        const tk = nb.distances[i * k + k - 1];
        let s = 0;
        for (let j = 0; j < k - 1; j++) s += Math.log(tk / nb.distances[i * k + j]);
        expect(r.local[i]).toBe(1 / (s / (k - 1)));
      }
    }
  });
  it('twoNN and levinaBickel give the same bits as on the points that are not repeated; copies get NaN in local', () => {
    const t = twoNN(y, { dim: 10 });
    expect(t.dimension).toBe(twoNN(single, { dim: 10 }).dimension);
    expect(t.duplicates).toBe(400);
    expect(Math.abs(t.dimension - 2)).toBeLessThan(4 * (2 / Math.sqrt(720)) + 0.03);
    const a = levinaBickel(y, { dim: 10 });
    const b = levinaBickel(single, { dim: 10 });
    expect(a.dimension).toBe(b.dimension);
    expect(a.duplicates).toBe(400);
    expect(a.used).toBe(800);
    expect(Array.from(a.local.subarray(200, 1000))).toEqual(Array.from(b.local));
    expect([...a.local.subarray(0, 200), ...a.local.subarray(1000)].every((v) => Number.isNaN(v))).toBe(true);
  });
  it('too few points that are not repeated is said as such', () => {
    expect(() => levinaBickel([[0], [0], [0], [1], [2], [4]], { k: 3 })).toThrow(/k = 3 neighbours need at least 4 points that are not repeated, got 3 \(of 6\)/);
    expect(() => twoNN([[0], [0], [1], [1], [2]])).toThrow(/only 1 non-duplicate points \(of 5\)/);
  });
});

describe('levinaBickel', () => {
  const k = 10;
  const se = (d: number) => (1.5 * d) / Math.sqrt(n * (k - 1));
  it('≈ 2 on a plane and on a swiss roll embedded in 10-D', () => {
    expect(Math.abs(levinaBickel(planeIn(n, 10, 1), { dim: 10, k }).dimension - 2)).toBeLessThan(4 * se(2) + 0.03);
    expect(Math.abs(levinaBickel(swissRollIn(n, 10, 2), { dim: 10, k }).dimension - 2)).toBeLessThan(4 * se(2) + 0.04);
  });
  it('≈ d on a d-dimensional Gaussian (d ≤ 5; larger d is biased low)', () => {
    for (const d of [1, 3, 5]) {
      expect(Math.abs(levinaBickel(gaussianCloud(n, d, 20 + d), { dim: d, k }).dimension - d)).toBeLessThan(4 * se(d) + 0.02 * d);
    }
  });
  it('is the harmonic mean of the per-point estimates, each from the formula', () => {
    const pts = [[0], [1], [3], [7], [15]];
    const r = levinaBickel(pts, { k: 2 });
    // k = 2: m̂(x) = 1 / ln(T2/T1); T for 0:(1,3) 1:(1,2) 3:(2,3) 7:(4,6) 15:(8,12)
    const local = [1 / Math.log(3), 1 / Math.log(2), 1 / Math.log(1.5), 1 / Math.log(1.5), 1 / Math.log(1.5)];
    local.forEach((v, i) => expect(r.local[i]).toBeCloseTo(v, 14));
    const harm = 5 / local.reduce((s, v) => s + 1 / v, 0);
    expect(r.dimension).toBeCloseTo(harm, 14);
  });
  it('rejects bad input', () => {
    expect(() => levinaBickel(gaussianCloud(5, 2, 1), { dim: 2, k: 5 })).toThrow(/at least 6 points, got 5/);
    expect(() => levinaBickel(gaussianCloud(5, 2, 1), { dim: 2, k: 1 })).toThrow(RangeError);
  });
});
