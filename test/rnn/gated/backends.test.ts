import { describe, expect, it } from 'vitest';
import { randn } from '../../../src/core/tensor.js';
import { getKernelBackend, setKernelBackend } from '../../../src/core/wasm/registry.js';
import { initRnn, rnnForward, rnnLoss, type GatedRnn } from '../../../src/rnn/index.js';
import { GATED_F32_FMA, gatedWasm } from '../../../src/rnn/gated/fast.js';
import { gatedRnnOp, type GatedOpParams } from '../../../src/rnn/gated/op.js';
import * as ad from '../../../src/autodiff/ad.js';
import { valueAndGrad } from '../../../src/autodiff/value-and-grad.js';

import { maxRel } from '../../core/wasm/f32-agreement.js';

const EPS32 = 2 ** -24;

function withBackend<R>(b: string, f: () => R): R {
  setKernelBackend('gatedRecurrence', b);
  try {
    return f();
  } finally {
    setKernelBackend('gatedRecurrence', 'auto');
  }
}


describe.skipIf(gatedWasm() === undefined)("the 'gatedRecurrence' kernel backends", () => {
  it("the default is 'wasm-f32-fma' where the engine has relaxed SIMD, else 'wasm-f32'", () => {
    expect(getKernelBackend('gatedRecurrence')).toBe(GATED_F32_FMA.wasm() !== undefined ? 'wasm-f32-fma' : 'wasm-f32');
  });
  // sizes that are not multiples of 4 exercise every padded edge of the arena; H = 90 (Hp = 92, GRU's
  // G·Hp = 276) ends the packed weights' column blocks of 8 with a 4-wide one, and T·Bp = 84 rows
  // makes two weight-gradient slabs
  for (const cell of ['gru', 'lstm'] as const) {
    for (const [B, T, I, H] of [[5, 7, 3, 6], [1, 1, 1, 1], [9, 4, 5, 13], [9, 7, 5, 90], [9, 8, 5, 90]]) {
      it(`${cell} B=${B} T=${T} I=${I} H=${H}: 'wasm-f32' (float32 accumulation) agrees with 'js' (float64 accumulation) on states, cells, loss and every gradient`, () => {
        const rnn = initRnn({ cell, inputSize: I, hiddenSize: H, outputSize: 3, seed: B + H, gain: 1.5 }) as GatedRnn;
        const x = randn([B, T, I], { seed: T });
        const targets = randn([B, T, 3], { seed: 9 });
        // h0 given, except for odd T (without h0 the fast path skips the products with h_{−1} = 0)
        const h0 = T % 2 === 0 ? randn([B, cell === 'lstm' ? 2 * H : H], { seed: 4 }) : undefined;
        const run = () => ({ f: rnnForward(rnn, x, h0), l: rnnLoss(rnn, { x, targets, h0 }) });
        const js = withBackend('js', run);
        const wa = withBackend('wasm-f32', run);
        // float32 round-off of (I + H + 2)-term sums per gate, through T steps
        const tol = 16 * T * (I + H + 2) * EPS32;
        expect(maxRel(wa.f.states.data, js.f.states.data)).toBeLessThanOrEqual(tol);
        if (cell === 'lstm') expect(maxRel(wa.f.cells!.data, js.f.cells!.data)).toBeLessThanOrEqual(tol);
        expect(Math.abs(wa.l.loss - js.l.loss)).toBeLessThanOrEqual(tol * Math.max(1, js.l.loss));
        for (const k of ['wIn', 'wRec', 'bIn', 'bRec', 'wOut', 'bOut'] as const) {
          expect(maxRel(wa.l.grads[k].data, js.l.grads[k].data)).toBeLessThanOrEqual(4 * tol);
        }
      });
    }
    it(`${cell}: without h0, one step (T = 1) has dL/dW_hh = 0 exactly, also after a call with h0 on the same arena`, () => {
      const rnn = initRnn({ cell, inputSize: 3, hiddenSize: 5, outputSize: 2, seed: 1 }) as GatedRnn;
      const x = randn([4, 1, 3], { seed: 1 }), targets = randn([4, 1, 2], { seed: 2 });
      const h0 = randn([4, cell === 'lstm' ? 10 : 5], { seed: 3 });
      withBackend('wasm-f32', () => {
        expect(rnnLoss(rnn, { x, targets, h0 }).grads.wRec.data.some((v) => v !== 0)).toBe(true);
        expect(rnnLoss(rnn, { x, targets }).grads.wRec.data.every((v) => v === 0)).toBe(true);
      });
    });
    it(`${cell}: a backward pass after another forward pass used the arena recomputes its own forward pass (gradients as 'js')`, () => {
      const rnn = initRnn({ cell, inputSize: 3, hiddenSize: 5, outputSize: 2, seed: 1 }) as GatedRnn;
      const x1 = randn([4, 6, 3], { seed: 1 });
      const x2 = randn([3, 5, 3], { seed: 2 }); // other shapes: the second forward pass re-lays the arena
      // one tape, two gated ops: the first op's backward pass runs after the second's forward pass
      const f = (p: GatedOpParams) => ad.add(ad.sum(ad.mul(gatedRnnOp(cell, x1, p, undefined), gatedRnnOp(cell, x1, p, undefined))), ad.sum(gatedRnnOp(cell, x2, p, undefined)));
      const wa = withBackend('wasm-f32', () => valueAndGrad(f)(rnn.params));
      const js = withBackend('js', () => valueAndGrad(f)(rnn.params));
      expect(Math.abs(wa.value - js.value)).toBeLessThanOrEqual(1e-4 * Math.abs(js.value));
      for (const k of ['wIn', 'wRec', 'bIn', 'bRec'] as const) expect(maxRel(wa.grads[k].data, js.grads[k].data)).toBeLessThanOrEqual(1e-4);
    });
  }
  it("'js' is bit-reproducible: two runs give identical bits", () => {
    const rnn = initRnn({ cell: 'lstm', inputSize: 4, hiddenSize: 9, outputSize: 2, seed: 2 });
    const x = randn([6, 5, 4], { seed: 3 });
    const labels = Int32Array.from({ length: 6 }, (_, i) => i % 2);
    const a = withBackend('js', () => rnnLoss(rnn, { x, labels }));
    const b = withBackend('js', () => rnnLoss(rnn, { x, labels }));
    expect(b.loss).toBe(a.loss);
    expect(Array.from(b.grads.wRec.data)).toEqual(Array.from(a.grads.wRec.data));
  });
});
