/**
 * lyapunovSpectrum's default algorithm (a QR every ≤ 16 steps, guarded by the frame's condition
 * number) against its own QR-every-step float64 result, on the benchmark networks of
 * bench/lyapunov.bench.ts (autonomous tanh RNN, W_ij ~ N(0, g²/n), g = 1.5): every exponent within
 * 3 standard errors, and the default really re-orthonormalizes less often.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import type { Tensor } from '../../src/core/tensor.js';
import { lyapunovSpectrum } from '../../src/lyapunov/index.js';
import { CHECKED_MAX_CONDITION } from '../../src/lyapunov/spectrum.js';
import { initRnn } from '../../src/rnn/index.js';
import type { Rnn } from '../../src/rnn/types.js';

/** The network of bench/lyapunov.bench.ts. */
function benchRnn(n: number): Rnn {
  const rng = createRng(1);
  const t = (shape: number[], f: () => number): Tensor => ({ shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, f) });
  return {
    activation: 'tanh',
    params: {
      wIn: t([n, 1], () => 0),
      wRec: t([n, n], () => (1.5 * rng.normal()) / Math.sqrt(n)),
      b: t([n], () => 0),
      wOut: t([1, n], () => 0),
      bOut: t([1], () => 0),
    },
  };
}

describe('the default QR interval keeps the exponents of QR every step (3 standard errors)', () => {
  const cases: [n: number, k: number, steps: number][] = [
    [32, 32, 3000],
    [32, 8, 3000],
    [64, 64, 1000],
    [64, 8, 2000],
    [128, 128, 300],
    [128, 8, 1500],
    [200, 200, 120],
    [200, 8, 1000],
  ];
  for (const [n, k, steps] of cases) {
    it(`n = ${n}, k = ${k === n ? `${k} (full)` : k}`, () => {
      const rnn = benchRnn(n);
      const rng = createRng(2);
      const x0 = Float64Array.from({ length: n }, () => 0.5 * rng.normal());
      const base = { k, steps, warmup: 200, x0 };
      let qrEvery = 0;
      const every = lyapunovSpectrum(rnn, { ...base, reorthEvery: 1, onReorthonormalize: () => qrEvery++ });
      let qrDefault = 0;
      const dflt = lyapunovSpectrum(rnn, { ...base, onReorthonormalize: () => qrDefault++ });
      expect(qrEvery).toBe(steps + 100); // frame warm-up 100 + counted steps
      expect(qrDefault).toBeLessThan(0.75 * qrEvery); // the default does skip QRs
      expect(every.stationary).toBe(false); // the test is not on a fixed point (at n = 32 λ1 ≈ 0)
      expect(every.exponents[k - 1]).toBeLessThan(every.exponents[0] - 0.01); // a spread to guard
      for (let i = 0; i < k; i++) {
        const se = every.stderr[i];
        expect(Number.isFinite(se) && se > 0).toBe(true);
        expect(Math.abs(dflt.exponents[i] - every.exponents[i])).toBeLessThanOrEqual(3 * se);
      }
    });
  }
});

/**
 * P uncoupled Hénon maps (a = 1.4, b = 0.3) as one system of dimension 2P > 16, where the default
 * takes the guarded interval: det J = (−b)^P at every step, so Σλ = P·ln b exactly, and the copies'
 * columns align along the unstable directions without their norms showing it (the case that made
 * dimensions ≤ 16 take a QR every step). The sum is checked against the identity, each exponent
 * against QR every step.
 */
