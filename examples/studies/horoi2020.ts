/**
 * Horoi, Geadah, Wolf & Lajoie (2020), "Exploring the dynamics of RNNs trained on sequential MNIST",
 * reproduced end to end: vanilla RNNs (28 inputs a row, tanh units, linear readout, Adam,
 * cross-entropy on the last step) trained on sequential MNIST, then
 *   - accuracy on cut / hidden / extended digits for n = 0…28 (mean ± std over networks);
 *   - kNN accuracy of the hidden states at every time step, t-SNE at three time steps;
 *   - the largest Lyapunov exponent before and after training, across initial gains, and for
 *     PyTorch's default initialization;
 *   - the attractor past the trained length on blank input (kind, distinct cycles, periods, Floquet
 *     multipliers, intrinsic dimension).
 *
 *   npx tsx examples/studies/horoi2020.ts [--quick] [--out DIR] [--fresh]
 *
 * Writes DIR/horoi2020.json and DIR/horoi2020-*.svg; finished networks are checkpointed in
 * DIR/horoi2020.checkpoint.json, so a stopped run resumes.
 */
import { pathToFileURL } from 'node:url';
import { lyapunovSpectrum } from '../../src/lyapunov/index.js';
import { pca, tsne } from '../../src/geometry/index.js';
import { evaluate, initRnn, rnnForward, train, type Rnn } from '../../src/rnn/index.js';
import { accuracyVsNPlot, embeddingScatterPlot, pcaTrajectoryPlot, scatterPlot, spectrumPlot } from '../../src/plot/index.js';
import type { Tensor } from '../../src/core/index.js';
import { analyseAttractor, type AttractorSummary } from './attractor.js';
import { createLog, knnAccuracy, meanStd, openCheckpoint, padBlank, parseStudyArgs, smnist, statesAt, writeResult } from './common.js';
import { saveFigure } from './render.js';

export interface HoroiOptions {
  networks: number;
  epochs: number;
  trainSize: number;
  testSize: number;
  hidden: number;
  /** Initial gain of the trained networks (init 'normal', wRec ~ N(0, g²/H)). */
  gain: number;
  /** Gains of the untrained-network sweep for λ1. */
  gainSweep: number[];
  /** Sequences (digit + blank rows) driving the λ1 estimates, and the blank rows after each digit. */
  lyapunovSequences: number;
  lyapunovBlank: number;
  /** Exponents drawn in the before/after spectrum figure (network 0). */
  spectrumK: number;
  /** Time steps (0-based) of the t-SNE panels, points in them and t-SNE iterations. */
  tsneSteps: number[];
  tsnePoints: number;
  tsneIterations: number;
  knnK: number;
  /** Digit-end states the blank-input analysis starts from, per network. */
  attractorStarts: number;
  transient: number;
  maxPeriod: number;
  out: string;
  fresh: boolean;
  figures: boolean;
  log: (msg: string) => void;
}

export const HOROI_FULL: Omit<HoroiOptions, 'out' | 'fresh' | 'figures' | 'log'> = {
  networks: 10, epochs: 3, trainSize: 10000, testSize: 1000, hidden: 200, gain: 1.5,
  gainSweep: [0.5, 0.8, 1, 1.1, 1.2, 1.3, 1.5, 2, 3], lyapunovSequences: 8, lyapunovBlank: 172, spectrumK: 20,
  tsneSteps: [3, 13, 27], tsnePoints: 1000, tsneIterations: 500, knnK: 10,
  attractorStarts: 10, transient: 2000, maxPeriod: 200,
};
export const HOROI_QUICK: typeof HOROI_FULL = {
  ...HOROI_FULL, networks: 2, epochs: 1, trainSize: 3000, testSize: 500, gainSweep: [0.5, 1, 1.2, 1.5, 2, 3],
  tsnePoints: 500, tsneIterations: 400, attractorStarts: 5, transient: 1000,
};

