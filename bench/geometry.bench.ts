/**
 * Geometry of hidden states: PCA and participation ratio of 10 000 × 200 states, TwoNN and
 * Levina–Bickel on 10 000 points in 200-D (exact blocked kNN), and fixed points of a 200-unit random
 * tanh network (g = 1.3) and of a trained 3-bit flip-flop network, with Levenberg–Marquardt vs Adam.
 *
 * Run: npx tsx bench/geometry.bench.ts   (env GEOMETRY_BENCH_QUICK=1 for a smaller run)
 */
import { createRng } from '../src/core/rng.js';
import { rnnSystem } from '../src/rnn/system.js';
import { initRnn } from '../src/rnn/init.js';
import { rnnForward } from '../src/rnn/forward.js';
import { train } from '../src/rnn/train.js';
import { flipFlopTask } from '../src/data/tasks.js';
import { findFixedPoints } from '../src/geometry/fixed-points.js';
import { levinaBickel, twoNN } from '../src/geometry/intrinsic-dimension.js';
import { knn } from '../src/geometry/knn.js';
import { participationRatio } from '../src/geometry/participation.js';
import { pca } from '../src/geometry/pca.js';
import { fmt, printTable } from './util.js';

const quick = process.env.GEOMETRY_BENCH_QUICK === '1';
const benchStart = performance.now();

function once<T>(fn: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t0 };
}

// ---- states: a trajectory of a 200-unit random tanh network (g = 1.3, chaotic) ----
const H = 200;
const g = 1.3;
const rnn = initRnn({ inputSize: 1, hiddenSize: H, outputSize: 1, gain: g, seed: 7 });
const sys = rnnSystem(rnn);
const nStates = quick ? 2000 : 10000;
const states = new Float64Array(nStates * H);
{
  const rng = createRng(1);
  let x = new Float64Array(H);
  for (let i = 0; i < H; i++) x[i] = 0.5 * rng.normal();
  let y = new Float64Array(H);
  for (let t = 0; t < 500; t++) {
    sys.step(x, t, y);
    [x, y] = [y, x];
  }
  for (let s = 0; s < nStates; s++) {
    sys.step(x, s, y);
    [x, y] = [y, x];
    states.set(x, s * H);
  }
}

// ---- PCA, participation ratio, intrinsic dimension ----
const rows: (string | number)[][] = [];
{
  const r = once(() => pca(states, { dim: H }));
  const k90 = pca(states, { dim: H, varianceFraction: 0.9 }).k;
  rows.push([`pca ${nStates}×${H} (all components)`, r.ms, `PC1 ${fmt(100 * r.value.explainedVarianceRatio[0]!)}%, k(90%) = ${k90}`]);
  const pr = once(() => participationRatio(states, { dim: H }));
  rows.push([`participationRatio ${nStates}×${H}`, pr.ms, `PR = ${fmt(pr.value)}`]);
  const tn = once(() => twoNN(states, { dim: H }));
  rows.push([`twoNN ${nStates} points in ${H}-D`, tn.ms, `d = ${fmt(tn.value.dimension)}`]);
  const lb = once(() => levinaBickel(states, { dim: H, k: 10 }));
  rows.push([`levinaBickel k=10, ${nStates} points in ${H}-D`, lb.ms, `d = ${fmt(lb.value.dimension)}`]);
  const kn = once(() => knn(states, 15, { dim: H }));
  rows.push([`knn k=15, ${nStates} points in ${H}-D (exact)`, kn.ms, `mean 15th-neighbour distance ${fmt(kn.value.distances.filter((_, i) => i % 15 === 14).reduce((a, b) => a + b, 0) / nStates)}`]);
}
printTable('Geometry of 200-unit RNN states (g = 1.3 random tanh network)', ['task', 'ms', 'result'], rows);

