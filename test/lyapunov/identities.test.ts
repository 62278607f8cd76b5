/**
 * The fuzz campaigns of 2026-12-03 as a standing property test: random small RNNs under the drives
 * that broke the spectrum before (input pulses that saturate units and gates, large noise, constant
 * drives, none), where the full spectrum's Σλ must equal the exact mean log|det J| computed from
 * the weights alone (./log-det.ts), with the library's defaults, a QR every step, and the covariant
 * vectors' forward pass alike. A saturated tanh unit (graded rows), an LSTM's saturated forget gate
 * (a graded column) and a strongly contracting float32 run each broke one of these before; for the
 * GRU, update gates pushed towards 0 or 1 and an interval across pulses whose last column outgrew
 * the first (replay.test.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import type { Tensor } from '../../src/core/tensor.js';
import { covariantLyapunovVectors, lyapunovSpectrum, lyapunovValueAndGrad } from '../../src/lyapunov/index.js';
import { initRnn, rnnSystem, type GatedRnn } from '../../src/rnn/index.js';
import type { Rnn } from '../../src/rnn/types.js';
import { gruMeanLogDet, lstmMeanLogDet, trajectory, vanillaMeanLogDet } from './log-det.js';

type Drive = { kind: 'pulses'; amp: number } | { kind: 'noise'; scale: number } | { kind: 'constant'; value: number };
const drive: fc.Arbitrary<Drive> = fc.oneof(
  fc.record({ kind: fc.constant('pulses' as const), amp: fc.double({ min: 5, max: 100, noNaN: true }) }),
  fc.record({ kind: fc.constant('noise' as const), scale: fc.constantFrom(0.1, 1, 5) }),
  fc.record({ kind: fc.constant('constant' as const), value: fc.double({ min: -40, max: 40, noNaN: true }) }),
);

/** T steps of the drive on I inputs (pulses: two steps in 37, alternating signs across inputs, on N(0, 0.1²)). */
function inputsOf(d: Drive, T: number, I: number, seed: number): Tensor {
  const r = createRng(seed);
  const data = new Float32Array(T * I);
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < I; i++) {
      data[t * I + i] = d.kind === 'pulses' ? (t % 37 < 2 ? (i % 2 === 0 ? d.amp : -d.amp) : 0) + 0.1 * r.normal() : d.kind === 'noise' ? d.scale * r.normal() : d.value;
    }
  }
  return { shape: [1, T, I], data };
}

const sum = (e: Float64Array) => Array.from(e).reduce((a, b) => a + b, 0);
/** |a − b| within 1e-7 of the size (the default interval's rounding, ≈ 2n·ε·1e10, with room). */
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-7 * Math.max(1, Math.abs(b));

