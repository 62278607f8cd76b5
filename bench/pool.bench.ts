/**
 * The worker pool: (1) an 8-sequence Lyapunov spectrum of a tanh RNN (n = 128, g = 1.5, inputs
 * [8,T,I]) through `createPool({ workers: 2 })` against the synchronous `lyapunovSpectrum`, in
 * alternating rounds (wall time; the machine's load average is printed with it, since a shared machine
 * takes cores away from the pool first); the results are checked equal bit for bit. (2) Abort latency:
 * the time from `abort()` to the rejection of each pooled function, and until the pool has answered
 * its next call again (a terminated worker is respawned).
 *
 * Run: npx tsx bench/pool.bench.ts [T] [rounds]
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { Worker } from 'node:worker_threads';
import { randn } from '../src/core/index.js';
import { lyapunovSpectrum } from '../src/lyapunov/index.js';
import { flipFlopTask, initRnn } from '../src/index.js';
import { createPool } from '../src/parallel/index.js';
import { fmt, printTable } from './util.js';

const T = Number(process.argv[2] ?? 400);
const rounds = Number(process.argv[3] ?? 4);
const n = 128;
const I = 8;

const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const sameBits = (a: Float64Array, b: Float64Array) => a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

const rnn = initRnn({ inputSize: I, hiddenSize: n, outputSize: 1, activation: 'tanh', gain: 1.5, seed: 1 });
const inputs = randn([8, T, I], { seed: 2 });
const pool = createPool({ workers: 2 });

console.log(`${cpus().length} cores; load average before: ${load()}`);

/**
 * The machine's ceiling right now: the same arithmetic on two threads at once against one thread
 * doing both halves. On an idle 2-core machine it is ~2×; on a shared one the scheduler's per-session
 * share caps every pool at this figure, so read the pool's speed-up against it.
 */
async function twoThreadCeiling(): Promise<number> {
  const N = 1e8;
  const body = 'function spin(n) { let s = 0; for (let i = 0; i < n; i++) s += Math.sqrt(i); return s; }';
  const one = new Function('n', `${body}; return spin(n);`) as (n: number) => number;
  const t0 = performance.now();
  one(2 * N);
  const serial = performance.now() - t0;
  const t1 = performance.now();
  await Promise.all([0, 1].map(() => new Promise((r) => {
    const w = new Worker(`${body}; require('node:worker_threads').parentPort.postMessage(spin(${N}));`, { eval: true });
    w.on('message', () => { void w.terminate(); r(undefined); });
  })));
  return serial / (performance.now() - t1);
}
const ceilingBefore = await twoThreadCeiling();
// warm-up: the workers start and compile; the synchronous path too
await pool.lyapunovSpectrum(rnn, { inputs: randn([2, 20, I], { seed: 3 }) });
lyapunovSpectrum(rnn, { inputs: randn([2, 20, I], { seed: 3 }) });

