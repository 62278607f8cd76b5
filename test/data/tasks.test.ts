import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { delayedRecallTask, flipFlopTask } from '../../src/data/index.js';

describe('flipFlopTask', () => {
  it('has the documented shapes and defaults', () => {
    const { x, targets } = flipFlopTask({ seed: 1 });
    expect(x.shape).toEqual([128, 100, 3]);
    expect(targets.shape).toEqual([128, 100, 3]);
    expect(x.data.every((v) => v === -1 || v === 0 || v === 1)).toBe(true);
    expect(targets.data.every((v) => v === -1 || v === 0 || v === 1)).toBe(true);
  });

  it('targets hold the sign of the latest pulse (0 before the first)', () => {
    const bits = 4, steps = 60, batch = 30;
    const { x, targets } = flipFlopTask({ bits, steps, batch, pFlip: 0.1, seed: 2 });
    let sawZero = false, sawFlip = false;
    for (let b = 0; b < batch; b++) for (let c = 0; c < bits; c++) {
      let s = 0;
      for (let t = 0; t < steps; t++) {
        const k = (b * steps + t) * bits + c;
        if (x.data[k] !== 0) {
          if (s !== 0 && x.data[k] !== s) sawFlip = true;
          s = x.data[k];
        }
        if (s === 0) sawZero = true;
        expect(targets.data[k]).toBe(s);
      }
    }
    expect(sawZero).toBe(true);
    expect(sawFlip).toBe(true);
  });

  it('pulses occur at rate pFlip with balanced signs (binomial, 5 standard errors)', () => {
    const bits = 3, steps = 200, batch = 200, p = 0.05;
    const { x } = flipFlopTask({ bits, steps, batch, pFlip: p, seed: 3 });
    const n = bits * steps * batch;
    let pulses = 0, plus = 0;
    for (const v of x.data) { if (v !== 0) pulses++; if (v > 0) plus++; }
    expect(Math.abs(pulses / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
    expect(Math.abs(plus / pulses - 0.5)).toBeLessThan(5 * Math.sqrt(0.25 / pulses));
  });

  it('initialPulse starts every channel with a pulse, so targets are never 0', () => {
    const { x, targets } = flipFlopTask({ bits: 3, steps: 20, batch: 10, initialPulse: true, seed: 4 });
    for (let b = 0; b < 10; b++) for (let c = 0; c < 3; c++) expect(x.data[b * 20 * 3 + c]).not.toBe(0);
    for (const v of targets.data) expect(Math.abs(v)).toBe(1);
  });

  it('pFlip = 0 gives silence; pFlip = 1 a pulse every step', () => {
    const silent = flipFlopTask({ steps: 10, batch: 2, pFlip: 0, seed: 5 });
    expect(silent.x.data.every((v) => v === 0)).toBe(true);
    expect(silent.targets.data.every((v) => v === 0)).toBe(true);
    const busy = flipFlopTask({ steps: 10, batch: 2, pFlip: 1, seed: 5 });
    expect(busy.x.data.every((v) => Math.abs(v) === 1)).toBe(true);
    expect(busy.targets.data).toEqual(busy.x.data);
  });

  it('is reproducible by seed or rng and differs across seeds', () => {
    const a = flipFlopTask({ steps: 50, batch: 8, seed: 9 });
    const b = flipFlopTask({ steps: 50, batch: 8, seed: 9 });
    const c = flipFlopTask({ steps: 50, batch: 8, seed: 10 });
    expect(a.x.data).toEqual(b.x.data);
    expect(a.targets.data).toEqual(b.targets.data);
    expect(a.x.data).not.toEqual(c.x.data);
    const r1 = flipFlopTask({ steps: 50, batch: 8, rng: seedrandom('s') });
    const r2 = flipFlopTask({ steps: 50, batch: 8, rng: seedrandom('s') });
    expect(r1.x.data).toEqual(r2.x.data);
  });

  it('validates its options', () => {
    expect(() => flipFlopTask({ bits: 0 })).toThrow(RangeError);
    expect(() => flipFlopTask({ steps: 2.5 })).toThrow(RangeError);
    expect(() => flipFlopTask({ batch: -1 })).toThrow(RangeError);
    expect(() => flipFlopTask({ pFlip: 1.5 })).toThrow(RangeError);
    expect(() => flipFlopTask({ pFlip: NaN })).toThrow(RangeError);
    expect(() => flipFlopTask({ pFlip: '0.1' as unknown as number })).toThrow(TypeError);
    expect(() => flipFlopTask({ rng: 1 as unknown as () => number })).toThrow(TypeError);
  });
});

describe('delayedRecallTask', () => {
  it('targets are the inputs shifted by exactly delay steps, zero before', () => {
    const B = 6, T = 40, I = 3;
    for (const delay of [0, 1, 7, T]) {
      const { x, targets } = delayedRecallTask({ delay, steps: T, batch: B, inputSize: I, seed: delay });
      expect(x.shape).toEqual([B, T, I]);
      expect(targets.shape).toEqual([B, T, I]);
      for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) for (let i = 0; i < I; i++) {
        const k = (b * T + t) * I + i;
        expect(targets.data[k]).toBe(t >= delay ? x.data[(b * T + t - delay) * I + i] : 0);
      }
    }
  });

  it('draws N(0,1) inputs by default and U[-1,1) on request (5 standard errors)', () => {
    const n = 200 * 100;
    const { x } = delayedRecallTask({ steps: 100, batch: 200, seed: 11 });
    let s = 0, s2 = 0;
    for (const v of x.data) { s += v; s2 += v * v; }
    expect(Math.abs(s / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(s2 / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    const u = delayedRecallTask({ steps: 100, batch: 200, seed: 11, distribution: 'uniform' }).x.data;
    let m = 0;
    for (const v of u) { expect(v >= -1 && v < 1).toBe(true); m += v; }
    expect(Math.abs(m / n)).toBeLessThan(5 * Math.sqrt(1 / 3 / n));
  });

  it('is reproducible by seed', () => {
    const a = delayedRecallTask({ seed: 1, batch: 4 });
    const b = delayedRecallTask({ seed: 1, batch: 4 });
    expect(a.x.data).toEqual(b.x.data);
    expect(a.x.data).not.toEqual(delayedRecallTask({ seed: 2, batch: 4 }).x.data);
  });

  it('validates its options', () => {
    expect(() => delayedRecallTask({ delay: 11, steps: 10 })).toThrow(/\[0, 10\]/);
    expect(() => delayedRecallTask({ delay: -1 })).toThrow(RangeError);
    expect(() => delayedRecallTask({ inputSize: 0 })).toThrow(RangeError);
    expect(() => delayedRecallTask({ distribution: 'cauchy' as 'normal' })).toThrow(RangeError);
  });
});
