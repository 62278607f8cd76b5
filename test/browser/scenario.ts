// The computation the browser test runs in headless Chromium (the pool over Web Workers, the
// WebAssembly kernels) and in Node (worker_threads): every call through the pool and synchronously on
// the calling thread; every result becomes the hex of its bytes, so two digests are equal only when
// the results are equal bit for bit. No Node or DOM APIs.
import {
  backend, findFixedPoints, flipFlopTask, gemmWasmAvailable, tsne, train, initRnn, lyapunovBackend, lyapunovSpectrum, lyapunovWasmAvailable, randn, rnnForward,
  setBackend,
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
  /** The spectrum's exponents as numbers, for a comparison across engines. */
  exponents: number[];
  /** A hash of Math.tanh/exp/log over fixed arguments: engines whose hashes differ cannot agree bit for bit. */
  math: string;
  /** `float64` and `rnnRecurrence`: the backends the calls ran on (results can agree across engines only where these do). */
  backends: { lyapunovWasm: boolean; gemmWasm: boolean; lyapunov: string; float64: string; rnnRecurrence: string };
}

/** Hashes of the transcendental functions the kernels use, over 20 000 fixed arguments each. */
export function mathProbe(): string {
  return ['tanh', 'exp', 'log'].map((name) => {
    const f = (Math as unknown as Record<string, (x: number) => number>)[name];
    const v = new Float64Array(20000);
    for (let i = 0; i < v.length; i++) {
      const x = ((i * 0.7331) % 13) - 6.5 + i * 1e-7;
      v[i] = f(name === 'log' ? Math.abs(x) + 1e-3 : x);
    }
    let h = 7;
    for (const w of new Uint32Array(v.buffer)) h = (Math.imul(h, 31) + w) >>> 0;
    return `${name}:${h.toString(16)}`;
  }).join(' ');
}

/**
 * Runs each call through the pool and synchronously on this thread, and digests both. The float64
 * kernels run on the multiply-then-add build ('wasm', the same bits on every engine) where there is
 * one: under 'auto' Chromium (relaxed SIMD) would take 'wasm-fma' and Node 20 'wasm'. The explicit
 * choice also checks that the pool's workers adopt the calling thread's choice (their own 'auto'
 * would be 'wasm-fma' in Chromium).
 */
export async function scenario(pool: Pool): Promise<Digest> {
  // back to 'auto' afterwards only when it was set here: forcing 'js' where WebAssembly is missing
  // (a page under CSP) would be a choice the workers adopt, also in a pool of backends: 'workers'
  const forced = lyapunovWasmAvailable();
  if (forced) setBackend('float64', 'wasm');
  try {
    return await digestOf(pool);
  } finally {
    if (forced) setBackend('float64', 'auto');
  }
}

async function digestOf(pool: Pool): Promise<Digest> {
  const rnn = initRnn({ inputSize: 4, hiddenSize: 32, outputSize: 3, activation: 'tanh', gain: 1.5, seed: 11 });
  const inputs = randn([6, 120, 4], { seed: 12 });
  const small = () => initRnn({ inputSize: 4, hiddenSize: 12, outputSize: 3, activation: 'tanh', gain: 0.9, seed: 3 });
  const states = rnnForward(small(), randn([3, 20, 4], { seed: 4 })).states;
  const data = flipFlopTask({ bits: 3, steps: 15, batch: 16, seed: 1 });
  const trainee = () => initRnn({ inputSize: 3, hiddenSize: 8, outputSize: 3, activation: 'tanh', seed: 2 });
  const X = randn([30, 4], { seed: 6 });
  const sweep = [1.0, 2.0].map((g, i) => [initRnn({ inputSize: 4, hiddenSize: 16, outputSize: 1, activation: 'tanh', gain: g, seed: i }), { inputs: randn([2, 50, 4], { seed: 9 }), k: 4 }] as const);
  const noTime = (h: Awaited<ReturnType<typeof train>>) => ({ ...h, epochs: h.epochs.map(({ timeMs: _t, ...r }) => r) });
  const fpOpts = { states, nStarts: 20, noise: 0.02, seed: 5 };
  const tsneOpts = { perplexity: 5, iterations: 150, seed: 7 };
  const trainOpts = { epochs: 2, batchSize: 8, seed: 3 };

  const a = trainee();
  const pooled = {
    spectrum: await pool.lyapunovSpectrum(rnn, { inputs, k: 8 }),
    fixed: await pool.findFixedPoints(small(), fpOpts),
    tsne: await pool.tsne(X, tsneOpts),
    history: noTime(await pool.train(a, data, trainOpts)),
    params: a.params,
    sweep: await pool.map('lyapunovSpectrum', sweep.map(([r, o]) => [r, o])),
  };
  const b = trainee();
  const sync = {
    spectrum: lyapunovSpectrum(rnn, { inputs, k: 8 }),
    fixed: findFixedPoints(small(), fpOpts),
    tsne: tsne(X, tsneOpts),
    history: noTime(await train(b, data, trainOpts)),
    params: b.params,
    sweep: sweep.map(([r, o]) => lyapunovSpectrum(r, o)),
  };
  return {
    pooled: hexBits(pooled) as Record<string, unknown>,
    sync: hexBits(sync) as Record<string, unknown>,
    exponents: Array.from(pooled.spectrum.exponents),
    math: mathProbe(),
    backends: {
      lyapunovWasm: lyapunovWasmAvailable(), gemmWasm: gemmWasmAvailable(), lyapunov: lyapunovBackend(), float64: backend('float64'), rnnRecurrence: backend('rnnRecurrence'),
    },
  };
}

/** The hex digests of one spectrum and one training at `'auto'`, synchronously and through two pools. */
export interface AutoProbe {
  /** On this thread: what its own 'auto' resolves to (JS on a page whose CSP blocks WebAssembly). */
  sync: unknown;
  /** Through a pool of the default `backends: 'caller'`: the workers follow this thread's resolution. */
  caller: unknown;
  /** Through a pool of `backends: 'workers'`: each worker resolves its own 'auto'. */
  workers: unknown;
  /** This thread's resolutions while the probe ran. */
  backends: { float64: string; rnnRecurrence: string };
}

/**
 * The spectrum and the training of `autoProbe`, with every backend on 'auto' (no setBackend): the
 * same on both pools and on this thread, so their digests tell which kernels each ran.
 */
export async function autoProbe(caller: Pool, workers: Pool): Promise<AutoProbe> {
  const rnn = initRnn({ inputSize: 4, hiddenSize: 32, outputSize: 3, activation: 'tanh', gain: 1.5, seed: 11 });
  const opts = { inputs: randn([2, 120, 4], { seed: 12 }), k: 8 };
  const data = flipFlopTask({ bits: 3, steps: 15, batch: 16, seed: 1 });
  const trainOpts = { epochs: 2, batchSize: 8, seed: 3 };
  const run = async (pool?: Pool) => {
    const net = initRnn({ inputSize: 3, hiddenSize: 8, outputSize: 3, activation: 'tanh', seed: 2 });
    const spectrum = pool ? await pool.lyapunovSpectrum(rnn, opts) : lyapunovSpectrum(rnn, opts);
    if (pool) await pool.train(net, data, trainOpts);
    else await train(net, data, trainOpts);
    return hexBits({ exponents: spectrum.exponents, params: net.params });
  };
  return { sync: await run(), caller: await run(caller), workers: await run(workers), backends: { float64: backend('float64'), rnnRecurrence: backend('rnnRecurrence') } };
}
