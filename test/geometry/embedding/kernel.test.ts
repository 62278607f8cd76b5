import { describe, expect, it } from 'vitest';
import { alphaDecayKernelRaw } from '../../../src/geometry/embedding/kernel.js';
import { csrToDense } from '../../../src/geometry/embedding/sparse.js';
import { createRng } from '../../../src/core/rng.js';

/** The kernel from its definition, densely: σ_i = distance to the k-th neighbour, then (K + Kᵀ)/2. */
function bruteKernel(x: Float64Array, n: number, d: number, k: number, alpha: number, thresh: number): Float64Array {
  const D = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = 0; p < d; p++) s += (x[i * d + p]! - x[j * d + p]!) ** 2;
    D[i * n + j] = Math.sqrt(s);
  }
  const K = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const row = Array.from(D.subarray(i * n, (i + 1) * n)).filter((_, j) => j !== i).sort((a, b) => a - b);
    const sigma = row[k - 1]!;
    for (let j = 0; j < n; j++) {
      const a = i === j ? 1 : Math.exp(-Math.pow(D[i * n + j]! / sigma, alpha));
      K[i * n + j] = a >= thresh ? a : 0;
    }
  }
  const S = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) S[i * n + j] = (K[i * n + j]! + K[j * n + i]!) / 2;
  return S;
}

describe('α-decay kernel', () => {
  it('matches a hand computation on four points of a line', () => {
    // points 0, 1, 3, 6; k = 1 → σ = [1, 1, 2, 3]; α = 2; entries below 1e-4 dropped
    const x = new Float64Array([0, 1, 3, 6]);
    const { kernel, bandwidth } = alphaDecayKernelRaw(x, 4, 1, 1, 2, 1e-4);
    expect(Array.from(bandwidth)).toEqual([1, 1, 2, 3]);
    const e = Math.exp;
    const expected = [
      [1, e(-1), (e(-9) + e(-2.25)) / 2, e(-4) / 2],
      [e(-1), 1, (e(-4) + e(-1)) / 2, e(-25 / 9) / 2],
      [(e(-9) + e(-2.25)) / 2, (e(-4) + e(-1)) / 2, 1, (e(-2.25) + e(-1)) / 2],
      [e(-4) / 2, e(-25 / 9) / 2, (e(-2.25) + e(-1)) / 2, 1],
    ];
    const K = csrToDense(kernel);
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) expect(Math.abs(K[i * 4 + j]! - expected[i]![j]!)).toBeLessThanOrEqual(4 * 2.2e-16);
    }
    // every pair is linked in at least one direction
    expect(kernel.indptr[4]).toBe(16);
  });

  it('drops one-sided affinities below the threshold before symmetrizing', () => {
    // thresh 0.05 drops K_02 = e^{-9}, K_03 = e^{-36}, K_13 = e^{-25}, K_30 = e^{-4} (0.018)
    const x = new Float64Array([0, 1, 3, 6]);
    const { kernel } = alphaDecayKernelRaw(x, 4, 1, 1, 2, 0.05);
    const K = csrToDense(kernel);
    const e = Math.exp;
    expect(Math.abs(K[2]! - e(-2.25) / 2)).toBeLessThanOrEqual(2.2e-16);
    expect(K[3]).toBe(0);
    expect(Math.abs(K[1 * 4 + 3]! - e(-25 / 9) / 2)).toBeLessThanOrEqual(2.2e-16);
    expect(kernel.indptr[4]).toBe(14);
  });

  it('equals the dense definition on random clouds, including the wide-support (radius scan) path', () => {
    const rng = createRng(11);
    for (const [n, d, k, alpha] of [[150, 3, 5, 40], [200, 5, 3, 1], [120, 2, 2, 5]] as const) {
      const x = Float64Array.from({ length: n * d }, () => rng.normal());
      const thresh = 1e-4;
      const { kernel } = alphaDecayKernelRaw(x, n, d, k, alpha, thresh);
      const K = csrToDense(kernel);
      const B = bruteKernel(x, n, d, k, alpha, thresh);
      for (let e = 0; e < n * n; e++) {
        // same operations on the same distances except rounding in the distance sums
        expect(Math.abs(K[e]! - B[e]!)).toBeLessThanOrEqual(64 * alpha * 2.2e-16);
      }
    }
  });
});
