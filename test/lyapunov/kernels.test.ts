import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import {
  colMajorToRowMajor,
  matMulRowByColMajor,
  qrLogDiagInPlace,
  qrLogDiagInPlaceUnblocked,
  rowMajorToColMajor,
} from '../../src/lyapunov/kernels.js';

const EPS = 2.220446049250313e-16;

function randomColMajor(n: number, k: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n * k }, () => rng.normal());
}

/** max |QᵀQ − I| and max |Q·R − Z| with R = QᵀZ (upper triangular, diag = exp(logr)), plus the lower part of R. */
function qrErrors(n: number, k: number, z0: Float64Array, q: Float64Array, logr: Float64Array) {
  let orth = 0, lower = 0, diag = 0, recon = 0;
  const r = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      let s = 0, o = 0;
      for (let i = 0; i < n; i++) {
        s += q[a * n + i] * z0[b * n + i];
        o += q[a * n + i] * q[b * n + i];
      }
      r[a * k + b] = s;
      orth = Math.max(orth, Math.abs(o - (a === b ? 1 : 0)));
      if (a > b) lower = Math.max(lower, Math.abs(s));
      if (a === b) diag = Math.max(diag, Math.abs(s - Math.exp(logr[a])));
    }
  }
  for (let b = 0; b < k; b++) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let a = 0; a <= b; a++) s += q[a * n + i] * r[a * k + b];
      recon = Math.max(recon, Math.abs(s - z0[b * n + i]));
    }
  }
  return { orth, lower, diag, recon };
}

function frob(a: Float64Array): number {
  let s = 0;
  for (const v of a) s += v * v;
  return Math.sqrt(s);
}

describe('qrLogDiagInPlace', () => {
  it('overwrites Z with an orthonormal Q whose R = QᵀZ is upper triangular with diagonal exp(logr) ≥ 0', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 24 }), fc.integer({ min: 1, max: 24 }), fc.integer(), (a, b, seed) => {
        const n = Math.max(a, b), k = Math.min(a, b);
        const z0 = randomColMajor(n, k, seed);
        const z = z0.slice();
        const tau = new Float64Array(k), logr = new Float64Array(k);
        qrLogDiagInPlace(n, k, z, tau, logr);
        const e = qrErrors(n, k, z0, z, logr);
        const scale = frob(z0);
        const tol = 10 * n * EPS; // Householder: backward error c·n·ε·‖Z‖
        expect(e.orth).toBeLessThan(tol);
        expect(e.lower).toBeLessThan(tol * scale);
        expect(e.diag).toBeLessThan(tol * scale);
        expect(e.recon).toBeLessThan(tol * scale);
      }),
      { numRuns: 60 },
    );
  });

  it('agrees with the one-reflector-at-a-time reference (same reflectors, reassociated sums)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), fc.integer(), (a, b, seed) => {
        const n = Math.max(a, b), k = Math.min(a, b);
        const z0 = randomColMajor(n, k, seed);
        const x = z0.slice(), y = z0.slice();
        const lx = new Float64Array(k), ly = new Float64Array(k);
        qrLogDiagInPlace(n, k, x, new Float64Array(k), lx);
        qrLogDiagInPlaceUnblocked(n, k, y, new Float64Array(k), ly);
        // both are backward stable; Q and log R agree to O(n·ε·cond), cond of a Gaussian n×k is modest
        for (let i = 0; i < k; i++) expect(Math.abs(lx[i] - ly[i])).toBeLessThan(1e-9);
        for (let i = 0; i < n * k; i++) expect(Math.abs(x[i] - y[i])).toBeLessThan(1e-9);
      }),
      { numRuns: 60 },
    );
  });

  it('matches the Gram–Schmidt R diagonal on a small exact case', () => {
    // columns (3,4) and (1,0): R11 = 5, R22 = |det| / R11 = 4/5
    const z = new Float64Array([3, 4, 1, 0]);
    const logr = new Float64Array(2);
    qrLogDiagInPlace(2, 2, z, new Float64Array(2), logr);
    expect(logr[0]).toBeCloseTo(Math.log(5), 14);
    expect(logr[1]).toBeCloseTo(Math.log(0.8), 14);
    // q1 = (3,4)/5 with the sign that makes R11 positive
    expect(z[0]).toBeCloseTo(0.6, 15);
    expect(z[1]).toBeCloseTo(0.8, 15);
  });

  it('gives −Infinity, not NaN, for an exactly dependent (zero) column and keeps Q orthonormal', () => {
    const n = 5, k = 3;
    const z0 = randomColMajor(n, k, 7);
    for (let i = 0; i < n; i++) z0[1 * n + i] = 0;
    const z = z0.slice();
    const logr = new Float64Array(k);
    qrLogDiagInPlace(n, k, z, new Float64Array(k), logr);
    expect(logr[1]).toBe(-Infinity);
    expect(Number.isFinite(logr[0]) && Number.isFinite(logr[2])).toBe(true);
    expect(qrErrors(n, k, z0, z, logr).orth).toBeLessThan(10 * n * EPS);
  });

  it('handles tiny and huge columns without overflow or underflow (scaled norms)', () => {
    const n = 4, k = 2;
    const z0 = new Float64Array([1e-160, 2e-160, -1e-160, 3e-160, 1e160, -2e160, 5e159, 1e160]);
    const z = z0.slice();
    const logr = new Float64Array(k);
    qrLogDiagInPlace(n, k, z, new Float64Array(k), logr);
    let s = 0;
    for (let i = 0; i < n; i++) s += (z0[i] / 1e-160) ** 2;
    expect(logr[0]).toBeCloseTo(Math.log(1e-160) + 0.5 * Math.log(s), 12);
    expect(Number.isFinite(logr[1])).toBe(true);
    let o = 0;
    for (let i = 0; i < n; i++) o += z[i] * z[n + i];
    expect(Math.abs(o)).toBeLessThan(10 * EPS);
  });
});

describe('matMulRowByColMajor and layout conversions', () => {
  it('computes A·Q for every blocking remainder', () => {
    for (const [n, k] of [[1, 1], [3, 2], [5, 3], [8, 8], [9, 7], [13, 1]]) {
      const rng = createRng(n * 31 + k);
      const a = Float64Array.from({ length: n * n }, () => rng.normal());
      const q = Float64Array.from({ length: n * k }, () => rng.normal());
      const out = new Float64Array(n * k);
      matMulRowByColMajor(n, k, a, q, out);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < k; j++) {
          let s = 0, m = 0;
          for (let l = 0; l < n; l++) {
            s += a[i * n + l] * q[j * n + l];
            m += Math.abs(a[i * n + l] * q[j * n + l]);
          }
          expect(Math.abs(out[j * n + i] - s)).toBeLessThanOrEqual(2 * n * EPS * m);
        }
      }
    }
  });

  it('round-trips between row-major and column-major storage', () => {
    const n = 5, k = 3;
    const row = Float64Array.from({ length: n * k }, (_, i) => i);
    const col = new Float64Array(n * k);
    rowMajorToColMajor(n, k, row, col);
    expect(col[1 * n + 2]).toBe(row[2 * k + 1]);
    const back = new Float64Array(n * k);
    colMajorToRowMajor(n, k, col, back);
    expect(back).toEqual(row);
  });
});
