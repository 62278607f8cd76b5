/**
 * lyapunovSpectrum's defaults (the guarded QR interval with its after-the-fact check; float32 frame
 * products for the top 8 of 64) against QR every step in float64, beyond the benchmark network of
 * default-interval.test.ts: a 64-unit tanh RNN from ordered to strongly chaotic (g = 0.5 … 6), run
 * autonomously and driven by noise, by short pulses (which saturate it) and by a square wave
 * (saturated for 100 steps at a time). Every exponent within 3 standard errors, the standard error
 * floored at the rounding one QR may leave in a log R_jj, spread over the run: n·ε·maxCondition for
 * float64 products (condition ≤ CHECKED_MAX_CONDITION = 1e10, the default of a checked run), √n·2⁻²⁴·100 for the float32 ones of the top 8 (bound 100),
 * divided by the steps. (An orbit that settles on a fixed point has constant Jacobians; there both
 * runs agree to rounding, ≈ 1e-12, while their standard error goes to 1e-15.)
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import type { Tensor } from '../../src/core/tensor.js';
import { lyapunovSpectrum } from '../../src/lyapunov/index.js';
import { CHECKED_MAX_CONDITION } from '../../src/lyapunov/spectrum.js';
import type { Rnn } from '../../src/rnn/types.js';

const n = 64;

function network(g: number): Rnn {
  const rng = createRng(5);
  const t = (shape: number[], f: () => number): Tensor => ({ shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, f) });
  const wRec = t([n, n], () => (g * rng.normal()) / Math.sqrt(n));
  return { activation: 'tanh', params: { wIn: t([n, 1], () => rng.normal()), wRec, b: t([n], () => 0), wOut: t([1, n], () => 0), bOut: t([1], () => 0) } };
}

type Drive = 'none' | 'noise' | 'pulse' | 'square';

function drive(kind: Drive, T: number): Tensor {
  const rng = createRng(11);
  const at = (t: number) => (kind === 'noise' ? rng.normal() : kind === 'pulse' ? (t % 37 < 2 ? 8 : 0) : Math.floor(t / 100) % 2 ? 4 : -4);
  return { shape: [1, T, 1], data: Float32Array.from({ length: T }, (_, t) => at(t)) };
}

describe('the defaults keep the exponents of QR every step across gains and drives (3 standard errors)', () => {
  for (const g of [0.5, 1, 3, 6]) {
    for (const kind of ['none', 'noise', 'pulse', 'square'] as const) {
      it(`g = ${g}, ${kind === 'none' ? 'autonomous' : `driven by ${kind}`}: full spectrum and top 8`, () => {
        const rnn = network(g);
        for (const [k, steps] of [[n, 1500], [8, 3000]] as const) {
          const opts = kind === 'none'
            ? { k, steps, seed: 1 }
            : { inputs: drive(kind, steps + 400), k, steps, warmup: 200, frameWarmup: 200, seed: 1 };
          const dflt = lyapunovSpectrum(rnn, opts);
          const every = lyapunovSpectrum(rnn, { ...opts, reorthEvery: 1, productPrecision: 'float64' });
          const floor = (k === n ? n * Number.EPSILON * CHECKED_MAX_CONDITION : Math.sqrt(n) * 2 ** -24 * 100) / steps;
          for (let i = 0; i < k; i++) {
            const se = Math.max(every.stderr[i], floor);
            expect(Math.abs(dflt.exponents[i] - every.exponents[i]) / se, `k = ${k}, exponent ${i}`).toBeLessThan(3);
          }
        }
      });
    }
  }
});

/**
 * relu networks: a unit below 0 gives its Jacobian row exactly 0, so products have exact zero
 * directions (−∞ exponents, rank-bound.test.ts). The interval rule reads the spread of the finite
 * growth rates only (the −∞ columns are behind the rest in the QR and cannot disturb them), so the
 * guarded interval applies to relu networks too, with the same −∞ exponents and the finite ones
 * within 3 standard errors (floored as above) of QR every step.
 */
describe('relu networks: the guarded interval keeps QR every step\'s exponents, −∞ ones included', () => {
  for (const g of [0.8, 1.2]) {
    for (const kind of ['noise', 'pulse'] as const) {
      it(`g = ${g}, bias 0.1, driven by ${kind}`, () => {
        const rng = createRng(3);
        const t = (shape: number[], f: () => number): Tensor => ({ shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, f) });
        const wIn = t([n, 1], () => rng.normal());
        const wRec = t([n, n], () => (g * rng.normal()) / Math.sqrt(n));
        const rnn: Rnn = { activation: 'relu', params: { wIn, wRec, b: t([n], () => 0.1), wOut: t([1, n], () => 0), bOut: t([1], () => 0) } };
        const steps = 2000;
        const opts = { inputs: drive(kind, steps + 400), k: n, steps, warmup: 200, frameWarmup: 200, seed: 1 };
        let qrs = 0;
        const dflt = lyapunovSpectrum(rnn, { ...opts, onReorthonormalize: () => qrs++ });
        const every = lyapunovSpectrum(rnn, { ...opts, reorthEvery: 1 });
        expect(qrs).toBeLessThan(0.5 * (steps + 200)); // the interval is in use (it was 1 while any column was −∞)
        const floor = (n * Number.EPSILON * CHECKED_MAX_CONDITION) / steps;
        const minusInf = every.exponents.filter((v) => v === -Infinity).length;
        expect(minusInf).toBeGreaterThan(0);
        for (let i = 0; i < n; i++) {
          if (every.exponents[i] === -Infinity) {
            expect(dflt.exponents[i], `exponent ${i}`).toBe(-Infinity);
            continue;
          }
          const se = Math.max(every.stderr[i], floor);
          expect(Math.abs(dflt.exponents[i] - every.exponents[i]) / se, `exponent ${i}`).toBeLessThan(3);
        }
      });
    }
  }
});
