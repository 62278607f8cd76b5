import { describe, expect, it } from 'vitest';
import { neighborhoodPreservation, trustworthiness } from '../../../src/geometry/embedding/quality.js';
import { createRng } from '../../../src/core/rng.js';

// six points on a line with distinct gaps; the embedding swaps the two end points
const X = [[0], [1], [2.1], [3.3], [4.6], [6]];
const Y = [[6], [1], [2.1], [3.3], [4.6], [0]];

describe('trustworthiness', () => {
  it('matches a hand computation (k = 1)', () => {
    // false neighbours in Y and their ranks in X: p0 → p4 (rank 4), p1 → p5 (rank 5), p5 → p1 (rank 4)
    // penalty (4−1)+(5−1)+(4−1) = 10; T = 1 − 2·10/(6·1·(2·6 − 3 − 1)) = 7/12 (scikit-learn 1.2 agrees)
    expect(Math.abs(trustworthiness(X, Y, { k: 1 }) - 7 / 12)).toBeLessThanOrEqual(4e-16);
  });

  it('agrees with scikit-learn on a 40-point cloud', () => {
    const n = 40;
    const A = Array.from({ length: n }, (_, i) => Array.from({ length: 5 }, (_, p) => Math.sin(1.3 * i * (p + 1) + p)));
    const B = A.map((row, i) => [0, 1].map((q) => row[q]! + 0.3 * Math.cos(2.1 * i + q)));
    // values printed by sklearn.manifold.trustworthiness(A, B, n_neighbors=k) for the same arrays
    expect(Math.abs(trustworthiness(A, B, { k: 5 }) - 0.8390625)).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(trustworthiness(A, B, { k: 3 }) - 0.8104761904761905)).toBeLessThanOrEqual(1e-12);
  });

  it('equals the definition computed by full ranking (counting and sorting paths)', () => {
    const rng = createRng(12);
    const n = 60;
    const A = Array.from({ length: n }, () => [rng.normal(), rng.normal(), rng.normal()]);
    const B = A.map(([a, b, c]) => [a! + 0.5 * c!, b! - 0.5 * rng.normal()]);
    const dist = (P: number[][], i: number, j: number): number => P[i]!.reduce((s, v, p) => s + (v - P[j]![p]!) ** 2, 0);
    for (const k of [3, 20]) {
      let penalty = 0;
      for (let i = 0; i < n; i++) {
        const byX = Array.from({ length: n }, (_, j) => j).filter((j) => j !== i).sort((p, q) => dist(A, i, p) - dist(A, i, q));
        const byY = Array.from({ length: n }, (_, j) => j).filter((j) => j !== i).sort((p, q) => dist(B, i, p) - dist(B, i, q));
        for (const j of byY.slice(0, k)) {
          const r = byX.indexOf(j) + 1;
          if (r > k) penalty += r - k;
        }
      }
      const expected = 1 - (2 / (n * k * (2 * n - 3 * k - 1))) * penalty;
      expect(Math.abs(trustworthiness(A, B, { k }) - expected)).toBeLessThanOrEqual(1e-14);
    }
  });

  it('is 1 for an isometry and accepts embedding results', () => {
    const rng = createRng(2);
    const pts = Array.from({ length: 30 }, () => [rng.normal(), rng.normal()]);
    const rotated = pts.map(([a, b]) => [0.6 * a! - 0.8 * b! + 3, 0.8 * a! + 0.6 * b! - 1]);
    expect(trustworthiness(pts, rotated, { k: 5 })).toBe(1);
    const emb = { embedding: Float64Array.from(rotated.flat()), shape: [30, 2] as const };
    expect(trustworthiness(pts, emb, { k: 5 })).toBe(1);
    expect(neighborhoodPreservation(pts, emb, { k: 5 })).toBe(1);
  });

  it('averages within groups', () => {
    const groups = new Int32Array([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]);
    const X2 = [...X, ...X.map(([v]) => [v! * 2])];
    const Y2 = [...Y, ...X.map(([v]) => [v! * 2])];
    // group 0 is the swapped case (7/12), group 1 an exact copy (1)
    expect(Math.abs(trustworthiness(X2, Y2, { k: 1, groups }) - (7 / 12 + 1) / 2)).toBeLessThanOrEqual(4e-16);
    expect(neighborhoodPreservation(X2, Y2, { k: 1, groups })).toBe((0.5 + 1) / 2);
  });

  it('rejects mismatched inputs', () => {
    expect(() => trustworthiness(X, Y.slice(1), { k: 1 })).toThrow(/6 points but Y has 5/);
    expect(() => trustworthiness(X, Y, { k: 3 })).toThrow(RangeError);
    expect(() => trustworthiness(X, Y, { k: 1, groups: new Int32Array(3) })).toThrow(/length 3/);
    expect(() => trustworthiness([[0], [NaN]], [[0], [1]], { k: 1 })).toThrow(/finite/);
  });

  it('refuses points that are all equal (it scored ties broken by index: 0.52 for 12 equal points)', () => {
    const same = Array.from({ length: 12 }, () => [1, 1]);
    const spread = Array.from({ length: 12 }, (_, i) => [i, i * i]);
    for (const f of [trustworthiness, neighborhoodPreservation]) {
      expect(() => f(same, spread, { k: 2 })).toThrow(new RegExp(`^${f.name}: X: every point equals point 0, so every neighbour rank is a tie \\(broken by index\\) and the score would measure nothing$`));
      expect(() => f(spread, same, { k: 2 })).toThrow(new RegExp(`^${f.name}: Y: every point equals point 0,`));
      // within groups: the group of points 1, 3, 5, … is all equal
      const X = spread.map((p, i) => (i % 2 === 1 ? [7, 7] : p));
      expect(() => f(X, spread, { k: 2, groups: Int32Array.from({ length: 12 }, (_, i) => i % 2) })).toThrow(new RegExp(`^${f.name}: X: every point of group 1 \\(groups\\[1\\] = 1, 6 points\\) equals point 1,.*; score without that group \\(leave its points out of X, Y and groups\\)$`));
      // the group is named by its label, not by a point's index (labels as time steps 5 and 9)
      expect(() => f(X, spread, { k: 2, groups: Int32Array.from({ length: 12 }, (_, i) => (i % 2 === 1 ? 9 : 5)) })).toThrow(/every point of group 9 \(groups\[1\] = 9, 6 points\)/);
    }
  });
});

describe('neighborhoodPreservation', () => {
  it('matches a hand computation (k = 1)', () => {
    // nearest neighbours kept: p2 (p1), p3 (p2), p4 (p3); lost for p0, p1, p5 → 3/6
    expect(neighborhoodPreservation(X, Y, { k: 1 })).toBe(0.5);
  });
});
