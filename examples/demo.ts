/**
 * `npm run demo`: train a small tanh RNN on the 3-bit flip-flop task and watch its Lyapunov spectrum
 * change: chaotic before training (λ1 > 0), contracting after (every exponent < 0: the network now
 * holds its memories on stable attractors). The spectrum is measured along trajectories driven by
 * held-out input sequences (mean ± spread over sequences, as in Vogt et al. 2020), printed with its
 * Kaplan–Yorke dimension and entropy, and plotted in the terminal.
 *
 *   npx tsx examples/demo.ts [--hidden 32] [--epochs 50] [--gain 2] [--seed 0]
 */
import { flipFlopTask } from '../src/data/index.js';
import { lyapunovDuringTraining, lyapunovSpectrum } from '../src/lyapunov/index.js';
import type { LyapunovResult } from '../src/lyapunov/index.js';
import { initRnn, train } from '../src/rnn/index.js';
import type { Rnn } from '../src/rnn/index.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v)) throw new Error(`--${name}: expected a number, got ${process.argv[i + 1]}`);
  return v;
}

const hidden = arg('hidden', 32);
const epochs = arg('epochs', 50);
const seed = arg('seed', 0);

// training data: 256 sequences of 50 steps; held-out sequences for the spectrum: 8 × 600 steps
const data = flipFlopTask({ bits: 3, steps: 50, batch: 256, pFlip: 0.1, seed: seed + 1 });
const heldOut = flipFlopTask({ bits: 3, steps: 600, batch: 8, pFlip: 0.05, seed: seed + 2 });
const spectrumOptions = { inputs: heldOut.x, warmup: 100, frameWarmup: 100 }; // 400 counted steps per sequence

const rnn: Rnn = initRnn({ inputSize: 3, hiddenSize: hidden, outputSize: 3, activation: 'tanh', init: 'normal', gain: arg('gain', 2), seed });

function summary(label: string, r: LyapunovResult): void {
  const l1 = r.exponents[0];
  const sd = r.std?.[0] ?? 0;
  console.log(
    `${label}: λ1 = ${l1.toFixed(4)} ± ${sd.toFixed(4)} (spread over ${r.perSequence?.length ?? 1} sequences), ` +
      `λ_H = ${r.exponents[r.exponents.length - 1].toFixed(3)}, ` +
      `positive: ${r.exponents.filter((v) => v > 0).length}, ` +
      `Kaplan–Yorke dimension ${r.kaplanYorkeDimension.toFixed(2)}, entropy ${r.entropy.toFixed(4)} nats/step`,
  );
}

/**
 * A terminal dot plot of spectra (exponent index across, value up), one marker per series, on a
 * symmetric log scale (linear within ±0.01) so that small positive exponents stand clear of zero.
 */
function plotSpectra(series: { label: string; mark: string; values: Float64Array }[], height = 17): string {
  const f = (v: number) => Math.sign(v) * Math.log10(1 + Math.abs(v) / 0.01);
  const finv = (y: number) => Math.sign(y) * 0.01 * (10 ** Math.abs(y) - 1);
  const all = series.flatMap((s) => Array.from(s.values).filter(Number.isFinite).map(f));
  const hi = Math.max(0, ...all);
  const lo = Math.min(0, ...all);
  const n = Math.max(...series.map((s) => s.values.length));
  const rowOf = (v: number) => Math.round(((hi - f(v)) / (hi - lo || 1)) * (height - 1));
  const grid = Array.from({ length: height }, () => new Array<string>(n).fill(' '));
  const zero = rowOf(0);
  for (let c = 0; c < n; c++) grid[zero][c] = '─';
  for (const s of series) {
    s.values.forEach((v, c) => {
      if (!Number.isFinite(v)) return;
      const r = rowOf(v);
      grid[r][c] = grid[r][c] !== ' ' && grid[r][c] !== '─' && grid[r][c] !== s.mark ? '◉' : s.mark;
    });
  }
  const lines = grid.map((row, r) => {
    const y = hi - (r / (height - 1)) * (hi - lo);
    const tick = r % 4 === 0 || r === zero || r === height - 1 ? finv(y).toFixed(3).padStart(7) : ' '.repeat(7);
    return `${tick} ┤${row.map((ch) => ch + ' ').join('')}`;
  });
  lines.push(`${' '.repeat(8)}└${'──'.repeat(n)}`);
  lines.push(`${' '.repeat(9)}1${' '.repeat(Math.max(0, 2 * n - 4))}${n}   exponent index (per step, symmetric log scale)`);
  lines.push(`         ${series.map((s) => `${s.mark} ${s.label}`).join('   ')}   ◉ both   ─ zero`);
  return lines.join('\n');
}

const t0 = performance.now();
console.log(`3-bit flip-flop, tanh RNN with ${hidden} units (gain ${arg('gain', 2)}), Lyapunov spectra driven by 8 held-out sequences\n`);
const before = lyapunovSpectrum(rnn, spectrumOptions);
summary('before training', before);

const history = await train(rnn, data, {
  epochs,
  batchSize: 32,
  optimizer: 'adam',
  learningRate: 1e-2,
  clipNorm: 1,
  loss: 'mse',
  seed,
  onEpoch: lyapunovDuringTraining({ ...spectrumOptions, k: 2, every: 5 }),
});
console.log('\nepoch   loss      λ1 (mean over held-out sequences)');
for (const e of history.epochs) {
  const ly = e.lyapunov as { exponents: number[] } | undefined;
  if (ly) console.log(`${String(e.epoch).padStart(5)}   ${e.loss.toFixed(4)}    ${ly.exponents[0].toFixed(4)}`);
}
console.log('');
const after = lyapunovSpectrum(rnn, spectrumOptions);
summary('after training ', after);
console.log(`\n${plotSpectra([
  { label: 'before training', mark: '○', values: before.exponents },
  { label: 'after training', mark: '●', values: after.exponents },
])}`);
console.log(`\n(${((performance.now() - t0) / 1000).toFixed(1)} s)`);
