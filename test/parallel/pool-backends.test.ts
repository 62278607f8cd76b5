// createPool({ backends: 'workers' }): each worker resolves its own 'auto' instead of following what
// the calling thread's 'auto' resolved to. The calling thread here plays a page whose
// Content-Security-Policy blocks WebAssembly on the page only: its resolutions, as the pool reads
// them (callerBackends), say 'js' for every kernel while this thread really runs WebAssembly, so
// the synchronous 'auto' result is what a worker's own 'auto' computes (one engine) and the 'js'
// result is what a worker following the page computes. The workers' threads are not mocked.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { backend, flipFlopTask, float64WasmAvailable, initRnn, lyapunovSpectrum, randn, setBackend, train } from '../../src/index.js';
import { createPool, type Pool } from '../../src/parallel/index.js';
import { bits } from './helpers.js';

vi.mock('../../src/parallel/backends.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/parallel/backends.js')>();
  return {
    ...actual,
    callerBackends: (resolved?: boolean) => {
      const r = actual.callerBackends(resolved);
      if (r.resolved === undefined) return r;
      return { ...r, resolved: { float64: 'js', kernels: Object.fromEntries(Object.keys(r.resolved.kernels).map((k) => [k, 'js'])) } };
    },
  };
});

let following: Pool;
let own: Pool;
beforeAll(() => {
  following = createPool({ workers: 1 });
  own = createPool({ workers: 1, backends: 'workers' });
});
afterAll(async () => {
  await following?.close();
  await own?.close();
});
afterEach(() => {
  setBackend('float64', 'auto');
  setBackend('rnnRecurrence', 'auto');
});

describe.runIf(float64WasmAvailable())("createPool({ backends: 'workers' }): each worker resolves its own 'auto'", () => {
  const rnn = initRnn({ inputSize: 3, hiddenSize: 24, outputSize: 2, activation: 'tanh', gain: 1.6, seed: 4 });
  const opts = { inputs: randn([2, 80, 3], { seed: 8 }), k: 6 };

  it("float64 kernels: the default pool runs the caller's resolution ('js'), backends: 'workers' the worker's own (WebAssembly)", async () => {
    expect(backend('float64')).not.toBe('js');
    const wasm = lyapunovSpectrum(rnn, opts);
    setBackend('float64', 'js');
    const js = lyapunovSpectrum(rnn, opts);
    setBackend('float64', 'auto');
    expect(bits(wasm.exponents)).not.toEqual(bits(js.exponents)); // else this test would show nothing
    expect(bits(await following.lyapunovSpectrum(rnn, opts))).toEqual(bits(js));
    expect(bits(await own.lyapunovSpectrum(rnn, opts))).toEqual(bits(wasm));
  });

  it("a backend the caller forced still crosses with backends: 'workers'", async () => {
    setBackend('float64', 'js');
    const js = lyapunovSpectrum(rnn, opts);
    expect(bits(await own.lyapunovSpectrum(rnn, opts))).toEqual(bits(js));
  });

  it("the registry's kernels too (rnnRecurrence): pooled train follows the caller's 'js' by default, its own 'auto' with the option", async () => {
    const data = flipFlopTask({ bits: 2, steps: 12, batch: 8, seed: 2 });
    const o = { epochs: 2, batchSize: 4, seed: 3 };
    const mk = () => initRnn({ activation: 'tanh', inputSize: 2, hiddenSize: 8, outputSize: 2, seed: 6 });
    expect(backend('rnnRecurrence')).not.toBe('js');
    const auto = mk();
    await train(auto, data, o);
    setBackend('rnnRecurrence', 'js');
    const js = mk();
    await train(js, data, o);
    setBackend('rnnRecurrence', 'auto');
    expect(bits(auto.params)).not.toEqual(bits(js.params));
    const a = mk(), b = mk();
    await following.train(a, data, o);
    await own.train(b, data, o);
    expect(bits(a.params)).toEqual(bits(js.params));
    expect(bits(b.params)).toEqual(bits(auto.params));
  });
});
