/**
 * detectLimitCycle at small scales of the states. Its tolerance ε = tolerance·(1 + max‖x‖) is
 * relative for large states and absolute (1e-7) for small ones, and its distances were squared in
 * the states' units: a rotation by 2π/7 (period 7) started at 1e-8 was a 'fixed-point' (every step,
 * 8.7e-9, under 1e-7), and below ~1e-162 every orbit was (the squared steps underflowed to 0). Now,
 * when the states' largest |coordinate| M is below 2^-8, distances and ε are taken in units of the
 * power of two 2^(e+8) ≤ M·2^8 (exact), i.e. ε = tolerance·(unit + max‖x‖); above, every bit as
 * before. A linear map scaled by 2^k then gives the same result scaled, bit for bit, for all k below
 * the band.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { detectLimitCycle } from '../../src/geometry/limit-cycle.js';
import type { DynamicalSystem } from '../../src/core/system.js';
import { affine, rotation } from './systems.js';

const golden = 2 * Math.PI * (3 - Math.sqrt(5)) / 2; // an irrational rotation: no period, quasi-periodic

describe('detectLimitCycle on rotations started at 2^k', () => {
  const ref = { seven: detectLimitCycle(rotation((2 * Math.PI) / 7), { x0: [2 ** -20, 0] }), golden: detectLimitCycle(rotation(golden), { x0: [2 ** -20, 0] }) };

  it('at 1 and 0.01 (the band): period 7 and quasi-periodic, as always', () => {
    for (const s of [1, 0.01]) {
      expect(detectLimitCycle(rotation((2 * Math.PI) / 7), { x0: [s, 0] }).period).toBe(7);
      expect(detectLimitCycle(rotation(golden), { x0: [s, 0] }).kind).toBe('quasi-periodic');
    }
  });

  it('below the band, for k in [-1000, -9]: the same kind, period and multipliers, and every length × 2^(k+20)', () => {
    expect(ref.seven.kind).toBe('limit-cycle');
    expect(ref.seven.period).toBe(7);
    expect(ref.golden.kind).toBe('quasi-periodic');
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: -9 }), (k) => {
        const f = 2 ** (k + 20);
        for (const [angle, r0] of [[(2 * Math.PI) / 7, ref.seven], [golden, ref.golden]] as const) {
          const r = detectLimitCycle(rotation(angle), { x0: [2 ** k, 0] });
          expect(r.kind).toBe(r0.kind);
          expect(r.period).toBe(r0.period);
          expect(r.deviation).toBe(r0.deviation * f);
          expect(Array.from(r.points)).toEqual(Array.from(r0.points, (v) => v * f));
          expect(Array.from(r.floquetMultipliers.re)).toEqual(Array.from(r0.floquetMultipliers.re));
          expect(r.largestExponent).toBe(r0.largestExponent);
        }
      }),
      { numRuns: 40, seed: 3 },
    );
  });

  it('a rotation by 2π/7 from 1e-8 and 1e-170 has period 7 (before: a fixed point)', () => {
    for (const s of [1e-8, 1e-12, 1e-170]) {
      const r = detectLimitCycle(rotation((2 * Math.PI) / 7), { x0: [s, 0] });
      expect(r.kind).toBe('limit-cycle');
      expect(r.period).toBe(7);
      // the orbit keeps its norm s: each step moves it 2 s·sin(π/7), seven return it to within rounding
      expect(r.deviation).toBeLessThanOrEqual(16 * 2 ** -52 * s);
    }
  });

  it('a contraction to a fixed point at 1e-170 is still one', () => {
    const s = 1e-170;
    const sys: DynamicalSystem = { dim: 1, step: (x, _t, o) => { o[0] = 0.5 * x[0]! + s; }, jacobian: (_x, _t, J) => { J[0] = 0.5; } };
    const r = detectLimitCycle(sys, { x0: [0] });
    expect(r.kind).toBe('fixed-point');
    expect(Math.abs(r.points[0]! - 2 * s)).toBeLessThanOrEqual(2 * 2 ** -52 * 2 * s);
  });
  it('a contraction into the fixed point 0 from small states is a fixed point, as at scale 1 (it was "unknown" in units of its own shrinking size)', () => {
    // x → 0.5·R(1)·x spirals into the origin; tanh(x/2) per unit as in examples/studies/attractor.ts
    const c = 0.5 * Math.cos(1), sn = 0.5 * Math.sin(1);
    const spiral = affine([[c, -sn], [sn, c]], [0, 0]);
    const tanhHalf: DynamicalSystem = { dim: 1, step: (x, _t, o) => { o[0] = Math.tanh(0.5 * x[0]!); }, jacobian: (x, _t, J) => { J[0] = 0.5 / Math.cosh(0.5 * x[0]!) ** 2; } };
    for (const s of [1, 1e-8, 1e-100, 1e-170]) {
      expect(detectLimitCycle(spiral, { x0: [s, 0], transient: 100 }).kind).toBe('fixed-point');
      expect(detectLimitCycle(tanhHalf, { x0: [0.3 * s], transient: 500, maxPeriod: 10 }).kind).toBe('fixed-point');
    }
  });
});
