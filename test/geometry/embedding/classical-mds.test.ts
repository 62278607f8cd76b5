import { describe, expect, it } from 'vitest';
import { classicalMds } from '../../../src/geometry/embedding/classical-mds.js';
import { pairwiseDistances } from '../../../src/geometry/embedding/mds.js';
import { createRng } from '../../../src/core/rng.js';

const EPS = Number.EPSILON;

describe('classical MDS', () => {
  it('recovers a right triangle', () => {
    const { embedding } = classicalMds([[0, 3, 4], [3, 0, 5], [4, 5, 0]], { dims: 2 });
    const D = pairwiseDistances(embedding, 3, 2);
    // B = −½JD²J and its eigenpairs to c·n·ε·‖B‖ (‖B‖ ≤ max d² = 25), coordinates √λ·v and distances
    // inherit a relative c·n·ε of the largest distance: 16·n·ε·5 = 5.3e-14 (1e-13 was picked); measured ≤ 0.017 of it
    const tol = 16 * 3 * EPS * 5;
    expect(Math.abs(D[1]! - 3)).toBeLessThanOrEqual(tol);
    expect(Math.abs(D[2]! - 4)).toBeLessThanOrEqual(tol);
    expect(Math.abs(D[5]! - 5)).toBeLessThanOrEqual(tol);
  });

  for (const n of [50, 400]) {
    it(`recovers a 3-D configuration exactly up to rigid motion (n = ${n}, ${n > 200 ? 'subspace iteration' : 'dense'})`, () => {
      const rng = createRng(n);
      const X = Float64Array.from({ length: n * 3 }, () => rng.normal() * 3);
      const D = pairwiseDistances(X, n, 3);
      const { embedding, shape } = classicalMds(D, { dims: 3, dim: n, seed: 1 });
      expect(shape).toEqual([n, 3]);
      const E = pairwiseDistances(embedding, n, 3);
      let err = 0, big = 0;
      for (let e = 0; e < n * n; e++) { err = Math.max(err, Math.abs(E[e]! - D[e]!)); big = Math.max(big, D[e]!); }
      // B has rank 3 exactly, so the dense solver and subspace iteration (whose block spans the range
      // once its Ritz values settle) both give B's eigenpairs to c·n·ε·‖B‖, and the distances c·n·ε·max d
      // (condition λ₁/λ₃ of the three axes, ≈ 1 for isotropic points, bounded by the sample's)
      expect(err).toBeLessThanOrEqual(16 * n * EPS * big);
    });
  }

  it('rejects matrices that are not distance matrices', () => {
    expect(() => classicalMds([[0, 1], [2, 0]])).toThrow(/symmetric/);
    expect(() => classicalMds([[1, 1], [1, 0]])).toThrow(/\[0\]\[0\] must be 0/);
    expect(() => classicalMds([[0, 1, 2], [1, 0, 3]])).toThrow(/square/);
  });

  it('tests symmetry relative to the matrix\'s scale: a tiny asymmetric matrix is refused, tiny symmetric ones are not', () => {
    // d01 = 1e-10 but d10 = 2e-10: 100% asymmetric (the old absolute floor 1e-8 let it through)
    expect(() => classicalMds([[0, 1e-10], [2e-10, 0]])).toThrow(RangeError);
    expect(() => classicalMds([[0, 1e-10], [2e-10, 0]])).toThrow(/classicalMds: distances must be symmetric.*\[0,1\] = 1e-10 but \[1,0\] = 2e-10/);
    // tiny symmetric matrices: exactly, and to rounding (a relative 1e-12)
    const tri = [[0, 3, 4], [3, 0, 5], [4, 5, 0]];
    for (const s of [1e-200, 2 ** -1000, 1e-12]) {
      const D = tri.map((row) => row.map((v) => v * s));
      const { embedding } = classicalMds(D);
      // the 3-4-5 triangle scaled by s: its legs are recovered (pairwise distances of the embedding)
      const dist = (i: number, j: number) => Math.hypot(embedding[2 * i]! - embedding[2 * j]!, embedding[2 * i + 1]! - embedding[2 * j + 1]!);
      // scaling by s is undone exactly (powers of two) or to ε; then as for the unscaled triangle (1e-7 was picked); measured ≤ 0.0083 of it
      expect(Math.abs(dist(0, 1) / s - 3)).toBeLessThanOrEqual(16 * 3 * EPS * 5);
      D[1]![0] = D[0]![1]! * (1 + 1e-12);
      expect(() => classicalMds(D)).not.toThrow();
    }
  });

  it('gives the same verdict on symmetry at every scale of the distances', () => {
    // a small entry (1e-4 of the largest) asymmetric by 1e-6 relative: negligible at the matrix's scale
    const small = [[0, 1, 1e-4], [1, 0, 1], [1e-4 * (1 + 1e-6), 1, 0]];
    // the largest entry asymmetric by 1e-6 relative: refused
    const large = [[0, 1, 1], [1 + 1e-6, 0, 1], [1, 1, 0]];
    for (const s of [2 ** -900, 1e-100, 1e-9, 1, 1e9, 1e100, 2 ** 900]) {
      expect(() => classicalMds(small.map((row) => row.map((v) => v * s)))).not.toThrow();
      expect(() => classicalMds(large.map((row) => row.map((v) => v * s)))).toThrow(/symmetric/);
    }
  });
});
