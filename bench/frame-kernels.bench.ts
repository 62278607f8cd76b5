/**
 * The kernels of one full-spectrum step, timed apart, beside PyTorch's (bench/peers/torch_frame_kernels.py,
 * one thread): the frame product Z = diag(d)·W·Q of a tanh RNN (k = n columns; ours in float64 and in
 * float32, as `productPrecision` gives them) and the QR of Z (ours in float64: the Householder
 * factorization alone, as the factored frame uses it, and with Q formed; PyTorch's torch.linalg.qr in
 * float32 and float64). The breakdown behind docs/benchmarks.md's account of the n = 200 full
 * spectrum: PyTorch does a float32 QR every step; ours a float64 one every few steps.
 *
 * Run: npx tsx bench/frame-kernels.bench.ts [n,n,...]   (or `npm run bench -- frame-kernels`)
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '../src/core/rng.js';
import type { Tensor } from '../src/core/tensor.js';
import { wasmKernels, wasmQr } from '../src/core/wasm64/kernels-wasm.js';
import type { Float32ProductSystem } from '../src/lyapunov/product-precision.js';
import { rnnSystem } from '../src/rnn/index.js';
import type { Rnn } from '../src/rnn/types.js';
import { fmt, printTable, runPythonPeer, timeMs } from './util.js';

const here = dirname(fileURLToPath(import.meta.url));
const ns = (process.argv[2] ?? '128,200').split(',').map(Number);

interface PeerRow { n: number; dtype: 'float32' | 'float64'; product_us: number; qr_us: number }

function kernels(n: number): { f64: number; f32: number; factor: number; factorQ: number } {
  const rng = createRng(1);
  const t = (shape: number[], f: () => number): Tensor => ({ shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, f) });
  const rnn: Rnn = {
    activation: 'tanh',
    params: { wIn: t([n, 1], () => 0), wRec: t([n, n], () => (1.5 * rng.normal()) / Math.sqrt(n)), b: t([n], () => 0), wOut: t([1, n], () => 0), bOut: t([1], () => 0) },
  };
  const sys = rnnSystem(rnn) as ReturnType<typeof rnnSystem> & Float32ProductSystem; // the vanilla adapter has the float32 product
  const x = Float64Array.from({ length: n }, () => 0.5 * rng.normal());
  const q = Float64Array.from({ length: n * n }, () => rng.normal());
  const out = new Float64Array(n * n);
  const us = (fn: () => void) => 1000 * timeMs(fn, { minMs: 400, minRuns: 20, warmup: 5 });
  // the same state every call: the Jacobian's diagonal is cached, as it is within one step
  const f64 = us(() => sys.jacobianTimesColMajor(x, 0, q, n, out));
  const f32 = us(() => sys.jacobianTimesColMajorFloat32(x, 0, q, n, out, false));
  const ex = wasmKernels(n);
  if (ex === undefined) throw new Error('bench: the float64 WebAssembly kernels are unavailable');
  const z = new Float64Array(n * n), tau = new Float64Array(n), rd = new Float64Array(n);
  const factor = us(() => {
    z.set(out);
    wasmQr(ex, n, n, z, tau, rd, true, false, false);
  });
  const factorQ = us(() => {
    z.set(out);
    wasmQr(ex, n, n, z, tau, rd, true, true, true);
  });
  return { f64, f32, factor, factorQ };
}

const peer = runPythonPeer<{ torch: string; results: PeerRow[] }>(join(here, 'peers/torch_frame_kernels.py'), [ns.join(',')]);
const rows: (string | number)[][] = [];
for (const n of ns) {
  const k = kernels(n);
  const p = (dtype: 'float32' | 'float64') => peer?.results.find((r) => r.n === n && r.dtype === dtype);
  const p32 = p('float32'), p64 = p('float64');
  rows.push([n, fmt(k.f64), fmt(k.f32), p32 ? fmt(p32.product_us) : '—', p64 ? fmt(p64.product_us) : '—', fmt(k.factor), fmt(k.factorQ), p32 ? fmt(p32.qr_us) : '—', p64 ? fmt(p64.qr_us) : '—']);
}
printTable(
  `One full-spectrum step's kernels, µs (k = n; PyTorch ${peer?.torch ?? 'not run'}, one thread)`,
  ['n', 'product f64', 'product f32', 'torch product f32', 'torch product f64', 'QR f64 factor', 'QR f64 + Q', 'torch qr f32', 'torch qr f64'],
  rows,
);
