import { describe, expect, it } from 'vitest';
import { pairwiseDistances, smacofRaw } from '../../../src/geometry/embedding/mds.js';
import { createRng } from '../../../src/core/rng.js';

describe('pairwise distances', () => {
  it('direct and Gram paths agree with the definition', () => {
    const rng = createRng(4);
    for (const d of [2, 30]) {
      const n = 50;
      const x = Float64Array.from({ length: n * d }, () => rng.normal() + 10);
      const D = pairwiseDistances(x, n, d);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < d; p++) s += (x[i * d + p]! - x[j * d + p]!) ** 2;
        // Gram path: cancellation error ≈ c·d·ε·‖x_c‖² on the squared distance (centred data)
        expect(Math.abs(D[i * n + j]! ** 2 - s)).toBeLessThanOrEqual(1e-12 * d * 10);
        expect(D[i * n + j]).toBe(D[j * n + i]);
      }
    }
  });
});

describe('SMACOF', () => {
  it('recovers a configuration from its distances (stress → 0) from a perturbed start', () => {
    const rng = createRng(8);
    const n = 40, dims = 2;
    const truth = Float64Array.from({ length: n * dims }, () => rng.normal());
    const D = pairwiseDistances(truth, n, dims);
    const Y = truth.map((v) => v + 0.2 * rng.normal());
    const res = smacofRaw(D, n, Y, dims, 3000, 1e-12);
    const E = pairwiseDistances(Y, n, dims);
    let err = 0;
    for (let e = 0; e < n * n; e++) err = Math.max(err, Math.abs(E[e]! - D[e]!));
    expect(err).toBeLessThan(1e-5);
    expect(res.stress).toBeLessThan(1e-9);
  });

  it('never increases the stress (majorization)', () => {
    const rng = createRng(9);
    const n = 30;
    // non-Euclidean targets: random dissimilarities
    const D = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) { const v = 1 + rng(); D[i * n + j] = v; D[j * n + i] = v; }
    const Y = Float64Array.from({ length: n * 2 }, () => rng.normal());
    const stresses: number[] = [];
    smacofRaw(D, n, Y, 2, 200, -Infinity, (_, s) => stresses.push(s));
    expect(stresses.length).toBe(200);
    for (let t = 1; t < stresses.length; t++) expect(stresses[t]!).toBeLessThanOrEqual(stresses[t - 1]! * (1 + 1e-12));
  });
});
