/**
 * Lyapunov spectrum of a random autonomous tanh RNN (h' = tanh(W h), W_ij ~ N(0, g²/n), g = 1.5):
 * microseconds per step for the full spectrum and for the top k = 8, at n = 32, 64, 128, 200, side by
 * side with the standard PyTorch implementation (bench/peers/torch_lyapunov.py: float32, one thread,
 * Z = diag(1 − tanh²)·(W·Q), torch.linalg.qr, log|diag R| every step).
 *
 * Ours runs with the library's default options (backend 'auto', a QR every ≤ 16 steps guarded by the
 * frame's condition number: test/lyapunov/default-interval.test.ts checks it against QR every step;
 * for k ≤ n/8, n ≥ 64, float32 frame products with a float64 QR: `productPrecision: 'auto'`),
 * and, for reference, with a QR every step. Each of our runs lasts at least 50 ms of CPU time, as the
 * peer's timed chunks do, so a call's fixed cost does not count as per-step time. Where the engine has WebAssembly relaxed SIMD (Node 22+,
 * Chrome 114+, Node 20 with --experimental-wasm-relaxed-simd), 'auto' is the fused multiply-add
 * build 'wasm-fma', and a column gives the defaults on the multiply-then-add build 'wasm' beside it. The peer and ours alternate in rounds (the best of all
 * rounds is kept for each), so that a load that comes and goes on a shared machine hits both; the
 * load average is printed.
 *
 * Run: npx tsx bench/lyapunov.bench.ts [n,n,...] [k,k,...] [rounds] [--js]   (k = 0: full spectrum)
 *      node --experimental-wasm-relaxed-simd --import tsx bench/lyapunov.bench.ts …   (Node 20, FMA)
 */
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '../src/core/rng.js';
import type { Tensor } from '../src/core/tensor.js';
import { lyapunovSpectrum } from '../src/lyapunov/index.js';
import { backend, float64WasmAvailable, setBackend } from '../src/core/backend.js';
import { f64FmaWasmAvailable } from '../src/core/wasm64/loader.js';
import type { Rnn } from '../src/rnn/types.js';
import { fmt, printTable, runPythonPeer } from './util.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2).filter((a) => a !== '--js');
const withJs = process.argv.includes('--js');
const ns = (args[0] ?? '32,64,128,200').split(',').map(Number);
const ks = (args[1] ?? '0,8').split(',').map(Number);
const rounds = Number(args[2] ?? 3);

function randomTanhRnn(n: number, g: number, seed: number): Rnn {
  const rng = createRng(seed);
  const t = (shape: number[], f: () => number): Tensor => ({ shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, f) });
  return {
    activation: 'tanh',
    params: {
      wIn: t([n, 1], () => 0),
      wRec: t([n, n], () => (g * rng.normal()) / Math.sqrt(n)),
      b: t([n], () => 0),
      wOut: t([1, n], () => 0),
      bOut: t([1], () => 0),
    },
  };
}

/** CPU milliseconds (user + system) of this process so far. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

type Variant = 'default' | 'every-step' | 'wasm' | 'js';

/**
 * µs per step of lyapunovSpectrum for each variant (library defaults; QR every step; the defaults on
 * the multiply-then-add wasm build; the JS kernels with the defaults): CPU time, best of `runs` runs of `steps` steps, the variants alternating run by
 * run. The state warm-up is 0 and the frame warm-up 0 (as in the peer, which times steady steps).
 */
