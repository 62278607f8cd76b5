/**
 * eigenvalues / eigenvaluesRaw of general real matrices.
 *
 * Tolerances: Hessenberg reduction + Francis QR is backward stable, so the computed eigenvalues are
 * exact for A + E with ‖E‖_F ≤ c·n·ε·‖A‖_F (c = C_BACK). Then
 * - vs ml-matrix (also backward stable), Bauer–Fike: each eigenvalue moves by ≤ κ₂(X)·‖E‖₂, X the
 *   eigenvector matrix (κ₂ from ml-matrix), so the two sets match within 2·κ₂(X)·c·n·ε·‖A‖_F;
 * - Σλ = tr(A + E), |tr E| ≤ √n·‖E‖_F;
 * - Πλ = det(A + E), |Δ log det| ≤ ‖A⁻¹‖_F·‖E‖_F (to first order);
 * - a k×k Jordan block moves by ≤ (‖E‖)^{1/k} (to first order).
 */
import fc from 'fast-check';
import { EigenvalueDecomposition, Matrix, SingularValueDecomposition, determinant, inverse } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { eigenvalues, eigenvaluesRaw, tensor } from '../../../src/core/index.js';
import { C_BACK, EPS, copyNested, denseArb, flat, flushTiny, frob, squareArb } from './helpers.js';

/** Sorting and pairing invariants of the documented order. */
function checkOrder(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1; i < n; i++) {
    expect(Math.hypot(re[i], im[i])).toBeLessThanOrEqual(Math.hypot(re[i - 1], im[i - 1]));
  }
  for (let i = 0; i < n; i++) {
    if (im[i] > 0) {
      expect(i + 1).toBeLessThan(n);
      expect(re[i + 1]).toBe(re[i]);
      expect(im[i + 1]).toBe(-im[i]);
      i++;
    } else {
      expect(im[i]).toBe(0); // a negative imaginary part only ever follows its conjugate
    }
  }
}

/** Greedy nearest matching of two eigenvalue sets; returns the largest distance. */
function setDistance(re1: ArrayLike<number>, im1: ArrayLike<number>, re2: ArrayLike<number>, im2: ArrayLike<number>): number {
  const used = new Array<boolean>(re2.length).fill(false);
  let worst = 0;
  for (let i = 0; i < re1.length; i++) {
    let best = -1, bd = Infinity;
    for (let j = 0; j < re2.length; j++) {
      if (used[j]) continue;
      const d = Math.hypot(re1[i] - re2[j], im1[i] - im2[j]);
      if (d < bd) {
        bd = d;
        best = j;
      }
    }
    used[best] = true;
    worst = Math.max(worst, bd);
  }
  return worst;
}