interface NetworkResult {
  seed: number;
  testAccuracy: number;
  trainSeconds: number;
  accuracy: { cut: number[]; hidden: number[]; extended: number[] };
  lambda1: { before: number; after: number; beforeStd: number; afterStd: number };
  knnAccuracy: number[];
  attractor: AttractorSummary;
  /** network 0 only: spectra, t-SNE coordinates and blank-input trajectories for the figures */
  extra?: {
    spectrum: { before: number[]; after: number[]; beforeStd: number[]; afterStd: number[] };
    tsne: { step: number; embedding: number[]; labels: number[] }[];
    trajectory: { points: number[]; trajectory: number[]; time: number[] };
  };
}

/** λ over `sequences` test digits each followed by `blank` blank rows (never from h = 0 undriven). */
function drivenSpectrum(rnn: Rnn, o: HoroiOptions, k: number): { exponents: number[]; std: number[]; stderr: number[] } {
  const x = padBlank(smnist('test', o.lyapunovSequences, 5000).x, o.lyapunovBlank);
  const r = lyapunovSpectrum(rnn, { inputs: x, k, frameWarmup: 20 });
  return { exponents: Array.from(r.exponents), std: Array.from(r.std ?? new Float64Array(k)), stderr: Array.from(r.stderr) };
}

const KINDS = ['cut', 'hidden', 'extended'] as const;

function modifiedAccuracy(rnn: Rnn, o: HoroiOptions): NetworkResult['accuracy'] {
  const acc = { cut: [] as number[], hidden: [] as number[], extended: [] as number[] };
  for (const kind of KINDS) {
    for (let n = 0; n <= 28; n++) {
      if (kind === 'cut' && n === 0) { acc.cut.push(NaN); continue; } // an empty sequence
      acc[kind].push(evaluate(rnn, smnist('test', o.testSize, 0, { kind, n })).accuracy ?? NaN);
    }
  }
  return acc;
}

async function runNetwork(seed: number, o: HoroiOptions): Promise<NetworkResult> {
  const rnn = initRnn({ inputSize: 28, hiddenSize: o.hidden, outputSize: 10, activation: 'tanh', init: 'normal', gain: o.gain, seed });
  const k = seed === 0 ? o.spectrumK : 1;
  const before = drivenSpectrum(rnn, o, k);
  const t0 = performance.now();
  await train(rnn, smnist('train', o.trainSize), {
    epochs: o.epochs, batchSize: 128, optimizer: 'adam', learningRate: 1e-3, clipNorm: 1, seed,
    onEpoch: (r) => o.log(`  network ${seed}: epoch ${r.epoch}/${o.epochs} loss ${r.loss.toFixed(4)} (${(r.timeMs / 1000).toFixed(1)} s)`),
  });
  const trainSeconds = (performance.now() - t0) / 1000;
  const test = smnist('test', o.testSize);
  const testAccuracy = evaluate(rnn, test).accuracy ?? NaN;
  o.log(`  network ${seed}: test accuracy ${(100 * testAccuracy).toFixed(2)}% — modified digits…`);
  const accuracy = modifiedAccuracy(rnn, o);
  const after = drivenSpectrum(rnn, o, k);

  const { states } = rnnForward(rnn, test.x);
  const H = o.hidden;
  const knnAcc: number[] = [];
  for (let t = 0; t < 28; t++) knnAcc.push(knnAccuracy(statesAt(states, t), H, test.labels, o.knnK));

  const B = Math.min(o.attractorStarts, o.testSize);
  const ends = new Float64Array(B * H);
  for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) ends[b * H + h] = states.data[(b * 28 + 27) * H + h];
  const attractor = analyseAttractor(rnn, ends, { transient: o.transient, maxPeriod: o.maxPeriod, settle: o.transient, keep: Math.max(200, 2 * o.maxPeriod) });
  o.log(`  network ${seed}: λ1 ${before.exponents[0].toFixed(3)} → ${after.exponents[0].toFixed(3)}; blank input: ${attractor.kind}, ${attractor.cycles} cycle(s) [${attractor.periods.join(', ')}]`);

  const result: NetworkResult = {
    seed, testAccuracy, trainSeconds, accuracy,
    lambda1: { before: before.exponents[0], after: after.exponents[0], beforeStd: before.std[0], afterStd: after.std[0] },
    knnAccuracy: knnAcc, attractor,
  };
  if (seed === 0) result.extra = figureData(rnn, o, states, test.labels, ends, before, after);
  return result;
}

