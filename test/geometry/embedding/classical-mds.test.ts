import { describe, expect, it } from 'vitest';
import { classicalMds } from '../../../src/geometry/embedding/classical-mds.js';
import { pairwiseDistances } from '../../../src/geometry/embedding/mds.js';
import { createRng } from '../../../src/core/rng.js';

describe('classical MDS', () => {
  it('recovers a right triangle', () => {
    const { embedding } = classicalMds([[0, 3, 4], [3, 0, 5], [4, 5, 0]], { dims: 2 });
    const D = pairwiseDistances(embedding, 3, 2);
    expect(Math.abs(D[1]! - 3)).toBeLessThanOrEqual(1e-13);
    expect(Math.abs(D[2]! - 4)).toBeLessThanOrEqual(1e-13);
    expect(Math.abs(D[5]! - 5)).toBeLessThanOrEqual(1e-13);
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
      // the eigenproblem is solved to ~1e-10 relative; distances inherit that
      expect(err).toBeLessThanOrEqual(1e-7 * big);
    });
  }

  it('rejects matrices that are not distance matrices', () => {
    expect(() => classicalMds([[0, 1], [2, 0]])).toThrow(/symmetric/);
    expect(() => classicalMds([[1, 1], [1, 0]])).toThrow(/\[0\]\[0\] must be 0/);
    expect(() => classicalMds([[0, 1, 2], [1, 0, 3]])).toThrow(/square/);
  });
});
