// findFixedPoints' default unit follows the typical start, not the few largest: the unit came from
// the RMS coordinate over all starts, which one far start sets. A cubic map x + ½(x − x³) (fixed
// points −1, 0, 1) from [±1e6, 0.01, −0.002, ±3] took the unit 4096: the start −0.002 (q = 5e-7,
// F(x) − x = 1e-3) 'converged' where it began, and dedup (1e-3 · 4096) merged everything into it.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findFixedPoints } from '../../src/geometry/fixed-points.js';
import { loadRnn } from '../../src/rnn/index.js';
import type { DynamicalSystem } from '../../src/core/system.js';

const cubic: DynamicalSystem = {
  dim: 1,
  step: (x, _t, o) => { o[0] = x[0]! + 0.5 * (x[0]! - x[0]! ** 3); },
  jacobian: (x, _t, J) => { J[0] = 1 + 0.5 * (1 - 3 * x[0]! ** 2); },
};

describe('findFixedPoints: starts of many scales', () => {
  it('a cubic map from starts at 1e6, 1e-2 and 1: its three fixed points, each within the bound of q < 1e-12 (was one non-fixed point at -0.002)', () => {
    const r = findFixedPoints(cubic, { inits: [[1e6], [-1e6], [0.01], [-2e-3], [3], [-3]], outlierDistanceScale: Infinity });
    expect(r.scale).toBe(1);
    const xs = r.points.map((p) => p.x[0]!).sort((a, b) => a - b);
    expect(xs).toHaveLength(3);
    // q < 1e-12: |F(x) − x| < √2e-12, and |(F − I)'| is 0.5 at 0, 1 at ±1: |x − x*| < 2√2e-12 ≈ 2.9e-6 (to first order)
    [-1, 0, 1].forEach((t, i) => expect(Math.abs(xs[i]! - t)).toBeLessThan(3e-6));
    for (const p of r.points) expect(p.q).toBeLessThan(1e-12);
  });

  it('the 16-unit flip-flop LSTM: one start × 1e9 among 64 leaves the unit 1 and the other starts bit for bit (was unit 131072: 1 point, q 1.3e-5)', () => {
    const rnn = loadRnn(JSON.parse(readFileSync(new URL('../fixtures/gated-flipflop/lstm16.json', import.meta.url), 'utf8')));
    let s = 1;
    const rnd = () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1;
    const base = Array.from({ length: 64 }, () => Array.from({ length: 32 }, () => 0.8 * rnd()));
    const ref = findFixedPoints(rnn as never, { inits: base, input: [0, 0, 0], outlierDistanceScale: Infinity });
    const withFar = base.map((row, k) => (k === 0 ? row.map((v) => v * 1e9) : row));
    const r = findFixedPoints(rnn as never, { inits: withFar, input: [0, 0, 0], outlierDistanceScale: Infinity });
    expect(ref.scale).toBe(1);
    expect(r.scale).toBe(1);
    for (let k = 1; k < 64; k++) {
      expect(r.starts.q[k]).toBe(ref.starts.q[k]);
      expect(Array.from(r.starts.x.subarray(k * 32, (k + 1) * 32))).toEqual(Array.from(ref.starts.x.subarray(k * 32, (k + 1) * 32)));
    }
    for (const p of r.points) expect(p.q).toBeLessThan(1e-12);
  });

  it('most starts far out still set the unit (starts scaled by 2^k, one of them left at 1)', () => {
    const inits = [[3 * 2 ** 40], [-5 * 2 ** 40], [7 * 2 ** 40], [1]];
    expect(findFixedPoints(cubic, { inits, maxIterations: 0 }).scale).toBe(2 ** (42 - 7)); // the median start, 5·2^40 in [2^42, 2^43)
  });
});