function figureData(rnn: Rnn, o: HoroiOptions, states: Tensor, labels: Int32Array, ends: Float64Array,
  before: { exponents: number[]; std: number[] }, after: { exponents: number[]; std: number[] }): NonNullable<NetworkResult['extra']> {
  const H = o.hidden;
  const n = Math.min(o.tsnePoints, labels.length);
  const tsneData = o.tsneSteps.map((step) => {
    const pts = statesAt(states, step).subarray(0, n * H);
    const r = tsne(pts, { dim: H, perplexity: Math.min(30, Math.floor((n - 1) / 3)), iterations: o.tsneIterations, seed: 0 });
    return { step, embedding: Array.from(r.embedding), labels: Array.from(labels.subarray(0, n)) };
  });
  // blank-input trajectories from 5 digit ends, the 300 blank steps after the digit, projected on their first 2 PCs
  const B = Math.min(5, ends.length / H), T = 300;
  const zeros: Tensor = { shape: [B, T, 28], data: new Float32Array(B * T * 28) };
  const traj = rnnForward(rnn, zeros, { shape: [B, H], data: Float32Array.from(ends.subarray(0, B * H)) }).states;
  const p = pca(traj, { components: 2 });
  const proj = p.transform(traj);
  return {
    spectrum: { before: before.exponents, after: after.exponents, beforeStd: before.std, afterStd: after.std },
    tsne: tsneData,
    trajectory: { points: Array.from(proj), trajectory: Array.from({ length: B * T }, (_, i) => Math.floor(i / T)), time: Array.from({ length: B * T }, (_, i) => i % T) },
  };
}

/** One untrained network's λ1: the mean over the driving sequences, their spread (`std`) and the mean's standard error (`stderr`, = std/√sequences). */
interface SweepPoint { lambda1: number; std: number; stderr: number }

/** λ1 of untrained networks across gains (init 'normal', one network per gain: seed 0) and for PyTorch's default init. */
function gainSweep(o: HoroiOptions): { gains: ({ gain: number } & SweepPoint)[]; pytorchDefault: SweepPoint; chaoticGain: number | null } {
  const gains = o.gainSweep.map((gain) => {
    const r = drivenSpectrum(initRnn({ inputSize: 28, hiddenSize: o.hidden, outputSize: 10, init: 'normal', gain, seed: 0 }), o, 1);
    o.log(`  untrained, init normal, gain ${gain}: λ1 = ${r.exponents[0].toFixed(3)} ± ${r.std[0].toFixed(3)}`);
    return { gain, lambda1: r.exponents[0], std: r.std[0], stderr: r.stderr[0] };
  });
  const pt = drivenSpectrum(initRnn({ inputSize: 28, hiddenSize: o.hidden, outputSize: 10, init: 'pytorch', seed: 0 }), o, 1);
  o.log(`  untrained, PyTorch default init: λ1 = ${pt.exponents[0].toFixed(3)} ± ${pt.std[0].toFixed(3)}`);
  return { gains, pytorchDefault: { lambda1: pt.exponents[0], std: pt.std[0], stderr: pt.stderr[0] }, chaoticGain: chaoticGain(gains) };
}

/** The smallest gain whose λ1 is clearly positive: above 0.01 per step and above twice its spread. */
export function chaoticGain(gains: readonly { gain: number; lambda1: number; std: number }[]): number | null {
  const g = [...gains].sort((a, b) => a.gain - b.gain).find((x) => x.lambda1 > Math.max(0.01, 2 * x.std));
  return g ? g.gain : null;
}

