// The fuzz suite: every case of the catalogue (test/fuzz/specs.ts, cases.ts) run in worker threads
// under a watchdog (a hang fails its case, not the run) and judged against the contract. A case listed
// in KNOWN_FAILURES is expected to fail with that problem (it.fails): once it is fixed, it fails here
// until its line is removed, so the table stays exact.
import { beforeAll, describe, expect, it } from 'vitest';
import { CASES } from './cases.js';
import type { Outcome } from './classify.js';
import { KNOWN_FAILURES } from './known-failures.js';
import { KEYS_UNCHECKED, OPTION_KEYS } from './known-options.js';
import { runCases } from './runner.js';
import { EXCLUDED, SPECS } from './specs.js';

const known = new Map(KNOWN_FAILURES.map(([id, problem]) => [id, problem]));
let outcomes = new Map<string, Outcome>();

beforeAll(async () => {
  const list = await runCases(CASES.map((c) => c.id));
  outcomes = new Map(list.map((o) => [o.id, o]));
}, 180_000);

describe('the fuzz catalogue', () => {
  it('covers every public export (or says why not)', async () => {
    const lib = await import('../../src/index.js');
    const covered = new Set(SPECS.map((s) => s.name.replace(/\(.*$/, '').split('.')[0]));
    const missing = Object.keys(lib).filter((k) => !covered.has(k) && !(k in EXCLUDED));
    expect(missing).toEqual([]);
    const adOps = Object.keys(lib.ad).filter((k) => !SPECS.some((s) => s.name === `ad.${k}`));
    expect(adOps).toEqual([]);
  });
  it('every function with options lists them (or says why not), and lists every option the catalogue documents', () => {
    const withOpts = SPECS.filter((s) => s.slots.some((slot) => slot.kind === 'opts'));
    expect(withOpts.map((s) => s.name).filter((n) => !(n in OPTION_KEYS) && !(n in KEYS_UNCHECKED))).toEqual([]);
    expect(Object.keys(OPTION_KEYS).filter((n) => n in KEYS_UNCHECKED)).toEqual([]);
    for (const s of withOpts.filter((x) => x.name in OPTION_KEYS)) {
      const documented = s.slots.flatMap((slot) => Object.keys(slot.opts ?? {}));
      expect(documented.filter((k) => !OPTION_KEYS[s.name].keys.includes(k)), s.name).toEqual([]);
    }
  });
  it('lists only cases that exist', () => {
    const ids = new Set(CASES.map((c) => c.id));
    expect([...known.keys()].filter((id) => !ids.has(id))).toEqual([]);
  });
});

for (const folder of ['core', 'autodiff', 'rnn', 'lyapunov', 'geometry', 'data', 'io', 'plot'] as const) {
  describe(`fuzz: ${folder}`, () => {
    for (const c of CASES.filter((x) => x.folder === folder)) {
      const problem = known.get(c.id);
      if (problem) {
        // passes while the case still fails with exactly this problem; fixed or changed, it fails
        it.fails(`${c.id} [known: ${problem}]`, () => {
          expect(outcomes.get(c.id)?.problem, outcomes.get(c.id)?.detail).not.toBe(problem);
        });
      } else {
        it(`${c.id} (${c.category}, expect ${c.expect})`, () => {
          const o = outcomes.get(c.id);
          expect(o, 'the case ran').toBeDefined();
          expect(o!.problem, `${o!.problem}: ${o!.detail}`).toBeNull();
        });
      }
    }
  });
}