const sync: number[] = [];
const pooled: number[] = [];
const syncCpu: number[] = [];
const pooledCpu: number[] = [];
/** CPU ms of the whole process (every thread: the workers too). */
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
let identical = true;
for (let r = 0; r < rounds; r++) {
  // alternate which goes first, so a change of load hits both alike
  const runSync = () => {
    const c0 = cpu();
    const t0 = performance.now();
    const res = lyapunovSpectrum(rnn, { inputs });
    sync.push(performance.now() - t0);
    syncCpu.push(cpu() - c0);
    return res;
  };
  const runPool = async () => {
    const c0 = cpu();
    const t0 = performance.now();
    const res = await pool.lyapunovSpectrum(rnn, { inputs });
    pooled.push(performance.now() - t0);
    pooledCpu.push(cpu() - c0);
    return res;
  };
  const [a, b] = r % 2 === 0 ? [runSync(), await runPool()] : [await runPool(), runSync()];
  identical &&= sameBits(a.exponents, b.exponents) && sameBits(a.std, b.std) && sameBits(a.stderr, b.stderr);
}
const med = (x: number[]) => x.slice().sort((p, q) => p - q)[Math.floor(x.length / 2)];
const best = (x: number[]) => Math.min(...x);
console.log(`load average after: ${load()}`);
const ceilingAfter = await twoThreadCeiling();
console.log(`two-thread ceiling of this machine now (2 spinning threads vs 1 doing both halves): ${ceilingBefore.toFixed(2)}× before, ${ceilingAfter.toFixed(2)}× after`);
printTable(
  `Spectrum of 8 sequences × T = ${T}, n = ${n} (full), wall time`,
  ['', 'sync ms', 'pool(2) ms', 'speed-up'],
  [
    ['median of rounds', fmt(med(sync)), fmt(med(pooled)), `${(med(sync) / med(pooled)).toFixed(2)}×`],
    ['best round', fmt(best(sync)), fmt(best(pooled)), `${(best(sync) / best(pooled)).toFixed(2)}×`],
  ],
);
console.log(`rounds: sync ${sync.map((x) => x.toFixed(0)).join(', ')}; pool ${pooled.map((x) => x.toFixed(0)).join(', ')}`);
console.log(`results identical bit for bit (exponents, std, stderr): ${identical}`);
// On a loaded machine the scheduler (autogroups) gives this process a share of the cores whatever its
// thread count, so wall time cannot show the second core. CPU time can: the pool's total work over the
// synchronous work is its overhead, and 2 / overhead is the speed-up two idle cores would give.
const overhead = med(pooledCpu) / med(syncCpu);
console.log(`CPU time (all threads), median: sync ${fmt(med(syncCpu))} ms, pool ${fmt(med(pooledCpu))} ms: work overhead ${overhead.toFixed(3)}×, so ≤ ${(2 / overhead).toFixed(2)}× on two idle cores`);

// abort latency
const net64 = initRnn({ inputSize: 3, hiddenSize: 64, outputSize: 3, activation: 'tanh', gain: 1.5, seed: 1 });
const calls: Record<string, (signal: AbortSignal) => Promise<unknown>> = {
  lyapunovSpectrum: (signal) => pool.lyapunovSpectrum(net64, { inputs: randn([4, 1e6, 3], { seed: 1 }), signal }),
  findFixedPoints: (signal) => pool.findFixedPoints(net64, { inits: randn([20000, 64], { seed: 1 }), method: 'adam', tolerance: 0, maxIterations: 1e6, signal }),
  train: (signal) => pool.train(net64, flipFlopTask({ bits: 3, steps: 50, batch: 512, seed: 1 }), { epochs: 1e4, signal }),
  tsne: (signal) => pool.tsne(randn([3000, 10], { seed: 1 }), { iterations: 1e6, signal }),
  phate: (signal) => pool.phate(randn([6000, 10], { seed: 1 }), { signal }),
  mPhate: (signal) => pool.mPhate(randn([30, 60, 40], { seed: 1 }), { signal }),
  mmPhate: (signal) => pool.mmPhate(randn([10, 12, 40, 30], { seed: 1 }), { signal }),
  map: (signal) => pool.map('lyapunovSpectrum', [[net64, { steps: 1e9 }], [net64, { steps: 1e9 }], [net64, { steps: 1e9 }]], { signal }),
};
const rows: string[][] = [];
for (const [name, start] of Object.entries(calls)) {
  const ac = new AbortController();
  let settledEarly = false;
  const p = start(ac.signal).then(
    () => { settledEarly = true; return undefined; },
    (e: unknown) => e,
  );
  await new Promise((r) => setTimeout(r, 500));
  const t0 = performance.now();
  ac.abort();
  const err = await p;
  const latency = performance.now() - t0;
  const t1 = performance.now();
  await pool.lyapunovSpectrum(net64, { steps: 10, warmup: 0, frameWarmup: 0 }); // answered by a fresh worker
  const recover = performance.now() - t1;
  rows.push([name, settledEarly ? 'finished before the abort' : fmt(latency), fmt(recover), String(err === ac.signal.reason)]);
}
printTable('Abort latency (each call aborted 500 ms after it started)', ['call', 'abort → rejection ms', 'next call answered ms', 'rejects with signal.reason'], rows);
await pool.close();
