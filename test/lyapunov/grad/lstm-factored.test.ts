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
import { logAbsDet, lstmMeanLogDet } from '../log-det.js';
import { central } from './central-difference.js';
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
  return { n, params, exact, tape, delta: () => referenceRounding(H, T - warmup - frameWarmup, exact(), w) };
}

const EPS = Number.EPSILON;

/**
 * The rounding of lstmMeanLogDet over `counted` steps: it adds counted·(4H + 1) logs, all ≤ 0 but
 * log|det W_o|, whose sizes therefore add to counted·(|mean| + 2·|log|det W_o||); recursive summation
 * is off by at most γ_N of that (LU's ≈ H²·ε·κ(W_o) on log|det W_o| is far below it).
 */
const referenceRounding = (H: number, counted: number, mean: number, wRec: ArrayLike<number>) =>
  counted * (4 * H + 1) * EPS * (Math.abs(mean) + 2 * Math.abs(logAbsDet(wRec, H, 3 * H * H)));

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
          // a QR's Σ log R_ii moves by ≈ tr(A⁻¹ΔA) ≤ n·γ_n·κ (Householder's backward error), κ read as the
          // R_ii spread (a lower bound on κ), plus the reference's rounding
          expect(Math.abs(sum - ex)).toBeLessThanOrEqual(c.n * c.n * EPS * tape.spread + c.delta());
          const grads = c.params.map((p) => new Float64Array(p.length));
          tape.backward(new Float64Array(c.n).fill(1), grads, 1);
          let gmax = 0;
          for (const g of grads) for (const v of g) gmax = Math.max(gmax, Math.abs(v));
          const delta = c.delta();
          for (let pi = 0; pi < 4; pi++) {
            const p = c.params[pi];
            for (let j = 0; j < p.length; j++) {
              const v = p[j], h = 1e-6 * Math.max(1, Math.abs(v));
              const { fd, bound } = central((d) => { p[j] = v + d; const f = c.exact(); p[j] = v; return f; }, h, delta);
              worstGrad = Math.max(worstGrad, Math.abs(fd - grads[pi][j]) / gmax);
              // central differences' truncation and rounding (central-difference.ts) and the rounding ε·|v| of the step,
              // plus the reverse pass's, which the spread multiplies (exponents-core.ts): n²·ε·spread·max|g|
              expect(Math.abs(fd - grads[pi][j])).toBeLessThanOrEqual(bound + (EPS * Math.abs(v) / h) * Math.abs(fd) + c.n * c.n * EPS * tape.spread * gmax);
            }
          }
        }
    // one QR per step: Σλ up to 0.16 off, the gradient up to 1.0 of its largest entry
    expect(worstSum).toBeLessThan(1e-8); // measured 4.1e-9 (the largest spreads, 4.8e9); the derived per-case bound is above
    // measured 1.0e-6, not central differences' truncation (fd at h/4, h, 4h agree to 1e-8): the tape's own rounding,
    // ≈ ε·spread·max|g| at spread 4.8e9 (seed 3, H = 5, sw = 3, bs = 8), which the derived bound above allows
    expect(worstGrad).toBeLessThan(1e-4);
    expect(checked).toBeGreaterThan(30);
    expect(factored).toBeGreaterThan(20);
  });

  it('the pulse-driven 16-unit LSTM (which it refused with one QR per step): Σλ is the identity, the smallest exponent −6.90, and the gradient the identity\'s', () => {
    const H = 16, I = 2, T = 1400;
    const { rnn, inputs } = pulsedLstm(T);
    const data = inputs.data;
    const p = rnn.params;
    const exact = () => lstmMeanLogDet(H, I, { wIn: p.wIn.data, wRec: p.wRec.data, bIn: p.bIn.data, bRec: p.bRec.data }, data, 300, T);
    // probabilistic rounding of exact() (Higham & Mary 2019, λ = 5): 5·√N·(ε/2)·Σ|terms|, N = 1100·(4H + 1) logs
    const probabilistic = (mean: number) => (referenceRounding(H, T - 300, mean, p.wRec.data) / ((T - 300) * (4 * H + 1))) * 5 * Math.sqrt((T - 300) * (4 * H + 1)) / 2;
    const g = lyapunovValueAndGrad(rnn, { inputs, k: 2 * H, warmup: 200, frameWarmup: 100, seed: 1 });
    const ex = exact();
    expect(Math.abs(g.exponents.reduce((a, b) => a + b, 0) - ex)).toBeLessThan(1e-9 * Math.abs(ex));
    // a bound from the QRs' spread (n²·ε·spread, as above) is vacuous here: the run's largest R_ii spread is 1.7e14
    expect(Math.min(...g.exponents)).toBeLessThan(-6.85);
    // the factored steps' extra frames count against maxBytes as they come (they were not counted)
    const base = 8 * tapeFloats(lstmCell(H, I, new Float64Array(4 * H * I), new Float64Array(4 * H * H), new Float64Array(4 * H), new Float64Array(4 * H)), { steps: T, warmup: 200, frameWarmup: 100, k: 2 * H });
    const perStep = 8 * 2 * (2 * H * 2 * H + 2 * H * 2 * H);
    expect(() => lyapunovValueAndGrad(rnn, { inputs, k: 2 * H, warmup: 200, frameWarmup: 100, seed: 1, maxBytes: base + 3 * perStep })).toThrow(
      /^lyapunovValueAndGrad: recording B = 1 sequences of T = 1400 steps with H = 32, k = 32 needs more than maxBytes = .* by sequence 0, whose steps with a saturated gate are taken as three factors/,
    );
    expect(lyapunovValueAndGrad(rnn, { inputs, k: 2 * H, warmup: 200, frameWarmup: 100, seed: 1, maxBytes: base + 200 * perStep }).exponents).toEqual(g.exponents);
    const grads = g.backward(new Float64Array(2 * H).fill(1)) as GatedRnn['params'];
    const delta = probabilistic(ex);
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
      // derived, beside it: Richardson's (4·fd(h) − fd(2h))/3 is off by O(h⁴), |rich(h) − rich(2h)|/15 estimates that;
      // each value of exact() is off by ≤ 5·√N·(ε/2)·(its terms' sizes) (N logs added; Higham & Mary 2019, failure
      // probability < 1e-5), 3δ/h in rich; the gradient is float32 (2⁻²⁴·|g|). Not bounded: the reverse pass's rounding
      // (n²·ε·spread is vacuous here); the fixed steps 2⁻¹⁸..2⁻¹⁶ are float32-exact
      const fdAt = (e: number) => { p.bIn.data[idx] = v + e; const a = exact(); p.bIn.data[idx] = v - e; const b = exact(); p.bIn.data[idx] = v; return (a - b) / (2 * e); };
      const [f2, f4] = [fdAt(2 * h), fdAt(4 * h)];
      const rich = (4 * fd - f2) / 3, rich2 = (4 * f2 - f4) / 3;
      const gi = grads.bIn.data[idx];
      expect(Math.abs(rich - gi)).toBeLessThanOrEqual(Math.abs(rich2 - rich) / 15 + (3 * delta) / h + 2 ** -24 * Math.abs(gi));
    }
  });
});
