/**
 * The LSTM's factors J = L·M·D of the differentiable exponents (src/lyapunov/grad/lstm-factors.ts),
 * factor by factor: L·M·D·q is the cell's own tangent J·q; each factor's reverse is its transpose
 * (⟨z̄, F·δq⟩ = ⟨q̄, δq⟩ to rounding, q̄ overwritten); through a whole step the reverse of the
 * three factors and `finish` gives the gradient of ⟨z̄, L·M·D·q⟩ + ⟨h̄', F(h)⟩ with respect to the
 * cache-dependent coefficients (parameters and state) as central differences do, and as the
 * unfactored reverse does. lstm-factored.test.ts checks Σλ with k = n, where the loss does not
 * depend on the frame; here k < n with random weights c, against central differences of the
 * taped exponents. Also: the rule that grades a step is the adapter's (rnn/gated/system.ts).
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/rng.js';
import { lstmCell } from '../../../src/lyapunov/grad/gated-cells.js';
import { recordExponents } from '../../../src/lyapunov/grad/exponents-core.js';
import { randomFrame } from '../../../src/lyapunov/grad/qr-step.js';
import { lyapunovValueAndGrad } from '../../../src/lyapunov/index.js';
import { rnnSystem, type GatedRnn } from '../../../src/rnn/index.js';
import { lstmMeanLogDet } from '../log-det.js';
import { central } from './central-difference.js';
import { pairSaturatedLstm, pulsedLstm, saturatingWeights } from '../../rnn/gated/saturated-lstms.js';

const EPS = Number.EPSILON;
const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};
const maxAbs = (a: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
};

/** A random LSTM (weights × sw, input biases × bs), a state h, an input x. */
function lstm(H: number, sw: number, bs: number, seed: number) {
  const I = 2;
  const rng = createRng(seed);
  const normal = () => rng.normal();
  const params = saturatingWeights(H, I, sw, bs, normal);
  const [u, w, bIn, bRec] = params;
  const x = Float64Array.from({ length: I }, () => normal());
  const h = Float64Array.from({ length: 2 * H }, () => normal() * 0.5);
  return { I, params, x, h, normal, cell: lstmCell(H, I, u, w, bIn, bRec) };
}

