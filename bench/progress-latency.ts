/**
 * Progress gaps and abort latency of the long Lyapunov and geometry calls. For each call: the
 * largest wall-time gap between consecutive progress reports (start and end included) in a full
 * run (wall time, and CPU time of this process, which a loaded machine does not inflate), and the
 * time from an abort requested inside the 3rd progress report to the throw.
 * (A synchronous call sees an abort only at its progress points; a timer cannot fire during it.)
 *
 * Run: npx tsx bench/progress-latency.ts [label filter…]   (e.g. `findFixedPoints pca`)
 */
import { performance } from 'node:perf_hooks';
import { createRng } from '../src/core/rng.js';
import { detectLimitCycle, findFixedPoints, knn, levinaBickel, pca, twoNN } from '../src/geometry/index.js';
import { finiteTimeExponents, lyapunovSpectrum } from '../src/lyapunov/index.js';
import { initRnn } from '../src/rnn/index.js';

/** CPU time of this process (user + system), ms: on a shared machine the wall-time gaps include time given to other processes. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

type Run = (o: { onProgress: (p: unknown) => void; signal?: AbortSignal }) => unknown;

const rnn = initRnn({ inputSize: 1, hiddenSize: 100, outputSize: 1, gain: 3, seed: 1 });
const rnn200 = initRnn({ inputSize: 1, hiddenSize: 200, outputSize: 1, gain: 3, seed: 1 });
const rng = createRng(1);
const X = Float64Array.from({ length: 6000 * 20 }, () => rng.normal());
const Y = Float64Array.from({ length: 20000 * 200 }, () => rng.normal());
const starts = Float64Array.from({ length: 300 * 100 }, () => 0.5 * rng.normal());

const only = process.argv.slice(2); // optional filters: substrings of the labels
const all: [string, Run][] = [
  ['lyapunovSpectrum N=100 k=1, 20k steps', (o) => lyapunovSpectrum(rnn, { k: 1, steps: 20000, ...o })],
  ['lyapunovSpectrum N=200 full, 2k steps', (o) => lyapunovSpectrum(rnn200, { steps: 2000, warmup: 100, ...o })],
  ['finiteTimeExponents N=100 k=4', (o) => finiteTimeExponents(rnn, { k: 4, window: 100, windows: 150, onProgress: o.onProgress as never, signal: o.signal })],
  ['detectLimitCycle N=100', (o) => detectLimitCycle(rnn, { warmup: 20000, maxPeriod: 2000, exponentSteps: 20000, ...o })],
  ['findFixedPoints N=100, 300 starts', (o) => findFixedPoints(rnn, { inits: { shape: [300, 100], data: Float32Array.from(starts) }, maxIterations: 30, ...o })],
  ['knn 6000×20, k=15', (o) => knn(X, 15, { dim: 20, ...o })],
  ['twoNN 6000×20', (o) => twoNN(X, { dim: 20, ...o })],
  ['levinaBickel 6000×20', (o) => levinaBickel(X, { dim: 20, ...o })],
  ['pca 20000×200', (o) => pca(Y, { dim: 200, ...o })],
];
const cases = only.length === 0 ? all : all.filter(([label]) => only.some((o) => label.includes(o)));

const rows: string[][] = [];
for (const [label, run] of cases) {
  // full run: gaps between reports
  const times: number[] = [performance.now()];
  const cpu: number[] = [cpuMs()];
  const phases: string[] = ['start'];
  run({ onProgress: (p) => { times.push(performance.now()); cpu.push(cpuMs()); phases.push(String((p as { phase?: unknown }).phase ?? '')); } });
  times.push(performance.now());
  cpu.push(cpuMs());
  phases.push('end');
  let gap = 0;
  let cpuGap = 0;
  let where = '';
  for (let i = 1; i < times.length; i++) {
    gap = Math.max(gap, times[i] - times[i - 1]);
    if (cpu[i] - cpu[i - 1] > cpuGap) {
      cpuGap = cpu[i] - cpu[i - 1];
      where = `${phases[i - 1]} → ${phases[i]}`;
    }
  }
  const total = times[times.length - 1] - times[0];
  // abort from inside the 3rd report
  const ac = new AbortController();
  let calls = 0;
  let at = 0;
  let latency = NaN;
  try {
    run({ signal: ac.signal, onProgress: () => { if (++calls === 3) { at = performance.now(); ac.abort(); } } });
  } catch {
    latency = performance.now() - at;
  }
  rows.push([label, total.toFixed(0), String(times.length - 2), gap.toFixed(1), cpuGap.toFixed(1), where, Number.isNaN(latency) ? 'finished' : latency.toFixed(3)]);
}
const head = ['call', 'run ms', 'reports', 'max gap ms', 'max gap cpu ms', 'largest cpu gap between', 'abort latency ms'];
const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
for (const r of [head, ...rows]) console.log(r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  '));