describe('Σλ = mean log|det J| on random driven RNNs (property)', () => {
  it('vanilla tanh: the default full spectrum, a QR every step and the covariant vectors', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 20 }), fc.constantFrom(0.5, 1, 1.5, 3), drive, fc.integer({ min: 0, max: 1e6 }), (H, g, d, seed) => {
        const rng = createRng(seed);
        const t = (shape: number[], f: () => number): Tensor => ({ shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, f) });
        const rnn: Rnn = {
          activation: 'tanh',
          params: { wIn: t([H, 1], () => rng.normal()), wRec: t([H, H], () => (g * rng.normal()) / Math.sqrt(H)), b: t([H], () => 0.1 * rng.normal()), wOut: t([1, H], () => 0), bOut: t([1], () => 0) },
        };
        const T = 400, warmup = 50, frameWarmup = 30, steps = 300;
        const inputs = inputsOf(d, T, 1, seed + 1);
        const states = trajectory(rnnSystem(rnn, { inputs }), T); // a chaotic net: along the library's own orbit
        const exact = vanillaMeanLogDet(H, 1, { w: rnn.params.wRec.data, u: rnn.params.wIn.data, b: rnn.params.b.data }, inputs.data, warmup + frameWarmup, warmup + frameWarmup + steps, states);
        const opts = { inputs, warmup, frameWarmup, steps, seed: 1 };
        expect(close(sum(lyapunovSpectrum(rnn, opts).exponents), exact)).toBe(true);
        expect(close(sum(lyapunovSpectrum(rnn, { ...opts, reorthEvery: 1 }).exponents), exact)).toBe(true);
        const c = covariantLyapunovVectors(rnn, { inputs: { shape: [T, 1], data: inputs.data }, warmup, frameWarmup, steps, backwardWarmup: 20, seed: 1 });
        expect(close(sum(c.exponents), exact)).toBe(true);
      }),
      { numRuns: 16, seed: 20261203 },
    );
  });

  it('LSTM on [h; c]: the default full spectrum and a QR every step', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 10 }), fc.constantFrom(1, 3), drive, fc.integer({ min: 0, max: 1e6 }), (H, gain, d, seed) => {
        const rnn = initRnn({ cell: 'lstm', inputSize: 2, hiddenSize: H, outputSize: 1, gain, seed }) as GatedRnn;
        const T = 400, warmup = 50, frameWarmup = 30, steps = 300;
        const inputs = inputsOf(d, T, 2, seed + 1);
        const p = rnn.params;
        const states = trajectory(rnnSystem(rnn, { inputs }), T);
        const exact = lstmMeanLogDet(H, 2, { wIn: p.wIn.data, wRec: p.wRec.data, bIn: p.bIn.data, bRec: p.bRec.data }, inputs.data, warmup + frameWarmup, warmup + frameWarmup + steps, states);
        fc.pre(Number.isFinite(exact)); // a gate rounded to exactly 0 or 1 (|pre-activation| > 745): −∞ is then right
        const opts = { inputs, warmup, frameWarmup, steps, seed: 1 };
        expect(close(sum(lyapunovSpectrum(rnn, opts).exponents), exact)).toBe(true);
        expect(close(sum(lyapunovSpectrum(rnn, { ...opts, reorthEvery: 1 }).exponents), exact)).toBe(true);
      }),
      { numRuns: 16, seed: 20261203 },
    );
  });

  it('GRU: the default full spectrum, an interval of 8, the covariant vectors and the differentiable exponents', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 16 }), fc.constantFrom(0.5, 1, 3), fc.constantFrom(0, -8, 8), fc.constantFrom(0, 3, -5), drive, fc.integer({ min: 0, max: 1e6 }),
        (H, gain, zShift, nShift, d, seed) => {
          const rnn = initRnn({ cell: 'gru', inputSize: 2, hiddenSize: H, outputSize: 1, gain, seed }) as GatedRnn;
          const p = rnn.params;
          for (let m = 0; m < H; m++) {
            p.bIn.data[H + m] += zShift; // update gates towards 0 or 1
            p.bIn.data[2 * H + m] += nShift; // candidates towards ±1
          }
          const T = 400, warmup = 50, frameWarmup = 30, steps = 300;
          const inputs = inputsOf(d, T, 2, seed + 1);
          const states = trajectory(rnnSystem(rnn, { inputs }), T);
          const exact = gruMeanLogDet(H, 2, { wIn: p.wIn.data, wRec: p.wRec.data, bIn: p.bIn.data, bRec: p.bRec.data }, inputs.data, warmup + frameWarmup, warmup + frameWarmup + steps, states);
          fc.pre(Number.isFinite(exact));
          const opts = { inputs, warmup, frameWarmup, steps, seed: 1 };
          expect(close(sum(lyapunovSpectrum(rnn, opts).exponents), exact)).toBe(true);
          // a checked interval: within its bound's rounding, ε·maxCondition·100 per QR on the smallest R_jj
          expect(Math.abs(sum(lyapunovSpectrum(rnn, { ...opts, reorthEvery: 8 }).exponents) - exact)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(exact)));
          const c = covariantLyapunovVectors(rnn, { inputs: { shape: [T, 2], data: inputs.data }, warmup, frameWarmup, steps, backwardWarmup: 20, seed: 1 });
          expect(close(sum(c.exponents), exact)).toBe(true);
          // the differentiable exponents count every step after the warm-ups, to the end of the inputs
          const all = gruMeanLogDet(H, 2, { wIn: p.wIn.data, wRec: p.wRec.data, bIn: p.bIn.data, bRec: p.bRec.data }, inputs.data, warmup + frameWarmup, T, states);
          expect(close(sum(lyapunovValueAndGrad(rnn, { inputs, k: H, warmup, frameWarmup, seed: 1 }).exponents), all)).toBe(true);
        },
      ),
      { numRuns: 16, seed: 20261203 },
    );
  });
});

