import { describe, expect, it } from 'vitest';
import { findKnee, vonNeumannEntropy } from '../../../src/geometry/embedding/entropy.js';

describe('von Neumann entropy', () => {
  it('matches the closed form for a two-state chain', () => {
    // P = [[1−a, a], [b, 1−b]] has eigenvalues 1 and 1 − a − b (trace and determinant).
    const a = 0.2, b = 0.3;
    const lam = 1 - a - b;
    const H = vonNeumannEntropy([1, lam], 30);
    for (let t = 1; t <= 30; t++) {
      const e1 = 1 / (1 + lam ** t);
      const e2 = lam ** t / (1 + lam ** t);
      const expected = -(e1 * Math.log(e1) + e2 * Math.log(e2));
      expect(Math.abs(H[t - 1]! - expected)).toBeLessThanOrEqual(8 * 2.2e-16);
    }
  });

  it('is ln m for m equal moduli at every t (signs ignored), and 0 for a single nonzero eigenvalue', () => {
    const H = vonNeumannEntropy([1, -1, 1, -1], 5);
    for (const h of H) expect(Math.abs(h - Math.log(4))).toBeLessThanOrEqual(4 * 2.2e-16);
    const H0 = vonNeumannEntropy([0.9, 0, 0], 5);
    for (const h of H0) expect(h).toBe(0);
  });

  it('does not underflow at large t with tiny eigenvalues', () => {
    const H = vonNeumannEntropy([1, 1e-3, 1e-200], 100);
    for (let t = 1; t < 100; t++) {
      expect(Number.isFinite(H[t]!)).toBe(true);
      expect(H[t]!).toBeGreaterThanOrEqual(0);
      expect(H[t]!).toBeLessThanOrEqual(H[t - 1]!);
    }
    // at t = 100 the second weight is exp(100·ln 1e-3) ≈ 1e-300: H ≈ 690.8e-300, still representable
    expect(Math.abs(H[99]! / (100 * Math.log(1e3) * 1e-300) - 1)).toBeLessThan(1e-6);
  });
});

describe('findKnee', () => {
  it('reproduces PHATE’s docstring example (exp(−x/10), x = 0..19 → 8)', () => {
    const x = Array.from({ length: 20 }, (_, i) => i);
    expect(findKnee(x.map((v) => Math.exp(-v / 10)), x)).toBe(8);
  });

  it('finds the corner of a piecewise-linear curve', () => {
    // slope −3 up to x = 6, then slope −0.1: both fitted lines are exact only with the break at 6
    const x = Array.from({ length: 40 }, (_, i) => i + 1);
    const y = x.map((v) => (v <= 6 ? 30 - 3 * v : 12 - 0.1 * (v - 6)));
    expect(findKnee(y, x)).toBe(6);
  });

  it('rejects short or unsorted input', () => {
    expect(() => findKnee([1, 2])).toThrow(RangeError);
    expect(() => findKnee([1, 2, 3], [0, 2, 1])).toThrow(/increasing/);
    expect(() => findKnee([1, NaN, 3])).toThrow(/non-finite/);
  });
});
