import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import type { DynamicalSystem } from '../../src/core/system.js';
import { createRng } from '../../src/core/rng.js';
import {
  createLyapunovEstimator,
  henonMap,
  kaplanYorkeDimension,
  linearMap,
  logisticMap,
  lorenz63,
  lyapunovSpectrum,
} from '../../src/lyapunov/index.js';
import type { ReorthonormalizationEvent } from '../../src/lyapunov/index.js';
import { feedSystem } from './feed.js';

/** ln |eigenvalues| of a real matrix, descending (ml-matrix EVD as the oracle). */
function logEigMod(a: number[][]): number[] {
  const e = new EigenvalueDecomposition(new Matrix(a));
  return e.realEigenvalues.map((re, i) => Math.log(Math.hypot(re, e.imaginaryEigenvalues[i]))).sort((x, y) => y - x);
}

function matmul(a: number[][], b: number[][]): number[][] {
  return a.map((row) => b[0].map((_, j) => row.reduce((s, v, l) => s + v * b[l][j], 0)));
}

function randomMatrix(n: number, seed: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => Array.from({ length: n }, () => rng.normal()));
}

describe('lyapunovSpectrum on systems with published spectra', () => {
  it('Hénon map: 0.4192, −1.6232 (Sprott), λ1 + λ2 = ln 0.3 to 1e-9', () => {
    const T = 200_000;
    const r = lyapunovSpectrum(henonMap(), { steps: T });
    expect(r.steps).toBe(T);
    // the standard error must itself shrink like 1/√T (the test can fail if the errors are wrong)
    expect(r.stderr[0]).toBeLessThan(1 / Math.sqrt(T));
    expect(r.stderr[0]).toBeGreaterThan(0.01 / Math.sqrt(T));
    // published values are given to 4 decimals: ±5e-5 rounding on top of 4 standard errors
    expect(Math.abs(r.exponents[0] - 0.4192)).toBeLessThan(4 * r.stderr[0] + 5e-5);
    expect(Math.abs(r.exponents[1] + 1.6232)).toBeLessThan(4 * r.stderr[1] + 5e-5);
    // exact identity: log|det J| = ln b at every step
    expect(Math.abs(r.exponents[0] + r.exponents[1] - Math.log(0.3))).toBeLessThan(1e-9);
    expect(Math.abs(r.kaplanYorkeDimension - 1.258)).toBeLessThan(4 * (r.stderr[0] / 1.6232) * 2 + 5e-4);
    expect(r.entropy).toBe(r.exponents[0]);
  });

  it('logistic map r = 4: ln 2', () => {
    const T = 100_000;
    const r = lyapunovSpectrum(logisticMap({ r: 4 }), { steps: T });
    expect(r.stderr[0]).toBeLessThan(1 / Math.sqrt(T));
    expect(Math.abs(r.exponents[0] - Math.LN2)).toBeLessThan(4 * r.stderr[0]);
  });

  it('Lorenz-63 (RK4, dt = 0.01): 0.906, 0, −14.572 per unit time, sum −(σ + 1 + β)', () => {
    const T = 100_000; // 1000 time units
    const r = lyapunovSpectrum(lorenz63(), { steps: T, warmup: 2000 });
    const [l1, l2, l3] = r.exponents;
    for (const se of r.stderr) expect(se).toBeLessThan(3 / Math.sqrt(T * 0.01));
    // published to 3 decimals (±5e-4)
    expect(Math.abs(l1 - 0.906)).toBeLessThan(4 * r.stderr[0] + 5e-4);
    expect(Math.abs(l2)).toBeLessThan(4 * r.stderr[1] + 1e-3);
    expect(Math.abs(l3 + 14.572)).toBeLessThan(4 * r.stderr[2] + 5e-4);
    // the flow's divergence is constant; the RK4 step's log-determinant differs from h·tr by
    // O((h·‖Df‖)⁵/5!) per step: (0.01·30)⁵/120/0.01 ≈ 2e-3 per unit time
    expect(Math.abs(l1 + l2 + l3 + (10 + 1 + 8 / 3))).toBeLessThan(2e-3);
    expect(Math.abs(r.kaplanYorkeDimension - 2.062)).toBeLessThan(0.01);
  });

  it('linear map: ln of the eigenvalue moduli, and the frame follows A (not Aᵀ) for a non-normal A', () => {
    const A = [[2, 5], [0, 0.5]];
    let last: Float64Array | undefined;
    const r = lyapunovSpectrum(linearMap(A), {
      steps: 2000,
      onReorthonormalize: (e: ReorthonormalizationEvent) => {
        last = e.q.slice();
      },
    });
    // after the frame warm-up the frame is A's Schur basis, so every step gives exactly ln|λ_i|
    expect(Math.abs(r.exponents[0] - Math.log(2))).toBeLessThan(1e-12);
    expect(Math.abs(r.exponents[1] - Math.log(0.5))).toBeLessThan(1e-12);
    // the first frame vector is A's dominant eigenvector e1; propagating by Aᵀ would give (3, 10)/|·|
    expect(last).toBeDefined();
    expect(Math.abs((last as Float64Array)[0])).toBeCloseTo(1, 12);
  });

  it('periodically switched linear map A, B, C: ln|eig(C·B·A)| / 3 (Jᵀ or reversed products fail)', () => {
    const A = randomMatrix(3, 1), B = randomMatrix(3, 2), C = randomMatrix(3, 3);
    const expected = logEigMod(matmul(C, matmul(B, A))).map((v) => v / 3);
    const wrong = logEigMod(matmul(A, matmul(B, C))).map((v) => v / 3);
    // the two orders really differ for these matrices, so the test discriminates
    expect(Math.max(...expected.map((v, i) => Math.abs(v - wrong[i])))).toBeGreaterThan(0.05);
    // a QR every step: exact to 1e-9; the default interval (frame condition ≤ 1e8 between QRs):
    // rounding amplified by up to κ in the smallest direction, ≈ ε·κ/m per step
    const r = lyapunovSpectrum(linearMap([A, B, C]), { warmup: 0, frameWarmup: 300, steps: 3000, reorthEvery: 1 });
    for (let i = 0; i < 3; i++) expect(Math.abs(r.exponents[i] - expected[i])).toBeLessThan(1e-9);
    const d = lyapunovSpectrum(linearMap([A, B, C]), { warmup: 0, frameWarmup: 300, steps: 3000 });
    for (let i = 0; i < 3; i++) expect(Math.abs(d.exponents[i] - expected[i])).toBeLessThan(1e-8);
  });
});

