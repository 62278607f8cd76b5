// A float64 uniform in [0, 1) stored in a Float32Array can round onto the open end: u = 1 − 2^-53
// is below 1, Math.fround(u) is exactly 1. randu's [low, high) and delayedRecallTask's uniform
// [−1, 1) are documented half-open; these tests hold them to it for the float32 values stored.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { float32AtLeast, float32Below, float32InRange } from '../../src/core/float32-range.js';
import { createRng, randu } from '../../src/core/index.js';
import { delayedRecallTask } from '../../src/data/index.js';

const TOP = 1 - 2 ** -53; // the largest double below 1, a valid uniform
const top = () => TOP;
/** The float32 next to the float32 f toward +∞ (dir 1) or −∞ (−1), by stepping its bits. */
function next32(f: number, dir: 1 | -1): number {
  if (f === 0) return dir * 2 ** -149;
  const v = new DataView(new ArrayBuffer(4));
  v.setFloat32(0, f);
  v.setInt32(0, v.getInt32(0) + (f > 0 ? dir : -dir));
  return v.getFloat32(0);
}

describe('float32 neighbours', () => {
  it('float32Below / float32AtLeast step one float32 across a boundary and keep float32 values', () => {
    expect(Math.fround(TOP)).toBe(1); // the trap itself
    expect(float32Below(1)).toBe(1 - 2 ** -24);
    expect(float32Below(-1)).toBe(-1 - 2 ** -23);
    expect(float32Below(0)).toBe(-(2 ** -149));
    expect(float32AtLeast(0.7)).toBeGreaterThanOrEqual(0.7);
    expect(Math.fround(0.7)).toBeLessThan(0.7); // so the stored 0.7 lies below a low of 0.7
    expect(float32AtLeast(1)).toBe(1);
    expect(float32Below(Infinity)).toBe(2 ** 128 - 2 ** 104);
    fc.assert(fc.property(fc.double({ min: -1e38, max: 1e38, noNaN: true }), (x) => {
      const b = float32Below(x), a = float32AtLeast(x);
      expect(Math.fround(b)).toBe(b);
      expect(Math.fround(a)).toBe(a);
      expect(b).toBeLessThan(x);
      expect(a).toBeGreaterThanOrEqual(x);
      // nothing float32 in between: the float32 next above b (by its bits) is ≥ x, the one below a is < x
      expect(next32(b, 1)).toBeGreaterThanOrEqual(x);
      expect(next32(a, -1)).toBeLessThan(x);
    }), { seed: 4, numRuns: 500 });
  });
});

describe('randu keeps [low, high) in float32', () => {
  it('a uniform of 1 − 2^-53 no longer becomes high (it was exactly 1.0)', () => {
    expect(randu([1], { rng: top }).data[0]).toBe(1 - 2 ** -24);
    expect(randu([1], { rng: top, low: -1, high: 1 }).data[0]).toBe(1 - 2 ** -24);
    expect(randu([1], { rng: top, low: 0, high: 0.1 }).data[0]).toBeLessThan(0.1);
    // the low end when low is not a float32: fround(0.7) < 0.7
    expect(randu([1], { rng: () => 0, low: 0.7, high: 0.8 }).data[0]).toBeGreaterThanOrEqual(0.7);
  });

  it('holds for any bounds and any uniform, changing only values that rounding put outside', () => {
    const bound = fc.double({ min: -1e30, max: 1e30, noNaN: true });
    const u = fc.double({ min: 0, max: TOP, noNaN: true });
    fc.assert(fc.property(bound, bound, u, (x, y, v) => {
      const low = Math.min(x, y), high = Math.max(x, y);
      if (low === high || float32AtLeast(low) >= high) return;
      const r = randu([1], { low, high, rng: () => v }).data[0]!;
      expect(r >= low && r < high).toBe(true);
      const plain = Math.fround(low + (high - low) * v);
      if (plain >= low && plain < high) expect(r).toBe(plain);
    }), { seed: 11, numRuns: 2000 });
  });

  it('leaves a seeded stream as it was wherever it was not on the boundary', () => {
    const low = -0.3, high = 0.7;
    const r = createRng(5);
    const expected = Array.from({ length: 5000 }, () => Math.fround(low + (high - low) * r()));
    const got = Array.from(randu([5000], { low, high, seed: 5 }).data);
    expected.forEach((e, i) => { if (e >= low && e < high) expect(got[i]).toBe(e); });
  });

  it('refuses a range that holds no float32, keeps low = high as low', () => {
    expect(() => randu([1], { low: 0.1, high: 0.1 + 1e-12 })).toThrow(/^randu: no float32 value lies in \[low, high\)/);
    expect(Array.from(randu([2], { low: 0.5, high: 0.5 }).data)).toEqual([0.5, 0.5]);
  });
});

describe("delayedRecallTask's uniform inputs stay in [−1, 1)", () => {
  it('a uniform of 1 − 2^-53 gives the largest float32 below 1, not 1.0', () => {
    const { x } = delayedRecallTask({ distribution: 'uniform', steps: 2, batch: 1, delay: 1, rng: top });
    for (const v of x.data) expect(v).toBe(1 - 2 ** -24);
  });
  it('leaves every other seeded draw as the plain rounding of 2u − 1', () => {
    const r = createRng(3);
    const { x } = delayedRecallTask({ distribution: 'uniform', steps: 50, batch: 20, seed: 3 });
    for (const v of x.data) {
      const e = Math.fround(2 * r() - 1);
      if (e < 1) expect(v).toBe(e);
    }
  });
});
