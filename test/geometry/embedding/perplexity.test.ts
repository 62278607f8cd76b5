import { describe, expect, it } from 'vitest';
import { calibrateRows, PERPLEXITY_TOL } from '../../../src/geometry/embedding/perplexity.js';
import { createRng } from '../../../src/core/rng.js';

describe('perplexity calibration', () => {
  it('hits ln(perplexity) nats within the tolerance, rows sum to 1, p ∝ exp(−β d²)', () => {
    const rng = createRng(3);
    for (const [m, perp] of [[90, 30], [20, 5], [200, 50], [7, 2.5]] as const) {
      const n = 25;
      const d2 = new Float64Array(n * m);
      for (let e = 0; e < n * m; e++) d2[e] = 100 * rng() ** 2 + (e % 3 === 0 ? 1000 : 0);
      const p = new Float64Array(n * m);
      const beta = new Float64Array(n);
      const worst = calibrateRows(d2, n, m, perp, p, beta);
      expect(worst).toBeLessThanOrEqual(PERPLEXITY_TOL);
      for (let i = 0; i < n; i++) {
        let s = 0, H = 0;
        for (let j = 0; j < m; j++) {
          const v = p[i * m + j]!;
          s += v;
          if (v > 0) H -= v * Math.log(v);
        }
        expect(Math.abs(s - 1)).toBeLessThanOrEqual(m * 2.3e-16);
        // entropy of the written distribution (independent of the internal formula)
        expect(Math.abs(H - Math.log(perp))).toBeLessThanOrEqual(PERPLEXITY_TOL + m * 1e-14);
        // ratios follow the Gaussian with the returned precision
        const j0 = 0, j1 = 1;
        const ratio = p[i * m + j1]! / p[i * m + j0]!;
        const expected = Math.exp(-beta[i]! * (d2[i * m + j1]! - d2[i * m + j0]!));
        if (expected > 1e-200 && expected < 1e200) expect(Math.abs(ratio / expected - 1)).toBeLessThanOrEqual(1e-9);
      }
    }
  });

  it('handles candidates at identical distances (uniform distribution, any β)', () => {
    const m = 10;
    const d2 = new Float64Array(m).fill(4);
    const p = new Float64Array(m);
    calibrateRows(d2, 1, m, 3, p, new Float64Array(1));
    for (const v of p) expect(Math.abs(v - 0.1)).toBeLessThanOrEqual(1e-15);
  });

  it('converges at any scale of the distances: the entropy is scale-free, β scales as 1/d²', () => {
    // from scikit-learn's start β = 1, 100 doublings or halvings cannot reach β ~ 1e±40: the rows
    // stayed uniform (distances ≪ 1) or one-hot (distances ≫ 1), and t-SNE embedded them silently
    const rng = createRng(5);
    const n = 12, m = 40, perp = 8;
    const base = Float64Array.from({ length: n * m }, () => 1 + 50 * rng() ** 2);
    const beta0 = new Float64Array(n);
    calibrateRows(base, n, m, perp, new Float64Array(n * m), beta0);
    for (const s of [1e-40, 1e-80, 1e40, 1e80]) {
      const p = new Float64Array(n * m);
      const beta = new Float64Array(n);
      expect(calibrateRows(base.map((v) => v * s), n, m, perp, p, beta)).toBeLessThanOrEqual(PERPLEXITY_TOL);
      for (let i = 0; i < n; i++) {
        let H = 0;
        for (let j = 0; j < m; j++) { const v = p[i * m + j]!; if (v > 0) H -= v * Math.log(v); }
        expect(Math.abs(H - Math.log(perp))).toBeLessThanOrEqual(PERPLEXITY_TOL + m * 1e-14);
        // same entropy up to the tolerance: β·s within the bracket's resolution of β at scale 1
        expect(Math.abs(beta[i]! * s / beta0[i]! - 1)).toBeLessThan(1e-2);
      }
    }
  });
});
