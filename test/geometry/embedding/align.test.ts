// The metric-MDS result aligned to the classical one (diffusion.ts alignedToClassic): a configuration
// with every point equal is refused in PHATE's terms, tested before Procrustes (which throws for it),
// not by matching Procrustes' message
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/rng.js';
import { alignedToClassic } from '../../../src/geometry/embedding/diffusion.js';
import { hasSpread, procrustesRaw } from '../../../src/geometry/embedding/procrustes.js';

const m = 12;
const d = 2;
const rng = createRng(3);
const random = () => Float64Array.from({ length: m * d }, () => rng.normal());
const same = () => Float64Array.from({ length: m * d }, (_, e) => (e % d === 0 ? 0.25 : -3));

describe('alignedToClassic', () => {
  it('refuses a configuration with all points equal (either one) in the caller\'s terms', () => {
    const msg = /^mPhate: every point has the same diffusion potential/;
    expect(() => alignedToClassic(same(), random(), m, d, 'mPhate')).toThrow(msg);
    expect(() => alignedToClassic(random(), same(), m, d, 'mPhate')).toThrow(msg);
    expect(() => alignedToClassic(random(), Float64Array.from(random(), (v, e) => (e === 3 ? NaN : v)), m, d, 'phate')).toThrow(/^phate: every point/);
  });
  it('is Procrustes\' fit otherwise, bit for bit', () => {
    const a = random();
    const b = random();
    expect(Array.from(alignedToClassic(a, b, m, d, 'phate'))).toEqual(Array.from(procrustesRaw(a, b, m, d).b));
  });
  it('hasSpread says whether Procrustes can standardize a configuration', () => {
    for (const X of [random(), same(), new Float64Array(m * d), Float64Array.from(same(), (v, e) => (e === 0 ? v + 2 ** -60 : v))]) {
      let threw = false;
      try {
        procrustesRaw(X, random(), m, d);
      } catch {
        threw = true;
      }
      expect(hasSpread(X, m, d)).toBe(!threw);
    }
  });
});
