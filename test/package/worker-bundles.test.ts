// The pool's worker as a consumer bundles it, from the packed tarball installed in a fresh project:
// `rnn-lyap/parallel/worker` resolves (browser: the module-worker entry; Node: the worker_threads one)
// and esbuild bundles it as an entry of its own, as docs/parallel.md tells; a CommonJS consumer's
// require('rnn-lyap/parallel') bundles for the browser and, without a workerUrl, throws a TypeError
// that says to pass one. In headless Chromium (when there is one) both recipes run a pooled spectrum
// equal to the page's own synchronous call. And every built .js/.cjs names at most one source map,
// which the tarball holds.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { runInNewContext } from 'node:vm';
import { build, type BuildOptions } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, serveFiles, skipReason } from '../browser/chromium.js';
import { consumerProject, packTarball } from './helpers.js';

let tarball = '';
let dir = '';
beforeAll(() => {
  tarball = packTarball();
  dir = consumerProject(tarball);
}, 180_000);

async function bundle(opts: BuildOptions): Promise<{ text: string; inputs: string[] }> {
  const r = await build({ bundle: true, platform: 'browser', target: 'es2022', write: false, logLevel: 'silent', metafile: true, absWorkingDir: dir, ...opts });
  return { text: r.outputFiles![0].text, inputs: Object.keys(r.metafile!.inputs) };
}
const fromSource = (contents: string, format: 'esm' | 'iife') => bundle({ stdin: { contents, resolveDir: dir, sourcefile: 'app.js' }, format });

// The page of each recipe: a pooled spectrum of an example system against the synchronous call.
const pageCode = (load: string) => `${load}
const sys = henonMap();
const pool = createPool({ workers: 1, workerUrl: './rnn-lyap-worker.js' });
pool.lyapunovSpectrum(sys, { steps: 200 }).then((p) => {
  const s = lyapunovSpectrum(sys, { steps: 200 });
  globalThis.__result = { pooled: Array.from(p.exponents), sync: Array.from(s.exponents) };
  return pool.close();
}).catch((e) => { globalThis.__error = String(e && e.stack || e); });
`;