// ---- fixed points: LM vs Adam ----
const lmStarts = quick ? 128 : 1024;
const adamStarts = quick ? 8 : 32;
const adamMaxIter = quick ? 2000 : 5000;
const fpRows: (string | number)[][] = [];
const summary = (name: string, starts: number, ms: number, res: ReturnType<typeof findFixedPoints>) => {
  const conv = Array.from(res.starts.iterations).filter((_, i) => res.starts.converged[i] === 1).sort((a, b) => a - b);
  const median = conv.length ? conv[Math.floor(conv.length / 2)]! : NaN;
  const stab = { stable: 0, saddle: 0, unstable: 0 };
  for (const p of res.points) stab[p.stability]++;
  const qs = Array.from(res.starts.q).sort((a, b) => a - b);
  fpRows.push([
    name, String(starts), ms, ms / starts,
    `${fmt(100 * res.convergedFraction)}%`,
    conv.length ? fmt(res.iterationsToConverge) : '—',
    conv.length ? median : '—',
    fmt(res.iterations),
    qs[Math.floor(qs.length / 2)]!.toExponential(1),
    String(res.points.length),
    `${stab.stable}/${stab.saddle}/${stab.unstable}`,
  ]);
  return median;
};
const common = { states, nStarts: lmStarts, noise: 0.01, seed: 11, dim: H } as const;
const lm = once(() => findFixedPoints(rnn, { states: common.states, nStarts: lmStarts, noise: common.noise, seed: common.seed, method: 'lm' }));
const lmMedian = summary('lm (tolerance 1e-12, ≤ 200 it)', lmStarts, lm.ms, lm.value);
const adam = once(() => findFixedPoints(rnn, {
  states: common.states, nStarts: adamStarts, noise: common.noise, seed: common.seed, method: 'adam', maxIterations: adamMaxIter,
}));
const adamMedian = summary(`adam (tolerance 1e-12, ≤ ${adamMaxIter} it)`, adamStarts, adam.ms, adam.value);
// the same first starts for both methods: LM on the Adam subset
const lmSub = findFixedPoints(rnn, { states: common.states, nStarts: adamStarts, noise: common.noise, seed: common.seed, method: 'lm' });
printTable(
  `Fixed points of a ${H}-unit random tanh network (g = ${g}), starts from its trajectory + N(0, 0.01²)`,
  ['method', 'starts', 'total ms', 'ms/start', 'converged', 'mean it (conv.)', 'median it (conv.)', 'mean it (all)', 'median final q', 'distinct points', 'stable/saddle/unstable'],
  fpRows,
);
const adamIt = adam.value.convergedFraction > 0 ? adamMedian : adamMaxIter;
console.log(
  `\nOn the same ${adamStarts} starts: LM converged ${fmt(100 * lmSub.convergedFraction)}% (mean ${fmt(lmSub.iterationsToConverge)} it), ` +
  `Adam ${fmt(100 * adam.value.convergedFraction)}%${adam.value.convergedFraction > 0 ? ` (median ${adamMedian} it)` : ` (none within ${adamMaxIter} it)`}. ` +
  `Iteration ratio Adam/LM ${adam.value.convergedFraction > 0 ? '' : '≥ '}${fmt(adamIt / lmMedian)} (target ≥ 10).` +
  (adamStarts < lmStarts ? ` Adam ran on ${adamStarts} of the ${lmStarts} starts to keep the benchmark short.` : ''),
);

// ---- a trained network: 3-bit flip-flop, H = 24 (where Adam does converge) ----
{
  const Hf = 24;
  const task = flipFlopTask({ bits: 3, steps: 50, batch: 256, pFlip: 0.1, initialPulse: true, seed: 1 });
  const ff = initRnn({ inputSize: 3, hiddenSize: Hf, outputSize: 3, seed: 1 });
  const tTrain = performance.now();
  const hist = await train(ff, task, { epochs: 20, batchSize: 32, learningRate: 0.01, clipNorm: 1, seed: 1, loss: 'mse' });
  const trainMs = performance.now() - tTrain;
  const { states: ffStates } = rnnForward(ff, task.x);
  fpRows.length = 0;
  const nS = 256;
  const a = once(() => findFixedPoints(ff, { states: ffStates, nStarts: nS, noise: 0.05, seed: 1, input: [0, 0, 0], method: 'lm' }));
  const aMed = summary('lm (tolerance 1e-12)', nS, a.ms, a.value);
  const b = once(() => findFixedPoints(ff, { states: ffStates, nStarts: nS, noise: 0.05, seed: 1, input: [0, 0, 0], method: 'adam', maxIterations: 10000 }));
  const bMed = summary('adam (tolerance 1e-12, ≤ 10000 it)', nS, b.ms, b.value);
  printTable(
    `Fixed points of a trained 3-bit flip-flop network (H = ${Hf}, 20 epochs in ${fmt(trainMs / 1000)} s, final mse ${fmt(hist.epochs.at(-1)!.loss)}), zero input`,
    ['method', 'starts', 'total ms', 'ms/start', 'converged', 'mean it (conv.)', 'median it (conv.)', 'mean it (all)', 'median final q', 'distinct points', 'stable/saddle/unstable'],
    fpRows,
  );
  let shared = 0;
  for (const pb of b.value.points) {
    if (a.value.points.some((pa) => Math.hypot(...pa.x.map((v, i) => v - pb.x[i]!)) < 1e-3)) shared++;
  }
  console.log(
    `\nMedian iterations to q < 1e-12: Adam ${bMed} / LM ${aMed} = ${fmt(bMed / aMed)}× (target ≥ 10). ` +
    `${shared} of Adam's ${b.value.points.length} points coincide (within 1e-3) with one of LM's ${a.value.points.length}; ` +
    `from the same starts LM goes to the nearest root of F(x) − x, Adam's momentum also carries starts to other saddles.`,
  );
}
console.log(`\nTotal ${fmt((performance.now() - benchStart) / 1000)} s`);