export async function run(o: HoroiOptions): Promise<Record<string, unknown>> {
  const t0 = performance.now();
  const { out, fresh, figures, log, ...settings } = o;
  const ck = openCheckpoint(out, 'horoi2020', settings, fresh);
  log(`λ1 of untrained networks (driven by ${o.lyapunovSequences} test digits + ${o.lyapunovBlank} blank rows)`);
  // a sweep checkpointed before `stderr` was recorded is made again (about a second)
  const saved = ck.get<ReturnType<typeof gainSweep>>('sweep');
  const sweep = saved && [...saved.gains, saved.pytorchDefault].every((g) => typeof g.stderr === 'number') ? saved : gainSweep(o);
  ck.set('sweep', sweep);
  sweep.chaoticGain = chaoticGain(sweep.gains);
  const nets: NetworkResult[] = [];
  for (let s = 0; s < o.networks; s++) {
    let r = ck.get<NetworkResult>(`net${s}`);
    if (r) log(`network ${s}: from the checkpoint`);
    else {
      log(`network ${s}/${o.networks}: training ${o.epochs} epoch(s) on ${o.trainSize} digits`);
      r = await runNetwork(s, o);
      ck.set(`net${s}`, r);
    }
    nets.push(r);
  }
  const agg = (pick: (r: NetworkResult) => number[]) => {
    const len = pick(nets[0]).length;
    const m = Array.from({ length: len }, (_, i) => meanStd(nets.map((r) => pick(r)[i])));
    return { mean: m.map((v) => v.mean), std: m.map((v) => v.std) };
  };
  const acc = { cut: agg((r) => r.accuracy.cut), hidden: agg((r) => r.accuracy.hidden), extended: agg((r) => r.accuracy.extended) };
  const knnA = agg((r) => r.knnAccuracy);
  const before = meanStd(nets.map((r) => r.lambda1.before));
  const after = meanStd(nets.map((r) => r.lambda1.after));
  const kinds = new Map<string, number>();
  for (const r of nets) kinds.set(r.attractor.kind, (kinds.get(r.attractor.kind) ?? 0) + 1);
  // distinct limit cycles (period ≥ 2) per network; fixed points are attractors, not cycles
  const cycles = nets.map((r) => r.attractor.attractors.filter((a) => a.kind === 'limit-cycle'));
  const kind = [...kinds.entries()].sort((a, b) => b[1] - a[1])[0][0];
  const result = {
    study: 'horoi2020',
    settings,
    wallSeconds: (performance.now() - t0) / 1000,
    testAccuracy: meanStd(nets.map((r) => r.testAccuracy)),
    accuracy: { cut: acc.cut.mean, hidden: acc.hidden.mean, extended: acc.extended.mean },
    accuracyStd: { cut: acc.cut.std, hidden: acc.hidden.std, extended: acc.extended.std },
    lambda1: { before: before.mean, after: after.mean, beforeStd: before.std, afterStd: after.std, gainSweep: sweep.gains, chaoticGain: sweep.chaoticGain, pytorchDefault: sweep.pytorchDefault },
    clusters: { knnAccuracy: knnA.mean, knnAccuracyStd: knnA.std, k: o.knnK },
    attractor: {
      kind,
      kinds: Object.fromEntries(kinds),
      cycles: meanStd(cycles.map((c) => c.length)).mean,
      cyclesPerNetwork: cycles.map((c) => c.length),
      periods: cycles.map((c) => c.map((a) => a.period).sort((a, b) => a - b)),
      floquet: nets.map((r) => r.attractor.attractors.map((a) => ({ kind: a.kind, period: a.period, basin: a.basin, moduli: a.floquet }))),
      intrinsicDimension: {
        twoNN: meanStd(nets.map((r) => r.attractor.intrinsicDimension.twoNN)),
        participationRatio: meanStd(nets.map((r) => r.attractor.intrinsicDimension.participationRatio)),
      },
    },
    networks: nets.map(({ extra: _e, ...r }) => r),
  };
  writeResult(out, 'horoi2020', result);
  if (figures) await horoiFigures(out, nets, acc, knnA, sweep, o);
  log(`done in ${((performance.now() - t0) / 1000).toFixed(0)} s: ${out}/horoi2020.json`);
  return result;
}

