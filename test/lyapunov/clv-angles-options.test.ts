import { describe, expect, it } from 'vitest';
import { clvAngles } from '../../src/lyapunov/clv-angles.js';
import { covariantLyapunovVectors } from '../../src/lyapunov/clv.js';
import { henonMap } from '../../src/lyapunov/systems.js';

describe('clvAngles: what it is asked for', () => {
  const opts = { steps: 20, warmup: 5, frameWarmup: 5, backwardWarmup: 5, seed: 1 };
  const r2 = covariantLyapunovVectors(henonMap(), opts);
  const r1 = covariantLyapunovVectors(henonMap(), { ...opts, k: 1 });

  it('a pair that is not an array of two is refused naming pair (it was "number 3 is not iterable")', () => {
    expect(() => clvAngles(r2, { pair: 3 as never })).toThrow(TypeError);
    expect(() => clvAngles(r2, { pair: 3 as never })).toThrow(/^clvAngles: pair must be an array \[i, j\] of two vector indices \(0-based, below k = 2\), got number$/);
    expect(() => clvAngles(r2, { pair: [0, 1, 1] as never })).toThrow(/^clvAngles: pair must hold two vector indices \[i, j\], got 3$/);
    // two vectors: the angle between them is the one between the first and the span of the other (two formulas, one angle)
    const a = clvAngles(r2, { pair: [0, 1] }), b = clvAngles(r2, { unstable: 1 });
    for (let t = 0; t < a.length; t++) expect(Math.abs(a[t] - b[t])).toBeLessThan(1e-14);
  });

  it('unstable on a result of one vector says it needs two (it was "expected an integer in [1, 0], got 1"); neither option names both', () => {
    expect(() => clvAngles(r1, { unstable: 1 })).toThrow(/^clvAngles: unstable splits the vectors in two, and this result has k = 1: compute at least 2 vectors$/);
    expect(() => clvAngles(r2, {})).toThrow(/^clvAngles: give unstable: j .* or pair: \[i, j\] \(two vectors\)$/);
  });
});
