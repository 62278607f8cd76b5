/**
 * An LSTM step whose forget gate saturates scales a c-column of its Jacobian by f ≈ 1e-15: J·Q with
 * a dense orthonormal Q keeps that direction only to ε/f, so one QR per step (the library's before
 * 2026-12-03, and the seed studies' PyTorch code) got the smallest exponents wrong by ≈ 0.5 and the
 * sum off the exact identity by 0.5, moving with the random frame. The adapter now hands such steps
 * over as J = L·M·D (src/rnn/gated/system.ts, lstmFactors), the frame re-orthonormalized after each.
 * The check is exact: for the LSTM's [h; c] map det J = Π f_m · Π βo_m · det W_o (subtract γ times
 * the c rows from the h rows), βo = tanh(c')·o·(1 − o), computed here from the weights.
 */
import { describe, expect, it } from 'vitest';
import type { Tensor } from '../../../src/core/tensor.js';
import { covariantLyapunovVectors, lyapunovSpectrum, lyapunovValueAndGrad } from '../../../src/lyapunov/index.js';
import { initRnn, rnnSystem, type GatedRnn } from '../../../src/rnn/index.js';
import { lstmMeanLogDet } from '../../lyapunov/log-det.js';
import { pairSaturatedLstm, pulsedLstm } from './saturated-lstms.js';

const H = 16, I = 2;

/** The exact mean log|det J_t| over steps start..end−1 (test/lyapunov/log-det.ts). */
const meanLogDet = (rnn: GatedRnn, inputs: Tensor, start: number, end: number): number =>
  lstmMeanLogDet(H, I, { wIn: rnn.params.wIn.data, wRec: rnn.params.wRec.data, bIn: rnn.params.bIn.data, bRec: rnn.params.bRec.data }, inputs.data, start, end);

const total = (e: Float64Array) => Array.from(e).reduce((a, b) => a + b, 0);

