import { describe, expect, it } from 'vitest';
import { firstBeyondFloat32 } from '../../src/core/float32-range.js';

describe('firstBeyondFloat32', () => {
  it('finds the first finite value that float32 rounds to ±Infinity: from 2^128 − 2^103 (the midpoint above FLT_MAX = 2^128 − 2^104, a tie to even)', () => {
    const mid = 2 ** 128 - 2 ** 103;
    const below = mid - 2 ** (127 - 52); // the double just under the midpoint rounds to FLT_MAX
    expect(Math.fround(below)).toBe(2 ** 128 - 2 ** 104);
    expect(firstBeyondFloat32([1, below, -below, Infinity, NaN])).toBe(-1); // inf and NaN are not "beyond": they are what they are
    expect(firstBeyondFloat32(Float64Array.of(0, below, -mid, mid))).toBe(2);
    expect(firstBeyondFloat32(new Float32Array([Infinity, 1]))).toBe(-1);
  });
});
