import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, VOGT_QUICK } from '../../examples/studies/vogt2020.js';

describe('examples/studies/vogt2020 at a tiny size', () => {
  it('records a spectrum every epoch for every grid point and a Spearman correlation', async () => {
    const out = mkdtempSync(join(tmpdir(), 'vogt-'));
    await run({
      ...VOGT_QUICK, gains: [0.5, 3], learningRates: [1e-3, 1e-2], hiddens: [6], epochs: 2, trainSize: 200, testSize: 50,
      sequences: 2, digitsPerSequence: 2, k: 4, out, fresh: true, figures: true, log: () => {},
    });
    const r = JSON.parse(readFileSync(join(out, 'vogt2020.json'), 'utf8'));
    expect(r.runs).toHaveLength(4);
    for (const run of r.runs) {
      expect(run.epochs.map((e: { epoch: number }) => e.epoch)).toEqual([0, 1, 2]);
      for (const e of run.epochs) {
        expect(e.exponents).toHaveLength(4);
        for (let i = 1; i < 4; i++) expect(e.exponents[i]).toBeLessThanOrEqual(e.exponents[i - 1]);
      }
    }
    // before training, gain 0.5 contracts more than gain 3
    const at = (g: number) => r.runs.find((x: { gain: number }) => x.gain === g).epochs[0].exponents[0];
    expect(at(0.5)).toBeLessThan(at(3));
    expect(r.spearman.rho).toBeGreaterThanOrEqual(-1);
    expect(r.spearman.rho).toBeLessThanOrEqual(1);
    expect(existsSync(join(out, 'vogt2020-spectra.svg')) && existsSync(join(out, 'vogt2020-early.svg'))).toBe(true);
  }, 60_000);
});
