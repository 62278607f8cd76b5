/**
 * A tanh unit pushed past |a| ≈ 372.5 has tanh'(a) = 4e^{−2|a|}/(1 + e^{−2|a|})² exactly 0 in
 * float64 (subnormal, its digits going, from |a| ≈ 354): the Jacobian row is then exactly zero,
 * although the true derivative is positive and every true exponent finite. Such steps are taken as
 * factors (src/rnn/tanh-factors.ts); the full spectrum's Σλ must equal the exact mean log|det J|
 * computed from the weights (./log-det.ts), which is finite. Before, it was −∞ (and 1e-6 off where
 * a derivative was subnormal); a relu unit's exact zero stays −∞ (rank-bound.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import type { Tensor } from '../../src/core/tensor.js';
import { covariantLyapunovVectors, lyapunovSpectrum } from '../../src/lyapunov/index.js';
import { rnnSystem } from '../../src/rnn/index.js';
import type { Rnn } from '../../src/rnn/types.js';
import { trajectory, vanillaMeanLogDet } from './log-det.js';

const H = 40;
const sum = (e: Float64Array) => Array.from(e).reduce((a, b) => a + b, 0);

/** W_ij ~ N(0, g²/H), one input with N(0, 1) weights, bias N(0, 0.1²); pulses of `amp` for `width` steps in `every`, zero between. */
function pulsed(g: number, seed: number, amp: number, every: number, width: number, T: number): { rnn: Rnn; inputs: Tensor } {
  const rng = createRng(seed);
  const t = (shape: number[], f: () => number): Tensor => ({ shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, f) });
  const rnn: Rnn = {
    activation: 'tanh',
    params: { wIn: t([H, 1], () => rng.normal()), wRec: t([H, H], () => (g * rng.normal()) / Math.sqrt(H)), b: t([H], () => 0.1 * rng.normal()), wOut: t([1, H], () => 0), bOut: t([1], () => 0) },
  };
  return { rnn, inputs: { shape: [1, T, 1], data: Float32Array.from({ length: T }, (_, i) => (i % every < width ? amp : 0)) } };
}

/** The largest |a| along the orbit, and the exact mean log|det J| over steps from..T−1. */
function exactOf(rnn: Rnn, inputs: Tensor, from: number, T: number): { maxA: number; exact: number } {
  const states = trajectory(rnnSystem(rnn, { inputs }), T);
  const { wRec, wIn, b } = rnn.params;
  let maxA = 0;
  for (let s = 0; s < T; s++) {
    for (let m = 0; m < H; m++) {
      let v = b.data[m] + wIn.data[m] * inputs.data[s];
      for (let l = 0; l < H; l++) v += wRec.data[m * H + l] * states[s * H + l];
      maxA = Math.max(maxA, Math.abs(v));
    }
  }
  return { maxA, exact: vanillaMeanLogDet(H, 1, { w: wRec.data, u: wIn.data, b: b.data }, inputs.data, from, T, states) };
}

describe('tanh units saturated past the float64 range of tanh\'(a)', () => {
  const T = 2000, warmup = 100, frameWarmup = 100;
  const cases = [
    // [g, seed, amp, every, width]: units at |a| up to ≈ 400–2000, and one in the subnormal zone
    [1.5, 1, 350, 37, 1],
    [3, 2, 200, 200, 3],
    [1.5, 2, 1000, 37, 3],
  ] as const;
  for (const [g, seed, amp, every, width] of cases) {
    it(`g = ${g}, pulses of ${amp}: Σλ equals the exact mean log|det J| (finite), defaults and a QR every step (it was −∞)`, () => {
      const { rnn, inputs } = pulsed(g, seed, amp, every, width, T);
      const { maxA, exact } = exactOf(rnn, inputs, warmup + frameWarmup, T);
      expect(maxA).toBeGreaterThan(372.6); // tanh' is exactly 0 in float64 somewhere along the orbit
      expect(Number.isFinite(exact)).toBe(true);
      for (const extra of [{}, { reorthEvery: 1 }, { reorthEvery: 4 }]) {
        const r = lyapunovSpectrum(rnn, { inputs, warmup, frameWarmup, seed: 1, ...extra });
        expect(r.exponents.every(Number.isFinite)).toBe(true);
        // 1e-10 of the size: the default interval's rounding (identities.test.ts allows 1e-7); measured ≤ 4e-11
        expect(Math.abs(sum(r.exponents) - exact)).toBeLessThan(1e-10 * Math.abs(exact));
      }
    });
  }

  it('a derivative in the subnormal range (|a| ≈ 370) keeps its digits: Σλ to 1e-10 (it was 1.1e-6 off)', () => {
    // found by a sweep: g = 1, bias N(0, 1), pulses of 132 for 4 steps in 133; the orbit's largest |a| is 370.6
    const rng = createRng(31);
    const t = (shape: number[], f: () => number): Tensor => ({ shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, f) });
    const rnn: Rnn = {
      activation: 'tanh',
      params: { wIn: t([H, 1], () => rng.normal()), wRec: t([H, H], () => rng.normal() / Math.sqrt(H)), b: t([H], () => rng.normal()), wOut: t([1, H], () => 0), bOut: t([1], () => 0) },
    };
    const inputs: Tensor = { shape: [1, T, 1], data: Float32Array.from({ length: T }, (_, i) => (i % 133 < 4 ? 132 : 0)) };
    const { maxA, exact } = exactOf(rnn, inputs, warmup + frameWarmup, T);
    expect(maxA).toBeGreaterThan(354); // 4e^{−2|a|} below 2^-1022
    expect(maxA).toBeLessThan(372.5);
    const r = lyapunovSpectrum(rnn, { inputs, warmup, frameWarmup, seed: 1 });
    expect(Math.abs(sum(r.exponents) - exact)).toBeLessThan(1e-10 * Math.abs(exact));
  });

  it('covariant vectors: a step whose R_jj (a product of the factors\') leaves float64 is refused, naming it (it was refused as rank-deficient)', () => {
    const { rnn, inputs } = pulsed(1.5, 1, 350, 37, 1, 700);
    const run = () => covariantLyapunovVectors(rnn, { inputs: { shape: [700, 1], data: inputs.data }, warmup: 50, frameWarmup: 50, steps: 500, backwardWarmup: 50, seed: 1 });
    expect(run).toThrow(/below float64's range .* covariant vector \d+ cannot be represented/);
  });
});
