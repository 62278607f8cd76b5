import { describe, expect, it } from 'vitest';
import { ad, grad, valueAndGrad, type Var } from '../../src/autodiff/index.js';
import { tensor, type Tensor } from '../../src/core/index.js';
import { rand } from './helpers.js';

describe('valueAndGrad', () => {
  it('returns gradients shaped like nested params (objects and arrays)', () => {
    const params = { layers: [{ w: rand([2, 3], 1) }, { w: rand([3, 1], 2) }], s: rand([1], 3) };
    const x = rand([4, 2], 4);
    const f = valueAndGrad((p: { layers: { w: Var }[]; s: Var }, input: Tensor) =>
      ad.mean(ad.mul(ad.matmul(ad.tanh(ad.matmul(input, p.layers[0].w)), p.layers[1].w), p.s)));
    const { value, grads } = f(params, x);
    expect(Number.isFinite(value)).toBe(true);
    expect(grads.layers[0].w.shape).toEqual([2, 3]);
    expect(grads.layers[1].w.shape).toEqual([3, 1]);
    expect(grads.s.shape).toEqual([1]);
    expect(grads.layers[0].w.data).toBeInstanceOf(Float32Array);
  });
  it('reuses its buffers across calls, yet returns fresh gradients each time', () => {
    const f = valueAndGrad((p: { w: Var }) => ad.sum(ad.tanh(ad.mul(p.w, p.w))));
    const w = rand([50], 5);
    const a = f({ w });
    const copy = Array.from(a.grads.w.data);
    const b = f({ w });
    expect(b.value).toBe(a.value);
    expect(b.grads.w).not.toBe(a.grads.w);
    expect(Array.from(b.grads.w.data)).toEqual(copy);
    b.grads.w.data.fill(0);
    expect(Array.from(f({ w }).grads.w.data)).toEqual(copy);
    // a different shape on the same function
    expect(f({ w: rand([7], 6) }).grads.w.shape).toEqual([7]);
  });
  it('parameters not reached by the output get zero gradients; inputs are not modified', () => {
    const p = { used: tensor([1, 2]), unused: tensor([3]) };
    const g = grad((q: { used: Var; unused: Var }) => ad.sum(ad.scale(q.used, 2)))(p);
    expect(Array.from(g.used.data)).toEqual([2, 2]);
    expect(Array.from(g.unused.data)).toEqual([0]);
    expect(Array.from(p.used.data)).toEqual([1, 2]);
  });
  it('float64 tape agrees with the float32 tape to float32 rounding', () => {
    const w = rand([3, 3], 7);
    const fn = (p: { w: Var }) => ad.sum(ad.tanh(ad.matmul(p.w, p.w)));
    const g32 = grad(fn)({ w }), g64 = grad(fn, { dtype: 'float64' })({ w });
    for (let i = 0; i < 9; i++) expect(Math.abs(g32.w.data[i] - g64.w.data[i])).toBeLessThan(1e-5);
  });
  it('nested calls (a differentiated function calling another) work', () => {
    const inner = valueAndGrad((p: { w: Var }) => ad.sum(ad.mul(p.w, p.w)));
    const outer = valueAndGrad((p: { w: Var }) => {
      const r = inner({ w: tensor([3]) });
      return ad.scale(ad.sum(p.w), r.value);
    });
    expect(Array.from(outer({ w: tensor([1, 1]) }).grads.w.data)).toEqual([9, 9]);
  });
  it('rejects a params tree with non-tensors', () => {
    const f = valueAndGrad((p: { w: Var }) => ad.sum(p.w));
    expect(() => f({ w: [1, 2] as unknown as Tensor })).toThrow(/valueAndGrad: params\.w\[0\]: expected a Tensor/);
  });
});
