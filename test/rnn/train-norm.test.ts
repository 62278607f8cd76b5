/**
 * train() computes the gradient norm once per batch (clipGradNorm's pre-clipping norm when clipNorm
 * is set) and validates the data once, before the first update. These tests pin what that must
 * keep: the recorded norm is the unclipped one, bit for bit gradNorm's; a non-finite loss or
 * gradient still stops before the update (with clipping too); data made non-finite by a callback
 * between epochs is caught that way, leaving the parameters of the last finite step.
 */
import { describe, expect, it } from 'vitest';
import { gradNorm, initRnn, rnnLoss, train, type RnnParams } from '../../src/rnn/index.js';
import { flipFlop } from './flipflop.js';

const snapshot = (p: RnnParams): number[][] => [p.wIn, p.wRec, p.b, p.wOut, p.bOut].map((t) => Array.from(t.data));

describe('train: one gradient norm per batch', () => {
  for (const clipNorm of [undefined, 1e-3]) {
    it(`records the norm before clipping, equal to gradNorm of rnnLoss's gradients (clipNorm ${clipNorm})`, async () => {
      const mk = () => initRnn({ inputSize: 3, hiddenSize: 6, outputSize: 3, seed: 31 });
      const data = flipFlop(12, 7, { seed: 32 });
      const ref = gradNorm(rnnLoss(mk(), data).grads);
      const net = mk();
      const h = await train(net, data, { epochs: 1, batchSize: 12, shuffle: false, clipNorm, optimizer: { type: 'sgd', lr: 1 } });
      expect(h.epochs[0].gradNorm).toBe(ref);
      // clipped: the sgd step moved the parameters by at most lr·clipNorm in norm
      if (clipNorm !== undefined) {
        const before = snapshot(mk().params).flat(), after = snapshot(net.params).flat();
        let s = 0;
        for (let i = 0; i < before.length; i++) s += (after[i] - before[i]) ** 2;
        expect(Math.sqrt(s)).toBeLessThanOrEqual(clipNorm * (1 + 1e-5));
        expect(ref).toBeGreaterThan(clipNorm);
      }
    });
  }

  for (const clipNorm of [undefined, 1]) {
    it(`data made non-finite between epochs (onEpoch) stops the next epoch before its update (clipNorm ${clipNorm})`, async () => {
      const net = initRnn({ inputSize: 3, hiddenSize: 5, outputSize: 3, seed: 33 });
      const data = flipFlop(8, 6, { seed: 34 });
      let after1: number[][] = [];
      const run = train(net, data, {
        epochs: 3, batchSize: 8, clipNorm, seed: 2,
        onEpoch: (r) => {
          if (r.epoch === 1) {
            after1 = snapshot(net.params);
            data.x.data[5] = NaN;
          }
        },
      });
      await expect(run).rejects.toThrow(/^train: the loss became non-finite \(loss NaN, gradient norm NaN\) at epoch 2, batch 1; the parameters hold the values before this step, unchanged/);
      expect(snapshot(net.params)).toEqual(after1);
    });
  }
});
