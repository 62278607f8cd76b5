/**
 * Lyapunov spectrum of a random autonomous tanh RNN (h' = tanh(W h), W_ij ~ N(0, g²/n), g = 1.5):
 * microseconds per step for the full spectrum and for the top k = 8, at n = 32, 64, 128, 200, side by
 * side with the standard PyTorch implementation (bench/peers/torch_lyapunov.py: float32, one thread,
 * Z = diag(1 − tanh²)·(W·Q), torch.linalg.qr, log|diag R| every step).
 *
 * Run: npx tsx bench/lyapunov.bench.ts [n,n,...] [k,k,...]   (k = 0 means the full spectrum)
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '../src/core/rng.js';
import type { Tensor } from '../src/core/tensor.js';
import { lyapunovSpectrum } from '../src/lyapunov/index.js';
import { lyapunovWasmAvailable, setLyapunovBackend } from '../src/core/wasm64/loader.js';
import type { Rnn } from '../src/rnn/types.js';
import { fmt, printTable, runPythonPeer } from './util.js';

const here = dirname(fileURLToPath(import.meta.url));
const ns = (process.argv[2] ?? '32,64,128,200').split(',').map(Number);
const ks = (process.argv[3] ?? '0,8').split(',').map(Number);

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

/**
 * µs per step of lyapunovSpectrum (QR every step) for each backend (JS kernels, WebAssembly SIMD):
 * CPU time, best of 8 runs of `steps` steps after a warm-up run, the backends alternating run by run
 * (robust to other processes on a shared machine; the PyTorch peer is timed the same way).
 */
function ours(n: number, k: number, backends: readonly ('js' | 'wasm')[]): number[] {
  const rnn = randomTanhRnn(n, 1.5, 1);
  const rng = createRng(2);
  const x0 = Float64Array.from({ length: n }, () => 0.5 * rng.normal());
  const steps = Math.max(20, Math.round(1.5e7 / (n * n * (k + 8))));
  const run = (b: 'js' | 'wasm') => {
    setLyapunovBackend(b);
    const r = lyapunovSpectrum(rnn, { k, steps, warmup: 0, frameWarmup: 0, x0 });
    setLyapunovBackend('auto');
    if (!Number.isFinite(r.exponents[0])) throw new Error(`bench: non-finite λ1 at n = ${n}, k = ${k}`);
  };
  for (const b of backends) run(b);
  const best = backends.map(() => Infinity);
  for (let r = 0; r < 8; r++) {
    backends.forEach((b, i) => {
      const t0 = cpuMs();
      run(b);
      best[i] = Math.min(best[i], cpuMs() - t0);
    });
  }
  return best.map((b) => (b * 1000) / steps);
}

interface PeerOut {
  torch: string;
  results: { n: number; k: number; us: number }[];
}

const peer = runPythonPeer<PeerOut>(join(here, 'peers', 'torch_lyapunov.py'), [ns.join(','), ks.join(','), '0.8']);
const backends = lyapunovWasmAvailable() ? (['js', 'wasm'] as const) : (['js'] as const);
const rows: (string | number)[][] = [];
for (const n of ns) {
  for (const k0 of ks) {
    const k = k0 === 0 ? n : Math.min(k0, n);
    const us = ours(n, k, backends);
    const p = peer?.results.find((r) => r.n === n && r.k === k);
    const fastest = Math.min(...us);
    rows.push([
      String(n),
      k === n ? `${k} (full)` : String(k),
      fmt(us[0]),
      us.length > 1 ? fmt(us[1]) : 'n/a',
      p ? fmt(p.us) : 'n/a',
      p ? fmt(fastest / p.us) : 'n/a',
    ]);
  }
}
printTable(
  `Lyapunov spectrum of a tanh RNN (g = 1.5), µs per step (CPU time, best of 8), QR every step${peer ? ` — PyTorch ${peer.torch}, float32, 1 thread` : ''}`,
  ['n', 'k', 'rnn-lyap JS (µs)', 'rnn-lyap wasm (µs)', 'PyTorch (µs)', 'best rnn-lyap / PyTorch'],
  rows,
);
