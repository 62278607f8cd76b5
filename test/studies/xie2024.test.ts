import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run, XIE_QUICK } from '../../examples/studies/xie2024.js';

describe('examples/studies/xie2024 at a tiny size', () => {
  it('embeds the [epochs, steps, units, samples] recording and reports per-epoch numbers', async () => {
    const out = mkdtempSync(join(tmpdir(), 'xie-'));
    await run({ ...XIE_QUICK, hidden: 6, epochs: 2, trainSize: 200, testSize: 50, samples: 8, stepEvery: 7, landmarks: 0, out, fresh: true, figures: true, log: () => {} });
    const r = JSON.parse(readFileSync(join(out, 'xie2024.json'), 'utf8'));
    expect(r.shape).toEqual([2, 4, 6, 8]);
    expect(r.embedding.embedding).toHaveLength(2 * 2 * 4 * 6);
    expect(r.perEpoch.map((p: { epoch: number }) => p.epoch)).toEqual([1, 2]);
    for (const p of r.perEpoch) {
      expect(p.spread).toBeGreaterThanOrEqual(0);
      expect(p.unitSpread).toBeGreaterThanOrEqual(0);
      expect(p.modularity).toBeGreaterThanOrEqual(-0.5);
      expect(p.modularity).toBeLessThanOrEqual(1);
    }
    expect(r.comparison).toHaveLength(1);
    for (const f of ['epoch', 'time', 'unit', 'spread', 'unit-spread', 'modularity']) expect(existsSync(join(out, `xie2024-${f}.svg`))).toBe(true);
  }, 60_000);
});
