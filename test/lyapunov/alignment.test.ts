// The alignment error (src/lyapunov/alignment.ts) against the seed spread it predicts. The exact
// system: J_t = Q·diag(e^{λ + σξ_t})·Qᵀ with one random orthogonal Q and ξ_t ~ N(0, 1) fixed per t,
// so every frame seed sees the same Jacobians and the exponents are exactly λ = [0, −0.1, −0.102,
// −0.3] (σ = 0.001; a pair 0.002 apart). Measured over 20 frame seeds, 4000 counted steps:
//   frameWarmup 100:  λ2, λ3 spread 1.94e-4 = 4.1 and 3.9 standard errors (4.8e-5); alignmentError
//                     2.29e-4 (spread / prediction 0.85): every seed flagged `misaligned`.
//   frameWarmup 1500: spread 1.6e-5 = 1.0 standard error; alignmentError 1.3e-6: none flagged.
// Before this change the result had neither field and reported λ2 ± 4.8e-5 at frameWarmup 100.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import type { DynamicalSystem } from '../../src/core/system.js';
import { lyapunovSpectrum } from '../../src/lyapunov/index.js';
import { alignmentError } from '../../src/lyapunov/alignment.js';
import { tanhRnn } from './tanh-rnn.js';

function commuting(lam: number[], sigma: number, length: number, seed: number): DynamicalSystem {
  const n = lam.length;
  const r = createRng(seed);
  const q = Array.from({ length: n }, () => Array.from({ length: n }, () => r.normal()));
  for (let j = 0; j < n; j++) {
    for (let p = 0; p < j; p++) {
      let d = 0;
      for (let i = 0; i < n; i++) d += q[i][j] * q[i][p];
      for (let i = 0; i < n; i++) q[i][j] -= d * q[i][p];
    }
    const s = Math.hypot(...q.map((row) => row[j]));
    for (let i = 0; i < n; i++) q[i][j] /= s;
  }
  const xi = Array.from({ length: length * n }, () => r.normal());
  const jac = (t: number, out: Float64Array) => {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < n; p++) s += q[i][p] * Math.exp(lam[p] + sigma * xi[t * n + p]) * q[j][p];
        out[i * n + j] = s;
      }
    }
  };
  const jt = new Float64Array(n * n);
  return {
    dim: n,
    step(x, t, out) {
      jac(t, jt);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += jt[i * n + j] * x[j];
        out[i] = s;
      }
    },
    jacobian(_x, t, out) {
      jac(t, out);
    },
  };
}

const lam = [0, -0.1, -0.102, -0.3];
const steps = 4000;

function seeds(frameWarmup: number) {
  const sys = commuting(lam, 0.001, steps + frameWarmup, 1);
  return Array.from({ length: 20 }, (_, s) => lyapunovSpectrum(sys, { steps, frameWarmup, warmup: 0, x0: [1, 1, 1, 1], seed: s }));
}

function spread(runs: ReturnType<typeof seeds>, i: number): number {
  const e = runs.map((r) => r.exponents[i]);
  const m = e.reduce((a, b) => a + b, 0) / e.length;
  return Math.sqrt(e.reduce((a, b) => a + (b - m) ** 2, 0) / (e.length - 1));
}
const rmsStderr = (runs: ReturnType<typeof seeds>, i: number) => Math.sqrt(runs.reduce((a, r) => a + r.stderr[i] ** 2, 0) / runs.length);

describe('alignmentError and misaligned', () => {
  it('a pair 0.002 apart after the default warm-up of 100: the seed spread passes 3 stderr and every run is flagged', () => {
    const runs = seeds(100);
    for (const i of [1, 2]) {
      const sd = spread(runs, i);
      expect(sd).toBeGreaterThan(3 * rmsStderr(runs, i));
      for (const r of runs) {
        const a = r.alignmentError![i];
        expect(a).toBeGreaterThan(r.stderr[i]);
        expect(sd / a).toBeGreaterThan(1 / 3), expect(sd / a).toBeLessThan(3); // the prediction within 3× of the spread
      }
    }
    expect(runs.every((r) => r.misaligned === true)).toBe(true);
    // the well-separated exponents keep an error far below their stderr
    for (const r of runs) for (const i of [0, 3]) expect(r.alignmentError![i]).toBeLessThan(1e-3 * r.stderr[i]);
  });

  it('the same pair after a warm-up of 1500 (3/gap): spread within 3 stderr, no run flagged', () => {
    const runs = seeds(1500);
    for (const i of [1, 2]) expect(spread(runs, i)).toBeLessThan(3 * rmsStderr(runs, i));
    expect(runs.some((r) => r.misaligned)).toBe(false);
  });

  it('the single-pair formula: b = [log(1 + e^{−2gW}) − log(1 + e^{−2g(W+T)})]/(2T), the systematic part of both exponents', () => {
    // two exponents, k = n: λ̂1 − λ1 = −b, λ̂2 − λ2 = +b; the random part is 4.2·[x/(1+x) − y/(1+y)]/(2T)
    const g = 0.01, W = 50, T = 1000;
    const x = Math.exp(-2 * g * W), y = Math.exp(-2 * g * (W + T));
    const b = (Math.log1p(x) - Math.log1p(y)) / (2 * T);
    const spreadPart = (((Math.tan((3 * Math.PI) / 8) ** 2 - Math.tan(Math.PI / 8) ** 2) / 1.349) * (x / (1 + x) - y / (1 + y))) / (2 * T);
    const a = alignmentError(Float64Array.of(-0.5, -0.51), 2, W, T, 1);
    for (const i of [0, 1]) expect(a[i]).toBeCloseTo(Math.hypot(b, spreadPart), 7);
    // per unit time: the same gap per step gives the error divided by dt
    const d = alignmentError(Float64Array.of(-5, -5.1), 2, W, T, 0.1);
    for (const i of [0, 1]) expect(d[i]).toBeCloseTo(a[i] / 0.1, 6);
  });

  it('the well-separated benchmark nets (random tanh, g = 1.5, n = 32, 64) are not flagged', () => {
    for (const n of [32, 64]) {
      const r = lyapunovSpectrum(tanhRnn(n, 1.5, n), { steps: 5000 });
      expect(r.misaligned).toBe(false);
      for (let i = 0; i < n; i++) expect(r.alignmentError![i]).toBeLessThan(r.stderr[i]);
    }
  });
});