describe('eigenvalues', () => {
  it('matches ml-matrix EVD within the Bauer–Fike bound, with documented order (property, dense matrices)', () => {
    fc.assert(
      fc.property(denseArb(1, 10, 1, 10, true), (a) => {
        const n = a.length;
        const before = copyNested(a);
        const ml = new EigenvalueDecomposition(new Matrix(a));
        const kappa = new SingularValueDecomposition(ml.eigenvectorMatrix).condition;
        fc.pre(Number.isFinite(kappa) && kappa < 1e6);
        const { re, im } = eigenvalues(a);
        expect(a).toEqual(before);
        checkOrder(re, im);
        const tol = 2 * kappa * C_BACK * n * EPS * frob(flat(a));
        expect(setDistance(re, im, ml.realEigenvalues, ml.imaginaryEigenvalues)).toBeLessThanOrEqual(tol);
      }),
      { numRuns: 150 },
    );
  });

  it('keeps the documented order and exact conjugate pairs on arbitrary (sparse, graded) matrices (property)', () => {
    fc.assert(
      fc.property(squareArb(1, 10), (a) => {
        const before = copyNested(a);
        const { re, im } = eigenvalues(a);
        expect(a).toEqual(before);
        checkOrder(re, im);
        for (let i = 0; i < re.length; i++) expect(Number.isFinite(re[i]) && Number.isFinite(im[i])).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('Σλ = tr(A) and Πλ = det(A) (property)', () => {
    fc.assert(
      fc.property(squareArb(1, 10).map(flushTiny), (a) => {
        const n = a.length;
        const A = flat(a);
        const normE = C_BACK * n * EPS * frob(A);
        const { re, im } = eigenvalues(a);
        let tr = 0, sr = 0, si = 0;
        for (let i = 0; i < n; i++) {
          tr += a[i][i];
          sr += re[i];
          si += im[i];
        }
        // summation of n terms adds n·ε·Σ|λ| of its own
        let sumAbs = 0;
        for (let i = 0; i < n; i++) sumAbs += Math.hypot(re[i], im[i]);
        expect(Math.abs(sr - tr)).toBeLessThanOrEqual(Math.sqrt(n) * normE + n * EPS * (sumAbs + frob(A)));
        expect(Math.abs(si)).toBeLessThanOrEqual(n * EPS * sumAbs);
        // product, as a complex number
        const M = new Matrix(a);
        const det = determinant(M);
        fc.pre(Math.abs(det) > 1e-8 * frob(A) ** n);
        const invNorm = frob(inverse(M).to1DArray());
        let pr = 1, pi = 0;
        for (let i = 0; i < n; i++) [pr, pi] = [pr * re[i] - pi * im[i], pr * im[i] + pi * re[i]];
        const rel = invNorm * normE + 2 * n * EPS * (1 + invNorm * frob(A)); // + LU's own rounding in det
        expect(Math.abs(pr - det)).toBeLessThanOrEqual(rel * Math.abs(det));
        expect(Math.abs(pi)).toBeLessThanOrEqual(rel * Math.abs(det));
      }),
      { numRuns: 100 },
    );
  });

  it('rotation matrices: e^{±iθ}, exact conjugate pairs, positive imaginary part first', () => {
    for (const theta of [0.3, 1, Math.PI / 2, 2.5, 3]) {
      const c = Math.cos(theta), s = Math.sin(theta);
      const { re, im } = eigenvalues([[c, -s], [s, c]]);
      const tol = C_BACK * 2 * EPS * Math.SQRT2;
      expect(Math.abs(re[0] - c)).toBeLessThanOrEqual(tol);
      expect(Math.abs(im[0] - s)).toBeLessThanOrEqual(tol);
      expect(re[1]).toBe(re[0]);
      expect(im[1]).toBe(-im[0]);
      // 3-D rotation about an oblique axis: 1, e^{±iθ}
      const u = [1 / Math.sqrt(3), 1 / Math.sqrt(3), 1 / Math.sqrt(3)];
      const R = [0, 1, 2].map((i) => [0, 1, 2].map((j) => {
        const cross = [[0, -u[2], u[1]], [u[2], 0, -u[0]], [-u[1], u[0], 0]][i][j];
        return (i === j ? c : 0) + s * cross + (1 - c) * u[i] * u[j];
      }));
      const r3 = eigenvalues(R);
      checkOrder(r3.re, r3.im);
      const tol3 = C_BACK * 3 * EPS * frob(flat(R));
      expect(setDistance(r3.re, r3.im, [1, c, c], [0, s, -s])).toBeLessThanOrEqual(tol3);
    }
  });

  it('repeated complex pairs stay paired and adjacent', () => {
    const c = Math.cos(0.7), s = Math.sin(0.7);
    const a = [
      [c, -s, 0, 0, 0],
      [s, c, 0, 0, 0],
      [0, 0, c, -s, 0],
      [0, 0, s, c, 0],
      [0, 0, 0, 0, 0.5],
    ];
    const { re, im } = eigenvalues(a);
    checkOrder(re, im);
    expect(Array.from(im).filter((x) => x > 0).length).toBe(2);
    expect(setDistance(re, im, [c, c, c, c, 0.5], [s, -s, s, -s, 0])).toBeLessThanOrEqual(C_BACK * 5 * EPS * frob(flat(a)));
  });

  it('identity, zero, 1×1, diagonal and triangular matrices', () => {
    let r = eigenvalues([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]);
    expect(Array.from(r.re)).toEqual([1, 1, 1, 1]);
    expect(Array.from(r.im)).toEqual([0, 0, 0, 0]);
    r = eigenvalues([[0, 0], [0, 0]]);
    expect(Array.from(r.re)).toEqual([0, 0]);
    r = eigenvalues([[-3.5]]);
    expect(Array.from(r.re)).toEqual([-3.5]);
    expect(Array.from(r.im)).toEqual([0]);
    r = eigenvalues([[2, 0, 0], [0, -7, 0], [0, 0, 3]]);
    expect(Array.from(r.re)).toEqual([-7, 3, 2]);
    // upper triangular with distinct diagonal 1..6 and entries in [-1, 1] above it
    const n = 6;
    const t = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (j === i ? i + 1 : j > i ? Math.sin(7 * i + j) : 0)));
    r = eigenvalues(t);
    const kappa = new SingularValueDecomposition(new EigenvalueDecomposition(new Matrix(t)).eigenvectorMatrix).condition;
    const tol = 2 * kappa * C_BACK * n * EPS * frob(flat(t));
    for (let i = 0; i < n; i++) {
      expect(Math.abs(r.re[i] - (n - i))).toBeLessThanOrEqual(tol);
      expect(r.im[i]).toBe(0);
    }
    // lower triangular too
    const lt = t.map((row, i) => row.map((_, j) => t[j][i]));
    r = eigenvalues(lt);
    for (let i = 0; i < n; i++) expect(Math.abs(r.re[i] - (n - i))).toBeLessThanOrEqual(tol);
  });

  it('a Jordan block J_4(2) gives 2 within the (‖E‖)^{1/4} perturbation, with exact trace', () => {
    const J = [[2, 1, 0, 0], [0, 2, 1, 0], [0, 0, 2, 1], [0, 0, 0, 2]];
    const { re, im } = eigenvalues(J);
    const normE = C_BACK * 4 * EPS * frob(flat(J));
    for (let i = 0; i < 4; i++) expect(Math.hypot(re[i] - 2, im[i])).toBeLessThanOrEqual(2 * normE ** 0.25);
    expect(Math.abs(re.reduce((x, y) => x + y, 0) - 8)).toBeLessThanOrEqual(4 * normE);
    // a perturbed Jordan block J_3(0) + δ·e_3e_1ᵀ has the three cube roots of δ
    const d = 1e-9;
    const r = eigenvalues([[0, 1, 0], [0, 0, 1], [d, 0, 0]]);
    checkOrder(r.re, r.im);
    const rho = Math.cbrt(d);
    const expRe = [rho, -rho / 2, -rho / 2], expIm = [0, (rho * Math.sqrt(3)) / 2, (-rho * Math.sqrt(3)) / 2];
    // here κ of the eigenvalues is ~ 1/ρ²
    expect(setDistance(r.re, r.im, expRe, expIm)).toBeLessThanOrEqual((C_BACK * 3 * EPS * 2) / rho ** 2);
  });

  it('permutation (cyclic shift) matrices: roots of unity; companion matrix: polynomial roots', () => {
    for (const n of [2, 3, 5, 8]) {
      const P = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (j === (i + n - 1) % n ? 1 : 0)));
      const { re, im } = eigenvalues(P);
      checkOrder(re, im);
      const expRe = Array.from({ length: n }, (_, k) => Math.cos((2 * Math.PI * k) / n));
      const expIm = Array.from({ length: n }, (_, k) => Math.sin((2 * Math.PI * k) / n));
      expect(setDistance(re, im, expRe, expIm)).toBeLessThanOrEqual(C_BACK * n * EPS * Math.sqrt(n));
    }
    // (x−1)(x−2)(x−3)(x−4) = x⁴ − 10x³ + 35x² − 50x + 24
    const C = [[10, -35, 50, -24], [1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]];
    const { re, im } = eigenvalues(C);
    const ml = new EigenvalueDecomposition(new Matrix(C));
    const kappa = new SingularValueDecomposition(ml.eigenvectorMatrix).condition;
    const tol = 2 * kappa * C_BACK * 4 * EPS * frob(flat(C));
    for (let i = 0; i < 4; i++) {
      expect(Math.abs(re[i] - (4 - i))).toBeLessThanOrEqual(tol);
      expect(im[i]).toBe(0);
    }
  });

  it('balancing is an exact similarity: a badly scaled D·A·D⁻¹ gives A’s eigenvalues', () => {
    const a = [[1, 2, 0], [-1, 0, 3], [0.5, 1, -2]];
    const D = [1, 1e8, 1e-8];
    const scaled = a.map((row, i) => row.map((x, j) => (D[i] * x) / D[j]));
    const ref = eigenvalues(a);
    const bal = eigenvalues(scaled);
    const ml = new EigenvalueDecomposition(new Matrix(a));
    const kappa = new SingularValueDecomposition(ml.eigenvectorMatrix).condition;
    // balancing recovers (a power-of-two rescaling of) A, so the error is relative to ‖A‖, not ‖DAD⁻¹‖
    expect(setDistance(bal.re, bal.im, ref.re, ref.im)).toBeLessThanOrEqual(2 * kappa * C_BACK * 3 * EPS * frob(flat(a)) * 4);
    const unbal = eigenvalues(scaled, { balance: false });
    checkOrder(unbal.re, unbal.im);
  });

  it('accepts Tensors, leaves them unchanged, and rejects bad input with named errors', () => {
    const t = tensor([[0, -2], [2, 0]]);
    const copy = t.data.slice();
    const { re, im } = eigenvalues(t);
    expect(Array.from(re)).toEqual([0, 0]);
    expect(Array.from(im)).toEqual([2, -2]);
    expect(t.data).toEqual(copy);
    expect(() => eigenvalues([[1, 2, 3], [4, 5, 6]])).toThrow(/eigenvalues: a: expected a square matrix, got shape \[2,3\]/);
    expect(() => eigenvalues(tensor([[1, 2, 3]]))).toThrow(RangeError);
    expect(() => eigenvalues([[1, 2], [Infinity, 4]])).toThrow(/eigenvalues: a: expected finite values, found Infinity at \[1,0\]/);
    const withNaN = { rows: 2, cols: 2, data: new Float64Array([1, NaN, 0, 1]) };
    expect(() => eigenvalues(withNaN)).toThrow(/found NaN at \[0,1\]/);
    expect(Number.isNaN(withNaN.data[1])).toBe(true);
    expect(() => eigenvalues([[1], [2, 3]] as never)).toThrow(/ragged/);
    expect(() => eigenvalues(undefined as never)).toThrow(TypeError);
    expect(() => eigenvalues({ shape: [2, 2], data: [1, 2, 3, 4] } as never)).toThrow(TypeError);
    expect(() => eigenvalues([[1]], { balance: 'no' as never })).toThrow(TypeError);
  });
});

describe('eigenvaluesRaw', () => {
  it('agrees with eigenvalues, leaves a unchanged, reuses work, and rejects non-finite entries', () => {
    const a = new Float64Array([0.9, -0.4, 0.1, 0.5, 0.8, -0.3, 0.0, 0.2, 0.7]);
    const copy = a.slice();
    const re = new Float64Array(3), im = new Float64Array(3);
    const work = new Float64Array(9 + 6).fill(-1);
    eigenvaluesRaw(3, a, re, im, { work });
    expect(Array.from(a)).toEqual(Array.from(copy));
    const pub = eigenvalues({ rows: 3, cols: 3, data: a });
    expect(Array.from(re)).toEqual(Array.from(pub.re));
    expect(Array.from(im)).toEqual(Array.from(pub.im));
    eigenvaluesRaw(3, a, re, im, { work, balance: false });
    expect(setDistance(re, im, pub.re, pub.im)).toBeLessThanOrEqual(1e3 * EPS);
    expect(() => eigenvaluesRaw(2, new Float64Array([1, 0, NaN, 1]), re, im)).toThrow(RangeError);
  });
});
