// The browser pool (src/parallel/browser.ts) outside a browser: how it starts its Web Workers. Bundlers
// ship a worker script with its imports only when they see the literal form
// `new Worker(new URL('./worker.js', import.meta.url), { type: 'module' })`; a URL computed apart
// from the constructor is an asset to them (Vite 6 inlined dist/parallel/worker.js as a data: URL
// without the chunks it imports, and every pooled call failed with "a worker failed").
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInNewContext } from 'node:vm';
import { build, transform } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

// Vite 6's own pattern (vite/src/node/plugins/workerImportMetaUrl.ts); webpack 5 matches the same
// form in its parser
const viteWorkerPattern = /\bnew\s+(?:Worker|SharedWorker)\s*\(\s*(new\s+URL\s*\(\s*('[^']+'|"[^"]+"|`[^`]+`)\s*,\s*import\.meta\.url\s*(?:,\s*)?\))/g;

describe('the browser pool as bundlers see it', () => {
  it('the default worker is started as new Worker(new URL("./worker.js", import.meta.url), { type: "module" })', async () => {
    // the source compiled as tsup compiles it (casts erased)
    const js = (await transform(readFileSync(join(root, 'src', 'parallel', 'browser.ts'), 'utf8'), { loader: 'ts', format: 'esm', target: 'es2022' })).code;
    const found = [...js.matchAll(viteWorkerPattern)].map((m) => m[2]);
    expect(found, js).toEqual(['"./worker.js"']);
    expect(js.slice(js.indexOf(found[0]))).toMatch(/^"\.\/worker\.js", import\.meta\.url\), \{ type: "module"/);
    // and nowhere a URL of the worker apart from the constructor (bundlers would ship that one as a bare asset)
    expect(js.match(/new URL\(/g)).toHaveLength(1);
  });

  it('in the built package (when built), the URL resolves to the worker entry next to the module', () => {
    const built = join(root, 'dist', 'parallel', 'browser.js');
    if (!existsSync(built)) return; // npm test builds first; run alone without dist/, the source check above stands
    const js = readFileSync(built, 'utf8');
    const found = [...js.matchAll(viteWorkerPattern)].map((m) => m[2].slice(1, -1));
    expect(found).toEqual(['./worker.js']);
    expect(existsSync(join(dirname(built), found[0]))).toBe(true);
  });
});

describe('the browser pool bundled into a classic script (esbuild --format=iife: import.meta is empty)', () => {
  it('createPool without workerUrl is a TypeError that says to pass one; with it, the pool starts that worker', async () => {
    const r = await build({
      entryPoints: [join(root, 'src', 'parallel', 'browser.ts')], bundle: true, format: 'iife', globalName: 'lib',
      platform: 'browser', target: 'es2022', write: false, logLevel: 'silent',
    });
    const started: unknown[] = [];
    class Worker {
      constructor(url: unknown) {
        started.push(url);
      }
      postMessage() {}
      terminate() {}
    }
    const g: Record<string, unknown> = { Worker, navigator: { hardwareConcurrency: 2 }, URL, TypeError, RangeError, Error };
    runInNewContext(`${r.outputFiles[0].text}; globalThis.lib = lib;`, Object.assign(g, { globalThis: g }));
    const { createPool } = g.lib as { createPool(o?: object): { close(): Promise<void> } };
    expect(() => createPool({ workers: 1 })).toThrow(TypeError);
    expect(() => createPool({ workers: 1 })).toThrow(
      /^createPool: opts\.workerUrl is required here: this module has no import\.meta\.url \(bundled into a classic script, e\.g\. esbuild --format=iife\)[^]*bundle 'rnn-lyap\/parallel\/worker' as an entry point of its own/,
    );
    expect(started).toEqual([]);
    await createPool({ workers: 1, workerUrl: '/w.js' }).close();
    expect(started).toEqual(['/w.js']);
  });
});

describe('the browser pool with a stand-in Worker', () => {
  type Started = { url: string; opts: unknown };
  async function withFakeWorker(fire: { message?: string }, run: (started: Started[]) => Promise<void>) {
    const started: Started[] = [];
    class FakeWorker {
      onmessage: unknown = null;
      onerror: ((e: { message?: string; preventDefault(): void }) => void) | null = null;
      constructor(url: string | { href: string }, opts: unknown) {
        started.push({ url: typeof url === 'string' ? url : url.href, opts });
        setTimeout(() => this.onerror?.({ ...fire, preventDefault() {} }), 0);
      }
      postMessage() {}
      terminate() {}
    }
    const g = globalThis as { Worker?: unknown };
    const before = g.Worker;
    g.Worker = FakeWorker;
    try {
      await run(started);
    } finally {
      g.Worker = before;
    }
  }
  const call = async (workerUrl?: string) => {
    const { createPool } = await import('../../src/parallel/browser.js');
    const { initRnn } = await import('../../src/rnn/index.js');
    const pool = createPool({ workers: 1, ...(workerUrl ? { workerUrl } : {}) });
    try {
      return await pool.lyapunovSpectrum(initRnn({ inputSize: 1, hiddenSize: 2, outputSize: 1, seed: 0 }), { steps: 5 }).then(() => undefined, (e: Error) => e);
    } finally {
      await pool.close();
    }
  };

  it('the default worker: ./worker.js next to the module, as a module worker', async () => {
    await withFakeWorker({}, async (started) => {
      await call();
      expect(started[0].url).toMatch(/\/src\/parallel\/worker\.js$/);
      expect(started[0].opts).toEqual({ type: 'module', name: 'rnn-lyap-pool' });
    });
  });

  it('a worker that does not load (an error event without a message) is a failure that says what to do', async () => {
    await withFakeWorker({}, async () => {
      const e = await call();
      expect(e?.message).toMatch(/^pool: a worker failed to load the default worker script \(\.\/worker\.js next to rnn-lyap\/parallel's module\); the browser gives no reason/);
      expect(e?.message).toMatch(/optimizeDeps\.exclude: \['rnn-lyap'\]/);
      expect(e?.message).toMatch(/bundle 'rnn-lyap\/parallel\/worker' as an entry point of its own and pass its URL as createPool\(\{ workerUrl \}\)/);
    });
    await withFakeWorker({}, async () => {
      expect((await call('/assets/w.js'))?.message).toMatch(/^pool: a worker failed to load the worker script at workerUrl \/assets\/w\.js;/);
    });
  });

  it('a worker that crashed with a message keeps the message', async () => {
    await withFakeWorker({ message: 'Uncaught SyntaxError: x' }, async () => {
      expect((await call())?.message).toBe('pool: a worker failed: Uncaught SyntaxError: x');
    });
  });
});
