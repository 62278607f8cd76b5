// A run continued from `resume` or `optimizerState` with an `optimizer` option that describes another
// optimizer is refused (the option used to be dropped silently: a resumed Adam run asked to go on as
// SGD, or with another weight decay, kept the old settings); the same settings, or a new lr, are fine.
import { describe, expect, it } from 'vitest';
import { randn } from '../../src/core/index.js';
import { createOptimizer, initRnn, train } from '../../src/rnn/index.js';

const data = { x: randn([5, 3, 2], { seed: 1 }), labels: Int32Array.from([0, 1, 0, 1, 1]) };
const net = () => initRnn({ inputSize: 2, hiddenSize: 3, outputSize: 2, seed: 1 });

describe('train: the optimizer of a continued run', () => {
  it('refuses an opts.optimizer of another type or hyperparameter with resume, before any update', async () => {
    const rnn = net();
    const h = await train(rnn, data, { epochs: 1, batchSize: 5, optimizer: { type: 'adam', lr: 0.01 } });
    const before = Array.from(rnn.params.wRec.data);
    await expect(train(rnn, data, { epochs: 1, batchSize: 5, optimizer: { type: 'sgd', momentum: 0.9 }, resume: h }))
      .rejects.toThrow(/^train: opts\.optimizer asks for type 'sgd' \(the state is 'adam'\), but opts\.resume continues/);
    await expect(train(rnn, data, { epochs: 1, batchSize: 5, optimizer: { type: 'adam', lr: 0.01, weightDecay: 0.1 }, resume: h }))
      .rejects.toThrow(/asks for weightDecay 0\.1 \(the state has 0\)/);
    expect(Array.from(rnn.params.wRec.data)).toEqual(before);
    expect(h.epochs).toHaveLength(1);
  });
  it('refuses it with optimizerState too', async () => {
    const rnn = net();
    const state = createOptimizer({ type: 'sgd', lr: 0.1, momentum: 0.9 }, rnn.params);
    await expect(train(rnn, data, { optimizer: { type: 'sgd', lr: 0.1, momentum: 0.5 }, optimizerState: state }))
      .rejects.toThrow(/asks for momentum 0\.5 \(the state has 0\.9\), but opts\.optimizerState/);
    await expect(train(rnn, data, { optimizer: 'adam', optimizerState: state })).rejects.toThrow(RangeError);
  });
  it('accepts the same settings, and takes a new lr from the spec as from learningRate', async () => {
    const spec = { type: 'adam', lr: 0.01, weightDecay: 0.01 } as const;
    const a = net(), b = net();
    const h1 = await train(a, data, { epochs: 1, batchSize: 2, optimizer: spec, seed: 3 });
    const h2 = await train(a, data, { epochs: 1, batchSize: 2, optimizer: { ...spec, lr: 0.002 }, seed: 3, resume: h1 });
    expect(h2.epochs[1].learningRate).toBe(0.002);
    const g1 = await train(b, data, { epochs: 1, batchSize: 2, optimizer: spec, seed: 3 });
    await train(b, data, { epochs: 1, batchSize: 2, learningRate: 0.002, seed: 3, resume: g1 });
    expect(Array.from(a.params.wRec.data)).toEqual(Array.from(b.params.wRec.data));
  });
});