function ours(n: number, k: number, variants: readonly Variant[], runs: number): number[] {
  const rnn = randomTanhRnn(n, 1.5, 1);
  const rng = createRng(2);
  const x0 = Float64Array.from({ length: n }, () => 0.5 * rng.normal());
  let steps = 40;
  const run = (v: Variant) => {
    if (v === 'js' || v === 'wasm') setBackend('float64', v);
    const r = lyapunovSpectrum(rnn, { k, steps, warmup: 0, frameWarmup: 0, x0, ...(v === 'every-step' ? { reorthEvery: 1 } : {}) });
    setBackend('float64', 'auto');
    if (!Number.isFinite(r.exponents[0])) throw new Error(`bench: non-finite λ1 at n = ${n}, k = ${k}`);
  };
  for (const v of variants) run(v); // warm-up
  // runs of at least 50 ms of CPU time, as the peer's chunks (seconds / 8 = 50 ms): the call's fixed
  // cost (copies of the weights, the random frame: ≈ 0.8 ms at n = 200) is then ≤ 2 % of a step
  for (;;) {
    const t0 = cpuMs();
    run('default');
    if (cpuMs() - t0 >= 50 || steps >= 1e6) break;
    steps *= 2;
  }
  const best = variants.map(() => Infinity);
  for (let r = 0; r < runs; r++) {
    variants.forEach((v, i) => {
      const t0 = cpuMs();
      run(v);
      best[i] = Math.min(best[i], cpuMs() - t0);
    });
  }
  return best.map((b) => (b * 1000) / steps);
}

interface PeerOut {
  torch: string;
  results: { n: number; k: number; us: number }[];
}

const load0 = loadavg();
const withMulAdd = f64FmaWasmAvailable();
const variants: Variant[] = [
  'default', 'every-step', ...(withMulAdd ? (['wasm'] as const) : []), ...(withJs && float64WasmAvailable() ? (['js'] as const) : []),
];
const cases = ns.flatMap((n) => ks.map((k0) => ({ n, k: k0 === 0 ? n : Math.min(k0, n) })));
const bestOurs = cases.map(() => variants.map(() => Infinity));
const bestPeer = cases.map(() => Infinity);
let torch: string | undefined;
for (let r = 0; r < rounds; r++) {
  const peer = runPythonPeer<PeerOut>(join(here, 'peers', 'torch_lyapunov.py'), [ns.join(','), ks.join(','), '0.4']);
  if (peer) torch = peer.torch;
  cases.forEach(({ n, k }, c) => {
    const p = peer?.results.find((x) => x.n === n && x.k === k);
    if (p) bestPeer[c] = Math.min(bestPeer[c], p.us);
    const us = ours(n, k, variants, 3);
    us.forEach((u, i) => (bestOurs[c][i] = Math.min(bestOurs[c][i], u)));
  });
}
const load1 = loadavg();
const rows = cases.map(({ n, k }, c) => {
  const [dflt, every] = bestOurs[c];
  const mulAdd = bestOurs[c][variants.indexOf('wasm')];
  const js = bestOurs[c][variants.indexOf('js')];
  const p = bestPeer[c];
  const has = Number.isFinite(p);
  return [
    String(n),
    k === n ? `${k} (full)` : String(k),
    fmt(dflt),
    fmt(every),
    ...(withMulAdd ? [fmt(mulAdd), fmt(mulAdd / dflt)] : []),
    ...(withJs ? [fmt(js)] : []),
    has ? fmt(p) : 'n/a',
    has ? fmt(dflt / p) : 'n/a',
  ];
});
printTable(
  `Lyapunov spectrum of a tanh RNN (g = 1.5), µs per step (CPU time, best of ${rounds} alternating rounds × 3 runs)${torch ? ` — PyTorch ${torch}, float32, 1 thread, QR every step` : ''}; float64 kernels: ${backend('float64')}; load average ${load0[0].toFixed(1)} → ${load1[0].toFixed(1)}`,
  [
    'n', 'k', 'rnn-lyap defaults (µs)', 'rnn-lyap QR every step (µs)',
    ...(withMulAdd ? ["defaults on 'wasm', no FMA (µs)", "'wasm' / 'wasm-fma'"] : []),
    ...(withJs ? ['rnn-lyap JS kernels (µs)'] : []), 'PyTorch (µs)', 'defaults / PyTorch',
  ],
  rows,
);
