import { describe, expect, it } from 'vitest';
import { phate } from '../../../src/geometry/embedding/phate.js';
import { trustworthiness } from '../../../src/geometry/embedding/quality.js';
import { demap } from '../../../src/geometry/embedding/demap.js';
import { clusters } from './helpers.js';

describe('embedding options', () => {
  it('are read as own properties only (an inherited option is ignored)', () => {
    const { x } = clusters(60, 4, 2, 1);
    const inherited = Object.create({ t: 3, mds: 'nonsense' }) as { dim: number; seed: number };
    inherited.dim = 4;
    inherited.seed = 1;
    const a = phate(x, inherited);
    const b = phate(x, { dim: 4, seed: 1 });
    expect(Array.from(a.embedding)).toEqual(Array.from(b.embedding));
    expect(a.t).toBe(b.t);
  });

  it('trustworthiness and demap report progress as { phase, done, total } and honour an abort', () => {
    const { x } = clusters(400, 6, 3, 2);
    const y = x.filter((_, e) => e % 6 < 2);
    const seen: { phase?: string; done: number; total: number }[] = [];
    trustworthiness(x, y, { dimX: 6, dimY: 2, onProgress: (p) => seen.push(p) });
    const last = seen[seen.length - 1]!;
    expect(last).toEqual({ phase: 'ranks', done: 400, total: 400 });
    const ac = new AbortController();
    ac.abort();
    expect(() => trustworthiness(x, y, { dimX: 6, dimY: 2, signal: ac.signal })).toThrow(/abort/i);
    const seenD: { phase?: string; done: number; total: number }[] = [];
    demap(x, y, { dimX: 6, dimY: 2, onProgress: (p) => seenD.push(p) });
    expect(seenD[seenD.length - 1]).toEqual({ phase: 'geodesics', done: 400, total: 400 });
    expect(() => demap(x, y, { dimX: 6, dimY: 2, signal: ac.signal })).toThrow(/abort/i);
  });
});

describe('embedding options of a list of choices (core readChoice)', () => {
  it('a wrong kind is a TypeError naming it (an array as one), another string a RangeError', () => {
    const { x } = clusters(30, 4, 2, 1);
    // these were RangeErrors, and an array read 'object'
    expect(() => phate(x, { dim: 4, mds: 3 as never })).toThrow(TypeError);
    expect(() => phate(x, { dim: 4, mds: ['metric'] as never })).toThrow(/^phate: mds: expected one of 'metric', 'classic', got array$/);
    expect(() => phate(x, { dim: 4, mdsSolver: 'lbfgs' as never })).toThrow(RangeError);
    expect(() => phate(x, { dim: 4, mdsSolver: 'lbfgs' as never })).toThrow(/^phate: mdsSolver: expected one of 'smacof', 'sgd', got 'lbfgs'$/);
  });
});
