// Calibration of the standard errors: the spread of estimates over independent starts (or batches)
// against the stderr a single run reports. Measured (docs/lyapunov.md, "Standard errors"): Hénon and
// chaotic tanh RNNs 0.95–1.06; Lorenz-63 at dt = 0.01 0.16–0.6 (conservative: block means carry a
// boundary term that fades only as 1/block length).
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import { henonMap, lorenz63, lyapunovSpectrum } from '../../src/lyapunov/index.js';
import { tanhRnn } from './tanh-rnn.js';

/** sd of the estimates over rms of the reported stderr, per exponent. */
function spreadOverStderr(runs: { exponents: Float64Array; stderr: Float64Array }[]): number[] {
  const k = runs[0].exponents.length;
  const r = runs.length;
  return Array.from({ length: k }, (_, i) => {
    const e = runs.map((x) => x.exponents[i]);
    const m = e.reduce((a, b) => a + b, 0) / r;
    const sd = Math.sqrt(e.reduce((a, b) => a + (b - m) ** 2, 0) / (r - 1));
    const rms = Math.sqrt(runs.reduce((a, x) => a + x.stderr[i] ** 2, 0) / r);
    return sd / rms;
  });
}

/**
 * Four standard errors of sd/σ over r independent runs: (r − 1)·sd²/σ² is χ²(r − 1) for normal
 * estimates, so sd/σ has standard error ≈ 1/√(2(r − 1)) (0.079 at r = 80, 0.101 at r = 50).
 */
const band = (r: number) => 4 / Math.sqrt(2 * (r - 1));
const calibrated = (q: number, r: number) => {
  expect(q).toBeGreaterThan(0.7), expect(q).toBeLessThan(1.4);
  expect(Math.abs(q - 1)).toBeLessThanOrEqual(band(r));
};

/** A point on the Hénon attractor from a random start near the origin. */
function henonStart(u: number): number[] {
  let x = 0.1 * u, y = 0;
  for (let q = 0; q < 50; q++) [x, y] = [1 - 1.4 * x * x + y, 0.3 * x];
  return [x, y];
}

describe('stderr calibration over independent starts', () => {
  it('Hénon: the spread of 80 runs of 4000 steps is the reported stderr (ratio 0.7–1.4)', () => {
    const rng = createRng(1);
    const runs = Array.from({ length: 80 }, () => lyapunovSpectrum(henonMap(), { steps: 4000, x0: henonStart(rng.uniform()) }));
    for (const q of spreadOverStderr(runs)) calibrated(q, runs.length);
  });

  it('chaotic tanh RNN (g = 3, n = 16): the spread of 60 seeded runs is the reported stderr', () => {
    const rnn = tanhRnn(16, 3, 7);
    const runs = Array.from({ length: 60 }, (_, s) => lyapunovSpectrum(rnn, { k: 2, steps: 3000, seed: s + 1 }));
    for (const q of spreadOverStderr(runs)) calibrated(q, runs.length);
  });

  it('driven tanh RNN: the stderr of the mean over sequences is the spread of independent batches', () => {
    const rnn = tanhRnn(16, 2.5, 7);
    const rng = createRng(2);
    const runs = Array.from({ length: 50 }, () => {
      const data = Float32Array.from({ length: 8 * 200 * 2 }, () => rng.normal());
      return lyapunovSpectrum(rnn, { inputs: { shape: [8, 200, 2], data }, k: 2 });
    });
    for (const q of spreadOverStderr(runs)) calibrated(q, runs.length);
  });

  it('Lorenz-63 (dt = 0.01): the stderr is conservative, never below the spread', () => {
    const rng = createRng(3);
    const runs = Array.from({ length: 40 }, () =>
      lyapunovSpectrum(lorenz63(), { steps: 5000, x0: [5 * rng.normal(), 5 * rng.normal(), 20 + 5 * rng.normal()] }),
    );
    // measured 0.16–0.18 here (0.43, 0.18, 0.59 at 10⁵ steps): the error bars of a flow sampled finely
    // are too wide, not too narrow
    // 0.16–0.6 measured: never too narrow (an estimator that fixes the width may reach ≈ 1). 1.4 is below
    // 1 + band(40) = 1.45, four standard errors of sd/σ at r = 40, so it is the stricter and stays
    for (const q of spreadOverStderr(runs)) expect(q).toBeLessThan(1.4);
  });
});
