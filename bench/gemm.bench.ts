/**
 * GEMM throughput: rnn-lyap's packed 4×4 register-blocked `gemmRaw` (Float32Array and Float64Array
 * storage, float64 accumulation) against ml-matrix's `Matrix.mmul`, in the same process. Float32
 * operands are timed on both backends: the pure-JS kernel (`setGemmBackend('js')`) and the
 * WebAssembly SIMD kernel (`setGemmBackend('wasm')`), and so are float64 operands; the two backends
 * give bit-identical results (checked below).
 *
 * The RNN-shaped cases are one recurrent step of a batch of 128 with 200 units, the input projection
 * of a whole sequential-MNIST batch (128 × 28 steps, 28 inputs), the recurrent-weight gradient summed
 * over that batch, and a single matrix–vector product (gemmRaw routes n = 1 to gemvRaw).
 *
 * Run: `npx tsx bench/gemm.bench.ts` (or `npm run bench -- gemm`).
 */
import { Matrix } from 'ml-matrix';
import { gemmRaw, gemmWasmAvailable, setGemmBackend } from '../src/core/gemm.js';
import { createRng } from '../src/core/rng.js';
import { printTable, timeMs } from './util.js';

const rng = createRng(12345);
const fill = (len: number, Ctor: Float32ArrayConstructor | Float64ArrayConstructor) => {
  const x = new Ctor(len);
  for (let i = 0; i < len; i++) x[i] = 2 * rng() - 1;
  return x;
};
const toMl = (rows: number, cols: number, data: ArrayLike<number>) => {
  const out: number[][] = [];
  for (let i = 0; i < rows; i++) out.push(Array.from({ length: cols }, (_, j) => data[i * cols + j]));
  return new Matrix(out);
};
const gflops = (m: number, n: number, k: number, ms: number) => (2 * m * n * k) / (ms * 1e6);

interface Case {
  label: string;
  m: number; n: number; k: number;
  transA: boolean; transB: boolean;
}

const cases: Case[] = [
  ...[64, 200, 256, 512].map((s) => ({ label: `${s}×${s}·${s}×${s}`, m: s, n: s, k: s, transA: false, transB: false })),
  { label: 'RNN step [128×200]·[200×200]ᵀ', m: 128, n: 200, k: 200, transA: false, transB: true },
  { label: 'RNN input [3584×28]·[200×28]ᵀ', m: 3584, n: 200, k: 28, transA: false, transB: true },
  { label: 'RNN bptt [128×200]·[200×200]', m: 128, n: 200, k: 200, transA: false, transB: false },
  { label: 'RNN grad [3584×200]ᵀ·[3584×200]', m: 200, n: 200, k: 3584, transA: true, transB: false },
  { label: 'matrix·vector [200×200]·[200×1]', m: 200, n: 1, k: 200, transA: false, transB: false },
];

const ROUNDS = 5;
const rows: (string | number)[][] = [];
for (const cs of cases) {
  const { m, n, k, transA, transB } = cs;
  const ar = transA ? k : m, ac = transA ? m : k;
  const br = transB ? n : k, bc = transB ? k : n;
  const a32 = fill(ar * ac, Float32Array), b32 = fill(br * bc, Float32Array), c32 = new Float32Array(m * n);
  const a64 = Float64Array.from(a32), b64 = Float64Array.from(b32), c64 = new Float64Array(m * n);
  // ml-matrix has no transposed product: hand it op(A) and op(B) already transposed (not timed).
  const mlA = transA ? toMl(ar, ac, a64).transpose() : toMl(ar, ac, a64);
  const mlB = transB ? toMl(br, bc, b64).transpose() : toMl(br, bc, b64);
  // The machine may be shared: alternate the contenders over ROUNDS rounds and keep each one's best
  // median, so a burst of outside load does not land on one side only.
  const opts = { minMs: 250, minRuns: 5, warmup: 2 };
  const wasm = gemmWasmAvailable();
  let t32 = Infinity, tw = Infinity, t64 = Infinity, tw64 = Infinity, tml = Infinity;
  const cw = new Float32Array(m * n), cw64 = new Float64Array(m * n);
  for (let r = 0; r < ROUNDS; r++) {
    setGemmBackend('js');
    t32 = Math.min(t32, timeMs(() => gemmRaw(transA, transB, m, n, k, 1, a32, ac, b32, bc, 0, c32, n), opts));
    t64 = Math.min(t64, timeMs(() => gemmRaw(transA, transB, m, n, k, 1, a64, ac, b64, bc, 0, c64, n), opts));
    if (wasm) {
      setGemmBackend('wasm');
      tw = Math.min(tw, timeMs(() => gemmRaw(transA, transB, m, n, k, 1, a32, ac, b32, bc, 0, cw, n), opts));
      tw64 = Math.min(tw64, timeMs(() => gemmRaw(transA, transB, m, n, k, 1, a64, ac, b64, bc, 0, cw64, n), opts));
    }
    tml = Math.min(tml, timeMs(() => mlA.mmul(mlB), opts));
  }
  setGemmBackend('auto');
  // sanity: the two agree, and the two float32 backends agree bit for bit
  const ref = mlA.mmul(mlB);
  let err = 0;
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) err = Math.max(err, Math.abs(ref.get(i, j) - c64[i * n + j]));
  if (err > 1e-9 * k) throw new Error(`gemm bench: ${cs.label} disagrees with ml-matrix by ${err}`);
  if (wasm) {
    for (let i = 0; i < m * n; i++) {
      if (!Object.is(cw[i], c32[i]) || !Object.is(cw64[i], c64[i])) throw new Error(`gemm bench: ${cs.label}: wasm and js differ at ${i}`);
    }
  }
  const g32 = gflops(m, n, k, t32), gw = gflops(m, n, k, tw), g64 = gflops(m, n, k, t64), gw64 = gflops(m, n, k, tw64);
  const gml = gflops(m, n, k, tml);
  rows.push([
    cs.label, t32, wasm ? tw : 'n/a', g32, wasm ? gw : 'n/a', wasm ? `${(t32 / tw).toFixed(1)}×` : 'n/a', g64, wasm ? gw64 : 'n/a', gml,
    `${(Math.max(g32, wasm ? gw : 0) / gml).toFixed(1)}×`,
  ]);
}

printTable(
  `gemm, single thread, Node ${process.version} (best of ${ROUNDS} alternating rounds, each a median)`,
  [
    'case (op(A)·op(B))', 'js f32 ms', 'wasm f32 ms', 'js f32 GFLOP/s', 'wasm f32 GFLOP/s', 'wasm / js',
    'js f64 GFLOP/s', 'wasm f64 GFLOP/s', 'ml-matrix mmul GFLOP/s', 'best f32 / ml-matrix',
  ],
  rows,
);
