// Learning-rate schedules: a misspelt field of a schedule object is refused, never replaced by its
// default (a { type: 'step', stepSize: 1, gama: 0.5 } used to decay by PyTorch's default 0.1).
import { describe, expect, it } from 'vitest';
import { randn } from '../../src/core/index.js';
import { initRnn, learningRateAt, train, type LrSchedule } from '../../src/rnn/index.js';

const info = { epoch: 3, step: 5, baseLr: 1, epochs: 10, stepsPerEpoch: 2, totalSteps: 20 };

describe('learningRateAt', () => {
  it('is StepLR and CosineAnnealingLR (T_max = totalSteps) at the given point', () => {
    expect(learningRateAt({ type: 'step', stepSize: 2, gamma: 0.5 }, info)).toBe(0.5);
    expect(learningRateAt({ type: 'cosine', minLr: 0.1 }, info)).toBeCloseTo(0.1 + 0.9 * (1 + Math.cos(Math.PI / 4)) / 2, 15);
  });
  it('refuses unknown fields of a schedule, naming the one meant', () => {
    expect(() => learningRateAt({ type: 'step', stepSize: 1, gama: 0.5 } as never, info)).toThrow(/^learningRateAt: unknown option schedule\.gama \(did you mean gamma\?\)/);
    expect(() => learningRateAt({ type: 'cosine', min_lr: 0.5 } as never, info)).toThrow(/unknown option schedule\.min_lr \(did you mean minLr\?\)/);
    expect(() => learningRateAt({ type: 'step', step_size: 2 } as never, info)).toThrow(/unknown option schedule\.step_size \(did you mean stepSize\?\)/);
    expect(() => learningRateAt({ type: 'constant', lr: 2 } as never, info)).toThrow(RangeError);
  });
  it('refuses a minLr that is not a finite number >= 0', () => {
    for (const minLr of ['a', NaN, -1, Infinity]) {
      expect(() => learningRateAt({ type: 'cosine', minLr } as never, info)).toThrow(/minLr must be a finite number >= 0/);
    }
  });
  it('train refuses a misspelt schedule field before the first update', async () => {
    const rnn = initRnn({ inputSize: 2, hiddenSize: 3, outputSize: 2, seed: 1 });
    const before = Array.from(rnn.params.wRec.data);
    const data = { x: randn([4, 3, 2], { seed: 1 }), labels: Int32Array.from([0, 1, 0, 1]) };
    const lrSchedule = { type: 'step', stepSize: 1, gama: 0.5 } as unknown as LrSchedule;
    await expect(train(rnn, data, { epochs: 2, lrSchedule })).rejects.toThrow(/^train: unknown option lrSchedule\.gama \(did you mean gamma\?\)/);
    expect(Array.from(rnn.params.wRec.data)).toEqual(before);
  });
});
