/**
 * Reductions. Oracles: exact rational sums (integers and dyadic fractions whose float64 sums are
 * exact), BigInt-exact dot products, and known ill-conditioned / over- and underflowing cases.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  argmaxRows, dot, dotRaw, maxRows, mean, norm2, norm2Raw, sum, sumRaw, tensor, type Tensor,
} from '../../src/core/index.js';

describe('sum, mean, dot', () => {
  it('are exact on integer data (every partial sum is representable)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1000, max: 1000 }), { maxLength: 2000 }), (v) => {
        const t: Tensor = { shape: [v.length], data: Float32Array.from(v) };
        const s = v.reduce((a, b) => a + b, 0);
        expect(sum(t)).toBe(s);
        if (v.length > 0) expect(mean(t)).toBe(s / v.length);
        expect(dot(t, t)).toBe(v.reduce((a, b) => a + b * b, 0));
      }),
      { numRuns: 60, seed: 1 },
    );
  });

  it('sums pairwise: n copies of 0.1f lose far less than naive float32 summation', () => {
    const n = 1 << 20;
    const x = new Float32Array(n).fill(0.1);
    const exact = n * Math.fround(0.1); // exact in float64 (n a power of two)
    // pairwise float64: error ≤ (128 + log2 n)·2⁻⁵³·n·0.1
    expect(Math.abs(sumRaw(x, n) - exact)).toBeLessThanOrEqual((128 + 20) * 2 ** -53 * exact);
    let naive32 = 0;
    for (let i = 0; i < n; i++) naive32 = Math.fround(naive32 + x[i]);
    expect(Math.abs(naive32 - exact)).toBeGreaterThan(1000 * (148 * 2 ** -53 * exact)); // the failure mode avoided
  });

  it('float32 dot products are exact when the float64 sum of exact products is (BigInt oracle)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: -4096, max: 4096 }), fc.integer({ min: -4096, max: 4096 })), { maxLength: 500 }), (pairs) => {
        const a = Float32Array.from(pairs.map((p) => p[0] / 64));
        const b = Float32Array.from(pairs.map((p) => p[1] / 64));
        let exact = 0n;
        for (const [x, y] of pairs) exact += BigInt(x) * BigInt(y);
        expect(dotRaw(a.length, a, 0, 1, b, 0, 1)).toBe(Number(exact) / 4096);
      }),
      { numRuns: 60, seed: 2 },
    );
  });

  it('honours strides and offsets', () => {
    const x = new Float32Array([9, 1, 9, 2, 9, 3]);
    expect(sumRaw(x, 3, 1, 2)).toBe(6);
    expect(sumRaw(x, 3, 5, -2)).toBe(6);
    expect(dotRaw(3, x, 1, 2, x, 5, -2)).toBe(1 * 3 + 2 * 2 + 3 * 1);
  });

  it('propagates NaN, rejects an empty mean and mismatched dot shapes', () => {
    expect(Number.isNaN(sum(tensor([1, NaN, 2])))).toBe(true);
    expect(sum(tensor([]))).toBe(0);
    expect(() => mean(tensor([]))).toThrow(/mean: a is empty/);
    expect(() => dot(tensor([1, 2]), tensor([[1, 2]]))).toThrow(/dot: a and b must have the same shape, got a \[2\] and b \[1,2\]/);
    expect(() => sum({} as Tensor)).toThrow(TypeError);
  });
});

describe('norm2', () => {
  it('matches sqrt of an exact sum of squares', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -3000, max: 3000 }), { maxLength: 300 }), (v) => {
        const ss = v.reduce((a, b) => a + b * b, 0);
        expect(norm2({ shape: [v.length], data: Float32Array.from(v) })).toBe(Math.sqrt(ss));
        const r = norm2Raw(Float64Array.from(v), v.length);
        expect(Math.abs(r - Math.sqrt(ss))).toBeLessThanOrEqual(8 * 2 ** -52 * Math.sqrt(ss));
      }),
      { numRuns: 60, seed: 3 },
    );
  });

  it('neither overflows nor underflows', () => {
    expect(norm2Raw(new Float64Array([3e200, 4e200]), 2)).toBeCloseTo(5e200, -186);
    expect(norm2Raw(new Float64Array([3e-200, 4e-200]), 2) / 5e-200).toBeCloseTo(1, 14);
    expect(norm2(tensor([3e38, 3e38]))).toBeCloseTo(Math.sqrt(2) * Math.fround(3e38), -24);
    expect(norm2(tensor([1e-40, 0]))).toBe(Math.fround(1e-40));
    expect(norm2Raw(new Float64Array([Infinity, 1]), 2)).toBe(Infinity);
    expect(Number.isNaN(norm2Raw(new Float64Array([Infinity, NaN]), 2))).toBe(true);
    expect(norm2(tensor([]))).toBe(0);
  });

  it('is accurate on Float64 data whose largest entry is subnormal (1/max would overflow)', () => {
    // was NaN for [5e-324, 0] (0·(1/5e-324 = Infinity)) and Infinity for [3e-310, 4e-310]
    expect(norm2Raw(new Float64Array([5e-324, 0]), 2)).toBe(5e-324);
    expect(norm2Raw(new Float64Array([0, -1e-309]), 2)).toBe(1e-309);
    expect(Math.abs(norm2Raw(new Float64Array([3e-310, 4e-310]), 2) - 5e-310)).toBeLessThanOrEqual(4 * 2 ** -1074);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -3000, max: 3000 }), { minLength: 1, maxLength: 200 }), (v) => {
        // integers times 2^-1060 (subnormal): the norm is sqrt(Σ v²)·2^-1060 up to rounding
        const x = Float64Array.from(v, (e) => e * 2 ** -1060);
        const exact = Math.sqrt(v.reduce((a, b) => a + b * b, 0)) * 2 ** -1060;
        expect(Math.abs(norm2Raw(x, x.length) - exact)).toBeLessThanOrEqual(8 * 2 ** -52 * exact + 2 ** -1074);
      }),
      { numRuns: 60, seed: 5 },
    );
  });
});

describe('maxRows and argmaxRows', () => {
  it('agree with Math.max / indexOf on random rows, first index on ties', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 1, max: 9 }), fc.integer(), (m, n, seed) => {
        const data = Float32Array.from({ length: m * n }, (_, i) => ((seed * 31 + i * 17) % 7) - 3);
        const a: Tensor = { shape: [m, n], data };
        const mx = maxRows(a).data, am = argmaxRows(a);
        for (let i = 0; i < m; i++) {
          const row = Array.from(data.subarray(i * n, (i + 1) * n));
          expect(mx[i]).toBe(Math.max(...row));
          expect(am[i]).toBe(row.indexOf(Math.max(...row)));
        }
      }),
      { numRuns: 60, seed: 4 },
    );
  });

  it('reports NaN rows, accepts out, and validates', () => {
    const a = tensor([[1, NaN, 5], [-Infinity, -Infinity, -1]]);
    const mx = maxRows(a);
    expect(Number.isNaN(mx.data[0])).toBe(true);
    expect(mx.data[1]).toBe(-1);
    const idx = new Int32Array(2);
    expect(argmaxRows(a, idx)).toBe(idx);
    expect(Array.from(idx)).toEqual([1, 2]);
    // out sharing a's memory
    const b = tensor([[1, 9], [8, 2], [3, 4]]);
    maxRows(b, { shape: [3], data: b.data.subarray(1, 4) });
    expect(Array.from(b.data.subarray(1, 4))).toEqual([9, 8, 4]);
    expect(() => maxRows(tensor([1, 2]))).toThrow(/maxRows: a: expected a rank-2/);
    expect(() => maxRows({ shape: [2, 0], data: new Float32Array(0) })).toThrow(/rows of a \[2,0\] are empty/);
    expect(() => maxRows(a, tensor([0]))).toThrow(/maxRows: out: expected shape \[2\].*got \[1\]/);
    expect(() => argmaxRows(a, new Int32Array(3))).toThrow(/argmaxRows: out must have length 2.*got 3/);
    expect(() => argmaxRows(a, new Float32Array(2) as unknown as Int32Array)).toThrow(TypeError);
  });
});
