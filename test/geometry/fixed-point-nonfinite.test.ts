/**
 * Starts where the map or its Jacobian is not finite. Before, LM ended such a start with q = NaN and
 * nothing said which start or why; Adam, whose NaN gradient sent x to NaN and back to its best point
 * until the rate underflowed, ended it with that point's finite q after ~1000 iterations, silently, and
 * with `keepSlowPoints` (1e300) kept it as a slow point, whose classification then threw for the whole call.
 * Now every such start ends with q = NaN and an entry in `failures` (the start, the iteration, what was
 * not finite and where), never counts as converged or slow, and the other starts are unaffected.
 */
import { describe, expect, it } from 'vitest';
import { findFixedPoints } from '../../src/geometry/fixed-points.js';
import { tensor } from '../../src/core/tensor.js';
import type { DynamicalSystem } from '../../src/core/system.js';
import type { Rnn } from '../../src/rnn/types.js';

/** F(x) = x/2 + 1 (fixed point 2), whose Jacobian is reported as `bad` where x₀ > 5. */
const patchy = (bad: number): DynamicalSystem => ({
  dim: 2,
  step: (x, _t, o) => { o[0] = 0.5 * x[0]! + 1; o[1] = 0.5 * x[1]! + 1; },
  jacobian: (x, _t, J) => { J[0] = 0.5; J[1] = x[0]! > 5 ? bad : 0; J[2] = 0; J[3] = 0.5; },
});

describe('findFixedPoints: a non-finite Jacobian or map is reported, never counted', () => {
  for (const method of ['lm', 'adam'] as const) {
    for (const bad of [NaN, Infinity]) {
      it(`${method}: a Jacobian with ${bad} at [0,1]: q NaN, the start and the reason in failures`, () => {
        const inits = [[0, 0], [10, 0], [1, 3], [7, -1]];
        const r = findFixedPoints(patchy(bad), { inits, method, keepSlowPoints: 1e300 });
        expect(Array.from(r.starts.q, Number.isNaN)).toEqual([false, true, false, true]);
        expect(Array.from(r.starts.converged)).toEqual([1, 0, 1, 0]);
        expect(r.convergedFraction).toBe(0.5);
        expect(r.failures.map((f) => f.start)).toEqual([1, 3]);
        for (const f of r.failures) {
          expect(f.iteration).toBe(1); // the first Jacobian, at the start itself
          expect(f.reason).toBe(`the Jacobian of F is not finite (${bad} at [0,1])`);
        }
        // the converged starts give the one fixed point (2, 2); the failed ones are neither converged nor slow
        expect(r.points).toHaveLength(1);
        expect(r.points[0]!.count).toBe(2);
        for (const v of r.points[0]!.x) expect(Math.abs(v - 2)).toBeLessThanOrEqual(2 * Math.sqrt(2 * r.points[0]!.q) + 4 * 2 ** -52 * 2);
      });
    }
  }

  it('an Rnn whose step overflows at a start (relu, weights 3e38): q NaN, with the unit that overflowed', () => {
    const rnn: Rnn = {
      activation: 'relu',
      params: { wIn: tensor([[0], [0]]), wRec: tensor([[0.5, 0], [3e38, 0.5]]), b: tensor([1, 1]), wOut: tensor([[1, 0]]), bOut: tensor([0]) },
    };
    for (const method of ['lm', 'adam'] as const) {
      // h₀ = 1e300: W·h overflows in unit 1 at the start; from h₀ = 0 the map h₁' = 3e38·relu(h₀)… is finite
      const r = findFixedPoints(rnn, { inits: [[0, 0], [1e300, 0]], method, outlierDistanceScale: Infinity });
      expect(Number.isNaN(r.starts.q[1])).toBe(true);
      expect(r.starts.iterations[1]).toBe(0);
      expect(r.starts.converged[1]).toBe(0);
      expect(r.failures).toEqual([{ start: 1, iteration: 0, reason: 'F(x) is not finite (Infinity at [1])' }]);
      expect(r.convergedFraction).toBeLessThanOrEqual(0.5);
    }
  });

  it('no failures: an empty list', () => {
    const r = findFixedPoints(patchy(NaN), { inits: [[0, 0], [1, 1]] });
    expect(r.failures).toEqual([]);
  });
});
