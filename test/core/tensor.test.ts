import { describe, expect, it } from 'vitest';
import { eye, ones, randn, reshape, tensor, toNested, zeros } from '../../src/core/index.js';

describe('tensor', () => {
  it('infers shapes from nested arrays and round-trips', () => {
    const t = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(t.shape).toEqual([2, 3]);
    expect(Array.from(t.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(toNested(t)).toEqual([[1, 2, 3], [4, 5, 6]]);
  });
  it('accepts flat typed arrays with a shape', () => {
    const t = tensor(new Float64Array([1, 2, 3, 4, 5, 6]), [3, 2]);
    expect(toNested(t)).toEqual([[1, 2], [3, 4], [5, 6]]);
  });
  it('rejects ragged arrays and size mismatches with a RangeError naming the shape', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(RangeError);
    expect(() => tensor([[1, 2], [3]])).toThrow(/ragged.*expected length 2.*got 1/);
    expect(() => tensor([1, 2, 3], [2, 2])).toThrow(/shape \[2,2\] needs 4 values, got 3/);
    expect(() => tensor([[1, 'a' as unknown as number]])).toThrow(TypeError);
  });
  it('builds constants', () => {
    expect(toNested(eye(2))).toEqual([[1, 0], [0, 1]]);
    expect(Array.from(ones([3]).data)).toEqual([1, 1, 1]);
    expect(zeros([2, 0]).data.length).toBe(0);
    expect(() => zeros([2, -1])).toThrow(RangeError);
  });
  it('reshapes without copying', () => {
    const t = tensor([1, 2, 3, 4, 5, 6]);
    const r = reshape(t, [2, -1]);
    expect(r.shape).toEqual([2, 3]);
    expect(r.data).toBe(t.data);
    expect(() => reshape(t, [4, 2])).toThrow(RangeError);
  });
  it('randn is reproducible by seed and has the requested moments', () => {
    const a = randn([20000], { std: 2, mean: 1, seed: 3 });
    const b = randn([20000], { std: 2, mean: 1, seed: 3 });
    expect(a.data).toEqual(b.data);
    let m = 0;
    for (const v of a.data) m += v;
    m /= a.data.length;
    let v2 = 0;
    for (const v of a.data) v2 += (v - m) ** 2;
    v2 /= a.data.length - 1;
    // standard errors: 2/sqrt(n) ≈ 0.014 for the mean, ~0.04 for the variance of 4
    expect(Math.abs(m - 1)).toBeLessThan(5 * 0.0142);
    expect(Math.abs(v2 - 4)).toBeLessThan(5 * 0.04);
  });
});
