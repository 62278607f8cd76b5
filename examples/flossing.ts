/**
 * Gradient flossing (Engelken, NeurIPS 2023) on delayed recall: a tanh RNN learns to output its
 * input `delay` steps later, trained with the same budget in three arms — no flossing; flossing
 * before training (`flossing: { before, during: false }`); flossing before and during training
 * (`flossing: { before, every }`). Several seeds; writes docs/figures/flossing.svg and
 * docs/figures/flossing.json (per-epoch validation MSE, λ1 at init / after pre-flossing / trained).
 *   nice -n 10 npx tsx examples/flossing.ts [seeds=5] [epochs=30] [delay=20] [gain=1] [preSteps=300] [out=flossing]
 */
import { writeFileSync } from 'node:fs';
import { delayedRecallTask } from '../src/data/tasks.js';
import { lyapunovValueAndGrad } from '../src/lyapunov/differentiable.js';
import type { VegaLiteSpec } from '../src/plot/index.js';
import { initRnn } from '../src/rnn/init.js';
import type { Rnn } from '../src/rnn/types.js';
import { train } from '../src/train.js';
import { renderSvg } from './studies/render.js';

const arg = (i: number, d: number): number => (process.argv[i] === undefined ? d : Number(process.argv[i]));
const SEEDS = arg(2, 5), EPOCHS = arg(3, 30), DELAY = arg(4, 20), GAIN = arg(5, 1), PRE = arg(6, 300);
const OUT = process.argv[7] ?? 'flossing';
const H = 32, T = 3 * DELAY, K = 8, N = 512, BATCH = 32, LR = 1e-3;
const task = delayedRecallTask({ delay: DELAY, steps: T, batch: N, seed: 'train' });
const val = delayedRecallTask({ delay: DELAY, steps: T, batch: 256, seed: 'val' });
const chance = (T - DELAY) / T; // MSE of predicting 0

function lambda1(rnn: Rnn): number {
  return lyapunovValueAndGrad(rnn, { inputs: { shape: [8, T, 1], data: val.x.data.subarray(0, 8 * T) }, k: 1 }).exponents[0];
}

type Row = { arm: string; seed: number; epoch: number; valLoss: number };
const rows: Row[] = [];
const runs: Record<string, unknown>[] = [];
const arms = ['no flossing', 'flossing before', 'flossing before + during'] as const;
const t00 = Date.now();
for (let seed = 1; seed <= SEEDS; seed++) {
  for (const arm of arms) {
    const rnn = initRnn({ inputSize: 1, hiddenSize: H, outputSize: 1, gain: GAIN, seed });
    const lam0 = lambda1(rnn);
    let lamPre = lam0;
    const floss = { k: K, target: 0, weight: 1, sequences: 4, before: PRE, beforeLearningRate: 6e-3 };
    const t0 = Date.now();
    const hist = await train(rnn, task, {
      epochs: EPOCHS, batchSize: BATCH, learningRate: LR, clipNorm: 1, seed, validation: val,
      ...(arm === 'flossing before' ? { flossing: { ...floss, during: false } } : {}),
      ...(arm === 'flossing before + during' ? { flossing: { ...floss, every: 10 } } : {}),
      onProgress: (p) => {
        if (p.phase === 'pre-training:flossing' && p.done === p.total) lamPre = lambda1(rnn);
      },
    });
    hist.epochs.forEach((e) => rows.push({ arm, seed, epoch: e.epoch, valLoss: e.valLoss as number }));
    const curve = hist.epochs.map((e) => e.valLoss as number);
    const reach = curve.findIndex((v) => v < 0.85 * chance);
    const run = {
      arm, seed, lambdaInit: lam0, lambdaAfterPre: lamPre, lambdaTrained: lambda1(rnn),
      finalValMse: curve[curve.length - 1], bestValMse: Math.min(...curve), epochsTo85PctOfChance: reach < 0 ? null : reach + 1,
      preFlossLoss: hist.preTraining?.[0] ? [hist.preTraining[0].losses[0], hist.preTraining[0].losses[PRE - 1]] : null,
      seconds: (Date.now() - t0) / 1000,
    };
    runs.push(run);
    console.log(JSON.stringify(run));
    writeFileSync(new URL(`../docs/figures/${OUT}.json`, import.meta.url), JSON.stringify({ config: { H, T, DELAY, K, N, BATCH, LR, GAIN, PRE, EPOCHS, SEEDS, chance }, runs, rows }, null, 1));
  }
}
const spec: VegaLiteSpec = {
  $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
  title: { text: `Delayed recall, delay ${DELAY} (T = ${T}), tanh RNN H = ${H}, g = ${GAIN}, ${SEEDS} seeds`, subtitle: `validation MSE; predicting 0 gives ${chance.toFixed(3)}; flossing: top ${K} exponents → 0, ${PRE} steps before training` },
  width: 520, height: 300,
  data: { values: rows },
  layer: [
    {
      mark: { type: 'line', opacity: 0.8 },
      encoding: {
        x: { field: 'epoch', type: 'quantitative' },
        y: { field: 'valLoss', type: 'quantitative', title: 'validation MSE', scale: { type: 'log' } },
        color: { field: 'arm', type: 'nominal', title: null, legend: { labelLimit: 300, orient: 'bottom-left' } },
        detail: { field: 'seed', type: 'nominal' },
      },
    },
    { mark: { type: 'rule', strokeDash: [4, 4], color: 'gray' }, encoding: { y: { datum: chance } } },
  ],
} as unknown as VegaLiteSpec;
writeFileSync(new URL(`../docs/figures/${OUT}.svg`, import.meta.url), await renderSvg(spec));
console.log(`wrote docs/figures/${OUT}.svg in ${((Date.now() - t00) / 1000).toFixed(0)} s`);
