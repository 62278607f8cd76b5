/**
 * Exact zero rows of the Jacobians (a relu unit below 0 has slope 0; a tanh unit past |a| ≈ 4400,
 * where its step is no longer taken as factors, tanh-underflow.test.ts, has sech² exactly 0) bound the rank of every product that contains them. The
 * product of Jacobians D_t·W with generic W has rank min_t rank(D_t W) = dim − max_t (zero rows at
 * t), so exactly that many exponents are −∞. The estimator sets the last k − bound log R_jj of each
 * QR to −∞ (the QR of a product of rank r finds its first r columns independent and the rest in
 * their span); picking the smallest logs instead took a nearly saturated unit's genuine tiny R_jj
 * for a rounded zero and reported 12 −∞ exponents where there are 10.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import type { Tensor } from '../../src/core/tensor.js';
import { lyapunovSpectrum } from '../../src/lyapunov/index.js';
import { rnnSystem } from '../../src/rnn/index.js';
import type { Rnn } from '../../src/rnn/types.js';

const n = 64;

function network(activation: 'tanh' | 'relu', g: number, bias: number): Rnn {
  const rng = createRng(3);
  const t = (shape: number[], f: () => number): Tensor => ({ shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, f) });
  const wRec = t([n, n], () => (g * rng.normal()) / Math.sqrt(n));
  return { activation, params: { wIn: t([n, 1], () => rng.normal()), wRec, b: t([n], () => bias), wOut: t([1, n], () => 0), bOut: t([1], () => 0) } };
}

/** The largest number of exactly zero rows of J over steps from..T−1 of the driven orbit from 0. */
function maxZeroRows(rnn: Rnn, inputs: Tensor, T: number, from: number): number {
  const sys = rnnSystem(rnn, { inputs });
  let h = new Float64Array(n);
  let h2 = new Float64Array(n);
  const J = new Float64Array(n * n);
  let most = 0;
  for (let t = 0; t < T; t++) {
    sys.jacobian(h, t, J);
    let zeros = 0;
    for (let i = 0; i < n; i++) if (J.subarray(i * n, i * n + n).every((v) => v === 0)) zeros++;
    if (t >= from) most = Math.max(most, zeros);
    sys.step(h, t, h2);
    [h, h2] = [h2, h];
  }
  return most;
}

const countMinusInfinity = (e: Float64Array) => Array.from(e).filter((v) => v === -Infinity).length;

describe('exact zero rows: as many −∞ exponents as the most zero rows at one step', () => {
  const T = 3000;
  const cases = [
    // pulses of 1e5 take units past |a| ≈ 4400 at every pulse step, where the tanh adapter's factors
    // stop (MAX_TANH_FACTORS): the plain Jacobian's zero rows, read as −∞ (a pulse of 300 gives finite exponents)
    ['tanh saturated past the factored steps by pulses of 1e5', network('tanh', 1.5, 0), (t: number, r: () => number) => (t % 50 < 3 ? 1e5 : 0) + 0.1 * r()],
    ['relu driven by noise', network('relu', 1.2, 0.1), (_t: number, r: () => number) => r()],
  ] as const;
  for (const [label, rnn, at] of cases) {
    it(label, () => {
      const rng = createRng(7);
      const inputs: Tensor = { shape: [1, T, 1], data: Float32Array.from({ length: T }, (_, t) => at(t, () => rng.normal())) };
      const truth = maxZeroRows(rnn, inputs, T, 200);
      expect(truth).toBeGreaterThan(0);
      const opts = { inputs, k: n, steps: T - 400, warmup: 200, frameWarmup: 200, seed: 1 };
      expect(countMinusInfinity(lyapunovSpectrum(rnn, opts).exponents)).toBe(truth);
      expect(countMinusInfinity(lyapunovSpectrum(rnn, { ...opts, reorthEvery: 1 }).exponents)).toBe(truth);
    });
  }
});