describe('lyapunovSpectrum options', () => {
  it('top-k equals the first k exponents of the full spectrum', () => {
    const n = 12;
    const W = randomMatrix(n, 11);
    const g = 2 / Math.sqrt(n);
    const sys: DynamicalSystem = {
      dim: n,
      step(x, _t, out) {
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let j = 0; j < n; j++) s += g * W[i][j] * x[j];
          out[i] = Math.tanh(s);
        }
      },
      jacobian(x, _t, out) {
        for (let i = 0; i < n; i++) {
          let s = 0;
          for (let j = 0; j < n; j++) s += g * W[i][j] * x[j];
          const c = Math.cosh(s);
          for (let j = 0; j < n; j++) out[i * n + j] = (g * W[i][j]) / (c * c);
        }
      },
    };
    const x0 = Float64Array.from({ length: n }, (_, i) => Math.sin(i + 1));
    const full = lyapunovSpectrum(sys, { x0, steps: 3000, warmup: 200 });
    const top = lyapunovSpectrum(sys, { x0, steps: 3000, warmup: 200, k: 4 });
    expect(top.exponents.length).toBe(4);
    for (let i = 0; i < 4; i++) expect(Math.abs(top.exponents[i] - full.exponents[i])).toBeLessThan(1e-12);
    expect(full.exponents[0]).toBeGreaterThan(0); // chaotic: the test is not on a fixed point
  });

  it('does not depend on reorthEvery beyond rounding (QR of a product = product of the QRs)', () => {
    const T = 20_000;
    const a = lyapunovSpectrum(henonMap(), { steps: T, reorthEvery: 1 });
    const intervals: number[] = [];
    const b = lyapunovSpectrum(henonMap(), { steps: T, reorthEvery: 4, onReorthonormalize: (e) => intervals.push(e.interval) });
    expect(Math.max(...intervals)).toBe(4);
    for (let i = 0; i < 2; i++) {
      expect(Math.abs(a.exponents[i] - b.exponents[i])).toBeLessThan(Math.min(a.stderr[i], 1e-9));
    }
  });

  it('guards reorthEvery by the frame conditioning: the most negative exponent survives', () => {
    // eigenvalues 2 and 1e-4: 1000 steps without QR would spread the columns by e^9900
    const A = [[1.5, 0.7], [-0.3, 0.4]];
    const r0 = logEigMod(A);
    const intervals: number[] = [];
    const r = lyapunovSpectrum(linearMap(A), { steps: 5000, reorthEvery: 1000, onReorthonormalize: (e) => intervals.push(e.interval) });
    expect(Math.abs(r.exponents[0] - r0[0])).toBeLessThan(1e-9);
    expect(Math.abs(r.exponents[1] - r0[1])).toBeLessThan(1e-9);
    // spread ≈ 1.4 per step → about ln(1e8)/1.4 ≈ 13 steps between QRs, never 1000
    const m = Math.max(...intervals);
    expect(m).toBeGreaterThan(1);
    expect(m).toBeLessThanOrEqual(Math.floor(Math.log(1e8) / (r0[0] - r0[1])) + 1);

    const stiff = lyapunovSpectrum(linearMap([[2, 1], [0, 1e-4]]), { steps: 2000, reorthEvery: 1000 });
    expect(Math.abs(stiff.exponents[0] - Math.log(2))).toBeLessThan(1e-9);
    expect(Math.abs(stiff.exponents[1] - Math.log(1e-4))).toBeLessThan(1e-9);
  });

  it('a Jacobian with a zero column gives −Infinity for that exponent, never NaN', () => {
    const r = lyapunovSpectrum(linearMap([[0, 1], [0, 0.5]]), { steps: 500 });
    expect(r.exponents[0]).toBeCloseTo(Math.log(0.5), 12);
    expect(r.exponents[1]).toBe(-Infinity);
    expect(r.stderr[1]).toBe(0);
    expect(Number.isNaN(r.stderr[0])).toBe(false);
    expect(r.kaplanYorkeDimension).toBe(0);
    expect(r.entropy).toBe(0);
  });

  it('stops at the tolerance', () => {
    const r = lyapunovSpectrum(henonMap(), { steps: 1_000_000, tolerance: 0.01 });
    expect(r.steps).toBeLessThan(1_000_000);
    expect(Math.max(...r.stderr)).toBeLessThan(0.01);
    expect(Math.abs(r.exponents[0] - 0.4192)).toBeLessThan(0.05);
  });

  it('reports per unit time with dt (and a flow system brings its own dt)', () => {
    const perStep = lyapunovSpectrum(logisticMap(), { steps: 5000 });
    const perTime = lyapunovSpectrum(logisticMap(), { steps: 5000, dt: 0.5 });
    expect(perTime.exponents[0]).toBeCloseTo(2 * perStep.exponents[0], 12);
    expect(perTime.stderr[0]).toBeCloseTo(2 * perStep.stderr[0], 12);
    const own = lyapunovSpectrum(lorenz63(), { steps: 500 });
    const explicit = lyapunovSpectrum(lorenz63(), { steps: 500, dt: 0.01 });
    expect(own.exponents).toEqual(explicit.exponents);
    const unit = lyapunovSpectrum(lorenz63(), { steps: 500, dt: 1 });
    expect(unit.exponents[0]).toBeCloseTo(own.exponents[0] * 0.01, 12);
  });

  it('equals the streaming estimator fed the same Jacobians', () => {
    const sys = henonMap();
    const r = lyapunovSpectrum(sys, { steps: 3000, warmup: 50, frameWarmup: 20, seed: 5 });
    const est = createLyapunovEstimator({ dim: 2, frameWarmup: 20, seed: 5 }); // a QR every step: lyapunovSpectrum's default up to dimension 16
    feedSystem(sys, est, 50 + 20 + 3000, { from: 50, x0: sys.initialState });
    const s = est.result();
    expect(s.steps).toBe(3000);
    expect(s.exponents).toEqual(r.exponents);
    expect(s.stderr).toEqual(r.stderr);
    // and the sum is ln b to rounding (the 16-step guarded interval missed it by 4e-5 on this orbit family)
    const h = lyapunovSpectrum(sys, { steps: 2000, warmup: 100, frameWarmup: 50, x0: Float64Array.of(0.1, 0.1) });
    expect(Math.abs(h.exponents[0] + h.exponents[1] - Math.log(0.3))).toBeLessThan(1e-14);
  });

  it('records finite-time exponents whose step-weighted mean is the estimate', () => {
    const r = lyapunovSpectrum(henonMap(), { steps: 1000, history: 100 });
    const h = r.history;
    expect(h).toBeDefined();
    if (!h) return;
    expect(h.steps).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
    const mean = [0, 1].map((i) => h.windows.reduce((s, w) => s + w[i], 0) / h.windows.length);
    const sorted = [...mean].sort((a, b) => b - a);
    expect(Math.abs(sorted[0] - r.exponents[0])).toBeLessThan(1e-12);
    expect(h.running[9][0]).toBeCloseTo(mean[0], 12);
    // the windows fluctuate: finite-time exponents are not all equal
    expect(new Set(h.windows.map((w) => w[0])).size).toBeGreaterThan(5);
  });

  it('reports progress and honours an AbortSignal', () => {
    // progress comes by time (a fast run reports once, at its end) in the shared payload shape
    const seen: { phase: string; done: number; total: number; step: number }[] = [];
    lyapunovSpectrum(henonMap(), { steps: 1000, warmup: 0, frameWarmup: 0, onProgress: (p) => seen.push(p) });
    expect(seen.length).toBeGreaterThanOrEqual(1);
    const last = seen[seen.length - 1];
    expect([last.step, last.done, last.total, last.phase]).toEqual([1000, 1000, 1000, 'counted']);
    const ac = new AbortController();
    expect(() =>
      lyapunovSpectrum(henonMap(), { steps: 100000, signal: ac.signal, onProgress: (p) => { if (p.step > 5000) ac.abort(); } }),
    ).toThrow(/abort/i);
  });
});

