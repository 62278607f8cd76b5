// Unknown options of the rnn folder's functions (and the main entry's train) are refused, naming the
// known option they most likely mean; internal forwarding (main train → rnn train) keeps working.
import { describe, expect, it } from 'vitest';
import { train as mainTrain } from '../../src/index.js';
import { createOptimizer, evaluate, initRnn, loadRnn, rnnLoss, rnnSystem, saveRnn, train } from '../../src/rnn/index.js';
import { randn } from '../../src/core/index.js';

const rnn = () => initRnn({ inputSize: 2, hiddenSize: 3, outputSize: 2, seed: 0 });
const data = () => ({ x: randn([2, 4, 2], { seed: 1 }), targets: randn([2, 4, 2], { seed: 2 }) });
const ask = (f: () => unknown) => expect(f).toThrow(RangeError);

describe('unknown options in rnn', () => {
  it('initRnn: g → gain, hidden_size → hiddenSize', () => {
    expect(() => initRnn({ inputSize: 2, hiddenSize: 3, outputSize: 2, g: 3 } as never)).toThrow(/^initRnn: unknown option opts\.g \(did you mean gain\?\)$/);
    ask(() => initRnn({ inputSize: 2, hidden_size: 3, outputSize: 2 } as never));
    expect(() => initRnn({ inputSize: 2, hidden_size: 3, outputSize: 2 } as never)).toThrow(/did you mean hiddenSize\?/);
  });
  it('train (rnn layer and main entry): epoch, lr, learning_rate, batch_size, clip_norm', async () => {
    for (const t of [train, mainTrain]) {
      await expect(t(rnn(), data(), { epoch: 3 } as never)).rejects.toThrow(/^train: unknown option opts\.epoch \(did you mean epochs\?\)$/);
      await expect(t(rnn(), data(), { lr: 1e-2 } as never)).rejects.toThrow(/did you mean learningRate\?/);
      await expect(t(rnn(), data(), { learning_rate: 1e-2 } as never)).rejects.toThrow(/did you mean learningRate\?/);
      await expect(t(rnn(), data(), { batch_size: 2 } as never)).rejects.toThrow(/did you mean batchSize\?/);
      await expect(t(rnn(), data(), { clip_norm: 1 } as never)).rejects.toThrow(RangeError);
    }
  });
  it('the main entry forwards its options (flossing included, even as undefined) to the rnn layer', async () => {
    const h = await mainTrain(rnn(), data(), { epochs: 1, batchSize: 2, flossing: undefined, seed: 1 });
    expect(h.epochs).toHaveLength(1);
    const f = await mainTrain(rnn(), data(), { epochs: 1, batchSize: 2, flossing: { k: 1, before: 1, every: 1, frameWarmup: 1 }, seed: 1 });
    expect(f.preTraining).toHaveLength(1);
    await expect(mainTrain(rnn(), data(), { flossing: { k: 1, wieght: 2 } } as never)).rejects.toThrow(/^train: unknown option flossing\.wieght \(did you mean weight\?\)$/);
    // the rnn layer keeps its own message for flossing
    await expect(train(rnn(), data(), { flossing: {} } as never)).rejects.toThrow(/belongs to the main entry's train/);
  });
  it('evaluate, rnnLoss, rnnSystem, saveRnn, loadRnn, createOptimizer', () => {
    expect(() => evaluate(rnn(), data(), { batch_size: 2 } as never)).toThrow(/^evaluate: unknown option opts\.batch_size \(did you mean batchSize\?\)$/);
    expect(() => rnnLoss(rnn(), data(), { los: 'mse' } as never)).toThrow(/^rnnLoss: unknown option opts\.los \(did you mean loss\?\)$/);
    expect(() => rnnSystem(rnn(), { input_: [0, 0] } as never)).toThrow(/did you mean input\?/);
    expect(() => rnnSystem(rnn(), randn([1, 4, 2]) as never)).toThrow(/^rnnSystem: opts looks like a tensor .*pass it as \{ inputs: x \}$/);
    expect(() => saveRnn(rnn(), { meta: {} } as never)).toThrow(/^saveRnn: unknown option opts\.meta; the options of saveRnn are metadata$/);
    expect(() => loadRnn(saveRnn(rnn()), { cel: 'rnn' } as never)).toThrow(/did you mean cell\?/);
    expect(() => createOptimizer({ type: 'adam', learningRate: 1e-3 } as never, rnn().params)).toThrow(/^createOptimizer: unknown option spec\.learningRate \(did you mean lr\?\)$/);
    // each optimizer knows its own hyperparameters: momentum is SGD's
    expect(() => createOptimizer({ type: 'adam', momentum: 0.9 } as never, rnn().params)).toThrow(/spec\.momentum; the options of createOptimizer are type, lr, beta1, beta2, eps, weightDecay/);
    expect(createOptimizer({ type: 'sgd', lr: 0.1, momentum: 0.9 }, rnn().params).momentum).toBe(0.9);
  });
});
