// Property tests of the synthetic tasks against their definitions (docs/data.md, "Synthetic tasks"),
// for arbitrary seeds, sizes and pulse probabilities.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import { delayedRecallTask, flipFlopTask } from '../../src/data/index.js';

const seed = fc.oneof(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.string({ maxLength: 8 }));

describe('flipFlopTask, for every seed and size (fast-check)', () => {
  it('the target at t is the sign of the latest pulse at a step ≤ t, 0 before the first; ±1 pulses only', () => {
    fc.assert(
      fc.property(
        seed, fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 6 }),
        fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean(),
        (s, bits, steps, batch, pFlip, initialPulse) => {
          const { x, targets } = flipFlopTask({ bits, steps, batch, pFlip, initialPulse, seed: s });
          expect(x.shape).toEqual([batch, steps, bits]);
          expect(targets.shape).toEqual([batch, steps, bits]);
          expect(x.data).toBeInstanceOf(Float32Array);
          expect(targets.data).toBeInstanceOf(Float32Array);
          for (let b = 0; b < batch; b++) for (let c = 0; c < bits; c++) {
            let last = 0;
            for (let t = 0; t < steps; t++) {
              const k = (b * steps + t) * bits + c;
              const v = x.data[k];
              expect(v === 0 || v === 1 || v === -1).toBe(true);
              if (initialPulse && t === 0) expect(v).not.toBe(0);
              if (v !== 0) last = v;
              expect(targets.data[k]).toBe(last);
            }
          }
          if (pFlip === 0 && !initialPulse) expect(x.data.every((v) => v === 0)).toBe(true);
          if (pFlip === 1) expect(x.data.every((v) => v !== 0)).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('is reproducible bit for bit, and a smaller batch is a prefix of a larger one with the same seed', () => {
    fc.assert(
      fc.property(seed, fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 5 }), (s, bits, steps, batch) => {
        const a = flipFlopTask({ bits, steps, batch: batch + 2, seed: s });
        const b = flipFlopTask({ bits, steps, batch: batch + 2, seed: s });
        const c = flipFlopTask({ bits, steps, batch, seed: s });
        expect(b.x.data).toEqual(a.x.data);
        expect(c.x.data).toEqual(a.x.data.subarray(0, batch * steps * bits));
      }),
      { numRuns: 60 },
    );
  });
});

describe('delayedRecallTask, for every seed, delay and size (fast-check)', () => {
  it('targets[b, t, :] = x[b, t − delay, :] exactly for t ≥ delay, 0 before', () => {
    fc.assert(
      fc.property(
        seed, fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 30 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }),
        fc.constantFrom('normal' as const, 'uniform' as const),
        (s, steps, d, batch, inputSize, distribution) => {
          const delay = Math.min(d, steps);
          const { x, targets } = delayedRecallTask({ delay, steps, batch, inputSize, distribution, seed: s });
          expect(x.shape).toEqual([batch, steps, inputSize]);
          expect(targets.shape).toEqual([batch, steps, inputSize]);
          for (let b = 0; b < batch; b++) for (let t = 0; t < steps; t++) for (let i = 0; i < inputSize; i++) {
            const y = targets.data[(b * steps + t) * inputSize + i];
            expect(y).toBe(t >= delay ? x.data[(b * steps + t - delay) * inputSize + i] : 0);
          }
          for (const v of x.data) {
            expect(Number.isFinite(v)).toBe(true);
            if (distribution === 'uniform') expect(v >= -1 && v < 1).toBe(true);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('flipFlopTask: the documented order of random draws', () => {
  it('one "pulse?" uniform per step and channel, one sign per pulse; with initialPulse step 0 draws the sign only', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 3 }), fc.boolean(), (bits, steps, batch, initialPulse) => {
        let calls = 0;
        const base = createRng(steps * 7 + bits);
        const { x } = flipFlopTask({ bits, steps, batch, initialPulse, pFlip: 0.3, rng: () => { calls++; return base(); } });
        const pulses = x.data.reduce((n, v) => n + (v !== 0 ? 1 : 0), 0);
        const pulseDraws = batch * bits * (initialPulse ? steps - 1 : steps);
        expect(calls).toBe(pulseDraws + pulses);
      }),
      { numRuns: 50 },
    );
  });
});
