// The computation the browser test runs twice, in headless Chromium (the pool over Web Workers, the
// WebAssembly kernels) and in Node (worker_threads): every result becomes the hex of its bytes, so the
// two digests are equal only when the results are equal bit for bit. No Node or DOM APIs.
import {
  findFixedPoints, flipFlopTask, gemmWasmAvailable, initRnn, lyapunovBackend, lyapunovSpectrum, lyapunovWasmAvailable, randn, rnnForward,
} from '../../src/index.js';
import type { Pool } from '../../src/parallel/pool.js';

/** Every number and typed array as the hex of its bytes; objects by sorted keys; functions dropped. */
export function hexBits(v: unknown): unknown {
  const hex = (u: Uint8Array) => Array.from(u, (b) => b.toString(16).padStart(2, '0')).join('');
  if (typeof v === 'number') return `f64:${hex(new Uint8Array(new Float64Array([v]).buffer))}`;
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}:${hex(new Uint8Array(v.buffer, v.byteOffset, v.byteLength))}`;
  if (Array.isArray(v)) return v.map(hexBits);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) if (typeof (v as Record<string, unknown>)[k] !== 'function') out[k] = hexBits((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

export interface Digest {
  pooled: Record<string, unknown>;
  sync: Record<string, unknown>;
  backends: { lyapunovWasm: boolean; gemmWasm: boolean; lyapunov: string };
}

/** Runs the pooled calls (and, on this thread, the synchronous spectrum) and digests their results. */
export async function scenario(pool: Pool): Promise<Digest> {
  const rnn = initRnn({ inputSize: 4, hiddenSize: 32, outputSize: 3, activation: 'tanh', gain: 1.5, seed: 11 });
  const inputs = randn([6, 120, 4], { seed: 12 });
  const states = rnnForward(initRnn({ inputSize: 4, hiddenSize: 12, outputSize: 3, activation: 'tanh', gain: 0.9, seed: 3 }), randn([3, 20, 4], { seed: 4 })).states;
  const small = initRnn({ inputSize: 4, hiddenSize: 12, outputSize: 3, activation: 'tanh', gain: 0.9, seed: 3 });
  const data = flipFlopTask({ bits: 3, steps: 15, batch: 16, seed: 1 });
  const trainee = initRnn({ inputSize: 3, hiddenSize: 8, outputSize: 3, activation: 'tanh', seed: 2 });
  const spectrum = await pool.lyapunovSpectrum(rnn, { inputs, k: 8 });
  const fixed = await pool.findFixedPoints(small, { states, nStarts: 20, noise: 0.02, seed: 5 });
  const emb = await pool.tsne(randn([30, 4], { seed: 6 }), { perplexity: 5, iterations: 150, seed: 7 });
  const history = await pool.train(trainee, data, { epochs: 2, batchSize: 8, seed: 3 });
  const sweep = await pool.map('lyapunovSpectrum', [1.0, 2.0].map((g, i) => [initRnn({ inputSize: 4, hiddenSize: 16, outputSize: 1, activation: 'tanh', gain: g, seed: i }), { inputs: randn([2, 50, 4], { seed: 9 }), k: 4 }]));
  const noTime = { ...history, epochs: history.epochs.map(({ timeMs: _t, ...r }) => r) };
  return {
    pooled: hexBits({ spectrum, fixed, emb, history: noTime, params: trainee.params, sweep }) as Record<string, unknown>,
    sync: hexBits({ spectrum: lyapunovSpectrum(rnn, { inputs, k: 8 }), fixed: findFixedPoints(small, { states, nStarts: 20, noise: 0.02, seed: 5 }) }) as Record<string, unknown>,
    backends: { lyapunovWasm: lyapunovWasmAvailable(), gemmWasm: gemmWasmAvailable(), lyapunov: lyapunovBackend() },
  };
}