async function horoiFigures(out: string, nets: NetworkResult[], acc: Record<'cut' | 'hidden' | 'extended', { mean: number[]; std: number[] }>,
  knnA: { mean: number[]; std: number[] }, sweep: ReturnType<typeof gainSweep>, o: HoroiOptions): Promise<void> {
  const n = Array.from({ length: 29 }, (_, i) => i);
  const curve = (c: { mean: number[]; std: number[] }) => ({ mean: c.mean, spread: c.std });
  await saveFigure(out, 'horoi2020-accuracy', accuracyVsNPlot({ n, cut: curve(acc.cut), hidden: curve(acc.hidden), extended: curve(acc.extended) },
    { title: `Modified digits: accuracy vs n (mean ± std over ${nets.length} networks)` }), { png: true });
  await saveFigure(out, 'horoi2020-knn', scatterPlot({ x: knnA.mean.map((_, t) => t + 1), y: knnA.mean },
    { title: `kNN accuracy of hidden states by time step (mean over ${nets.length} networks)`, xTitle: 'time step (rows read)', yTitle: 'kNN accuracy (k = 10)' }));
  await gainFigures(out, sweep, o);
  const x = nets[0].extra;
  if (!x) return;
  await saveFigure(out, 'horoi2020-spectrum', spectrumPlot([
    { label: 'before training', exponents: x.spectrum.before, spread: x.spectrum.beforeStd },
    { label: 'after training', exponents: x.spectrum.after, spread: x.spectrum.afterStd },
  ], { title: `Lyapunov spectrum of network 0 (top ${x.spectrum.before.length}; band: ± std over ${o.lyapunovSequences} digit sequences)` }));
  const emb = x.tsne.flatMap((p) => p.embedding);
  await saveFigure(out, 'horoi2020-tsne', embeddingScatterPlot({
    embedding: emb, labels: x.tsne.flatMap((p) => p.labels), labelName: 'digit',
    panels: x.tsne.flatMap((p) => p.labels.map(() => `after ${p.step + 1} rows`)),
  }, { title: 't-SNE of hidden states (network 0)', width: 220, height: 220, pointSize: 8 }), { png: true });
  await saveFigure(out, 'horoi2020-attractor', pcaTrajectoryPlot(x.trajectory, { title: 'Blank input after a digit (network 0, PC 1–2)' }));
}

/** |λ1| below this is drawn again on its own axis in horoi2020-gain-zoom, where the error bars are visible. */
const NEAR_ZERO = 0.05;

/**
 * λ1 against the gain, ± its standard error: one network per gain (seed 0), so the bars are the
 * standard error of the mean over the driving sequences (lyapunovSpectrum's `stderr`), not a spread
 * over networks. At the full sweep's scale (λ1 from −0.67 to +0.30) they are shorter than the points;
 * the gains with |λ1| < NEAR_ZERO are drawn again on their own axis, padded so no point sits on it.
 */
async function gainFigures(out: string, sweep: ReturnType<typeof gainSweep>, o: HoroiOptions): Promise<void> {
  const bars = `bars: ± s.e. over ${o.lyapunovSequences} sequences`;
  const plot = (gains: typeof sweep.gains, title: string, extra: Parameters<typeof scatterPlot>[1]) => scatterPlot(
    { x: gains.map((g) => g.gain), y: gains.map((g) => g.lambda1), yError: gains.map((g) => g.stderr) },
    { title, xTitle: 'gain g (init normal)', yTitle: 'λ1 (nats per step)', width: 420, ...extra });
  await saveFigure(out, 'horoi2020-gain', plot(sweep.gains, `Untrained λ1 vs gain, seed 0 (${bars}; PyTorch init: ${sweep.pytorchDefault.lambda1.toFixed(2)})`, {}));
  const near = sweep.gains.filter((g) => Math.abs(g.lambda1) < NEAR_ZERO);
  if (near.length < 2) return;
  const padded = (lo: number, hi: number): [number, number] => [lo - 0.05 * (hi - lo), hi + 0.05 * (hi - lo)];
  const xs = near.map((g) => g.gain);
  const ys = near.flatMap((g) => (Number.isFinite(g.stderr) ? [g.lambda1 - g.stderr, g.lambda1 + g.stderr] : [g.lambda1]));
  await saveFigure(out, 'horoi2020-gain-zoom', plot(near, `Untrained λ1 near 0 (|λ1| < ${NEAR_ZERO}), seed 0 (${bars})`,
    { height: 300, xDomain: padded(Math.min(...xs), Math.max(...xs)), yDomain: padded(Math.min(...ys), Math.max(...ys)) }));
}

async function main(): Promise<void> {
  const cli = parseStudyArgs(process.argv.slice(2), 'horoi2020');
  const { log } = createLog('horoi2020');
  await run({ ...(cli.quick ? HOROI_QUICK : HOROI_FULL), out: cli.out, fresh: cli.fresh, figures: true, log });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exitCode = 1;
  });
}
