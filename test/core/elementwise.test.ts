/**
 * Elementwise kernels. Each entry is computed in float64 from float32 inputs and rounded once, so
 * the result must equal Math.fround of the float64 formula exactly (for the arithmetic ops) or to
 * within one float32 rounding of the float64 library function (for tanh, sigmoid).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  add, addBias, axpy, mul, relu, scale, sigmoid, sub, sumRows, tanh, tensor, toNested, transpose, type Tensor,
} from '../../src/core/index.js';

const f32 = (n: number) => fc.float({ noDefaultInfinity: true, noNaN: true, min: -1e6, max: 1e6 });
const vec = (len: number) => fc.array(f32(0), { minLength: len, maxLength: len }).map((v) => Float32Array.from(v));
const shapeArb = fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 0, maxLength: 3 });
const sizeOf = (s: number[]) => s.reduce((p, d) => p * d, 1);
const pair = shapeArb.chain((shape) =>
  fc.tuple(vec(sizeOf(shape)), vec(sizeOf(shape))).map(([x, y]) => ({ a: { shape, data: x }, b: { shape: [...shape], data: y } })),
);
const copy = (t: Tensor): Tensor => ({ shape: [...t.shape], data: t.data.slice() });

describe('binary elementwise ops', () => {
  const ops = [
    ['add', add, (x: number, y: number) => x + y],
    ['sub', sub, (x: number, y: number) => x - y],
    ['mul', mul, (x: number, y: number) => x * y],
  ] as const;
  for (const [name, op, f] of ops) {
    it(`${name} equals the rounded float64 result, fresh or in place (out = a, out = b)`, () => {
      fc.assert(
        fc.property(pair, ({ a, b }) => {
          const expected = a.data.map((x, i) => Math.fround(f(x, b.data[i])));
          const r = op(a, b);
          expect(r.shape).toEqual(a.shape);
          expect(r.data).toEqual(expected);
          const a1 = copy(a);
          expect(op(a1, b, a1)).toBe(a1);
          expect(a1.data).toEqual(expected);
          const b1 = copy(b);
          op(a, b1, b1);
          expect(b1.data).toEqual(expected);
          const s = copy(a);
          op(s, s, s);
          expect(s.data).toEqual(a.data.map((x) => Math.fround(f(x, x))));
        }),
        { numRuns: 100, seed: 1 },
      );
    });
  }

  it('handles an output that partly overlaps an input', () => {
    const buf = new Float32Array([1, 2, 3, 4, 5, 6]);
    const a: Tensor = { shape: [4], data: buf.subarray(0, 4) };
    const out: Tensor = { shape: [4], data: buf.subarray(2, 6) };
    add(a, tensor([10, 10, 10, 10]), out);
    expect(Array.from(buf)).toEqual([1, 2, 11, 12, 13, 14]);
  });

  it('rejects mismatched shapes and wrong out shapes, naming both, leaving out unchanged', () => {
    const out = tensor([0, 0, 0]);
    expect(() => add(tensor([1, 2]), tensor([1, 2, 3]))).toThrow(RangeError);
    expect(() => sub(tensor([1, 2]), tensor([[1, 2]]))).toThrow(/sub: a and b must have the same shape, got a \[2\] and b \[1,2\]/);
    expect(() => mul(tensor([1, 2]), tensor([1, 2]), out)).toThrow(/mul: out must have shape \[2\].*got \[3\]/);
    expect(() => add(tensor([1]), { shape: [1], data: [1] } as unknown as Tensor)).toThrow(TypeError);
    expect(Array.from(out.data)).toEqual([0, 0, 0]);
  });
});

describe('scale and axpy', () => {
  it('scale rounds once and works in place', () => {
    fc.assert(
      fc.property(vec(7), fc.double({ min: -10, max: 10, noNaN: true }), (x, s) => {
        const a: Tensor = { shape: [7], data: x };
        const expected = x.map((v) => Math.fround(s * v));
        expect(scale(a, s).data).toEqual(expected);
        scale(a, s, a);
        expect(a.data).toEqual(expected);
      }),
      { numRuns: 50, seed: 2 },
    );
    expect(() => scale(tensor([1]), NaN)).toThrow(/scale: s/);
  });

  it('axpy computes alpha·x + y with one rounding, in place on y', () => {
    fc.assert(
      fc.property(vec(9), vec(9), fc.double({ min: -10, max: 10, noNaN: true }), (x, y, alpha) => {
        const expected = x.map((v, i) => Math.fround(alpha * v + y[i]));
        const yt: Tensor = { shape: [3, 3], data: y.slice() };
        const xt: Tensor = { shape: [3, 3], data: x };
        expect(axpy(alpha, xt, yt).data).toEqual(expected);
        expect(axpy(alpha, xt, yt, yt)).toBe(yt);
        expect(yt.data).toEqual(expected);
      }),
      { numRuns: 50, seed: 3 },
    );
    expect(() => axpy(1, tensor([1, 2]), tensor([1, 2, 3]))).toThrow(/axpy: x and y must have the same shape, got x \[2\] and y \[3\]/);
  });
});

describe('addBias and sumRows', () => {
  it('broadcasts a row and sums rows (its adjoint: <addBias(0,b), g> = <b, sumRows(g)>)', () => {
    expect(toNested(addBias(tensor([[1, 2], [3, 4]]), tensor([10, 20])))).toEqual([[11, 22], [13, 24]]);
    expect(toNested(sumRows(tensor([[1, 2], [3, 4], [5, 6]])))).toEqual([9, 12]);
    expect(Array.from(sumRows({ shape: [2, 2, 3], data: Float32Array.from({ length: 12 }, (_, i) => i) }).data)).toEqual([18, 22, 26]);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }), fc.integer(), (m, n, seed) => {
        const b = Float32Array.from({ length: n }, (_, j) => ((seed + 7 * j) % 13) - 6);
        const g = Float32Array.from({ length: m * n }, (_, i) => ((seed + 5 * i) % 11) - 5);
        const z: Tensor = { shape: [m, n], data: new Float32Array(m * n) };
        const lhs = addBias(z, { shape: [n], data: b }).data.reduce((s, v, i) => s + v * g[i], 0);
        const sr = sumRows({ shape: [m, n], data: g }).data;
        const rhs = b.reduce((s, v, j) => s + v * sr[j], 0);
        expect(lhs).toBe(rhs); // small integers: exact
      }),
      { numRuns: 50, seed: 4 },
    );
  });

  it('works in place and rejects mismatched bias', () => {
    const a = tensor([[1, 2, 3], [4, 5, 6]]);
    addBias(a, tensor([1, 1, 1]), a);
    expect(toNested(a)).toEqual([[2, 3, 4], [5, 6, 7]]);
    expect(() => addBias(a, tensor([1, 2]))).toThrow(/last dimension of a must equal the length of bias, got a \[2,3\] and bias \[2\]/);
    expect(() => addBias(a, tensor([[1, 2, 3]]))).toThrow(/addBias: bias: expected a rank-1/);
    expect(() => sumRows(a, tensor([0, 0]))).toThrow(/sumRows: out must have shape \[3\]/);
    expect(toNested(a)).toEqual([[2, 3, 4], [5, 6, 7]]);
  });
});

describe('activation maps', () => {
  it('tanh and sigmoid are within one float32 rounding of float64; sigmoid is stable for large |x|', () => {
    fc.assert(
      fc.property(vec(16), (x) => {
        const a: Tensor = { shape: [16], data: x };
        const t = tanh(a).data, s = sigmoid(a).data;
        for (let i = 0; i < 16; i++) {
          expect(t[i]).toBe(Math.fround(Math.tanh(x[i])));
          const ref = 1 / (1 + Math.exp(-x[i]));
          expect(Math.abs(s[i] - ref)).toBeLessThanOrEqual(2 ** -24 * ref + 2 ** -50 * ref + 1e-45);
        }
      }),
      { numRuns: 100, seed: 5 },
    );
    const big = sigmoid(tensor([-1000, -100, 0, 100, 1000])).data;
    expect(Array.from(big)).toEqual([0, Math.fround(Math.exp(-100)), 0.5, 1, 1]);
  });

  it('relu keeps NaN (reported, not hidden) and works in place', () => {
    const a = tensor([-1, 0, 2, NaN, -Infinity]);
    const r = relu(a).data;
    expect(Array.from(r.subarray(0, 3))).toEqual([0, 0, 2]);
    expect(Number.isNaN(r[3])).toBe(true);
    expect(r[4]).toBe(0);
    expect(relu(a, a)).toBe(a);
    expect(a.data[2]).toBe(2);
    expect(() => tanh(tensor([1, 2]), tensor([1]))).toThrow(/tanh: out must have shape \[2\]/);
  });
});

describe('transpose', () => {
  it('is an involution and matches the index definition, across tile boundaries', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 70 }), fc.integer({ min: 0, max: 70 }), (m, n) => {
        const a: Tensor = { shape: [m, n], data: Float32Array.from({ length: m * n }, (_, i) => i) };
        const t = transpose(a);
        expect(t.shape).toEqual([n, m]);
        const expected = new Float32Array(m * n);
        for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) expected[j * m + i] = a.data[i * n + j];
        expect(t.data).toEqual(expected);
        expect(transpose(t).data).toEqual(a.data);
      }),
      { numRuns: 25, seed: 6 },
    );
  });

  it('transposes in place when out shares the buffer, and rejects wrong shapes', () => {
    const a = tensor([[1, 2, 3], [4, 5, 6]]);
    const out: Tensor = { shape: [3, 2], data: a.data };
    transpose(a, out);
    expect(toNested(out)).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(() => transpose(tensor([1, 2]))).toThrow(/transpose: a: expected a rank-2/);
    expect(() => transpose(tensor([[1, 2]]), tensor([[1, 2]]))).toThrow(/transpose: out: expected shape \[2,1\].*got \[1,2\]/);
  });
});