describe("the packed package's scripts and its pool worker", () => {
  it('every built .js/.cjs names at most one source map, and the tarball holds the map it names', () => {
    const files = new Set(execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n').filter(Boolean).map((f) => f.replace(/^package\//, '')));
    const scripts = [...files].filter((f) => /\.c?js$/.test(f) && f.startsWith('dist/'));
    const problems: string[] = [];
    let named = 0;
    for (const f of scripts) {
      const urls = [...readFileSync(join(dir, 'node_modules', 'rnn-lyap', f), 'utf8').matchAll(/^\/\/# sourceMappingURL=(.*)$/gm)].map((m) => m[1]);
      if (urls.length > 1) problems.push(`${f}: ${urls.length} sourceMappingURL comments`);
      if (urls.length === 1) {
        named++;
        const map = posix.join(posix.dirname(f), urls[0]);
        if (!files.has(map)) problems.push(`${f}: names ${urls[0]}, which the tarball lacks`);
      }
    }
    expect(problems).toEqual([]);
    expect(named).toBe(scripts.length); // the package ships a map for every script
    expect(scripts).toContain('dist/parallel/worker.js');
  });

  it("rnn-lyap/parallel/worker resolves per condition and esbuild bundles it as an entry point of its own", async () => {
    const browser = await bundle({ entryPoints: ['rnn-lyap/parallel/worker'], format: 'esm' });
    expect(browser.inputs).toContain('node_modules/rnn-lyap/dist/parallel/worker.js');
    expect(browser.text).toMatch(/addEventListener\("message"/);
    const node = (kind: string) => execFileSync(process.execPath, ['--input-type=module', '-e', kind], { cwd: dir, encoding: 'utf8' }).trim();
    expect(node("console.log(import.meta.resolve('rnn-lyap/parallel/worker'))")).toMatch(/\/node_modules\/rnn-lyap\/dist\/parallel\/worker-node\.js$/);
    expect(node("import { createRequire } from 'node:module'; console.log(createRequire(process.cwd() + '/x.js').resolve('rnn-lyap/parallel/worker'))")).toMatch(/\/node_modules\/rnn-lyap\/dist\/parallel\/worker-node\.cjs$/);
    // under Node the resolved entry is a working workerUrl
    const script = "import { createPool } from 'rnn-lyap/parallel'; import { henonMap, lyapunovSpectrum } from 'rnn-lyap/lyapunov';" +
      "const pool = createPool({ workers: 1, workerUrl: import.meta.resolve('rnn-lyap/parallel/worker') });" +
      "const p = await pool.lyapunovSpectrum(henonMap(), { steps: 100 }); await pool.close();" +
      'console.log(JSON.stringify([Array.from(p.exponents), Array.from(lyapunovSpectrum(henonMap(), { steps: 100 }).exponents)]));';
    writeFileSync(join(dir, 'node-worker.mjs'), script); // a file: a worker thread inherits --input-type, which refuses its script
    const [pooled, sync] = JSON.parse(execFileSync(process.execPath, ['node-worker.mjs'], { cwd: dir, encoding: 'utf8' }));
    expect(pooled).toEqual(sync);
    // and bundled for Node (esbuild --platform=node), it is one too
    await build({ entryPoints: ['rnn-lyap/parallel/worker'], bundle: true, platform: 'node', format: 'esm', outfile: join(dir, 'out', 'worker-node.mjs'), absWorkingDir: dir, logLevel: 'silent' });
    writeFileSync(join(dir, 'node-bundled.mjs'), script.replace("import.meta.resolve('rnn-lyap/parallel/worker')", "new URL('./out/worker-node.mjs', import.meta.url)"));
    expect(JSON.parse(execFileSync(process.execPath, ['node-bundled.mjs'], { cwd: dir, encoding: 'utf8' }))).toEqual([pooled, sync]);
  }, 60_000);

  it('in Chromium, the ESM and the CommonJS recipe run a pooled spectrum equal to the synchronous call', async (ctx) => {
    if (skipReason) {
      ctx.skip(skipReason);
      return;
    }
    // the worker bundled as docs/parallel.md tells: esbuild rnn-lyap/parallel/worker --bundle --format=esm
    const worker = (await bundle({ entryPoints: ['rnn-lyap/parallel/worker'], format: 'esm' })).text;
    const esm = await fromSource(pageCode("import { createPool } from 'rnn-lyap/parallel'; import { henonMap, lyapunovSpectrum } from 'rnn-lyap/lyapunov';"), 'esm');
    const cjs = await fromSource(pageCode("const { createPool } = require('rnn-lyap/parallel'); const { henonMap, lyapunovSpectrum } = require('rnn-lyap/lyapunov');"), 'iife');
    const js = 'text/javascript';
    const html = (src: string, type: string) => ['text/html', `<!doctype html><meta charset="utf-8"><script ${type} src="${src}"></script>`] as [string, string];
    const { server, origin } = await serveFiles({
      '/esm.html': html('./esm.js', 'type="module"'), '/cjs.html': html('./cjs.js', ''),
      '/esm.js': [js, esm.text], '/cjs.js': [js, cjs.text], '/rnn-lyap-worker.js': [js, worker],
    });
    const browser = await launchChromium();
    try {
      for (const page of ['esm', 'cjs']) {
        const tab = await browser.newPage();
        await tab.goto(`${origin}/${page}.html`);
        await tab.waitForFunction(() => (globalThis as { __result?: unknown; __error?: string }).__result || (globalThis as { __error?: string }).__error, undefined, { timeout: 60_000 });
        const { __result, __error } = await tab.evaluate(() => {
          const g = globalThis as unknown as { __result?: { pooled: number[]; sync: number[] }; __error?: string };
          return { __result: g.__result, __error: g.__error };
        });
        expect(__error, page).toBeUndefined();
        expect(__result!.pooled, page).toEqual(__result!.sync);
        expect(__result!.pooled, page).toHaveLength(2);
      }
    } finally {
      await browser.close();
      await new Promise((r) => server.close(r));
    }
  }, 120_000);
});