describe('the LSTM factors of the differentiable exponents', () => {
  it('L·M·D·q is the tangent J·q, and each factor\'s reverse is its transpose (q̄ overwritten)', () => {
    for (const seed of [1, 2, 3]) {
      for (const H of [2, 5]) {
        for (const [sw, bs] of [[1, 1], [3, 5]]) {
          const c = lstm(H, sw, bs, seed * 10 + H);
          const n = 2 * H, k = n - 1, fac = c.cell.factors!;
          const cache = new Float64Array(c.cell.cacheSize);
          c.cell.step(c.h, c.x, new Float64Array(n), cache);
          const q = Float64Array.from({ length: n * k }, c.normal);
          const z = new Float64Array(n * k);
          c.cell.tangent(c.h, cache, q, k, z);
          const ins = [q, new Float64Array(n * k), new Float64Array(n * k)];
          const zf = new Float64Array(n * k);
          fac.apply(0, c.h, cache, ins[0], k, ins[1]);
          fac.apply(1, c.h, cache, ins[1], k, ins[2]);
          fac.apply(2, c.h, cache, ins[2], k, zf);
          for (let i = 0; i < n * k; i++) expect(Math.abs(zf[i] - z[i])).toBeLessThanOrEqual(16 * n * EPS * maxAbs(z));
          for (let f = 0; f < 3; f++) {
            const zBar = Float64Array.from({ length: n * k }, c.normal);
            const dq = Float64Array.from({ length: n * k }, c.normal);
            const Fdq = new Float64Array(n * k);
            fac.apply(f, c.h, cache, dq, k, Fdq);
            const qBar = new Float64Array(n * k).fill(1e3); // stale values: must be overwritten
            fac.begin(new Float64Array(n));
            fac.applyBar(f, c.h, cache, ins[f], k, zBar, qBar, c.params.map((p) => new Float64Array(p.length)), new Float64Array(n));
            const a = dot(zBar, Fdq), b = dot(qBar, dq);
            expect(Math.abs(a - b)).toBeLessThanOrEqual(64 * n * k * EPS * (maxAbs(zBar) * maxAbs(Fdq) + maxAbs(qBar) * maxAbs(dq)));
          }
        }
      }
    }
  });

  it('through a step, the factors\' reverse and finish give the gradient of ⟨z̄, L·M·D·q⟩ + ⟨h̄\', F(h)⟩ (central differences, and the unfactored reverse)', () => {
    for (const seed of [1, 2]) {
      for (const H of [2, 4]) {
        const c = lstm(H, 2, 3, seed * 10 + H);
        const n = 2 * H, k = n - 1, fac = c.cell.factors!;
        const q = Float64Array.from({ length: n * k }, c.normal);
        const zBar = Float64Array.from({ length: n * k }, c.normal);
        const nb = Float64Array.from({ length: n }, c.normal);
        // φ and Φ = Σ|z̄_i z_i| + Σ|h̄'_i F_i|, the size of the sums φ adds
        const terms = (h: Float64Array) => {
          const cache = new Float64Array(c.cell.cacheSize), out = new Float64Array(n);
          c.cell.step(h, c.x, out, cache);
          const a = new Float64Array(n * k), b = new Float64Array(n * k), z = new Float64Array(n * k);
          fac.apply(0, h, cache, q, k, a);
          fac.apply(1, h, cache, a, k, b);
          fac.apply(2, h, cache, b, k, z);
          let size = 0;
          for (let i = 0; i < n * k; i++) size += Math.abs(zBar[i] * z[i]);
          for (let i = 0; i < n; i++) size += Math.abs(nb[i] * out[i]);
          return { phi: dot(zBar, z) + dot(nb, out), size };
        };
        const phi = (h: Float64Array) => terms(h).phi;
        // φ's rounding: each z_i is three factors' sums of ≤ 4H + 2 terms, then n·k + n products are added
        const deltaPhi = (3 * (4 * (n / 2) + 2) + n * k + n) * EPS * terms(c.h).size;
        const cache = new Float64Array(c.cell.cacheSize);
        c.cell.step(c.h, c.x, new Float64Array(n), cache);
        const q1 = new Float64Array(n * k), q2 = new Float64Array(n * k);
        fac.apply(0, c.h, cache, q, k, q1);
        fac.apply(1, c.h, cache, q1, k, q2);
        const grads = c.params.map((p) => new Float64Array(p.length));
        const hBar = new Float64Array(n).fill(7); // begin zeroes it
        const b2 = new Float64Array(n * k), b1 = new Float64Array(n * k), b0 = new Float64Array(n * k);
        fac.begin(hBar);
        fac.applyBar(2, c.h, cache, q2, k, zBar, b2, grads, hBar);
        fac.applyBar(1, c.h, cache, q1, k, b2, b1, grads, hBar);
        fac.applyBar(0, c.h, cache, q, k, b1, b0, grads, hBar);
        fac.finish(c.h, c.x, cache, nb, hBar, grads);
        // the unfactored reverse of the same step
        const g2 = c.params.map((p) => new Float64Array(p.length));
        const hBar2 = new Float64Array(n), qBar2 = new Float64Array(n * k);
        c.cell.backward(c.h, c.x, cache, q, k, nb, zBar, hBar2, qBar2, g2);
        const gmax = Math.max(...g2.map(maxAbs));
        // the two reverses add the same products in other orders, sums of ≤ n·k + 4H terms each: γ ≤ (n·k + 4H)·ε
        // (≤ 72ε = 1.6e-14 here, where 1e-13 was picked; measured ≤ 0.044 of it)
        const sumsOf = (n * k + 4 * (n / 2)) * EPS;
        for (let pi = 0; pi < 4; pi++) {
          const p = c.params[pi];
          for (let j = 0; j < p.length; j++) {
            expect(Math.abs(grads[pi][j] - g2[pi][j])).toBeLessThanOrEqual(sumsOf * gmax);
            const v = p[j], e = 1e-6 * Math.max(1, Math.abs(v));
            const { fd, bound } = central((d) => { p[j] = v + d; const f = phi(c.h); p[j] = v; return f; }, e, deltaPhi);
            expect(Math.abs(fd - grads[pi][j])).toBeLessThanOrEqual(1e-7 * gmax);
            // derived (measured ≤ 0.015 of it): truncation and rounding as in central(); and the step v ± e itself is rounded by ε·|v|, a relative ε·|v|/e of the quotient
            expect(Math.abs(fd - grads[pi][j])).toBeLessThanOrEqual(bound + (EPS * Math.abs(v) / e) * Math.abs(fd));
          }
        }
        for (let j = 0; j < n; j++) {
          expect(Math.abs(hBar[j] - hBar2[j])).toBeLessThanOrEqual(sumsOf * maxAbs(hBar2));
          const v = c.h[j];
          const { fd, bound } = central((d) => { const hd = c.h.slice(); hd[j] = v + d; return phi(hd); }, 1e-6, deltaPhi);
          expect(Math.abs(fd - hBar[j])).toBeLessThanOrEqual(1e-7 * maxAbs(hBar2));
          // derived, as for the parameters (measured ≤ 0.008 of it)
          expect(Math.abs(fd - hBar[j])).toBeLessThanOrEqual(bound + (EPS * Math.abs(v) / 1e-6) * Math.abs(fd));
        }
        for (let j = 0; j < n * k; j++) {
          expect(Math.abs(b0[j] - qBar2[j])).toBeLessThanOrEqual(sumsOf * maxAbs(qBar2));
        }
      }
    }
  });

  it('with k < n and unequal weights c (the frame matters), the tape\'s gradient is the central differences\' of the taped exponents, frame warm-up or not', () => {
    let checked = 0;
    for (const [seed, H, sw, bs] of [[1, 3, 3, 4], [2, 3, 3, 5], [1, 4, 2, 3], [3, 2, 2, 6]]) {
      for (const frameWarmup of [0, 2]) {
        const I = 2, n = 2 * H, T = 12, warmup = 2, k = n - 1;
        const rng = createRng(seed * 100 + H);
        const normal = () => rng.normal();
        const params = saturatingWeights(H, I, sw, bs, normal);
        const [u, w, bIn, bRec] = params;
        const xs = Float64Array.from({ length: T * I }, () => normal());
        const q0 = randomFrame(n, k, normal);
        const cw = Float64Array.from({ length: k }, () => normal());
        const tape = () => recordExponents(lstmCell(H, I, u, w, bIn, bRec), { steps: T, warmup, frameWarmup, k }, xs, new Float64Array(n), q0);
        const value = () => dot(cw, tape().exponents);
        const t0 = tape();
        if (t0.factoredSteps === 0 || !(t0.spread < 1e8)) continue;
        checked++;
        const grads = params.map((p) => new Float64Array(p.length));
        t0.backward(cw, grads, 1);
        const gmax = Math.max(...grads.map(maxAbs));
        for (let pi = 0; pi < 4; pi++) {
          const p = params[pi];
          for (let j = 0; j < p.length; j++) {
            const v = p[j];
            const fd = (e: number) => {
              p[j] = v + e;
              const a = value();
              p[j] = v - e;
              const b = value();
              p[j] = v;
              return (a - b) / (2 * e);
            };
            const f1 = fd(1e-4);
            const rich = (4 * fd(5e-5) - f1) / 3; // Richardson: truncation O(e⁴), rounding ≈ 1e-11/e
            expect(Math.abs(rich - grads[pi][j])).toBeLessThanOrEqual(1e-5 * gmax);
            // derived (measured ≤ 0.068 of it; looser than 1e-5·gmax where the spread is 5e6, kept beside it): truncation h⁴/480·|f⁽⁵⁾| (h = 1e-4), 16× as much at 2h: |rich(2h) − rich(h)|/15 estimates it;
            // rounding: each value off by δ gives 3δ/h in rich, δ = Σ|c_i|·n·ε·spread (a QR's log R_ii move by n·ε·κ, κ ≥ the R_ii spread)
            const rich2 = (4 * f1 - fd(2e-4)) / 3;
            const delta = cw.reduce((a, b) => a + Math.abs(b), 0) * n * EPS * t0.spread;
            expect(Math.abs(rich - grads[pi][j])).toBeLessThanOrEqual(Math.abs(rich2 - rich) / 15 + (4 * delta) / 1e-4);
          }
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(6);
  });

  it('a unit with f and |βo| above 2⁻²⁰ but f·|βo| below 2⁻³⁰ is factored here too: Σλ is the identity to rounding (one product J·Q: 4e-10 off)', () => {
    const h = 2, T = 400;
    const { rnn, inputs } = pairSaturatedLstm(T);
    const p = rnn.params;
    const exact = lstmMeanLogDet(h, 1, { wIn: p.wIn.data, wRec: p.wRec.data, bIn: p.bIn.data, bRec: p.bRec.data }, inputs.data, 20, T);
    const g = lyapunovValueAndGrad(rnn, { inputs, warmup: 10, frameWarmup: 10, k: 2 * h, seed: 1 });
    const sum = Array.from(g.exponents).reduce((a, b) => a + b, 0);
    // 1e-13·|Σλ| is about the worst case of adding the T = 380 counted logs, T·ε·Σ|λ_i| (2.9e-12 vs 3.3e-12);
    // the QR's own term, n²·ε·κ per step, is not bounded here (lyapunovValueAndGrad reports no spread). Measured 1.4e-14 (2 ulps).
    expect(Math.abs(sum - exact)).toBeLessThan(1e-13 * Math.abs(exact));
  });

  it('grades the same steps as the spectrum\'s adapter (rnnSystem\'s jacobianFactorCount), on pulses, the product rule and quiet steps', () => {
    const cases: { rnn: GatedRnn; data: Float32Array; T: number; I: number }[] = [];
    for (const [T, I, make] of [[160, 2, pulsedLstm], [200, 1, pairSaturatedLstm]] as const) {
      const { rnn, inputs } = make(T);
      cases.push({ rnn, data: inputs.data as Float32Array, T, I });
    }
    const counts: number[][] = [];
    for (const { rnn, data, T, I } of cases) {
      const H = rnn.params.wRec.shape[1], n = 2 * H;
      const sys = rnnSystem(rnn, { inputs: { shape: [1, T, I], data } }) as ReturnType<typeof rnnSystem> & { jacobianFactorCount(x: Float64Array, t: number): number };
      const p = rnn.params;
      const cell = lstmCell(H, I, Float64Array.from(p.wIn.data), Float64Array.from(p.wRec.data), Float64Array.from(p.bIn.data), Float64Array.from(p.bRec.data));
      const cache = new Float64Array(cell.cacheSize);
      let x = new Float64Array(n), xn = new Float64Array(n);
      let graded = 0, byProduct = 0;
      for (let t = 0; t < T; t++) {
        cell.step(x, Float64Array.from(data.subarray(t * I, (t + 1) * I)), new Float64Array(n), cache);
        const mine = cell.factors!.graded(cache);
        expect(mine, `t = ${t}`).toBe(sys.jacobianFactorCount(x, t) > 0);
        if (mine) graded++;
        // graded by the product f·|βo| alone: neither f nor |βo| below 2⁻²⁰ in any unit
        let single = false;
        for (let m = 0; m < H; m++) single ||= cache[H + m] < 2 ** -20 || Math.abs(cache[8 * H + m] * cache[4 * H + m]) < 2 ** -20;
        if (mine && !single) byProduct++;
        sys.step(x, t, xn);
        [x, xn] = [xn, x];
      }
      counts.push([graded, byProduct]);
    }
    // pulses: graded steps and quiet ones; the product rule: steps graded by it alone
    expect(counts[0][0]).toBeGreaterThan(0);
    expect(counts[0][0]).toBeLessThan(160);
    expect(counts[1][1]).toBeGreaterThan(0);
  });
});
