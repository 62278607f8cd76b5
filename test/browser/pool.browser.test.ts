// A real browser: the page (test/browser/page.ts) and its worker are bundled with esbuild, served from
// a local http server, and run in headless Chromium (driven by playwright-core). The pool there runs on
// Web Workers with the WebAssembly kernels; its results must equal Node's pool and synchronous calls
// bit for bit, and a click on the page's stop button must abort a long call within 100 ms and leave
// the pool usable. Without a Chromium (CHROMIUM_PATH, or /usr/bin/chromium, which .ci/run installs
// with apt-get where it can) the test is skipped and says why.
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '../../src/parallel/index.js';
import { scenario, type Digest } from './scenario.js';

const here = dirname(fileURLToPath(import.meta.url));
const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter((p): p is string => !!p);
const executablePath = candidates.find((p) => existsSync(p));
const skipReason = executablePath
  ? undefined
  : `no Chromium found (looked at ${candidates.join(', ')}): install Debian's chromium (apt-get install chromium; .ci/run does this when it runs as root with apt-get) or set CHROMIUM_PATH`;

let server: Server | undefined;
let origin = '';

async function bundle(entry: string): Promise<string> {
  const r = await build({ entryPoints: [join(here, entry)], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, logLevel: 'silent' });
  return r.outputFiles[0].text;
}

beforeAll(async () => {
  if (skipReason) return;
  const files: Record<string, [string, string]> = {
    '/': ['text/html', '<!doctype html><meta charset="utf-8"><title>rnn-lyap pool</title><button id="stop">stop</button><p id="status">running</p><script type="module" src="./page.js"></script>'],
    '/page.js': ['text/javascript', await bundle('page.ts')],
    '/worker.js': ['text/javascript', await bundle('worker-entry.ts')],
  };
  server = createServer((req, res) => {
    const f = files[(req.url ?? '/').split('?')[0]];
    if (!f) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': f[0], 'cache-control': 'no-store' }).end(f[1]);
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  const addr = server.address();
  origin = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
}, 120_000);

afterAll(async () => {
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
});

describe('the pool in headless Chromium', () => {
  it('Web Workers + WebAssembly give Node\'s results bit for bit; a button click aborts within 100 ms', async (ctx) => {
    if (skipReason) {
      console.warn(`browser test skipped: ${skipReason}`);
      ctx.skip(skipReason);
      return;
    }
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
    let result: { digest: Digest; abort: { rejectedWithReason: boolean; latencyMs: number; usableAfter: boolean } };
    try {
      const page = await browser.newPage();
      const logs: string[] = [];
      page.on('console', (m) => logs.push(m.text()));
      page.on('pageerror', (e) => logs.push(String(e)));
      await page.goto(origin);
      await page.waitForFunction(() => (globalThis as { __stopReady?: boolean; __error?: string }).__stopReady || (globalThis as { __error?: string }).__error, undefined, { timeout: 240_000 });
      await page.waitForTimeout(300);
      await page.click('#stop');
      await page.waitForFunction(() => (globalThis as { __result?: unknown; __error?: string }).__result || (globalThis as { __error?: string }).__error, undefined, { timeout: 120_000 });
      const err = await page.evaluate(() => (globalThis as { __error?: string }).__error);
      expect(err, logs.join('\n')).toBeUndefined();
      result = await page.evaluate(() => (globalThis as { __result?: never }).__result!);
    } finally {
      await browser.close();
    }
    const pool = createPool({ workers: 2 });
    const node = await scenario(pool).finally(() => pool.close());
    // the browser's main thread may refuse synchronous compilation of large modules (then JS kernels);
    // its workers compile them: whichever ran, the results are the same bits
    console.log(`browser backends (main thread): ${JSON.stringify(result.digest.backends)}; Node: ${JSON.stringify(node.backends)}; abort latency ${result.abort.latencyMs.toFixed(1)} ms`);
    expect(result.digest.pooled).toEqual(node.pooled);
    expect(result.digest.sync).toEqual(node.sync);
    expect(result.digest.pooled.spectrum).toEqual(node.sync.spectrum);
    expect(result.digest.pooled.fixed).toEqual(node.sync.fixed);
    expect(result.abort.rejectedWithReason).toBe(true);
    expect(result.abort.latencyMs).toBeLessThan(100);
    expect(result.abort.usableAfter).toBe(true);
  }, 400_000);
});
