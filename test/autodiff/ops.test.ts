import { describe, expect, it } from 'vitest';
import { ad, gradientCheck, grad, valueAndGrad, type Var } from '../../src/autodiff/index.js';
import { tensor, type Tensor } from '../../src/core/index.js';
import { awayFromZero, EPS32, rand } from './helpers.js';

/** Weighted sum Σ r∘v so that every output element gets a distinct cotangent. */
function weighted(v: Var, seed: number): Var {
  return ad.sum(ad.mul(v, rand([...v.shape], seed)));
}

function expectCheck(fn: (p: any) => Var, params: Record<string, Tensor>): void {
  const r = gradientCheck(fn, params);
  expect(r.entries.length).toBeGreaterThan(0);
  expect(r.worst && r.ok ? true : r.worst).toBe(true);
}

describe('elementary ops: analytic gradients against float64 central differences', () => {
  it('matmul, every transpose combination', () => {
    for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      const a = rand(transA ? [4, 3] : [3, 4], 1);
      const b = rand(transB ? [5, 4] : [4, 5], 2);
      expectCheck((p) => weighted(ad.matmul(p.a, p.b, { transA, transB }), 3), { a, b });
    }
  });
  it('matmul of a value with itself (both gradient paths accumulate)', () => {
    expectCheck((p) => weighted(ad.matmul(p.a, p.a, { transB: true }), 4), { a: rand([3, 3], 5) });
  });
  it('add / sub / mul with equal shapes, bias broadcasting, scalar broadcasting, and the larger operand second', () => {
    const x = rand([4, 3], 6), bias = rand([3], 7), s = rand([1], 8), y = rand([4, 3], 9);
    for (const op of [ad.add, ad.sub, ad.mul]) {
      expectCheck((p) => weighted(op(p.x, p.y), 10), { x, y });
      expectCheck((p) => weighted(op(p.x, p.bias), 11), { x, bias });
      expectCheck((p) => weighted(op(p.bias, p.x), 12), { x, bias });
      expectCheck((p) => weighted(op(p.x, p.s), 13), { x, s });
    }
    const x3 = rand([2, 3, 4], 14), b2 = rand([3, 4], 15);
    expectCheck((p) => weighted(ad.add(p.x3, p.b2), 16), { x3, b2 });
  });
  it('scale, tanh, sigmoid, relu (away from the kink)', () => {
    const x = rand([3, 5], 17, 2);
    expectCheck((p) => weighted(ad.scale(p.x, -1.5), 18), { x });
    expectCheck((p) => weighted(ad.tanh(p.x), 19), { x });
    expectCheck((p) => weighted(ad.sigmoid(p.x), 20), { x });
    expectCheck((p) => weighted(ad.relu(p.x), 21), { x: awayFromZero([3, 5], 22) });
  });
  it('softmax cross-entropy, mse (both arguments), sum, mean', () => {
    const z = rand([4, 5], 23, 2);
    const labels = new Int32Array([0, 4, 2, 2]);
    expectCheck((p) => ad.softmaxCrossEntropy(p.z, labels), { z });
    expectCheck((p) => ad.softmaxCrossEntropy(ad.tanh(p.z), [1, 1, 3, 0]), { z });
    const y = rand([3, 4], 24), t = rand([3, 4], 25);
    expectCheck((p) => ad.mse(p.y, p.t), { y, t });
    expectCheck((p) => ad.sum(ad.tanh(p.y)), { y });
    expectCheck((p) => ad.mean(ad.mul(p.y, p.t)), { y, t });
  });
  it('timeStep (positive and negative t) and reshape', () => {
    const x = rand([2, 4, 3], 26);
    expectCheck((p) => weighted(ad.add(ad.timeStep(p.x, 1), ad.timeStep(p.x, -1)), 27), { x });
    expectCheck((p) => weighted(ad.tanh(ad.reshape(p.x, [-1, 3])), 28), { x });
  });
  it('float32 tape: gradients agree with float64 differences to float32 rounding', () => {
    // a chain of ~4 ops over k = 6 terms: each float32 result carries ≲ k·ε32 relative error
    const a = rand([3, 6], 29), b = rand([6, 2], 30), bias = rand([2], 31);
    const fn = (p: any): Var => ad.softmaxCrossEntropy(ad.tanh(ad.add(ad.matmul(p.a, p.b), p.bias)), [0, 1, 1]);
    const r = gradientCheck(fn, { a, b, bias }, { dtype: 'float32', rtol: 50 * 6 * EPS32, atol: 50 * 6 * EPS32 });
    expect(r.ok).toBe(true);
    // and the same check is sensitive: a float64 tolerance fails on float32 arithmetic
    expect(gradientCheck(fn, { a, b, bias }, { dtype: 'float32', rtol: 1e-12, atol: 0 }).ok).toBe(false);
  });
});

