/**
 * The differentiable exponents take an LSTM step with a saturated gate (f or |βo| < 2⁻²⁰, or
 * f·|βo| < 2⁻³⁰, in some unit) as J = L·M·D with a QR after each factor, as `lyapunovSpectrum` does (src/lyapunov/grad/
 * lstm-factors.ts). With one QR of J·Q per step the sum of the exponents was up to 16 % off the exact
 * mean log|det J| and the gradient 25 % to 100 % off (relative to its largest entry) on small
 * LSTMs with saturating biases, while the frame's spread stayed under the 2⁵³ the reverse pass is
 * trusted with. The checks are exact: Σλ = mean log|det J| (det J = Π f·Π βo·det W_o, test/
 * lyapunov/log-det.ts) at every parameter value, so the gradient of Σλ is the gradient of that
 * identity, taken here by central differences.
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/rng.js';
import { lstmCell } from '../../../src/lyapunov/grad/gated-cells.js';
import { GRAD_MAX_SPREAD, recordExponents, tapeFloats } from '../../../src/lyapunov/grad/exponents-core.js';
import { randomFrame } from '../../../src/lyapunov/grad/qr-step.js';
import { lyapunovValueAndGrad } from '../../../src/lyapunov/index.js';
import type { GatedRnn } from '../../../src/rnn/index.js';
import { lstmMeanLogDet } from '../log-det.js';
import { pulsedLstm, saturatingWeights } from '../../rnn/gated/saturated-lstms.js';

/** A random LSTM of H units whose weights are scaled by `sw` and input biases by `bs` (saturating gates), T steps of N(0, 1) inputs. */
function saturating(H: number, sw: number, bs: number, seed: number) {
  const I = 2, T = 12, warmup = 2, frameWarmup = 2, n = 2 * H;
  const rng = createRng(seed);
  const normal = () => rng.normal();
  const params = saturatingWeights(H, I, sw, bs, normal);
  const [u, w, bIn, bRec] = params;
  const xs = Float64Array.from({ length: T * I }, () => normal());
  const q0 = randomFrame(n, n, normal);
  const exact = () => lstmMeanLogDet(H, I, { wIn: u, wRec: w, bIn, bRec }, xs, warmup + frameWarmup, T);
  const tape = () => recordExponents(lstmCell(H, I, u, w, bIn, bRec), { steps: T, warmup, frameWarmup, k: n }, xs, new Float64Array(n), q0);
  return { n, params, exact, tape };
}

describe('lyapunovValueAndGrad at saturated LSTM gates', () => {
  it('Σλ equals the exact mean log|det J| and its gradient the identity\'s, on LSTMs of 2–5 units with saturating biases', () => {
    let factored = 0, checked = 0, worstSum = 0, worstGrad = 0;
    for (const seed of [1, 2, 3])
      for (const H of [2, 3, 5])
        for (const [sw, bs] of [[3, 5], [3, 6], [3, 8], [2, 6], [1.5, 8]]) {
          const c = saturating(H, sw, bs, seed * 100 + H);
          const tape = c.tape();
          if (!(tape.spread <= GRAD_MAX_SPREAD)) continue; // refused by lyapunovValueAndGrad
          checked++;
          if (tape.factoredSteps > 0) factored++;
          const ex = c.exact();
          const sum = tape.exponents.reduce((a, b) => a + b, 0);
          worstSum = Math.max(worstSum, Math.abs(sum - ex) / Math.max(1, Math.abs(ex)));
          const grads = c.params.map((p) => new Float64Array(p.length));
          tape.backward(new Float64Array(c.n).fill(1), grads, 1);
          let gmax = 0;
          for (const g of grads) for (const v of g) gmax = Math.max(gmax, Math.abs(v));
          for (let pi = 0; pi < 4; pi++) {
            const p = c.params[pi];
            for (let j = 0; j < p.length; j++) {
              const v = p[j], h = 1e-6 * Math.max(1, Math.abs(v));
              p[j] = v + h;
              const fp = c.exact();
              p[j] = v - h;
              const fm = c.exact();
              p[j] = v;
              worstGrad = Math.max(worstGrad, Math.abs((fp - fm) / (2 * h) - grads[pi][j]) / gmax);
            }
          }
        }
    // one QR per step: Σλ up to 0.16 off, the gradient up to 1.0 of its largest entry
    expect(worstSum).toBeLessThan(1e-8);
    expect(worstGrad).toBeLessThan(1e-4); // central differences' own truncation: ≈ 1e-5 at the worst
    expect(checked).toBeGreaterThan(30);
    expect(factored).toBeGreaterThan(20);
  });

  it('the pulse-driven 16-unit LSTM (which it refused with one QR per step): Σλ is the identity, the smallest exponent −6.90, and the gradient the identity\'s', () => {
    const H = 16, I = 2, T = 1400;
    const { rnn, inputs } = pulsedLstm(T);
    const data = inputs.data;
    const p = rnn.params;
    const exact = () => lstmMeanLogDet(H, I, { wIn: p.wIn.data, wRec: p.wRec.data, bIn: p.bIn.data, bRec: p.bRec.data }, data, 300, T);
    const g = lyapunovValueAndGrad(rnn, { inputs, k: 2 * H, warmup: 200, frameWarmup: 100, seed: 1 });
    const ex = exact();
    expect(Math.abs(g.exponents.reduce((a, b) => a + b, 0) - ex)).toBeLessThan(1e-9 * Math.abs(ex));
    expect(Math.min(...g.exponents)).toBeLessThan(-6.85);
    // the factored steps' extra frames count against maxBytes as they come (they were not counted)
    const base = 8 * tapeFloats(lstmCell(H, I, new Float64Array(4 * H * I), new Float64Array(4 * H * H), new Float64Array(4 * H), new Float64Array(4 * H)), { steps: T, warmup: 200, frameWarmup: 100, k: 2 * H });
    const perStep = 8 * 2 * (2 * H * 2 * H + 2 * H * 2 * H);
    expect(() => lyapunovValueAndGrad(rnn, { inputs, k: 2 * H, warmup: 200, frameWarmup: 100, seed: 1, maxBytes: base + 3 * perStep })).toThrow(
      /^lyapunovValueAndGrad: recording B = 1 sequences of T = 1400 steps with H = 32, k = 32 needs more than maxBytes = .* by sequence 0, whose steps with a saturated gate are taken as three factors/,
    );
    expect(lyapunovValueAndGrad(rnn, { inputs, k: 2 * H, warmup: 200, frameWarmup: 100, seed: 1, maxBytes: base + 200 * perStep }).exponents).toEqual(g.exponents);
    const grads = g.backward(new Float64Array(2 * H).fill(1)) as GatedRnn['params'];
    // forget- and output-gate biases of a few units, by central differences of float32-exact steps
    const h = 2 ** -18; // float32-exact steps; 2⁻¹² is truncation-bound here (0.83 for 0.888)
    for (const idx of [H, H + 5, 3 * H, 3 * H + 7]) {
      const v = p.bIn.data[idx];
      p.bIn.data[idx] = v + h;
      const fp = exact();
      p.bIn.data[idx] = v - h;
      const fm = exact();
      p.bIn.data[idx] = v;
      const fd = (fp - fm) / (2 * h);
      expect(Math.abs(fd - grads.bIn.data[idx])).toBeLessThan(1e-4 * Math.max(1, Math.abs(fd)));
    }
  });
});
