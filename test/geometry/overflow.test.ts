/**
 * Fixed points and limit cycles where squares overflow. q = ½‖F(x) − x‖² overflows once
 * ‖F(x) − x‖ ≳ 1.9e154 (far starts, or a network with enormous weights), ‖x‖² once ‖x‖ ≳ 1.3e154;
 * before, such starts ended with q = NaN, converged 0, after 0 iterations, and detectLimitCycle's
 * relative tolerance became Infinity. Every expected value below is derived, none recorded.
 */
import { describe, expect, it } from 'vitest';
import { findFixedPoints } from '../../src/geometry/fixed-points.js';
import { detectLimitCycle } from '../../src/geometry/limit-cycle.js';
import { tensor } from '../../src/core/tensor.js';
import type { DynamicalSystem } from '../../src/core/system.js';
import type { Rnn } from '../../src/rnn/types.js';
import { affine, rotation } from './systems.js';

const EPS = 2 ** -52;

describe('findFixedPoints from starts whose q overflows', () => {
  it('LM walks in from 1e160, 3e200 and 1e300 to the fixed point of a contraction; q is never NaN', () => {
    const A = [[0.5, 0.2], [-0.1, 0.3]];
    const b = [1, 2];
    // x* = (I − A)⁻¹ b by the 2×2 inverse
    const [a, bb, c, d] = [1 - A[0]![0]!, -A[0]![1]!, -A[1]![0]!, 1 - A[1]![1]!];
    const det = a * d - bb * c;
    const inv = [[d / det, -bb / det], [-c / det, a / det]];
    const xStar = [inv[0]![0]! * b[0]! + inv[0]![1]! * b[1]!, inv[1]![0]! * b[0]! + inv[1]![1]! * b[1]!];
    const invNorm = Math.hypot(inv[0]![0]!, inv[0]![1]!, inv[1]![0]!, inv[1]![1]!);
    const inits = [[1e160, 1e160], [-3e200, 1e200], [1e300, -1e300], [0.1, 0.2]];
    // scale 1: the absolute tolerance 1e-12 (by default it would be in units of these starts' RMS coordinate, ~2^989)
    const res = findFixedPoints(affine(A, b), { inits, scale: 1 });
    expect(Array.from(res.starts.converged)).toEqual([1, 1, 1, 1]);
    for (const q of res.starts.q) expect(q).toBeLessThan(1e-12); // findFixedPoints' default tolerance, which converged = 1 means
    expect(res.points).toHaveLength(1);
    const p = res.points[0]!;
    expect(p.count).toBe(4);
    // x − x* = (I − A)⁻¹ r with ‖r‖ = √(2q), plus the rounding of x* itself
    const bound = invNorm * Math.sqrt(2 * p.q) + 8 * EPS * Math.hypot(xStar[0]!, xStar[1]!);
    for (let i = 0; i < 2; i++) expect(Math.abs(p.x[i]! - xStar[i]!)).toBeLessThanOrEqual(bound);
  });

  it('enormous weights: the residual (an Rnn with weights 3e38) and the Jacobian\'s squares (1e160) overflow', () => {
    // identity cell, wRec = diag(3e38, −2e38) as float32: h* = b / (1 − w) coordinate-wise
    const rnn: Rnn = {
      activation: 'identity',
      params: { wIn: tensor([[0], [0]]), wRec: tensor([[3e38, 0], [0, -2e38]]), b: tensor([1, 1]), wOut: tensor([[1, 0]]), bOut: tensor([0]) },
    };
    const w = [rnn.params.wRec.data[0]!, rnn.params.wRec.data[3]!];
    const r = findFixedPoints(rnn, { inits: [[1e130, -1e130], [1, 1]], outlierDistanceScale: Infinity });
    expect(Array.from(r.starts.converged)).toEqual([1, 1]);
    expect(r.points).toHaveLength(1);
    // |h − h*| ≤ |r| / |1 − w| coordinate-wise, |r| ≤ √(2q)
    for (let i = 0; i < 2; i++) {
      const hStar = 1 / (1 - w[i]!);
      expect(Math.abs(r.points[0]!.x[i]! - hStar)).toBeLessThanOrEqual(Math.sqrt(2 * r.points[0]!.q) / Math.abs(1 - w[i]!) + 4 * EPS * Math.abs(hStar));
    }
    // F(x) = s·B x + b, s = 1e160: ‖A_j‖² ≈ 1e320 overflows; x* = −(sB − I)⁻¹ b ≈ −B⁻¹b / s = [−1/7, 4/7] / s
    const s = 1e160;
    const big = affine([[3 * s, -s], [s, 2 * s]], [1, -1]);
    const f = findFixedPoints(big, { inits: [[1, 1], [-3, 2]], outlierDistanceScale: Infinity });
    expect(Array.from(f.starts.converged)).toEqual([1, 1]);
    const binvNorm = Math.sqrt(4 + 1 + 1 + 9) / 7; // ‖B⁻¹‖_F, B⁻¹ = [[2, 1], [−1, 3]] / 7
    const xStar = [-1 / 7 / s, 4 / 7 / s];
    for (const p of f.points) {
      // the 1/s of (sB − I)⁻¹ = B⁻¹/s · (1 + O(1/s)) is far below the rounding of x*
      const bound = (1.01 * binvNorm * Math.sqrt(2 * p.q)) / s + 8 * EPS * Math.hypot(xStar[0]!, xStar[1]!);
      for (let i = 0; i < 2; i++) expect(Math.abs(p.x[i]! - xStar[i]!)).toBeLessThanOrEqual(bound);
    }
    expect(f.points.length).toBeGreaterThan(0);
  });

  for (const method of ['lm', 'adam'] as const) {
    it(`${method}: q is ½‖F(x) − x‖² exactly, or +Infinity when that exceeds the double range, never NaN`, () => {
      // F(x) = x + c has no fixed point and the same residual c everywhere
      const shift = (c: number[]) => affine([[1, 0], [0, 1]], c);
      const opts = { inits: [[1, 1]], method, maxIterations: 5 };
      const inf = findFixedPoints(shift([1e200, 0]), opts);
      expect(inf.starts.q[0]).toBe(Infinity);
      expect(inf.starts.converged[0]).toBe(0);
      expect(inf.starts.iterations[0]).toBeGreaterThan(0); // it ran (it cannot make progress here)
      // Σ r² = 2.88e308 overflows, ½ Σ r² = (1.2e154)² does not
      const a = 1.2e154;
      expect(findFixedPoints(shift([a, a]), opts).starts.q[0]).toBe(a * a);
      expect(findFixedPoints(shift([1e150, 0]), opts).starts.q[0]).toBe(0.5 * (1e150 * 1e150));
    });
  }
});

