import { sech2GivenTanh } from '../../src/autodiff/activation-kernels.js';
import { describe, expect, it } from 'vitest';
import { activationDerivative, applyActivation, sech2 } from '../../src/rnn/index.js';

const EPS64 = 2 ** -53;

describe('activations', () => {
  it('tanh′ = 1/cosh² to a few ulp for every pre-activation, including where 1 − tanh² cancels', () => {
    for (const a of [-700, -40, -19.5, -9, -1, -0.49, -1e-9, 0, 1e-9, 0.3, 0.5, 2, 9, 12, 19.5, 40, 300]) {
      const ref = 1 / Math.cosh(a) ** 2; // cosh has no cancellation; 0 only where it underflows
      const got = sech2(a);
      if (ref === 0) expect(got).toBeLessThan(1e-300);
      else expect(Math.abs(got - ref) / ref).toBeLessThan(16 * EPS64);
    }
    // float64 1 − tanh² is exactly 0 at 19.5, while 1/cosh² ≈ 4.6e-17
    expect(1 - Math.tanh(19.5) ** 2).toBe(0);
    expect(sech2(19.5)).toBeGreaterThan(4e-17);
  });
  it('applies φ and φ′ elementwise for tanh, relu and identity', () => {
    const a = new Float64Array([-2, 0, 0.5]);
    expect(Array.from(applyActivation('tanh', a))).toEqual(Array.from(a, Math.tanh));
    expect(Array.from(applyActivation('relu', a))).toEqual([0, 0, 0.5]);
    expect(Array.from(applyActivation('identity', a))).toEqual([-2, 0, 0.5]);
    expect(Array.from(activationDerivative('relu', a))).toEqual([0, 0, 1]);
    expect(Array.from(activationDerivative('identity', a))).toEqual([1, 1, 1]);
    const out = new Float32Array(3);
    expect(activationDerivative('tanh', a, out)).toBe(out);
    expect(out[1]).toBe(1);
    expect(() => applyActivation('softplus' as 'tanh', a)).toThrow(RangeError);
    expect(() => applyActivation('tanh', a, new Float64Array(2))).toThrow(/out must have length 3, got 2/);
  });
});

describe('sech2GivenTanh (the vanilla system: sech² from the tanh it already has)', () => {
  it('gives sech2(a) bit for bit over a sweep of a, both signs, the 0.5 branch point and ±0', () => {
    const as: number[] = [0, -0, 0.5, -0.5, 0.5 - 2 ** -53, -(0.5 - 2 ** -53), 19.1, -19.1, 400, -400, 1e-300];
    for (let k = -4000; k <= 4000; k++) as.push(k / 173.3);
    for (const a of as) expect(Object.is(sech2GivenTanh(a, Math.tanh(a)), sech2(a)), `a = ${a}`).toBe(true);
  });
});
