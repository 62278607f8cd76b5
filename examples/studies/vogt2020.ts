/**
 * Vogt, Puelma Touzel, Shlizerman & Lajoie (2020), "On Lyapunov exponents for RNNs": the spectrum
 * as a readout of training stability. A grid over initial gain × learning rate × size of vanilla
 * tanh RNNs trained on sequential MNIST (a subset); after every epoch the Lyapunov spectrum along
 * held-out sequences (several test digits read one after another), mean ± std over sequences; then
 * the Spearman correlation across the grid between an early-epoch spectrum summary and the final
 * accuracy.
 *
 * Units: natural log per step, Jacobian J = ∂h_t/∂h_{t−1}. The paper's code reports log2 and
 * propagates Jᵀ: divide our values by ln 2 to compare (docs/studies.md discusses the transpose).
 *
 *   npx tsx examples/studies/vogt2020.ts [--quick] [--out DIR] [--fresh]
 */
import { pathToFileURL } from 'node:url';
import { lyapunovSpectrum } from '../../src/lyapunov/index.js';
import { evaluate, initRnn, train, type AnyRnn, type Rnn } from '../../src/rnn/index.js';
import { scatterPlot, spectraAcrossTrainingPlot } from '../../src/plot/index.js';
import { concatSequences, createLog, meanStd, openCheckpoint, parseStudyArgs, smnist, spearman, writeResult } from './common.js';
import { saveFigure } from './render.js';

export interface VogtOptions {
  gains: number[];
  learningRates: number[];
  hiddens: number[];
  epochs: number;
  trainSize: number;
  testSize: number;
  /** Held-out sequences for the spectrum, each made of `digitsPerSequence` test digits in a row. */
  sequences: number;
  digitsPerSequence: number;
  /** Exponents kept per epoch (the top k; default all when larger than the size). */
  k: number;
  out: string;
  fresh: boolean;
  figures: boolean;
  log: (msg: string) => void;
}

export const VOGT_FULL: Omit<VogtOptions, 'out' | 'fresh' | 'figures' | 'log'> = {
  gains: [0.5, 1, 1.5, 3], learningRates: [1e-3, 1e-2], hiddens: [32, 64],
  epochs: 10, trainSize: 10000, testSize: 2000, sequences: 16, digitsPerSequence: 4, k: 32,
};
export const VOGT_QUICK: typeof VOGT_FULL = {
  ...VOGT_FULL, hiddens: [16, 32], epochs: 4, trainSize: 2000, testSize: 1000, sequences: 8, k: 16,
};

export interface VogtEpoch { epoch: number; loss: number; accuracy: number; exponents: number[]; spread: number[] }
export interface VogtRun { gain: number; learningRate: number; hidden: number; epochs: VogtEpoch[]; seconds: number }

function spectrumOn(rnn: Rnn | AnyRnn, inputs: ReturnType<typeof concatSequences>, k: number): { exponents: number[]; spread: number[] } {
  // driven by held-out digits (never started undriven at h = 0, a fixed point)
  const r = lyapunovSpectrum(rnn, { inputs, k, frameWarmup: 14 });
  return { exponents: Array.from(r.exponents), spread: Array.from(r.std ?? new Float64Array(k)) };
}

async function runConfig(gain: number, learningRate: number, hidden: number, o: VogtOptions, seed: number): Promise<VogtRun> {
  const t0 = performance.now();
  const rnn = initRnn({ inputSize: 28, hiddenSize: hidden, outputSize: 10, activation: 'tanh', init: 'normal', gain, seed });
  const k = Math.min(o.k, hidden);
  const held = concatSequences(smnist('test', o.sequences * o.digitsPerSequence, 8000).x, o.digitsPerSequence);
  const test = smnist('test', o.testSize);
  const ev0 = evaluate(rnn, test);
  const epochs: VogtEpoch[] = [{ epoch: 0, loss: ev0.loss, accuracy: ev0.accuracy ?? NaN, ...spectrumOn(rnn, held, k) }];
  await train(rnn, smnist('train', o.trainSize), {
    epochs: o.epochs, batchSize: 128, optimizer: 'adam', learningRate, clipNorm: 1, seed,
    onEpoch: (rec, net) => {
      const ev = evaluate(net, test);
      const finite = Number.isFinite(ev.loss);
      const s = finite ? spectrumOn(net, held, k) : { exponents: new Array<number>(k).fill(NaN), spread: new Array<number>(k).fill(NaN) };
      epochs.push({ epoch: rec.epoch, loss: rec.loss, accuracy: ev.accuracy ?? NaN, ...s });
    },
  });
  return { gain, learningRate, hidden, epochs, seconds: (performance.now() - t0) / 1000 };
}

