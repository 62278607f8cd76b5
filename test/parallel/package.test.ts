// The built package, as a consumer installs it (npm pack, then install offline): `rnn-lyap/parallel`
// resolves to the worker_threads build under Node, finds its worker script in dist/, and returns the
// synchronous result bit for bit, from ESM and from CommonJS. (dist/ is built by `npm test`; run alone,
// the harness builds it once.)
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { consumerProject, packTarball } from '../package/helpers.js';

let dir = '';
beforeAll(() => {
  dir = consumerProject(packTarball());
}, 300_000);

const body = `
const rnn = initRnn({ inputSize: 2, hiddenSize: 16, outputSize: 1, activation: 'tanh', gain: 1.5, seed: 1 });
const inputs = randn([5, 80, 2], { seed: 2 });
const same = (a, b) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
const pool = createPool({ workers: 2 });
const r = await pool.lyapunovSpectrum(rnn, { inputs, k: 4 });
const s = lyapunovSpectrum(rnn, { inputs, k: 4 });
const bad = await pool.lyapunovSpectrum(rnn, { inputs, k: 17 }).catch((e) => e);
let want; try { lyapunovSpectrum(rnn, { inputs, k: 17 }); } catch (e) { want = e; }
console.log(JSON.stringify({
  identical: same(r.exponents, s.exponents) && same(r.std, s.std) && same(r.stderr, s.stderr),
  sequences: r.perSequence.length,
  error: bad instanceof RangeError && bad.message === want.message,
}));
await pool.close();
`;

describe('rnn-lyap/parallel from the packed package', () => {
  it('ESM (import) runs a pooled spectrum equal to the synchronous one', () => {
    writeFileSync(join(dir, 'pool.mjs'), `import { initRnn, randn, lyapunovSpectrum } from 'rnn-lyap';\nimport { createPool } from 'rnn-lyap/parallel';\n${body}`);
    const out = execFileSync(process.execPath, ['pool.mjs'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    expect(JSON.parse(out)).toEqual({ identical: true, sequences: 5, error: true });
  }, 150_000);
  it('CommonJS (require) too', () => {
    writeFileSync(join(dir, 'pool.cjs'), `const { initRnn, randn, lyapunovSpectrum } = require('rnn-lyap');\nconst { createPool } = require('rnn-lyap/parallel');\n(async () => {${body}})();`);
    const out = execFileSync(process.execPath, ['pool.cjs'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    expect(JSON.parse(out)).toEqual({ identical: true, sequences: 5, error: true });
  }, 150_000);
});
