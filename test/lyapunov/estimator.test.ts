import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import { createLyapunovEstimator, henonMap } from '../../src/lyapunov/index.js';
import type { ReorthonormalizationEvent } from '../../src/lyapunov/index.js';

const EPS = 2.220446049250313e-16;

function henonJacobians(count: number): Float64Array[] {
  const sys = henonMap();
  let x = new Float64Array([0.1, 0.1]);
  let xn = new Float64Array(2);
  const out: Float64Array[] = [];
  for (let t = 0; t < count + 100; t++) {
    if (t >= 100) {
      const J = new Float64Array(4);
      sys.jacobian(x, t, J);
      out.push(J);
    }
    sys.step(x, t, xn);
    [x, xn] = [xn, x];
  }
  return out;
}

describe('createLyapunovEstimator', () => {
  it('keeps an orthonormal dim×k frame (row-major) and counts only post-warm-up steps', () => {
    const n = 6, k = 3;
    const est = createLyapunovEstimator({ dim: n, k, frameWarmup: 5 });
    const rng = createRng(3);
    for (let s = 0; s < 12; s++) {
      const J = Float64Array.from({ length: n * n }, () => rng.normal());
      est.pushJacobian(J);
      const f = est.frame();
      for (let a = 0; a < k; a++) {
        for (let b = 0; b < k; b++) {
          let d = 0;
          for (let i = 0; i < n; i++) d += f[i * k + a] * f[i * k + b];
          expect(Math.abs(d - (a === b ? 1 : 0))).toBeLessThan(10 * n * EPS);
        }
      }
    }
    expect(est.pushed).toBe(12);
    expect(est.steps).toBe(7);
    expect(est.warmingUp).toBe(false);
  });

  it('gives the same estimate from pushProduct(J·frame()) as from pushJacobian(J)', () => {
    const Js = henonJacobians(2000);
    const a = createLyapunovEstimator({ dim: 2, frameWarmup: 10 });
    const b = createLyapunovEstimator({ dim: 2, frameWarmup: 10 });
    const z = new Float64Array(4);
    for (const J of Js) {
      a.pushJacobian(J);
      const f = b.frame();
      for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) z[i * 2 + j] = J[i * 2] * f[j] + J[i * 2 + 1] * f[2 + j];
      b.pushProduct(z);
    }
    const ra = a.result(), rb = b.result();
    for (let i = 0; i < 2; i++) expect(Math.abs(ra.exponents[i] - rb.exponents[i])).toBeLessThan(1e-12);
    expect(Math.abs(ra.exponents[0] + ra.exponents[1] - Math.log(0.3))).toBeLessThan(1e-12);
  });

  it('result() at any time includes the steps since the last QR', () => {
    const Js = henonJacobians(1003);
    const every1 = createLyapunovEstimator({ dim: 2 });
    const every5 = createLyapunovEstimator({ dim: 2, reorthEvery: 5 });
    for (const J of Js) {
      every1.pushJacobian(J);
      every5.pushJacobian(J);
    }
    const r1 = every1.result(), r5 = every5.result();
    expect(r5.steps).toBe(1003);
    for (let i = 0; i < 2; i++) expect(Math.abs(r1.exponents[i] - r5.exponents[i])).toBeLessThan(1e-10);
  });

  it('reports every QR through onReorthonormalize (warm-up flagged) with log R and Q', () => {
    const events: { step: number; warmup: boolean; interval: number; sum: number; q0: number }[] = [];
    const est = createLyapunovEstimator({
      dim: 2,
      frameWarmup: 2,
      onReorthonormalize: (e: ReorthonormalizationEvent) =>
        events.push({ step: e.step, warmup: e.warmup, interval: e.interval, sum: e.logR[0] + e.logR[1], q0: e.q[0] ** 2 + e.q[1] ** 2 }),
    });
    for (const J of henonJacobians(5)) est.pushJacobian(J);
    expect(events.map((e) => e.warmup)).toEqual([true, true, false, false, false]);
    expect(events.map((e) => e.step)).toEqual([0, 1, 2, 3, 4]);
    for (const e of events) {
      expect(e.interval).toBe(1);
      expect(Math.abs(e.sum - Math.log(0.3))).toBeLessThan(1e-14); // log|det J| per QR
      expect(Math.abs(e.q0 - 1)).toBeLessThan(1e-15); // unit first column
    }
  });

  it('returns NaN exponents (not zeros) before any counted step, and Infinity errors before two blocks', () => {
    const est = createLyapunovEstimator({ dim: 2, frameWarmup: 3 });
    const r = est.result();
    expect(r.steps).toBe(0);
    expect(Number.isNaN(r.exponents[0])).toBe(true);
    for (const J of henonJacobians(10)) est.pushJacobian(J);
    const r2 = est.result();
    expect(r2.steps).toBe(7);
    expect(r2.stderr[0]).toBe(Infinity);
  });

  it('standard errors from batch means match the spread of independent runs', () => {
    // 8 independent Hénon segments: the spread of their λ1 estimates vs the reported stderr
    const seg = 4000;
    const Js = henonJacobians(8 * seg);
    const est = [] as number[];
    const ses = [] as number[];
    for (let s = 0; s < 8; s++) {
      const e = createLyapunovEstimator({ dim: 2, frameWarmup: 50 });
      for (let t = s * seg; t < (s + 1) * seg; t++) e.pushJacobian(Js[t]);
      const r = e.result();
      est.push(r.exponents[0]);
      ses.push(r.stderr[0]);
    }
    const m = est.reduce((a, b) => a + b, 0) / 8;
    const sd = Math.sqrt(est.reduce((a, b) => a + (b - m) ** 2, 0) / 7);
    const meanSe = ses.reduce((a, b) => a + b, 0) / 8;
    // a sample sd from 8 runs is within a factor ~2.5 of the truth with high probability
    expect(sd / meanSe).toBeGreaterThan(0.3);
    expect(sd / meanSe).toBeLessThan(3);
  });

  it('rejects bad input, naming the step, and leaves its state unchanged', () => {
    expect(() => createLyapunovEstimator({ dim: 3, k: 4 })).toThrow(/k must be at most dim = 3, got k = 4/);
    expect(() => createLyapunovEstimator({ dim: 0 })).toThrow(RangeError);
    expect(() => createLyapunovEstimator(undefined as unknown as { dim: number })).toThrow(TypeError);
    const est = createLyapunovEstimator({ dim: 2 });
    const Js = henonJacobians(3);
    est.pushJacobian(Js[0]);
    est.pushJacobian(Js[1]);
    const before = est.result();
    const bad = new Float64Array([1, 2, NaN, 0]);
    expect(() => est.pushJacobian(bad)).toThrow(/non-finite value NaN at step 2, entry \(1, 0\)/);
    expect(() => est.pushJacobian(new Float64Array(3))).toThrow(/expected 4 entries/);
    expect(() => est.pushProduct(new Float64Array([Infinity, 0, 0, 0]))).toThrow(RangeError);
    expect(() => est.pushJacobian('x' as unknown as Float64Array)).toThrow(TypeError);
    expect(est.pushed).toBe(2);
    expect(est.result().exponents).toEqual(before.exponents);
  });

  it('accepts an initial frame and rejects a rank-deficient one', () => {
    const est = createLyapunovEstimator({ dim: 2, initialFrame: new Float64Array([1, 0, 0, 1]) });
    expect(Array.from(est.frame(), (v) => v + 0)).toEqual([1, 0, 0, 1]);
    expect(() => createLyapunovEstimator({ dim: 2, initialFrame: new Float64Array([1, 2, 2, 4]) })).toThrow(/rank-deficient/);
  });

  it('gives the same spectrum whether the frame is kept factored (k ≳ 0.55·dim) or explicit', () => {
    // a hook needs Q at every QR, which forces the explicit frame; without one, k = dim keeps it factored
    const n = 9;
    const rng = createRng(12);
    const Js = Array.from({ length: 400 }, () => Float64Array.from({ length: n * n }, () => rng.normal() / 3));
    for (const k of [9, 6, 5, 2]) {
      const factored = createLyapunovEstimator({ dim: n, k, reorthEvery: k === 6 ? 3 : 1 });
      const explicit = createLyapunovEstimator({ dim: n, k, reorthEvery: k === 6 ? 3 : 1, onReorthonormalize: () => {} });
      for (const J of Js) {
        factored.pushJacobian(J);
        explicit.pushJacobian(J);
      }
      const a = factored.result(), b = explicit.result();
      for (let i = 0; i < k; i++) expect(Math.abs(a.exponents[i] - b.exponents[i])).toBeLessThan(1e-12);
      // frame() forms Q from the reflectors: it must be the same orthonormal frame
      const fa = factored.frame(), fb = explicit.frame();
      for (let i = 0; i < n * k; i++) expect(Math.abs(fa[i] - fb[i])).toBeLessThan(1e-12);
    }
  });

  it('uses O(dim·k) memory: no history unless asked', () => {
    const est = createLyapunovEstimator({ dim: 2 });
    for (const J of henonJacobians(5000)) est.pushJacobian(J);
    expect(est.result().history).toBeUndefined();
  });
});
