import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { averageRanks, demap, spearman } from '../../../src/geometry/embedding/demap.js';

describe('demap', () => {
  it('average ranks break ties by their mean, Infinity last', () => {
    expect(Array.from(averageRanks(new Float64Array([3, 1, Infinity, 1, 2])))).toEqual([4, 1.5, 5, 1.5, 3]);
  });

  it('Spearman is 1 for any increasing map and −1 for a decreasing one', () => {
    // distinct integers: 3t + 7 is exact, and −t³ is strictly decreasing after rounding (consecutive
    // cubes below 1e18 differ by far more than their spacing)
    fc.assert(fc.property(fc.uniqueArray(fc.integer({ min: -1e6, max: 1e6 }), { minLength: 3, maxLength: 40 }), (v) => {
      const a = Float64Array.from(v);
      const up = a.map((t) => 3 * t + 7);
      const down = a.map((t) => -t * t * t);
      expect(spearman(a, up)).toBeCloseTo(1, 12);
      expect(spearman(a, down)).toBeCloseTo(-1, 12);
    }));
  });

  it('on a U-shaped path, geodesics follow the path: the unrolled embedding scores exactly 1, the U itself less', () => {
    // unit steps on the integer grid up one arm, across, down the other: graph distances are the
    // integer path lengths exactly (every kNN edge, k = 2, lies along the path)
    const pts: [number, number][] = [];
    for (let y = 0; y < 10; y++) pts.push([0, y]);
    for (let x = 1; x <= 5; x++) pts.push([x, 9]);
    for (let y = 8; y >= 0; y--) pts.push([5, y]);
    const unrolled = pts.map((_, i) => [i]);
    expect(demap(pts, unrolled, { k: 2 })).toBe(1);
    expect(demap(pts, pts, { k: 2 })).toBeLessThan(0.9);
  });

  it('refuses mismatched sizes and bad subsamples', () => {
    const X = new Float64Array(20);
    expect(() => demap(X, new Float64Array(18), { dimX: 2, dimY: 2 })).toThrow(RangeError);
    expect(() => demap(X, X, { dimX: 2, dimY: 2, k: 3, subsample: Int32Array.from([0, 1, 20]) })).toThrow(/subsample\[2\]/);
  });

  it('refuses all-equal distances (Spearman of tied ranks: it returned NaN), naming the argument and the point', () => {
    const spread = Float64Array.from({ length: 20 }, (_, i) => Math.sin(i) + i / 7);
    const flat = new Float64Array(20).fill(0.25);
    expect(() => demap(flat, spread, { dimX: 2, dimY: 2, k: 3 })).toThrow(/^demap: X: the geodesic distances of all 45 pairs are equal \(0: every point equals point 0\), so their ranks all tie and the correlation is undefined$/);
    expect(() => demap(spread, flat, { dimX: 2, dimY: 2, k: 3, subsample: Int32Array.from([4, 2, 7]) })).toThrow(/^demap: Y: the embedding distances of all 3 pairs are equal \(0: every point equals point 4\)/);
    // the corners of a simplex tie every pair without equal points
    const simplex = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
    const Y = simplex.concat(Array.from({ length: 7 }, (_, i) => [i, 9, 9]));
    expect(() => demap(spread, Y, { dimX: 2, k: 3, subsample: Int32Array.from([0, 1, 2]) })).toThrow(/^demap: Y: the embedding distances of all 3 pairs are equal \(1\.414\d*\), so/);
  });
});