describe('exact identities', () => {
  it('a value used twice gets the sum of both contributions: d/dw Σ w∘w = 2w exactly', () => {
    const w = rand([5], 32);
    const g = grad((p: { w: Var }) => ad.sum(ad.mul(p.w, p.w)))({ w });
    expect(Array.from(g.w.data)).toEqual(Array.from(w.data).map((v) => Math.fround(2 * v)));
    // three uses through different ops: d/dw [Σw + Σ 3w + mean(w)] = 1 + 3 + 1/n
    const g2 = grad((p: { w: Var }) => ad.add(ad.add(ad.sum(p.w), ad.sum(ad.scale(p.w, 3))), ad.mean(p.w)))({ w });
    for (const v of g2.w.data) expect(v).toBeCloseTo(4 + 1 / 5, 6);
  });
  it('softmax cross-entropy: value log C at zero logits, gradient (1/C − onehot)/B', () => {
    const B = 2, C = 4;
    const { value, grads } = valueAndGrad((p: { z: Var }) => ad.softmaxCrossEntropy(p.z, [1, 3]))({ z: tensor(new Float32Array(B * C), [B, C]) });
    expect(value).toBeCloseTo(Math.log(C), 6);
    const expected = [0.125, -0.375, 0.125, 0.125, 0.125, 0.125, 0.125, -0.375];
    expect(Array.from(grads.z.data)).toEqual(expected.map(Math.fround));
  });
  it('tanh gradient does not cancel for large pre-activations (1/cosh², not 1 − tanh²)', () => {
    const x = tensor([9, -12, 20]);
    const g = grad((p: { x: Var }) => ad.sum(ad.tanh(p.x)))({ x });
    for (let i = 0; i < 3; i++) {
      const a = x.data[i];
      const ref = 1 / Math.cosh(a) ** 2; // cosh does not cancel
      expect(g.x.data[i]).toBeGreaterThan(0);
      expect(Math.abs(g.x.data[i] - ref) / ref).toBeLessThan(4 * EPS32);
    }
    // 1 − tanh² in float32 would be exactly 0 here
    expect(1 - Math.fround(Math.tanh(12)) ** 2).toBe(0);
  });
  it('gradientCheck flags a wrong derivative (relu at its kink: analytic 0, numeric 1/2)', () => {
    const r = gradientCheck((p: { x: Var }) => ad.sum(ad.relu(p.x)), { x: tensor([0, 1]) });
    expect(r.ok).toBe(false);
    expect(r.worst?.index).toBe(0);
    expect(r.worst?.numeric).toBeCloseTo(0.5, 6);
  });
});

describe('bad input', () => {
  it('names the argument and the shapes', () => {
    const a = rand([2, 3], 1), b = rand([2, 3], 2);
    expect(() => valueAndGrad((p: { a: Var }) => ad.sum(ad.matmul(p.a, b)))({ a })).toThrow(/matmul: inner dimensions differ.*\[2,3\].*\[2,3\]/);
    expect(() => valueAndGrad((p: { a: Var }) => ad.sum(ad.add(p.a, rand([2], 3))))({ a })).toThrow(RangeError);
    expect(() => valueAndGrad((p: { a: Var }) => ad.sum(ad.add(p.a, rand([2], 3))))({ a })).toThrow(/add: shapes a \[2,3\] and b \[2\] do not broadcast/);
    expect(() => valueAndGrad((p: { a: Var }) => ad.softmaxCrossEntropy(p.a, [0, 3]))({ a })).toThrow(/labels\[1\] = 3 is outside \[0, 3\)/);
    expect(() => valueAndGrad((p: { a: Var }) => ad.softmaxCrossEntropy(p.a, [0]))({ a })).toThrow(/expected 2 labels/);
    expect(() => valueAndGrad((p: { a: Var }) => ad.mse(p.a, rand([3, 2], 4)))({ a })).toThrow(/mse: target must have the shape of pred \[2,3\], got \[3,2\]/);
    expect(() => valueAndGrad((p: { a: Var }) => ad.timeStep(p.a, 0))({ a })).toThrow(/timeStep: x must have shape \[B,T,N\], got \[2,3\]/);
    expect(() => valueAndGrad((p: { a: Var }) => p.a)({ a })).toThrow(/scalar Var.*\[2,3\]/);
    expect(() => valueAndGrad((() => 1) as unknown as (p: { a: Var }) => Var)({ a })).toThrow(TypeError);
  });
  it('refuses Vars carried over from another call', () => {
    let saved: Var | undefined;
    const f = valueAndGrad((p: { a: Var }) => {
      saved = p.a;
      return ad.sum(p.a);
    });
    f({ a: rand([2], 1) });
    expect(() => valueAndGrad((p: { b: Var }) => ad.sum(ad.add(p.b, saved!)))({ b: rand([2], 2) })).toThrow(/different valueAndGrad calls/);
  });
});
