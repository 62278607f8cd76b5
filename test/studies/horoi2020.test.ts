import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOROI_QUICK, run } from '../../examples/studies/horoi2020.js';

describe('examples/studies/horoi2020 at a tiny size', () => {
  it('writes the JSON fields the study promises, and its figures', async () => {
    const out = mkdtempSync(join(tmpdir(), 'horoi-'));
    await run({
      ...HOROI_QUICK, networks: 2, epochs: 1, trainSize: 256, testSize: 60, hidden: 12, gainSweep: [0.5, 3],
      lyapunovSequences: 2, lyapunovBlank: 30, spectrumK: 4, tsnePoints: 40, tsneIterations: 60, knnK: 3,
      attractorStarts: 3, transient: 200, maxPeriod: 20, out, fresh: true, figures: true, log: () => {},
    });
    const r = JSON.parse(readFileSync(join(out, 'horoi2020.json'), 'utf8'));
    for (const k of ['cut', 'hidden', 'extended']) expect(r.accuracy[k]).toHaveLength(29);
    expect(r.accuracy.cut[0]).toBeNull(); // an empty sequence has no accuracy (NaN → null in JSON)
    for (const v of r.accuracy.hidden) expect(v).toBeGreaterThanOrEqual(0);
    expect(r.clusters.knnAccuracy).toHaveLength(28);
    expect(Number.isFinite(r.lambda1.before) && Number.isFinite(r.lambda1.after)).toBe(true);
    // gain 0.5 contracts, gain 3 is chaotic, for any network size
    expect(r.lambda1.gainSweep[0].lambda1).toBeLessThan(0);
    // each gain's λ1 carries its standard error over the 2 driving sequences (std/√2; the JSON keeps 6 significant digits)
    for (const g of [...r.lambda1.gainSweep, r.lambda1.pytorchDefault]) {
      expect(Math.abs(g.stderr - g.std / Math.SQRT2)).toBeLessThanOrEqual(1e-5 * g.std);
    }
    expect(readFileSync(join(out, 'horoi2020-gain.svg'), 'utf8')).toContain('mark-rule role-mark'); // the error bars
    expect(typeof r.attractor.kind).toBe('string');
    expect(r.attractor.periods).toHaveLength(2);
    expect(r.attractor.intrinsicDimension.participationRatio.mean).toBeGreaterThanOrEqual(1);
    for (const f of ['accuracy', 'tsne', 'knn', 'spectrum', 'attractor', 'gain']) expect(existsSync(join(out, `horoi2020-${f}.svg`))).toBe(true);
  }, 60_000);
});
