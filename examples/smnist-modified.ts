/**
 * The modified-digit test of Horoi, Geadah, Wolf & Lajoie (2020) on a network trained by
 * `examples/smnist-train.ts`: test accuracy on digits with n rows, 0 ≤ n ≤ 28,
 *   cut      — only the first n rows (a shorter sequence),
 *   hidden   — the first n rows shown, the rest blanked (length 28),
 *   extended — the digit followed by n blank rows (length 28 + n),
 * and the largest Lyapunov exponents of the network driven by test digits, before training (the same
 * initialization, re-drawn from the saved arguments) and after.
 *
 *   npx tsx examples/smnist-train.ts --epochs 5            # first: trains and saves the network
 *   npx tsx examples/smnist-modified.ts [--model examples/out/smnist-rnn.json] [--limit 2000] [--every 2]
 */
import { existsSync, readFileSync } from 'node:fs';
import { sequentialMnist } from '../src/data/index.js';
import { lyapunovSpectrum } from '../src/lyapunov/index.js';
import { evaluate, initRnn, loadRnn, type Rnn } from '../src/rnn/index.js';
import { loadMnist } from './mnist.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const modelPath = arg('model', 'examples/out/smnist-rnn.json');
const limit = Number(arg('limit', '2000'));
const every = Number(arg('every', '2'));
if (!existsSync(modelPath)) {
  console.error(`${modelPath} not found: train the network first with npx tsx examples/smnist-train.ts`);
  process.exit(1);
}
const trained = loadRnn(readFileSync(modelPath, 'utf8'), { cell: 'rnn' });
const [H, I] = trained.params.wIn.shape;
const O = trained.params.wOut.shape[0];

// the untrained network: the same initialization as smnist-train.ts (its saved arguments when present)
const curvePath = modelPath.replace(/\.json$/, '.curve.json');
const trainArgs = existsSync(curvePath)
  ? (JSON.parse(readFileSync(curvePath, 'utf8')) as { args: { seed: number; init: 'pytorch' | 'normal' | 'orthogonal' | 'identity'; gain: number } }).args
  : { seed: 0, init: 'pytorch' as const, gain: 1 };
const untrained = initRnn({ inputSize: I, hiddenSize: H, outputSize: O, activation: trained.activation, init: trainArgs.init, gain: trainArgs.gain, seed: trainArgs.seed });

const test = loadMnist('test');
const accuracy = (rnn: Rnn, kind: 'cut' | 'hidden' | 'extended', n: number): number => {
  if (kind === 'cut' && n === 0) return NaN; // an empty sequence: nothing to classify from
  const d = sequentialMnist(test.images, test.labels, { modification: { kind, n }, limit });
  return evaluate(rnn, d).accuracy ?? NaN;
};

console.log(`modified-digit accuracy of ${modelPath} on ${limit} test digits (chance 10%)\n`);
console.log('  n     cut   hidden  extended');
for (let n = 0; n <= 28; n += every) {
  const row = (['cut', 'hidden', 'extended'] as const).map((k) => {
    const a = accuracy(trained, k, n);
    return Number.isNaN(a) ? '     —' : `${(100 * a).toFixed(1).padStart(5)}%`;
  });
  console.log(`${String(n).padStart(3)}  ${row.join('   ')}`);
}

// largest exponents along trajectories driven by 8 test digits followed by 72 blank rows (100 steps)
const driven = sequentialMnist(test.images, test.labels, { modification: { kind: 'extended', n: 28 }, limit: 8 }).x;
const blanks = 72 - 28;
const T = driven.shape[1] + blanks;
const x = { shape: [8, T, I], data: new Float32Array(8 * T * I) };
for (let b = 0; b < 8; b++) x.data.set(driven.data.subarray(b * driven.shape[1] * I, (b + 1) * driven.shape[1] * I), b * T * I);
console.log(`\nlargest Lyapunov exponents (per step), driven by 8 test digits then blank rows, ${T} steps:`);
for (const [label, rnn] of [['before training', untrained], ['after training ', trained]] as const) {
  const r = lyapunovSpectrum(rnn, { inputs: x, k: 5, frameWarmup: 10 });
  const l = Array.from(r.exponents, (v) => v.toFixed(3)).join(', ');
  console.log(`  ${label}: ${l}   (λ1 spread over sequences ± ${(r.std?.[0] ?? 0).toFixed(3)})`);
}
