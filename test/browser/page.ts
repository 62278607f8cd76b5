// The test page: a pool over Web Workers (the bundled browser build), the scenario's digest, and a
// stop button whose click aborts a long pooled spectrum; the page reports what happened on window.
import { createPool } from '../../src/parallel/browser.js';
import { initRnn, randn } from '../../src/index.js';
import { autoProbe, scenario } from './scenario.js';

declare const document: { getElementById(id: string): { addEventListener(t: string, f: () => void): void; textContent: string } };
const w = globalThis as unknown as { __result?: unknown; __error?: string; __stopReady?: boolean };

async function main() {
  const pool = createPool({ workers: 2, workerUrl: './worker.js' });
  const digest = await scenario(pool);
  // every backend on 'auto': the default pool follows this page's resolution, backends: 'workers' not
  const own = createPool({ workers: 1, workerUrl: './worker.js', backends: 'workers' });
  const probe = await autoProbe(pool, own).finally(() => own.close());
  // a button aborts a long call; the pool must answer the next call
  const ac = new AbortController();
  let clicked = 0;
  document.getElementById('stop').addEventListener('click', () => {
    clicked = performance.now();
    ac.abort();
  });
  const rnn = initRnn({ inputSize: 2, hiddenSize: 64, outputSize: 1, activation: 'tanh', gain: 1.5, seed: 1 });
  const long = pool.lyapunovSpectrum(rnn, { inputs: randn([2, 1e6, 2], { seed: 1 }), signal: ac.signal }).then(() => 'resolved', (e: unknown) => e);
  w.__stopReady = true;
  const err = await long;
  const abortLatencyMs = performance.now() - clicked;
  const after = await pool.lyapunovSpectrum(rnn, { steps: 20, warmup: 0, frameWarmup: 0 });
  await pool.close();
  w.__result = { digest, probe, abort: { rejectedWithReason: err === ac.signal.reason, latencyMs: abortLatencyMs, usableAfter: after.exponents.length === 64 } };
  document.getElementById('status').textContent = 'done';
}
main().catch((e: unknown) => {
  w.__error = e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e);
});
