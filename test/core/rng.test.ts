import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { createRng, randn } from '../../src/core/index.js';

describe('createRng', () => {
  it('is reproducible bit for bit and differs across seeds', () => {
    const a = createRng(1), b = createRng(1), c = createRng(2);
    const xa = Array.from({ length: 100 }, () => a());
    const xb = Array.from({ length: 100 }, () => b());
    const xc = Array.from({ length: 100 }, () => c());
    expect(xa).toEqual(xb);
    expect(xa).not.toEqual(xc);
    for (const x of xa) expect(x >= 0 && x < 1).toBe(true);
  });
  it('has uniform moments', () => {
    const r = createRng('moments');
    const n = 100000;
    let s = 0, s2 = 0;
    for (let i = 0; i < n; i++) { const u = r(); s += u; s2 += u * u; }
    const mean = s / n, variance = s2 / n - mean * mean;
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.002);
  });
  it('accepts a seedrandom generator wherever an rng is taken', () => {
    const t1 = randn([10], { rng: seedrandom('x') });
    const t2 = randn([10], { rng: seedrandom('x') });
    expect(t1.data).toEqual(t2.data);
    expect(() => randn([2], { rng: 3 as unknown as () => number })).toThrow(TypeError);
  });
});
