import { describe, expect, it } from 'vitest';
import { kaplanYorkeDimension, lyapunovEntropy } from '../../src/lyapunov/index.js';

describe('kaplanYorkeDimension', () => {
  it('reproduces the published Hénon and Lorenz-63 values', () => {
    // D = 1 + 0.4192/1.6232 and 2 + 0.906/14.572 (REFERENCES.md: ≈ 1.258, ≈ 2.062)
    expect(kaplanYorkeDimension([0.4192, -1.6232])).toBeCloseTo(1 + 0.4192 / 1.6232, 14);
    expect(kaplanYorkeDimension([0.4192, -1.6232])).toBeCloseTo(1.258, 3);
    expect(kaplanYorkeDimension([0.906, 0, -14.572])).toBeCloseTo(2.062, 3);
  });
  it('sorts its input and handles the edge cases of the definition', () => {
    expect(kaplanYorkeDimension([-1.6232, 0.4192])).toBeCloseTo(1 + 0.4192 / 1.6232, 14);
    expect(kaplanYorkeDimension([-0.1, -2])).toBe(0); // λ1 < 0
    expect(kaplanYorkeDimension([0.5, 0.1, -0.2])).toBe(3); // whole sum ≥ 0
    expect(kaplanYorkeDimension([1, -0.5, -1])).toBeCloseTo(2 + 0.5 / 1, 14);
    expect(kaplanYorkeDimension([0.3, -Infinity])).toBe(1); // S_1/∞ = 0
    expect(kaplanYorkeDimension([])).toBe(0);
  });
  it('rejects NaN and +Infinity', () => {
    expect(() => kaplanYorkeDimension([0.1, NaN])).toThrow(RangeError);
    expect(() => kaplanYorkeDimension([Infinity])).toThrow(/index 0/);
    expect(() => kaplanYorkeDimension(null as unknown as number[])).toThrow(TypeError);
  });
});

describe('lyapunovEntropy', () => {
  it('sums the positive exponents', () => {
    expect(lyapunovEntropy([0.906, 0, -14.572])).toBe(0.906);
    expect(lyapunovEntropy(new Float64Array([0.3, 0.2, -1, -Infinity]))).toBeCloseTo(0.5, 15);
    expect(lyapunovEntropy([-1])).toBe(0);
  });
});
