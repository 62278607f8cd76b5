// A worker follows what the calling thread's 'auto' backends resolved to, not only what they were
// set to: a page whose Content-Security-Policy blocks WebAssembly (sent with the page only, or in a
// <meta> tag, which workers do not inherit) runs the JS kernels while its workers would take
// WebAssembly, and the pooled results differed from the synchronous ones in the last bits (seen in
// headless Chromium 156). The worker side (serve) runs in this thread here, on messages that claim
// the caller's resolutions.
import { afterEach, describe, expect, it } from 'vitest';
import { backend, flipFlopTask, float64WasmAvailable, initRnn, lyapunovSpectrum, randn, setBackend } from '../../src/index.js';
import type { RunMessage, WorkerMessage } from '../../src/parallel/protocol.js';
import { serve } from '../../src/parallel/serve.js';
import { bits } from './helpers.js';

afterEach(() => {
  setBackend('float64', 'auto');
  setBackend('rnnRecurrence', 'auto');
});

/** Runs one message through the worker side in this thread; resolves with its answer. */
function run(msg: Omit<RunMessage, 'type' | 'id' | 'progress'>): Promise<WorkerMessage> {
  let deliver: (m: RunMessage) => void = () => {};
  return new Promise((resolve) => {
    serve({ post: (m) => m.type !== 'progress' && resolve(m), listen: (cb) => (deliver = cb) });
    deliver({ type: 'run', id: 1, progress: false, ...msg });
  });
}

describe.runIf(float64WasmAvailable())("a worker follows the caller's resolution of 'auto'", () => {
  const rnn = initRnn({ inputSize: 3, hiddenSize: 24, outputSize: 2, activation: 'tanh', gain: 1.6, seed: 4 });
  const opts = { inputs: randn([2, 80, 3], { seed: 8 }), k: 6 };

  it("a caller whose 'auto' took the JS kernels (WebAssembly blocked there): the worker runs them too, bit for bit", async () => {
    setBackend('float64', 'js');
    const sync = lyapunovSpectrum(rnn, opts);
    setBackend('float64', 'auto');
    const onAuto = lyapunovSpectrum(rnn, opts);
    expect(bits(onAuto.exponents)).not.toEqual(bits(sync.exponents)); // else this test would show nothing
    const m = await run({ task: 'lyapunovSpectrum', args: [rnn, opts], float64: 'auto', kernels: {}, resolved: { float64: 'js', kernels: { rnnRecurrence: 'js' } } });
    expect(m.type).toBe('result');
    expect(bits((m as { value: { exponents: Float64Array } }).value.exponents)).toEqual(bits(sync.exponents));
    expect(backend('rnnRecurrence')).toBe('js');
  });

  it('a caller on a WebAssembly build this worker cannot match: the call fails saying why and what to do', async () => {
    const other = backend('float64') === 'wasm' ? 'wasm-fma' : 'wasm';
    const m = await run({ task: 'lyapunovSpectrum', args: [rnn, opts], float64: 'auto', kernels: {}, resolved: { float64: other, kernels: {} } });
    expect(m.type).toBe('error');
    expect((m as { error: { message: string } }).error.message).toMatch(
      new RegExp(`^pool: the calling thread runs the float64 kernels on '${other}' but this worker would run them on '${backend('float64')}' and cannot run '${other}'.*'wasm-unsafe-eval'.*setBackend\\('float64', 'js'\\) on the calling thread$`),
    );
  });

  it('without resolutions (or when they agree) nothing changes', async () => {
    const data = flipFlopTask({ bits: 3, steps: 10, batch: 4, seed: 1 });
    const m = await run({ task: 'evaluate', args: [initRnn({ inputSize: 3, hiddenSize: 8, outputSize: 3, seed: 2 }), data, { loss: 'mse' }], float64: 'auto', kernels: {} });
    expect(m.type).toBe('result');
    const same = backend('float64');
    await run({ task: 'lyapunovSpectrum', args: [rnn, opts], float64: 'auto', kernels: {}, resolved: { float64: same, kernels: { rnnRecurrence: backend('rnnRecurrence') } } });
    expect(backend('float64')).toBe(same);
  });
});