describe('lyapunovSpectrum errors', () => {
  it('names the step of a non-finite Jacobian', () => {
    const bad: DynamicalSystem = {
      dim: 2,
      step(x, _t, out) {
        out[0] = 0.5 * x[0];
        out[1] = 0.5 * x[1];
      },
      jacobian(_x, t, out) {
        out.fill(0.5);
        if (t === 1037) out[3] = NaN;
      },
    };
    expect(() => lyapunovSpectrum(bad, { steps: 2000 })).toThrow(RangeError);
    expect(() => lyapunovSpectrum(bad, { steps: 2000 })).toThrow(/step 1037/);
  });

  it('names the step where the orbit diverges', () => {
    const blowup: DynamicalSystem = {
      dim: 1,
      step(x, _t, out) {
        out[0] = x[0] * 1e100;
      },
      jacobian(_x, _t, out) {
        out[0] = 1e100;
      },
    };
    expect(() => lyapunovSpectrum(blowup, { x0: new Float64Array([1]), warmup: 0 })).toThrow(/non-finite at step 3/);
  });

  it('names a non-finite input by its flat index in the whole [B,T,I] tensor, before any sequence runs', async () => {
    const { initRnn } = await import('../../src/rnn/init.js');
    const rnn = initRnn({ inputSize: 2, hiddenSize: 6, outputSize: 2, seed: 3 });
    const data = new Float32Array(2 * 30 * 2);
    data[65] = Number.NaN; // sequence 1, step 2, input 1
    let progress = 0;
    expect(() => lyapunovSpectrum(rnn, { inputs: { shape: [2, 30, 2], data }, k: 1, onProgress: () => progress++ })).toThrow(/^lyapunovSpectrum: inputs has NaN at flat index 65$/);
    expect(progress).toBe(0); // sequence 0 was not measured first
  });

  it('rejects bad options with clear messages', () => {
    const s = henonMap();
    expect(() => lyapunovSpectrum(s, { k: 3 })).toThrow(/k must be at most the state dimension 2, got k = 3/);
    expect(() => lyapunovSpectrum(s, { steps: 0 })).toThrow(RangeError);
    expect(() => lyapunovSpectrum(s, { dt: 0 })).toThrow(/dt/);
    expect(() => lyapunovSpectrum(s, { tolerance: -1 })).toThrow(/tolerance/);
    expect(() => lyapunovSpectrum(s, { x0: new Float64Array(3) })).toThrow(/x0 must have length dim = 2, got 3/);
    expect(() => lyapunovSpectrum(s, { x0: 'ab' as unknown as Float64Array })).toThrow(TypeError);
    // number[] is accepted as well as Float64Array, with the same result
    const a = lyapunovSpectrum(s, { x0: [0.1, 0.1], steps: 500 });
    const b = lyapunovSpectrum(s, { x0: new Float64Array([0.1, 0.1]), steps: 500 });
    expect(a.exponents).toEqual(b.exponents);
    expect(() => lyapunovSpectrum({} as DynamicalSystem)).toThrow(TypeError);
    expect(() => lyapunovSpectrum(s, { input: [1] })).toThrow(/Rnn only/);
  });
});

