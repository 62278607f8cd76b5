/**
 * What a driven spectrum costs per sequence, for the paragraph on cost in docs/lyapunov.md: a tanh
 * RNN (H = 200, g = 1.5) driven by sequential-MNIST-shaped inputs (rows: T = 28 steps of I = 28;
 * pixels: T = 784 of I = 1), for k = 1, 10 and the full spectrum, with the default options
 * (frameWarmup ⌊T/10⌋ ≥ 10, QR interval guarded by the condition, productPrecision 'auto').
 * Wall and CPU time per sequence (the medians of the rounds; CPU time is the steadier figure on a
 * loaded machine), the time to the first `onProgress` report, and
 * the same batch through `createPool({ workers: 2 })` (checked equal bit for bit). The load average
 * is printed: on a shared machine it takes cores from the pool first.
 *
 * Run: npx tsx bench/spectrum-cost.bench.ts [B] [rounds]
 */
import { cpus, loadavg } from 'node:os';
import { randn } from '../src/core/index.js';
import { lyapunovSpectrum } from '../src/lyapunov/index.js';
import { initRnn } from '../src/rnn/index.js';
import { createPool } from '../src/parallel/index.js';
import { lyapunovBackend } from '../src/lyapunov/index.js';
import { fmt, printTable } from './util.js';

const B = Number(process.argv[2] ?? 16);
const rounds = Number(process.argv[3] ?? 3);
const H = 200;
const median = (a: number[]) => a.slice().sort((x, y) => x - y)[Math.floor(a.length / 2)];
const sameBits = (a: Float64Array, b: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

console.log(`${cpus()[0]?.model ?? '?'}, ${cpus().length} cores, Node ${process.version}, lyapunov backend ${lyapunovBackend()}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
const pool = createPool({ workers: 2 });
const rows: (string | number)[][] = [];
for (const [T, I] of [[28, 28], [784, 1]] as const) {
  const rnn = initRnn({ inputSize: I, hiddenSize: H, outputSize: 10, activation: 'tanh', gain: 1.5, seed: 1 });
  const b = T > 100 ? Math.max(2, Math.floor(B / 8)) : B;
  const inputs = randn([b, T, I], { seed: 2 });
  for (const k of [1, 10, H]) {
    const ms: number[] = [];
    const cpu: number[] = [];
    let first = NaN;
    let sync: Float64Array | undefined;
    lyapunovSpectrum(rnn, { inputs: { shape: [1, T, I], data: inputs.data.subarray(0, T * I) }, k }); // warm-up (JIT)
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      let seen = false;
      const res = lyapunovSpectrum(rnn, {
        inputs, k,
        onProgress: () => {
          if (!seen) first = performance.now() - t0;
          seen = true;
        },
      });
      ms.push((performance.now() - t0) / b);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000 / b);
      sync = res.exponents;
    }
    await pool.lyapunovSpectrum(rnn, { inputs: { shape: [2, T, I], data: inputs.data.subarray(0, 2 * T * I) }, k }); // warm-up (workers, JIT)
    const p0 = performance.now();
    const pooled = await pool.lyapunovSpectrum(rnn, { inputs, k });
    const poolMs = (performance.now() - p0) / b;
    if (!sameBits(pooled.exponents, sync!)) throw new Error('pool and synchronous results differ');
    rows.push([String(T), k === H ? `${k} (full)` : String(k), String(b), fmt(median(ms)), fmt(median(cpu)), fmt(first), fmt(poolMs), fmt((median(ms) * 10000) / 60000)]);
  }
}
await pool.close();
printTable(`driven spectrum, tanh H = ${H}, g = 1.5 (ms per sequence)`, ['T', 'k', 'B', 'sync ms/seq', 'sync CPU ms/seq', 'first onProgress ms', 'pool(2) ms/seq', 'sync min per 10k seqs'], rows);
console.log(`load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
