/**
 * Factored steps (src/lyapunov/factored-step.ts): a Jacobian given as J = F_1·F_0, the frame
 * re-orthonormalized after each factor. The check is exact: for a constant J the exponents are the
 * logs of its eigenvalues' moduli, here of J = A·diag(1, δ) with a column scaled by δ = 1e-14, which
 * one QR of J·Q per step (a dense orthonormal Q) resolves only to ε·‖J‖/δ ≈ 1 %.
 */
import { describe, expect, it } from 'vitest';
import { createEstimatorInternal } from '../../src/lyapunov/estimator-core.js';
import { resolveEstimatorOptions } from '../../src/lyapunov/estimator-options.js';

const delta = 1e-14;
const A = Float64Array.of(0.5, 1, 1.5, 2); // row-major, det 0.5 − 1.5 = −0.5
const D = Float64Array.of(1, 0, 0, delta);
const J = Float64Array.of(A[0], A[1] * delta, A[2], A[3] * delta);
// eigenvalues of the 2×2 J: λ1 + λ2 = tr, λ1·λ2 = det; the small one as det/λ1 (no cancellation)
const tr = J[0] + J[3];
const det = -0.5 * delta;
const big = (tr + Math.sign(tr) * Math.sqrt(tr * tr - 4 * det)) / 2;
const exact = [Math.log(Math.abs(big)), Math.log(Math.abs(det / big))];

function run(factored: boolean, reorthEvery: number, seed: number) {
  const est = createEstimatorInternal({ ...resolveEstimatorOptions({ dim: 2, reorthEvery, frameWarmup: 20, seed }, 'test'), replay: reorthEvery > 1 ? reorthEvery : 0 });
  const steps = 400;
  for (let t = 0; t < steps + 20; t++) {
    if (factored) {
      expect(est.flush()).toBe(0);
      est.commitFactors([D, A], 2, t);
    } else {
      est.jacobianBuffer().set(J);
      est.commitJacobian(t);
    }
  }
  return est.result();
}

describe('commitFactors', () => {
  it('resolves a column of J scaled by 1e-14: both exponents to 1e-12 of log|eigenvalue|, whatever the seed; J·Q itself misses the small one', () => {
    for (const seed of [1, 2, 3]) {
      for (const every of [1, 4]) {
        const r = run(true, every, seed);
        expect(r.steps).toBe(400);
        for (let i = 0; i < 2; i++) expect(Math.abs(r.exponents[i] - exact[i])).toBeLessThan(1e-12 * Math.abs(exact[i]) + 1e-12);
      }
    }
    const plain = run(false, 1, 1);
    expect(Math.abs(plain.exponents[1] - exact[1])).toBeGreaterThan(1e-4);
  });

  it('counts one step per factored step and refuses a non-finite factor, naming it', () => {
    const est = createEstimatorInternal({ ...resolveEstimatorOptions({ dim: 2, frameWarmup: 0, seed: 1 }, 'lyapunovSpectrum'), replay: 0 });
    est.commitFactors([D, A], 2, 0);
    expect(est.result().steps).toBe(1);
    expect(() => est.commitFactors([D, Float64Array.of(1, NaN, 0, 1)], 2, 1)).toThrow(/lyapunovSpectrum: the Jacobian at step 1 has NaN at \(0, 1\) in its factor 1/);
    expect(est.result().steps).toBe(1);
  });
});
