/**
 * Gradient flossing (Engelken, NeurIPS 2023) on delayed recall: a tanh RNN (gain g, default 1) learns
 * to output its input `delay` steps later, with and without flossing its top-k Lyapunov exponents
 * towards 0 — before training (a flossing-only phase) and during training (`train`'s `flossing`).
 * Writes docs/figures/flossing.svg and prints the numbers.
 *   nice -n 10 npx tsx examples/flossing.ts [seeds=3] [epochs=40] [gain=1]
 */
import { writeFileSync } from 'node:fs';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { delayedRecallTask } from '../src/data/tasks.js';
import { flossingLossAndGrad } from '../src/lyapunov/flossing.js';
import { lyapunovValueAndGrad } from '../src/lyapunov/differentiable.js';
import { initRnn } from '../src/rnn/init.js';
import { createOptimizer, optimizerStep } from '../src/rnn/optim.js';
import { train } from '../src/rnn/train.js';
import type { Rnn } from '../src/rnn/types.js';

const SEEDS = Number(process.argv[2] ?? 3);
const EPOCHS = Number(process.argv[3] ?? 40);
const H = 32, T = 60, DELAY = 20, K = 8;
const GAIN = Number(process.argv[4] ?? 1);
const task = delayedRecallTask({ delay: DELAY, steps: T, batch: 256, seed: 'train' });
const val = delayedRecallTask({ delay: DELAY, steps: T, batch: 256, seed: 'val' });

function lambdaTop(rnn: Rnn): number[] {
  return Array.from(lyapunovValueAndGrad(rnn, { inputs: { shape: [4, T, 1], data: val.x.data.subarray(0, 4 * T) }, k: K }).exponents);
}

/** A flossing-only phase before training: Adam on weight·Σ (λ_i − 0)² alone. */
function flossBefore(rnn: Rnn, steps: number): void {
  const p = rnn.params as unknown as Record<string, { shape: readonly number[]; data: Float32Array }>;
  const opt = createOptimizer({ type: 'adam', lr: 3e-3 }, p);
  for (let s = 0; s < steps; s++) {
    const b = (s * 4) % 256;
    const x = { shape: [4, T, 1], data: task.x.data.subarray(b * T, (b + 4) * T) };
    const f = flossingLossAndGrad(rnn, x, { k: K, target: 0, sequences: 4, seed: s });
    optimizerStep(opt, p, f.grads as never);
  }
}

type Row = { condition: string; seed: number; epoch: number; valLoss: number };
const rows: Row[] = [];
const summary: string[] = [];
const conditions = ['no flossing', 'flossing before', 'flossing before + during'] as const;
for (let seed = 1; seed <= SEEDS; seed++) {
  for (const condition of conditions) {
    const rnn = initRnn({ inputSize: 1, hiddenSize: H, outputSize: 1, gain: GAIN, seed });
    const lam0 = lambdaTop(rnn);
    if (condition !== 'no flossing') flossBefore(rnn, 200);
    const lam1 = lambdaTop(rnn);
    const t0 = Date.now();
    const hist = await train(rnn, task, {
      epochs: EPOCHS, batchSize: 32, learningRate: 1e-3, clipNorm: 1, seed, validation: val,
      ...(condition === 'flossing before + during' ? { flossing: { k: K, target: 0, weight: 1, every: 10, sequences: 4 } } : {}),
    });
    hist.epochs.forEach((e) => rows.push({ condition, seed, epoch: e.epoch, valLoss: e.valLoss as number }));
    const lam2 = lambdaTop(rnn);
    const final = hist.epochs[hist.epochs.length - 1].valLoss as number;
    const line = `${condition.padEnd(26)} seed ${seed}: λ1 init ${lam0[0].toFixed(3)} → after pre-floss ${lam1[0].toFixed(3)} → trained ${lam2[0].toFixed(3)}; val MSE after ${EPOCHS} epochs ${final.toFixed(4)} (epoch 5: ${(hist.epochs[Math.min(4, EPOCHS - 1)].valLoss as number).toFixed(4)}); ${((Date.now() - t0) / 1000).toFixed(1)} s`;
    summary.push(line);
    console.log(line);
  }
}
const spec: vl.TopLevelSpec = {
  $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
  title: `Delayed recall (delay ${DELAY}, T ${T}), tanh RNN H=${H}, gain ${GAIN}: validation MSE (predicting 0 gives 0.667)`,
  width: 480, height: 300,
  data: { values: rows },
  mark: { type: 'line', point: false },
  encoding: {
    x: { field: 'epoch', type: 'quantitative' },
    y: { field: 'valLoss', type: 'quantitative', title: 'validation MSE', scale: { type: 'log' } },
    color: { field: 'condition', type: 'nominal', legend: { labelLimit: 300 } },
    detail: { field: 'seed', type: 'nominal' },
  },
};
const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
writeFileSync(new URL('../docs/figures/flossing.svg', import.meta.url), await view.toSVG());
writeFileSync(new URL('../docs/figures/flossing.json', import.meta.url), JSON.stringify({ summary, rows }, null, 1));
console.log('wrote docs/figures/flossing.svg');