function henonCopies(P: number): { dim: number; step: (x: Float64Array, t: number, out: Float64Array) => Float64Array; jacobian: (x: Float64Array, t: number, out: Float64Array) => Float64Array } {
  const n = 2 * P, a = 1.4, b = 0.3;
  return {
    dim: n,
    step(x, _t, out) {
      for (let p = 0; p < P; p++) {
        const u = x[2 * p], v = x[2 * p + 1];
        out[2 * p] = 1 - a * u * u + v;
        out[2 * p + 1] = b * u;
      }
      return out;
    },
    jacobian(x, _t, out) {
      out.fill(0);
      for (let p = 0; p < P; p++) {
        const i = 2 * p;
        out[i * n + i] = -2 * a * x[i];
        out[i * n + i + 1] = 1;
        out[(i + 1) * n + i] = b;
      }
      return out;
    },
  };
}

describe('the default QR interval above dimension 16: uncoupled Hénon maps', () => {
  for (const P of [10, 20]) {
    it(`P = ${P} (dimension ${2 * P}): Σλ = P·ln b to 2nε·maxCondition, every exponent within 3 standard errors of QR every step`, () => {
      const sys = henonCopies(P);
      const x0 = Float64Array.from({ length: 2 * P }, (_, i) => 0.1 + 0.01 * i);
      const base = { steps: 20000, warmup: 100, frameWarmup: 50, x0 };
      let qrDefault = 0;
      const dflt = lyapunovSpectrum(sys, { ...base, onReorthonormalize: () => qrDefault++ });
      const every = lyapunovSpectrum(sys, { ...base, reorthEvery: 1 });
      expect(qrDefault).toBeLessThan(0.5 * (20000 + 50)); // the guarded interval is in use
      const sum = (e: Float64Array): number => e.reduce((s, v) => s + v, 0);
      // a QR every step: the logs' rounding, ≈ n·ε per step; the guarded interval: each QR's log-det is
      // exact for a product perturbed by ε·κ relative in each of its n directions, κ ≤ maxCondition
      // (CHECKED_MAX_CONDITION = 1e10 by default)
      const n = 2 * P, EPS = 2 ** -52;
      expect(Math.abs(sum(every.exponents) - P * Math.log(0.3))).toBeLessThan(4 * n * EPS);
      expect(Math.abs(sum(dflt.exponents) - P * Math.log(0.3))).toBeLessThan(2 * n * EPS * CHECKED_MAX_CONDITION);
      for (let i = 0; i < 2 * P; i++) {
        expect(Math.abs(dflt.exponents[i] - every.exponents[i])).toBeLessThanOrEqual(3 * every.stderr[i]);
      }
    });
  }
});

/**
 * The gated cells, driven by N(0, 1) inputs as in bench/gated.bench.ts: the LSTM's exponents on
 * [h; c] span ≈ 9 per step, so its default interval is 2 steps (ln 1e10 / 9), the GRU's longer.
 */
describe('the default QR interval on gated cells (3 standard errors of QR every step)', () => {
  for (const cell of ['gru', 'lstm'] as const) {
    it(`${cell}, H = 48, full spectrum`, () => {
      const rnn = initRnn({ cell, inputSize: 4, hiddenSize: 48, outputSize: 2, seed: 3 });
      const rng = createRng(9);
      const steps = 1500;
      const inputs: Tensor = { shape: [1, steps + 300, 4], data: Float32Array.from({ length: (steps + 300) * 4 }, () => rng.normal()) };
      const base = { inputs, steps, warmup: 200, frameWarmup: 100, seed: 1 };
      let qrDefault = 0;
      const dflt = lyapunovSpectrum(rnn, { ...base, onReorthonormalize: () => qrDefault++ });
      const every = lyapunovSpectrum(rnn, { ...base, reorthEvery: 1 });
      const k = dflt.exponents.length;
      expect(k).toBe(cell === 'lstm' ? 96 : 48);
      expect(qrDefault).toBeLessThan(0.75 * (steps + 100));
      for (let i = 0; i < k; i++) {
        const se = every.stderr[i];
        expect(Number.isFinite(se) && se > 0).toBe(true);
        expect(Math.abs(dflt.exponents[i] - every.exponents[i]), `exponent ${i}`).toBeLessThanOrEqual(3 * se);
      }
    });
  }
});
