/**
 * How the LSTM convention changes the spectrum: the exponents of the full state [h; c] (this library)
 * against those of the h-block ∂h′/∂h at fixed c, propagated with J (the block alone) and with Jᵀ
 * (the LE study's public code, which also reports log2), all along the same driven trajectory of the
 * 16-unit flip-flop LSTM of test/fixtures/gated-flipflop (QR of the whole frame every step, float64).
 *
 * Run: `npx tsx examples/lstm-convention.ts`
 */
import { readFileSync } from 'node:fs';
import { flipFlopTask } from '../src/data/tasks.js';
import { lyapunovSpectrum } from '../src/lyapunov/index.js';
import { qrLogDiagInPlace } from '../src/lyapunov/kernels.js';
import { loadRnn, rnnSystem, type GatedRnn } from '../src/rnn/index.js';

const rnn = loadRnn(JSON.parse(readFileSync(new URL('../test/fixtures/gated-flipflop/lstm16.json', import.meta.url), 'utf8'))) as unknown as GatedRnn;
const T = 3000, W = 500;
const x = flipFlopTask({ bits: 3, steps: T, batch: 1, pFlip: 0.05, seed: 9 }).x;
const sys = rnnSystem(rnn, { inputs: x });
const n = sys.dim, H = n / 2;

/** A frame (column-major, identity start) and its accumulated log |R_ii|. */
function frame(d: number) {
  const q = new Float64Array(d * d);
  for (let i = 0; i < d; i++) q[i * d + i] = 1;
  return { d, q, z: new Float64Array(d * d), tau: new Float64Array(d), logr: new Float64Array(d), acc: new Float64Array(d) };
}
/** z = M·q for M given by m(i, j) (d × d), then QR; counts the logs after the warm-up. */
function advance(f: ReturnType<typeof frame>, m: (i: number, j: number) => number, count: boolean) {
  const { d, q, z } = f;
  for (let c = 0; c < d; c++) for (let i = 0; i < d; i++) {
    let s = 0;
    for (let l = 0; l < d; l++) s += m(i, l) * q[c * d + l];
    z[c * d + i] = s;
  }
  qrLogDiagInPlace(d, d, z, f.tau, f.logr);
  q.set(z);
  if (count) for (let i = 0; i < d; i++) f.acc[i] += f.logr[i];
}

const full = frame(n), hBlock = frame(H), hBlockT = frame(H);
const J = new Float64Array(n * n);
let s = new Float64Array(n);
const next = new Float64Array(n);
for (let t = 0; t < T; t++) {
  sys.jacobian(s, t, J);
  const count = t >= W;
  advance(full, (i, j) => J[i * n + j], count);
  advance(hBlock, (i, j) => J[i * n + j], count);
  advance(hBlockT, (i, j) => J[j * n + i], count);
  sys.step(s, t, next);
  s = Float64Array.from(next);
}
const spec = (f: ReturnType<typeof frame>) => Array.from(f.acc).map((v) => v / (T - W)).sort((a, b) => b - a);
const fmt = (a: number[]) => a.slice(0, 3).map((v) => v.toFixed(4)).join(', ');
const ours = lyapunovSpectrum(rnn, { inputs: x, frameWarmup: W });
console.log(`full state [h; c] (dim ${n}), J:         λ1..3 = ${fmt(spec(full))}   (lyapunovSpectrum: ${fmt(Array.from(ours.exponents))})`);
console.log(`h-block ∂h'/∂h at fixed c (dim ${H}), J:  λ1..3 = ${fmt(spec(hBlock))}`);
console.log(`h-block, Jᵀ (the LE study's code):     λ1..3 = ${fmt(spec(hBlockT))}   = ${fmt(spec(hBlockT).map((v) => v / Math.LN2))} bits/step`);
