/**
 * findFixedPoints' `method` is read by core's readChoice, as every other choice option: a TypeError
 * for another kind, a RangeError for another string, both listing the choices. Before, anything but
 * 'lm' and 'adam' was a RangeError ("method must be 'lm' or 'adam', got 1"), a number included.
 */
import { describe, expect, it } from 'vitest';
import { findFixedPoints } from '../../src/geometry/fixed-points.js';
import { affine } from './systems.js';

describe('findFixedPoints: method', () => {
  const sys = affine([[0.5, 0], [0, 0.5]], [1, 1]);
  const inits = [[0, 0]];
  const call = (method: unknown) => () => findFixedPoints(sys, { inits, method: method as 'lm' });

  it('another kind is a TypeError naming the kind and the choices', () => {
    for (const [v, kind] of [[1, 'number'], [['lm'], 'array'], [true, 'boolean']] as const) {
      expect(call(v)).toThrow(TypeError);
      expect(call(v)).toThrow(`findFixedPoints: method: expected one of 'lm', 'adam', got ${kind}`);
    }
  });

  it('another string is a RangeError quoting it', () => {
    expect(call('newton')).toThrow(RangeError);
    expect(call('newton')).toThrow("findFixedPoints: method: expected one of 'lm', 'adam', got 'newton'");
    expect(call('LM')).toThrow(RangeError);
  });

  it("absent is 'lm'; both choices run", () => {
    expect(findFixedPoints(sys, { inits }).method).toBe('lm');
    expect(findFixedPoints(sys, { inits, method: 'adam' }).method).toBe('adam');
  });
});
