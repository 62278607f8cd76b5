import { describe, expect, it } from 'vitest';
import { detectLimitCycle } from '../../src/geometry/limit-cycle.js';
import { tensor } from '../../src/core/tensor.js';
import type { Rnn } from '../../src/rnn/types.js';
import { diagonalTanh, henon, radialRotation, rotationTanh, tanhRoot } from './systems.js';

const modulus = (r: { floquetMultipliers: { re: Float64Array; im: Float64Array } }) =>
  Array.from(r.floquetMultipliers.re, (re, i) => Math.hypot(re, r.floquetMultipliers.im[i]!));

describe('detectLimitCycle', () => {
  it("rotation network h' = tanh(g R(π/2) h): period 4 on (±a, ±a), a = tanh(g a), multipliers (g(1−a²))⁴", () => {
    const g = 1.5;
    const a = tanhRoot(g);
    const mu = (g * (1 - a * a)) ** 4;
    for (const seed of [0, 1, 2]) {
      const r = detectLimitCycle(rotationTanh(g, Math.PI / 2), { seed });
      expect(r.kind).toBe('limit-cycle');
      expect(r.period).toBe(4);
      expect(r.points.length).toBe(8);
      for (const v of r.points) expect(Math.abs(Math.abs(v) - a)).toBeLessThan(1e-12);
      // consecutive points are rotated by +90°: (x, y) → (−y, x)
      for (let s = 0; s < 4; s++) {
        const n = (s + 1) % 4;
        expect(Math.abs(r.points[2 * n]! + r.points[2 * s + 1]!)).toBeLessThan(1e-12);
        expect(Math.abs(r.points[2 * n + 1]! - r.points[2 * s]!)).toBeLessThan(1e-12);
      }
      for (const m of modulus(r)) expect(Math.abs(m - mu)).toBeLessThan(1e-12);
      expect(r.largestExponent).toBeCloseTo(Math.log(mu) / 4, 10);
    }
  });

  it('a continuous family of period-p orbits: trivial Floquet multiplier 1 and the radial one (g·sech²(g r*))^p', () => {
    const g = 2;
    const p = 7;
    const rs = tanhRoot(g);
    const r = detectLimitCycle(radialRotation(g, (2 * Math.PI) / p), { seed: 5 });
    expect(r.kind).toBe('limit-cycle');
    expect(r.period).toBe(p);
    for (let s = 0; s < p; s++) expect(Math.abs(Math.hypot(r.points[2 * s]!, r.points[2 * s + 1]!) - rs)).toBeLessThan(1e-12);
    const m = modulus(r);
    // product of 7 Jacobians: rounding c·p·ε relative
    expect(Math.abs(m[0]! - 1)).toBeLessThan(1e-12);
    expect(Math.abs(m[1]! - (g / Math.cosh(g * rs) ** 2) ** p)).toBeLessThan(1e-12);
  });

  it('Hénon: chaotic, short exponent estimate ≈ 0.4192 (± 4/√T)', () => {
    const T = 4000;
    const r = detectLimitCycle(henon, { x0: [0, 0], exponentSteps: T });
    expect(r.kind).toBe('chaotic');
    expect(r.period).toBe(0);
    expect(r.points.length).toBe(0);
    expect(Math.abs(r.largestExponent - 0.4192)).toBeLessThan(4 / Math.sqrt(T));
  });

  it('a fixed point is called a fixed point, with the Jacobian eigenvalues as multipliers', () => {
    const r = detectLimitCycle(diagonalTanh(3, 0.5), { seed: 1 });
    expect(r.kind).toBe('fixed-point');
    expect(r.period).toBe(1);
    expect(modulus(r)).toEqual([0.5, 0.5, 0.5]);
    const w = 2;
    const xs = tanhRoot(w);
    const r2 = detectLimitCycle(diagonalTanh(2, w), { x0: [0.3, -0.2] });
    expect(r2.kind).toBe('fixed-point');
    expect(Math.abs(r2.points[0]! - xs)).toBeLessThan(1e-12);
    expect(Math.abs(r2.points[1]! + xs)).toBeLessThan(1e-12);
  });

  it('quasi-periodic: an irrational rotation on an attracting circle (exponent ≈ 0, no period)', () => {
    const r = detectLimitCycle(radialRotation(2, Math.PI * (Math.sqrt(5) - 1)), { seed: 2 });
    expect(r.kind).toBe('quasi-periodic');
    expect(r.period).toBe(0);
    expect(Math.abs(r.largestExponent)).toBeLessThan(0.01);
  });

  it('a slowly converging orbit is not forced into a class: unknown, with the reason', () => {
    const r = detectLimitCycle(diagonalTanh(2, 0.999), { seed: 3 });
    expect(r.kind).toBe('unknown');
    expect(r.note).toMatch(/converging/);
    const r2 = detectLimitCycle(diagonalTanh(2, 0.9), { seed: 3, transient: 0, checkWindow: 50, maxPeriod: 3 });
    expect(r2.kind).toBe('unknown');
    expect(r2.largestExponent).toBeCloseTo(Math.log(0.9), 2);
  });

  it('accepts an Rnn with a constant input', () => {
    const g = 1.5;
    const rnn: Rnn = {
      activation: 'tanh',
      params: {
        wIn: tensor([[0], [0]]),
        wRec: tensor([[0, -g], [g, 0]]),
        b: tensor([0, 0]),
        wOut: tensor([[1, 0]]),
        bOut: tensor([0]),
      },
    };
    const r = detectLimitCycle(rnn, { input: [1], seed: 4 });
    expect(r.kind).toBe('limit-cycle');
    expect(r.period).toBe(4);
    const mu = (g * (1 - tanhRoot(g) ** 2)) ** 4;
    for (const m of modulus(r)) expect(Math.abs(m - mu)).toBeLessThan(1e-12);
  });

  it('rejects bad input', () => {
    expect(() => detectLimitCycle(henon, { x0: [0, 0, 0] })).toThrow(/length 2/);
    expect(() => detectLimitCycle(henon, { x0: [NaN, 0] })).toThrow(/NaN/);
    expect(() => detectLimitCycle(henon, { x0: [10, 10] })).toThrow(/non-finite/);
    expect(() => detectLimitCycle(henon, { maxPeriod: 0 })).toThrow(/maxPeriod/);
    expect(() => detectLimitCycle(henon, { input: [1] })).toThrow(/input/);
  });
});