describe('LSTM steps with a saturated forget or output gate', () => {
  it('Σλ is the exact mean log|det J| (≈ −74.14; one QR of J·Q per step gave −73.63 to −73.64), the default and a QR every step alike, whatever the frame\'s seed', () => {
    const T = 1400;
    const { rnn, inputs } = pulsedLstm(T);
    const dflt = lyapunovSpectrum(rnn, { inputs, warmup: 200, seed: 1 });
    const start = 200 + (dflt.frameWarmup as number);
    const exact = meanLogDet(rnn, inputs, start, start + dflt.steps);
    expect(exact).toBeCloseTo(-74.14, 2);
    // the default interval closes at each factored step; the sum is exact to rounding (≈ 1e-10 relative)
    expect(Math.abs(total(dflt.exponents) - exact)).toBeLessThan(1e-9 * Math.abs(exact));
    const every = [1, 2].map((seed) => lyapunovSpectrum(rnn, { inputs, warmup: 200, seed, reorthEvery: 1 }));
    for (const r of every) expect(Math.abs(total(r.exponents) - exact)).toBeLessThan(1e-9 * Math.abs(exact));
    // the smallest exponent, which the unfactored steps put at −6.42, agrees across seeds and schedules
    const low = (r: { exponents: Float64Array }) => r.exponents[2 * H - 1];
    expect(low(every[0])).toBeLessThan(-6.85);
    expect(Math.abs(low(every[0]) - low(every[1]))).toBeLessThan(1e-3);
    expect(Math.abs(low(dflt) - low(every[0]))).toBeLessThan(3 * Math.hypot(dflt.stderr[2 * H - 1], every[0].stderr[2 * H - 1]));
  });

  it('covariantLyapunovVectors factors those steps in its forward pass: its exponents sum to the exact mean log|det J| (one QR per step gave −73.84 for −74.35)', () => {
    const T = 1400;
    const { rnn, inputs } = pulsedLstm(T);
    const seq: Tensor = { shape: [T, I], data: inputs.data };
    const c = covariantLyapunovVectors(rnn, { inputs: seq, warmup: 200, frameWarmup: 100, steps: 900, backwardWarmup: 100 });
    const exact = meanLogDet(rnn, inputs, 300, 1200);
    expect(Math.abs(total(c.exponents) - exact)).toBeLessThan(1e-9 * Math.abs(exact));
    const s = lyapunovSpectrum(rnn, { inputs, warmup: 200, frameWarmup: 100, steps: 900, reorthEvery: 1, seed: 1 });
    // each exponent as the spectrum's over the same window (their frames start apart: within its standard errors)
    for (let i = 0; i < 2 * H; i++) expect(Math.abs(c.exponents[i] - s.exponents[i])).toBeLessThan(3 * s.stderr[i]);
    expect(c.exponents[2 * H - 1]).toBeLessThan(-6.85);
  });

  it('a unit whose forget gate and output-gate slope are both small (f ≈ 1.2e-6, βo ≈ 3e-6: neither below 2⁻²⁰, their product is) is factored too', () => {
    const h = 2, T = 400;
    const { rnn, inputs } = pairSaturatedLstm(T);
    const p = rnn.params;
    const exact = lstmMeanLogDet(h, 1, { wIn: p.wIn.data, wRec: p.wRec.data, bIn: p.bIn.data, bRec: p.bRec.data }, inputs.data, 20, T);
    // with f or |βo| < 2⁻²⁰ as the rule, these steps were one product J·Q: 3.3e-10 relative off
    for (const reorthEvery of [undefined, 1]) {
      const r = lyapunovSpectrum(rnn, { inputs, warmup: 10, frameWarmup: 10, ...(reorthEvery ? { reorthEvery } : {}) });
      expect(Math.abs(total(r.exponents) - exact)).toBeLessThan(1e-13 * Math.abs(exact));
    }
  });

  // lyapunovValueAndGrad factors those steps too (it refused this LSTM before): test/lyapunov/grad/lstm-factored.test.ts

  it('the factors multiply to the Jacobian, and only graded steps are factored', () => {
    const { rnn, inputs } = pulsedLstm(80);
    const sys = rnnSystem(rnn, { inputs }) as ReturnType<typeof rnnSystem> & {
      jacobianFactorCount(x: Float64Array, t: number): number;
      jacobianFactors(x: Float64Array, t: number, out: Float64Array[]): void;
    };
    const n = 2 * H;
    let x = new Float64Array(n), xn = new Float64Array(n);
    const J = new Float64Array(n * n);
    const F = [0, 1, 2].map(() => new Float64Array(n * n));
    const counts: number[] = [];
    for (let t = 0; t < 80; t++) {
      counts.push(sys.jacobianFactorCount(x, t));
      sys.jacobian(x, t, J);
      sys.jacobianFactors(x, t, F);
      // L·M·D against J, entry by entry, to a few ulps of the terms' size
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let v = 0, size = 0;
          for (let a = 0; a < n; a++) {
            const lm = F[2][i * n + a] * F[1][a * n + j];
            v += lm;
            size += Math.abs(lm);
          }
          v *= F[0][j * n + j];
          size *= Math.abs(F[0][j * n + j]);
          expect(Math.abs(v - J[i * n + j])).toBeLessThanOrEqual(8 * n * Number.EPSILON * size);
        }
      }
      sys.step(x, t, xn);
      [x, xn] = [xn, x];
    }
    // the pulses (t mod 38 < 2) saturate gates and are factored; the quiet steps between them are not
    expect(counts.every((c) => c === 0 || c === 3)).toBe(true);
    expect(counts[38]).toBe(3);
    expect(counts.slice(10, 30).every((c) => c === 0)).toBe(true);
    // a GRU has no factors: its steps are never handed over so
    const gru = rnnSystem(initRnn({ cell: 'gru', inputSize: I, hiddenSize: H, outputSize: 1, seed: 1 }), { inputs });
    expect('jacobianFactorCount' in gru).toBe(false);
  });
});
