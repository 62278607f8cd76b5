import { describe, expect, it } from 'vitest';
import { ad, gradientCheck, valueAndGrad, type Var } from '../../src/autodiff/index.js';
import { zeros, type Tensor } from '../../src/core/index.js';
import { EPS32, rand } from './helpers.js';

const B = 3, T = 5, I = 2, H = 4;
const x = rand([B, T, I], 1);
const R = rand([B, T, H], 2); // cotangent weights of the states

function params(seed: number, g = 1.2): { wIn: Tensor; wRec: Tensor; b: Tensor } {
  return { wIn: rand([H, I], seed, 0.8), wRec: rand([H, H], seed + 1, g / Math.sqrt(H)), b: rand([H], seed + 2, 0.3) };
}

/** The same recurrence from elementary ops, step by step. */
function composed(p: { wIn: Var; wRec: Var; b: Var }, xv: Var | Tensor, act: 'tanh' | 'relu' | 'identity', h0?: Var | Tensor): Var {
  let h: Var | Tensor = h0 ?? zeros([B, H]);
  let loss: Var | undefined;
  for (let t = 0; t < T; t++) {
    const a = ad.add(ad.add(ad.matmul(ad.timeStep(xv, t), p.wIn, { transB: true }), ad.matmul(h, p.wRec, { transB: true })), p.b);
    h = act === 'tanh' ? ad.tanh(a) : act === 'relu' ? ad.relu(a) : a;
    const term = ad.sum(ad.mul(h as Var, ad.timeStep(R, t)));
    loss = loss === undefined ? term : ad.add(loss, term);
  }
  return loss!;
}

function fused(p: { wIn: Var; wRec: Var; b: Var }, xv: Var | Tensor, act: 'tanh' | 'relu' | 'identity', h0?: Var | Tensor): Var {
  return ad.sum(ad.mul(ad.rnn(xv, p, { activation: act, h0 }), R));
}

describe('fused rnn op', () => {
  for (const act of ['tanh', 'relu', 'identity'] as const) {
    it(`${act}: gradients of wIn, wRec, b, x and h0 [B,H] match float64 central differences`, () => {
      const r = gradientCheck(
        (p: any) => fused(p, p.x, act, p.h0),
        { ...params(10), x, h0: rand([B, H], 20, 0.5) },
      );
      expect(r.ok ? true : r.worst).toBe(true);
      expect(r.entries.length).toBe(H * I + H * H + H + B * T * I + B * H);
    });
  }
  it('h0 of shape [H] is shared by the batch and its gradient is summed over the batch', () => {
    const r = gradientCheck((p: any) => fused(p, x, 'tanh', p.h0), { ...params(30), h0: rand([H], 31, 0.5) });
    expect(r.ok ? true : r.worst).toBe(true);
  });
  for (const act of ['tanh', 'relu', 'identity'] as const) {
    it(`${act}: fused equals the composition of elementary ops (value and every gradient)`, () => {
      const P = { ...params(40, 1.5), x, h0: rand([B, H], 41, 0.5) };
      for (const dtype of ['float64', 'float32'] as const) {
        const f = valueAndGrad((p: any) => fused(p, p.x, act, p.h0), { dtype })(P);
        const c = valueAndGrad((p: any) => composed(p, p.x, act, p.h0), { dtype })(P);
        // float64: only the summation order differs; float32: ≲ T·(I+H+1) roundings per value
        const tol = dtype === 'float64' ? 1e-12 : 20 * T * (I + H + 1) * EPS32;
        const scale = Math.max(1, Math.abs(c.value));
        expect(Math.abs(f.value - c.value)).toBeLessThan(tol * scale);
        for (const k of ['wIn', 'wRec', 'b', 'x', 'h0'] as const) {
          const gf = (f.grads as Record<string, Tensor>)[k].data, gc = (c.grads as Record<string, Tensor>)[k].data;
          let gmax = 1;
          for (const v of gc) gmax = Math.max(gmax, Math.abs(v));
          for (let i = 0; i < gc.length; i++) expect(Math.abs(gf[i] - gc[i])).toBeLessThan(tol * gmax);
        }
      }
    });
  }
  it('gradients flow through the states into a readout and cross-entropy on the last step', () => {
    const P = { ...params(50), wOut: rand([3, H], 51), bOut: rand([3], 52) };
    const r = gradientCheck((p: any) => {
      const last = ad.timeStep(ad.rnn(x, p), -1);
      return ad.softmaxCrossEntropy(ad.add(ad.matmul(last, p.wOut, { transB: true }), p.bOut), [0, 2, 1]);
    }, P);
    expect(r.ok ? true : r.worst).toBe(true);
  });
  it('rejects mismatched shapes naming the argument', () => {
    const p = params(60);
    expect(() => ad.rnn(rand([B, T, I + 1], 1), p)).toThrow(/rnn: x must have shape \[B,T,2\].*got \[3,5,3\]/);
    expect(() => ad.rnn(x, p, { h0: zeros([B + 1, H]) })).toThrow(/rnn: h0 must have shape \[3,4\] \(\[B,H\]\) or \[4\] \(\[H\]\), got \[4,4\]/);
    expect(() => ad.rnn(x, { ...p, b: zeros([H + 1]) })).toThrow(/rnn: b must have shape \[4\]/);
    expect(() => ad.rnn(x, p, { activation: 'gelu' as 'tanh' })).toThrow(RangeError);
  });
});