const label = (r: VogtRun): string => `g=${r.gain}, lr=${r.learningRate}, H=${r.hidden}`;

export async function run(o: VogtOptions): Promise<Record<string, unknown>> {
  const t0 = performance.now();
  const { out, fresh, figures, log, ...settings } = o;
  const ck = openCheckpoint(out, 'vogt2020', settings, fresh);
  const runs: VogtRun[] = [];
  const total = o.gains.length * o.learningRates.length * o.hiddens.length;
  for (const hidden of o.hiddens) for (const learningRate of o.learningRates) for (const gain of o.gains) {
    const key = `${gain}|${learningRate}|${hidden}`;
    let r = ck.get<VogtRun>(key);
    if (!r) {
      r = await runConfig(gain, learningRate, hidden, o, 0);
      ck.set(key, r);
    }
    runs.push(r);
    const last = r.epochs[r.epochs.length - 1];
    log(`${runs.length}/${total} ${label(r)}: λ1 ${r.epochs[0].exponents[0].toFixed(3)} → ${r.epochs[1]?.exponents[0].toFixed(3)} (epoch 1) → ${last.exponents[0].toFixed(3)}; final accuracy ${(100 * last.accuracy).toFixed(1)}% (${r.seconds.toFixed(0)} s)`);
  }
  const final = runs.map((r) => r.epochs[r.epochs.length - 1].accuracy);
  const summaries = {
    'lambda1 after epoch 1': runs.map((r) => r.epochs[1].exponents[0]),
    'lambda1 at initialization': runs.map((r) => r.epochs[0].exponents[0]),
    'mean of the top 5 exponents after epoch 1': runs.map((r) => meanStd(r.epochs[1].exponents.slice(0, 5)).mean),
  };
  const correlations = Object.fromEntries(Object.entries(summaries).map(([k, v]) => [k, spearman(v, final.map((a) => (Number.isFinite(a) ? a : 0)))]));
  const result = {
    study: 'vogt2020',
    settings,
    units: 'natural log per step, J = dh_t/dh_{t-1}; divide by ln 2 for the paper\'s log2 values',
    wallSeconds: (performance.now() - t0) / 1000,
    runs: runs.map(({ seconds: _s, ...r }) => r),
    spearman: { summary: 'lambda1 after epoch 1', rho: correlations['lambda1 after epoch 1'], n: runs.length, alternatives: correlations },
  };
  writeResult(out, 'vogt2020', result);
  log(`Spearman ρ (final accuracy vs λ1 after epoch 1) = ${correlations['lambda1 after epoch 1'].toFixed(3)} over ${runs.length} configurations`);
  if (figures) {
    await saveFigure(out, 'vogt2020-spectra', spectraAcrossTrainingPlot(runs.map((r) => ({
      label: label(r), epochs: r.epochs.map((e) => e.epoch), exponents: r.epochs.map((e) => e.exponents), spread: r.epochs.map((e) => e.spread),
    })), { top: 5, columns: 4, width: 170, height: 120, title: 'Top 5 Lyapunov exponents (mean ± std over held-out sequences) during training' }), { png: true });
    await saveFigure(out, 'vogt2020-early', scatterPlot({
      x: summaries['lambda1 after epoch 1'], y: final, color: runs.map((r) => r.gain), tooltip: runs.map(label),
    }, { title: `Final accuracy vs λ1 after epoch 1 (Spearman ρ = ${correlations['lambda1 after epoch 1'].toFixed(2)})`, xTitle: 'λ1 after epoch 1 (nats per step)', yTitle: 'final test accuracy', colorTitle: 'initial gain', colorType: 'ordinal' }));
  }
  log(`done in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  return result;
}

async function main(): Promise<void> {
  const cli = parseStudyArgs(process.argv.slice(2), 'vogt2020');
  const { log } = createLog('vogt2020');
  await run({ ...(cli.quick ? VOGT_QUICK : VOGT_FULL), out: cli.out, fresh: cli.fresh, figures: true, log });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exitCode = 1;
  });
}
