// The analysis steps of the study scripts on small synthetic inputs with known answers.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatSequences, knnAccuracy, meanStd, padBlank, ranks, spearman, statesAt } from '../../examples/studies/common.js';
import { sliceSpread, unitModularity } from '../../examples/studies/units.js';
import { analyseAttractor } from '../../examples/studies/attractor.js';
import type { Rnn } from '../../src/rnn/index.js';

describe('statistics', () => {
  it('meanStd skips non-finite values and uses the sample std', () => {
    expect(meanStd([1, 2, 3, NaN])).toEqual({ mean: 2, std: 1 });
    expect(meanStd([NaN]).mean).toBeNaN();
  });
  it('ranks average ties', () => expect(ranks([10, 20, 10, 5])).toEqual([2.5, 4, 2.5, 1]));
  it('spearman is ±1 for monotone maps and invariant under them', () => {
    fc.assert(fc.property(fc.uniqueArray(fc.integer({ min: -1000, max: 1000 }), { minLength: 3, maxLength: 20 }), (x) => {
      expect(spearman(x, x.map((v) => v * v * v + 3))).toBeCloseTo(1, 12);
      expect(spearman(x, x.map((v) => -v * v * v))).toBeCloseTo(-1, 12);
    }));
  });
  it('spearman equals the closed form 1 − 6Σd²/(n(n²−1)) without ties', () => {
    const x = [1, 2, 3, 4, 5], y = [2, 1, 4, 3, 5]; // d = ±1 four times
    expect(spearman(x, y)).toBeCloseTo(1 - (6 * 4) / (5 * 24), 14);
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNaN();
  });
});

describe('kNN accuracy', () => {
  it('is 1 for well separated classes and ≈ chance for labels independent of position', () => {
    const pts: number[] = [], lab: number[] = [];
    for (let c = 0; c < 3; c++) for (let i = 0; i < 20; i++) { pts.push(100 * c + (i % 5) * 0.1, (i / 5) * 0.1); lab.push(c); }
    expect(knnAccuracy(Float64Array.from(pts), 2, lab, 5)).toBe(1);
    const line = Float64Array.from({ length: 200 }, (_, i) => i);
    const alternating = Array.from({ length: 200 }, (_, i) => i % 2);
    // on a line with alternating labels both nearest neighbours carry the other label
    expect(knnAccuracy(line, 1, alternating, 2)).toBeLessThan(0.05);
  });
});

describe('tensor helpers', () => {
  it('statesAt, padBlank and concatSequences move the right values', () => {
    const x = { shape: [2, 3, 1], data: Float32Array.from([1, 2, 3, 4, 5, 6]) };
    expect(Array.from(statesAt(x, 1))).toEqual([2, 5]);
    expect(Array.from(padBlank(x, 2).data)).toEqual([1, 2, 3, 0, 0, 4, 5, 6, 0, 0]);
    const c = concatSequences(x, 2);
    expect(c.shape).toEqual([1, 6, 1]);
    expect(Array.from(c.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('units: spread and modularity', () => {
  it('sliceSpread is 0 for collapsed slices and 1 for one slice', () => {
    expect(sliceSpread([0, 0, 0, 0, 5, 5, 5, 5], [0, 0, 1, 1])).toBe(0);
    expect(sliceSpread([0, 0, 1, 0, 0, 1, 1, 1], [0, 0, 0, 0])).toBeCloseTo(1, 14);
  });
  it('modularity finds two independent groups of correlated units (Q = 1/2) and ~0 for no structure', () => {
    const f = 200, units = 8;
    let s = 1;
    const rnd = () => ((s = (s * 16807) % 2147483647) / 2147483647) - 0.5;
    const a = Array.from({ length: f }, rnd), b = Array.from({ length: f }, rnd);
    const act = new Float64Array(units * f);
    for (let u = 0; u < units; u++) for (let j = 0; j < f; j++) act[u * f + j] = (u < 4 ? a[j] : b[j]) + 1e-3 * rnd();
    const r = unitModularity(act, units);
    expect(r.groups.slice(0, 4).every((g) => g === r.groups[0])).toBe(true);
    expect(r.groups.slice(4).every((g) => g !== r.groups[0])).toBe(true);
    // the |corr| between the groups is O(1/√f), so Q = 1/2 up to that
    expect(Math.abs(r.modularity - 0.5)).toBeLessThan(4 / Math.sqrt(f));
    const noise = Float64Array.from({ length: units * f }, rnd);
    expect(unitModularity(noise, units).modularity).toBeLessThan(0.25);
  });
});

describe('attractor analysis', () => {
  it('finds the period-2 cycle of h → tanh(−3h) and a fixed point of h → tanh(0.5 h)', () => {
    const net = (w: number): Rnn => ({
      activation: 'tanh',
      params: {
        wIn: { shape: [1, 1], data: new Float32Array([0]) }, wRec: { shape: [1, 1], data: new Float32Array([w]) },
        b: { shape: [1], data: new Float32Array(1) }, wOut: { shape: [1, 1], data: new Float32Array([1]) }, bOut: { shape: [1], data: new Float32Array(1) },
      },
    });
    const opts = { transient: 500, maxPeriod: 10, settle: 500, keep: 50 };
    const osc = analyseAttractor(net(-3), Float64Array.from([0.3, -0.8, 0.5]), opts);
    expect(osc.kind).toBe('limit-cycle');
    expect(osc.cycles).toBe(1); // one cycle, reached from three starts with either phase
    expect(osc.periods).toEqual([2]);
    expect(osc.attractors[0].basin).toBe(3);
    expect(osc.attractors[0].floquet[0]).toBeLessThan(1);
    const fp = analyseAttractor(net(0.5), Float64Array.from([0.3, -0.8]), opts);
    expect(fp.kind).toBe('fixed-point');
    expect(fp.cycles).toBe(0);
    expect(fp.intrinsicDimension.participationRatio).toBe(0);
  });
});

describe('horoi2020: the chaotic gain', () => {
  it('is the smallest gain with λ1 clearly above zero (not within its spread)', async () => {
    const { chaoticGain } = await import('../../examples/studies/horoi2020.js');
    const sweep = [{ gain: 1.5, lambda1: 0.04, std: 0.003 }, { gain: 1.2, lambda1: 0.001, std: 0.003 }, { gain: 1, lambda1: -0.02, std: 0.01 }];
    expect(chaoticGain(sweep)).toBe(1.5);
    expect(chaoticGain(sweep.slice(1))).toBeNull();
  });
});
