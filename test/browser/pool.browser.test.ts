// A real browser: the page (test/browser/page.ts) and its worker are bundled with esbuild, served from
// a local http server, and run in headless Chromium (driven by playwright-core). The pool there runs on
// Web Workers with the WebAssembly kernels; its results must equal the page's own synchronous calls bit
// for bit (as Node's pool equals Node's), and Node's results bit for bit when the two engines' Math
// functions agree (otherwise to rounding, and the test says so); a click on the page's stop button
// must abort a long call within 100 ms and leave the pool usable. Under a page-only CSP that blocks
// WebAssembly, the default pool's workers follow the page's JS kernels and a pool of backends: 'workers'
// runs WebAssembly (its results are those of the page without the CSP). Without a Chromium (CHROMIUM_PATH, or /usr/bin/chromium, which .ci/run installs
// with apt-get where it can) the test is skipped and says why.
import type { Server } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '../../src/parallel/index.js';
import { launchChromium, serveFiles, skipReason } from './chromium.js';
import { scenario, type AutoProbe, type Digest } from './scenario.js';

const here = dirname(fileURLToPath(import.meta.url));

let server: Server | undefined;
let origin = '';

async function bundle(entry: string): Promise<string> {
  const r = await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, logLevel: 'silent' });
  return r.outputFiles[0].text;
}

beforeAll(async () => {
  if (skipReason) return;
  const files: Record<string, [string, string]> = {
    '/': ['text/html', '<!doctype html><meta charset="utf-8"><title>rnn-lyap pool</title><button id="stop">stop</button><p id="status">running</p><script type="module" src="./page.js"></script>'],
    '/page.js': ['text/javascript', await bundle(join(here, 'page.ts'))],
    // the package's browser worker entry as the entry point of its own bundle (an import of it
    // would be dropped: the package declares itself free of side effects)
    '/worker.js': ['text/javascript', await bundle(join(here, '..', '..', 'src', 'parallel', 'worker.ts'))],
  };
  // /?csp: the page (only: workers do not inherit it) under a policy that blocks WebAssembly
  const csp = (url: string): Record<string, string> => (url === '/?csp' ? { 'content-security-policy': "default-src 'self'; script-src 'self'" } : {});
  ({ server, origin } = await serveFiles(files, csp));
}, 120_000);

afterAll(async () => {
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
});

type PageResult = { digest: Digest; probe: AutoProbe; abort: { rejectedWithReason: boolean; latencyMs: number; usableAfter: boolean } };

/** Opens the page at `url`, clicks its stop button once the long call runs, and returns what it reports. */
async function runPage(url: string): Promise<PageResult> {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const logs: string[] = [];
    page.on('console', (m) => logs.push(m.text()));
    page.on('pageerror', (e) => logs.push(String(e)));
    await page.goto(url);
    await page.waitForFunction(() => (globalThis as { __stopReady?: boolean; __error?: string }).__stopReady || (globalThis as { __error?: string }).__error, undefined, { timeout: 240_000 });
    await page.waitForTimeout(300);
    await page.click('#stop');
    await page.waitForFunction(() => (globalThis as { __result?: unknown; __error?: string }).__result || (globalThis as { __error?: string }).__error, undefined, { timeout: 120_000 });
    const err = await page.evaluate(() => (globalThis as { __error?: string }).__error);
    expect(err, logs.join('\n')).toBeUndefined();
    return await page.evaluate(() => (globalThis as { __result?: never }).__result!);
  } finally {
    await browser.close();
  }
}

/** The page without a CSP, once: its 'auto' probe is what WebAssembly computes in this browser. */
let plain: Promise<PageResult> | undefined;
const plainPage = () => (plain ??= runPage(origin));

