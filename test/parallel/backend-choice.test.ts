// The pool's workers adopt the calling thread's float64 backend choice (setBackend('float64', …)) with
// every call, so a pooled spectrum equals the synchronous one bit for bit whatever was chosen; their
// own 'auto' would otherwise run another build than the one the caller forced.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { backend, flipFlopTask, initRnn, lyapunovSpectrum, randn, setBackend, float64WasmAvailable, train } from '../../src/index.js';
import { f64FmaWasmAvailable } from '../../src/core/wasm64/loader.js';
import { createPool, type Pool } from '../../src/parallel/index.js';
import { bits } from './helpers.js';

let pool: Pool;
beforeAll(() => {
  pool = createPool({ workers: 2 });
});
afterAll(async () => {
  await pool?.close();
});
afterEach(() => setBackend('float64', 'auto'));

describe.runIf(float64WasmAvailable())("pool workers run the caller's float64 backend", () => {
  const rnn = initRnn({ inputSize: 3, hiddenSize: 24, outputSize: 2, activation: 'tanh', gain: 1.6, seed: 4 });
  const inputs = randn([4, 80, 3], { seed: 8 });
  const opts = { inputs, k: 6 };
  const choices = ['js', 'wasm', ...(f64FmaWasmAvailable() ? ['wasm-fma'] : [])];

  it.each(choices)("setBackend('float64', '%s'): pooled = synchronous, bit for bit", async (choice) => {
    setBackend('float64', choice);
    const sync = lyapunovSpectrum(rnn, opts);
    const pooled = await pool.lyapunovSpectrum(rnn, opts);
    expect(backend('float64')).toBe(choice);
    expect(bits(pooled)).toEqual(bits(sync));
  });

  it.each(choices)("float32 frame products (H = 64, k = 8: 'auto' takes them on a wasm backend) on '%s': pooled = synchronous, bit for bit", async (choice) => {
    setBackend('float64', choice);
    const big = initRnn({ inputSize: 3, hiddenSize: 64, outputSize: 2, activation: 'tanh', gain: 1.6, seed: 5 });
    const o = { inputs: randn([2, 120, 3], { seed: 9 }), k: 8 };
    const sync = lyapunovSpectrum(big, o);
    const pooled = await pool.lyapunovSpectrum(big, o);
    expect(bits(pooled)).toEqual(bits(sync));
    if (choice !== 'js') expect(bits(sync.exponents)).not.toEqual(bits(lyapunovSpectrum(big, { ...o, productPrecision: 'float64' }).exponents));
  });

  it("the choice is what the test distinguishes: 'js' and the worker's own 'auto' differ in the last bits here", async () => {
    setBackend('float64', 'auto');
    const auto = await pool.lyapunovSpectrum(rnn, opts);
    setBackend('float64', 'js');
    const js = await pool.lyapunovSpectrum(rnn, opts);
    expect(bits(js.exponents)).not.toEqual(bits(auto.exponents));
    // and the choice made when the call was made counts, not the one when a worker picks it up
    const queued = [pool.lyapunovSpectrum(rnn, opts), pool.lyapunovSpectrum(rnn, opts), pool.lyapunovSpectrum(rnn, opts)];
    setBackend('float64', 'auto');
    for (const r of await Promise.all(queued)) expect(bits(r.exponents)).toEqual(bits(js.exponents));
  });
});

describe("pool workers run the caller's forced kernel backends ('rnnRecurrence', 'gatedRecurrence')", () => {
  afterEach(() => {
    setBackend('rnnRecurrence', 'auto');
    setBackend('gatedRecurrence', 'auto');
  });
  const data = flipFlopTask({ bits: 2, steps: 12, batch: 8, seed: 2 });
  const opts = { epochs: 2, batchSize: 4, seed: 3 };
  for (const cell of ['rnn', 'gru'] as const) {
    const kernel = cell === 'rnn' ? 'rnnRecurrence' : 'gatedRecurrence';
    it(`${kernel} forced to 'js': pooled train = synchronous train, bit for bit, and differs from the 'auto' ('wasm-f32') result`, async () => {
      const mk = () => initRnn({ ...(cell === 'gru' ? { cell } : { activation: 'tanh' as const }), inputSize: 2, hiddenSize: 8, outputSize: 2, seed: 6 });
      setBackend(kernel, 'js');
      const a = mk(), b = mk();
      await train(a, data, opts);
      await pool.train(b, data, opts);
      expect(bits(b.params)).toEqual(bits(a.params));
      setBackend(kernel, 'auto');
      const c = mk();
      await pool.train(c, data, opts);
      if (backend(kernel) !== 'js') expect(bits(c.params)).not.toEqual(bits(a.params));
    });
  }
});
