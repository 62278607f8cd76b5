/**
 * The differentiable gated cells' tangent map at saturated gates: each derivative term taken from
 * the pre-activation, so a term that stands alone keeps its digits (r(1 − r), o(1 − o), 1 − tanh²
 * of the rounded gate values lose them: 1 − o at a_o = 28 is 6.9e-13, read from o to 1.6e-4). The
 * GRU cell's are tested through its exponents (../differentiable.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { lstmCell } from '../../../src/lyapunov/grad/gated-cells.js';

const sigmoidPrime = (a: number) => Math.exp(-a) / (1 + Math.exp(-a)) ** 2; // a > 0 here

describe('lstmCell.tangent at a saturated output gate', () => {
  it('h-row = σ′(a_o)·(W_o·q_h)·tanh(c′) to 1e-14 where it is the only term (W_i = W_f = W_g = 0)', () => {
    for (const ao of [5, 20, 28, 35]) {
      const H = 2, I = 1;
      const u = new Float64Array(4 * H * I), w = new Float64Array(4 * H * H);
      const bIn = new Float64Array(4 * H), bRec = new Float64Array(4 * H);
      for (let m = 0; m < H; m++) {
        bIn[3 * H + m] = ao; // o = σ(a_o + W_o·h), h = 0 below
        w[(3 * H + m) * H + (1 - m)] = 0.7 + m; // W_o
        bIn[2 * H + m] = 0.3; // g = tanh(0.3), i = f = 1/2: c′ = f·c + i·g
      }
      const cell = lstmCell(H, I, u, w, bIn, bRec);
      const s = Float64Array.of(0, 0, 0.4, -0.2); // [h; c]
      const out = new Float64Array(2 * H), cache = new Float64Array(cell.cacheSize);
      cell.step(s, new Float64Array(I), out, cache);
      const q = Float64Array.of(1, 0.5, 0, 0); // one column, q_c = 0
      const z = new Float64Array(2 * H);
      cell.tangent(s, cache, q, 1, z);
      for (let m = 0; m < H; m++) {
        const c = 0.5 * s[H + m] + 0.5 * Math.tanh(0.3);
        const want = sigmoidPrime(ao) * (0.7 + m) * q[1 - m] * Math.tanh(c);
        expect(Math.abs(z[m] - want)).toBeLessThanOrEqual(1e-14 * Math.abs(want));
        expect(z[H + m]).toBe(0); // dc = 0: the c-row
      }
    }
  });
});