describe('detectLimitCycle where squares overflow', () => {
  it('a rotation by 2π/3 has period 3 at any scale (its squared deviation, ~1e369 at 1e200, overflowed)', () => {
    for (const scale of [1, 1e200, 1e300]) {
      const r = detectLimitCycle(rotation((2 * Math.PI) / 3), { x0: [scale, 0] });
      expect(r.kind).toBe('limit-cycle');
      expect(r.period).toBe(3);
      // the orbit keeps its norm, so the tolerance is 1e-7·(1 + scale)
      expect(r.deviation).toBeLessThan(1e-7 * (1 + scale));
      // derived: cos and sin of 2π/3 are rounded by ε, each step's two products and a sum add ≈ 2ε of ‖x‖, so three
      // steps land within 16·ε·scale of x₀ (the tolerance above is detectLimitCycle's default, not a bound)
      expect(r.deviation).toBeLessThanOrEqual(16 * EPS * scale); // measured ≤ 0.26 of it
    }
  });

  it('a drift by 1e154 per step at 1e160 is not a fixed point (‖x‖² overflowed into an infinite tolerance)', () => {
    const drift: DynamicalSystem = {
      dim: 2,
      step: (x, _t, o) => { o[0] = x[0]! + 1e154; o[1] = x[1]!; },
      jacobian: (_x, _t, J) => { J[0] = 1; J[1] = 0; J[2] = 0; J[3] = 1; },
    };
    const r = detectLimitCycle(drift, { x0: [1e160, 1e160] });
    // tolerance 1e-7·(1 + max‖x‖) ≤ 1e-7·2e160·… < 1e154 = every step's length
    expect(r.period).toBe(0);
    expect(r.kind).not.toBe('fixed-point');
    expect(r.deviation).toBeGreaterThanOrEqual(1e154 * (1 - 1e-9));
    // derived: each x + 1e154 is rounded by ≤ ½ulp(x) ≤ ε·|x|/2, |x| ≤ 1e160 + steps·1e154 ≤ 1.01e160 (≤ 10⁴ steps),
    // so a step (and a period's p ≥ 1 steps) is at least 1e154 − ε·1.01e160 = 1e154·(1 − 2.2e-10)
    expect(1e154 - r.deviation).toBeLessThanOrEqual(EPS * 1.01e160); // measured 0
  });

  it('the exponent of x ↦ sin(Kx), K = 1e160: ln K + E ln|cos| = ln K − ln 2 (|J·v|² overflowed)', () => {
    const K = 1e160;
    const sys: DynamicalSystem = {
      dim: 1,
      step: (x, _t, o) => { o[0] = Math.sin(K * x[0]!); },
      jacobian: (x, _t, J) => { J[0] = K * Math.cos(K * x[0]!); },
    };
    const r = detectLimitCycle(sys, { x0: [0.3] });
    expect(r.kind).toBe('chaotic');
    // |cos| ≤ 1 bounds it above; ln|cos U| (U uniform) has mean −ln 2 and std π/√12 ≈ 0.91, so over
    // 4000 steps the mean is within 0.1 (7 standard errors) of −ln 2
    expect(r.largestExponent).toBeLessThanOrEqual(Math.log(K) * (1 + 4 * EPS));
    expect(Math.abs(r.largestExponent - (Math.log(K) - Math.LN2))).toBeLessThan(0.1);
    // five standard errors over exponentSteps' default 4000 steps (0.072, stricter); measured 0.011 (0.16 of it)
    expect(Math.abs(r.largestExponent - (Math.log(K) - Math.LN2))).toBeLessThanOrEqual((5 * Math.PI) / Math.sqrt(12) / Math.sqrt(4000));
  });
});