describe('the pool in headless Chromium', () => {
  it('Web Workers + WebAssembly: the synchronous results bit for bit, Node\'s too where the engines agree; a button click aborts within 100 ms', async (ctx) => {
    if (skipReason) {
      console.warn(`browser test skipped: ${skipReason}`);
      ctx.skip(skipReason);
      return;
    }
    const result = await plainPage();
    const pool = createPool({ workers: 2 });
    const node = await scenario(pool).finally(() => pool.close());
    const b = result.digest;
    console.log(`browser backends (main thread): ${JSON.stringify(b.backends)}; Node: ${JSON.stringify(node.backends)}; abort latency ${result.abort.latencyMs.toFixed(1)} ms`);
    // the pool's promise, in each engine: pooled results equal the synchronous ones bit for bit
    expect(b.pooled, 'browser: pool (Web Workers) vs synchronous (page thread)').toEqual(b.sync);
    expect(node.pooled, 'Node: pool (worker_threads) vs synchronous').toEqual(node.sync);
    // the float64 kernels on 'wasm' on both sides (scenario.ts); the float32 training kernel stays on
    // 'auto', which is 'wasm-f32-fma' where relaxed SIMD runs (Chromium, Node 22) and 'wasm-f32' on Node 20
    expect(b.backends.float64, 'browser vs Node: float64 backend').toBe(node.backends.float64);
    const sameTraining = b.backends.rnnRecurrence === node.backends.rnnRecurrence;
    const comparable = (d: Digest['pooled']) => (sameTraining ? d : { ...d, history: undefined, params: undefined });
    if (b.math === node.math) {
      // the same transcendental functions: the same bits across the engines (training too where
      // both ran the same float32 kernel)
      if (!sameTraining) console.warn(`browser vs Node: training compared within each engine only (rnnRecurrence: browser ${b.backends.rnnRecurrence}, Node ${node.backends.rnnRecurrence})`);
      expect(comparable(b.pooled), 'browser vs Node').toEqual(comparable(node.pooled));
    } else {
      // the engines' Math.tanh/exp/log differ in the last bit for some arguments (a V8 version
      // difference, not the pool's): the results can agree only to rounding. The spectrum is
      // well-conditioned over T = 120 steps: its exponents agree to 1e-12 relative (1e-15 seen).
      const rel = Math.max(...b.exponents.map((x, i) => Math.abs(x - node.exponents[i]) / Math.abs(node.exponents[i])));
      console.warn(`browser vs Node compared to rounding, not bit for bit: the engines' Math differs (browser ${b.math}; Node ${node.math}); largest relative difference of the exponents ${rel.toExponential(2)}`);
      b.exponents.forEach((x, i) => expect(Math.abs(x - node.exponents[i]), `exponent ${i}`).toBeLessThan(1e-12 * Math.abs(node.exponents[i])));
    }
    // every backend on 'auto' and WebAssembly allowed everywhere: both pools equal the page's calls
    expect(result.probe.backends.float64, "the page's own 'auto'").not.toBe('js');
    expect(result.probe.caller, "backends: 'caller' vs synchronous").toEqual(result.probe.sync);
    expect(result.probe.workers, "backends: 'workers' vs synchronous").toEqual(result.probe.sync);
    expect(result.abort.rejectedWithReason).toBe(true);
    expect(result.abort.latencyMs).toBeLessThan(100);
    expect(result.abort.usableAfter).toBe(true);
  }, 400_000);

  it("a Content-Security-Policy on the page only (script-src 'self', no 'wasm-unsafe-eval'): the page runs the JS kernels, its workers follow, the pool still equals the synchronous calls bit for bit; with backends: 'workers' they run WebAssembly", async (ctx) => {
    if (skipReason) {
      ctx.skip(skipReason);
      return;
    }
    const { digest: b, probe, abort } = await runPage(`${origin}/?csp`);
    expect(b.backends).toMatchObject({ float64: 'js', rnnRecurrence: 'js', gemmWasm: false, lyapunovWasm: false });
    expect(b.pooled, 'browser under CSP: pool (Web Workers, no CSP of their own) vs synchronous (page thread, CSP)').toEqual(b.sync);
    expect(abort.rejectedWithReason && abort.usableAfter).toBe(true);
    // createPool({ backends: 'workers' }): the workers run their own 'auto', WebAssembly, while the page
    // runs JS: their results are those of the page without a CSP (WebAssembly, this browser), not the page's
    expect(probe.backends).toEqual({ float64: 'js', rnnRecurrence: 'js' });
    expect(probe.caller, "backends: 'caller': the workers follow the page's JS").toEqual(probe.sync);
    const wasm = (await plainPage()).probe;
    expect(wasm.sync, 'WebAssembly and JS differ here, else this would show nothing').not.toEqual(probe.sync);
    expect(probe.workers, "backends: 'workers' under CSP vs the page without CSP (WebAssembly)").toEqual(wasm.sync);
  }, 400_000);
});