describe('kaplanYorkeDimension of estimated spectra', () => {
  it('is consistent with the exponents returned', () => {
    const r = lyapunovSpectrum(henonMap(), { steps: 5000 });
    expect(r.kaplanYorkeDimension).toBe(kaplanYorkeDimension(r.exponents));
  });
});

describe('−∞ exponents across sequences (a relu network whose units all die)', () => {
  it('every sequence −∞: mean −∞, spread and standard error NaN (undefined), not 0; one finite sequence: an infinite spread', async () => {
    const { initRnn } = await import('../../src/rnn/init.js');
    const rnn = initRnn({ inputSize: 1, hiddenSize: 4, outputSize: 1, activation: 'relu', gain: 0.5, seed: 2 });
    rnn.params.wIn.data.fill(1);
    rnn.params.b.data.fill(0);
    const seqs = (vals: number[]) => ({ shape: [vals.length, 40, 1], data: Float32Array.from(vals.flatMap((v) => new Array<number>(40).fill(v))) });
    const dead = lyapunovSpectrum(rnn, { inputs: seqs([-5, -5, -5]), k: 2, frameWarmup: 4 });
    expect(Array.from(dead.exponents)).toEqual([-Infinity, -Infinity]);
    for (const r of dead.perSequence) expect(r.exponents[0]).toBe(-Infinity);
    expect(Number.isNaN(dead.std[0]) && Number.isNaN(dead.stderr[0])).toBe(true);
    const mixed = lyapunovSpectrum(rnn, { inputs: seqs([1, -5]), k: 1, frameWarmup: 4 });
    expect(Number.isFinite(mixed.perSequence[0].exponents[0])).toBe(true);
    expect(mixed.perSequence[1].exponents[0]).toBe(-Infinity);
    expect(mixed.exponents[0]).toBe(-Infinity);
    expect(mixed.std[0]).toBe(Infinity);
  });
});
