/**
 * qr and the Householder kernels: QᵀQ = I and Q·R = A within c·n·ε·‖A‖_F (Householder QR is
 * backward stable with ‖E‖_F ≤ c·m·n·ε·‖A‖_F, Higham Thm 19.4; entrywise we allow c·max(m,n)·ε·‖A‖_F
 * with c = C_BACK, and c·max(m,n)·ε for the orthogonality of Q), R upper triangular with R_ii ≥ 0,
 * agreement with ml-matrix's QrDecomposition after fixing its signs.
 */
import fc from 'fast-check';
import { Matrix, QrDecomposition, SingularValueDecomposition } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import {
  fixQrSignsColMajor,
  householderApplyColMajor,
  householderFormQColMajor,
  householderQrColMajor,
  qr,
  tensor,
  type Matrix64,
} from '../../../src/core/index.js';
import { C_BACK, EPS, ETA, copyNested, flat, flushTiny, frob, matrixArb, maxAbsDiff, mul, orthoError } from './helpers.js';

function checkQr(a: number[][], q: Matrix64, r: Matrix64): void {
  const m = a.length, n = a[0].length, k = Math.min(m, n);
  expect([q.rows, q.cols, r.rows, r.cols]).toEqual([m, k, k, n]);
  const A = flat(a);
  const scale = Math.max(m, n) * EPS;
  // orthonormal columns
  expect(orthoError(q)).toBeLessThanOrEqual(C_BACK * scale);
  // Q·R = A
  const qrProd = mul(q.data, m, k, r.data, k, n);
  expect(maxAbsDiff(qrProd.data, A)).toBeLessThanOrEqual(C_BACK * scale * frob(A) + C_BACK * Math.max(m, n) * ETA);
  // upper triangular with a non-negative diagonal
  for (let i = 0; i < k; i++) {
    expect(r.data[i * n + i]).toBeGreaterThanOrEqual(0);
    for (let j = 0; j < Math.min(i, n); j++) expect(r.data[i * n + j]).toBe(0);
  }
}

describe('qr', () => {
  it('is a thin QR with orthonormal Q and non-negative diag(R) for tall, square and wide matrices (property)', () => {
    fc.assert(
      fc.property(matrixArb(1, 12, 1, 12), (a) => {
        const before = copyNested(a);
        const { q, r } = qr(a);
        checkQr(a, q, r);
        expect(a).toEqual(before);
      }),
      { numRuns: 150 },
    );
  });

  it('agrees with ml-matrix QrDecomposition (R and Q, after making its diagonal non-negative)', () => {
    // Both are backward stable, so their factors differ by the forward error of QR, which is
    // ≲ c·m·n·ε·κ₂(A) relatively (Higham Thm 19.4 + the perturbation theory of §19.7): we take
    // κ₂(A) from ml-matrix's SVD and skip draws with κ₂(A) > 1e8.
    fc.assert(
      fc.property(matrixArb(1, 10, 1, 6).filter((a) => a.length >= a[0].length).map(flushTiny), (a) => {
        const m = a.length, n = a[0].length;
        const M = new Matrix(a);
        const kappa = new SingularValueDecomposition(M).condition;
        fc.pre(Number.isFinite(kappa) && kappa < 1e8);
        const d = new QrDecomposition(M);
        const R = d.upperTriangularMatrix.to2DArray();
        const Q = d.orthogonalMatrix.to2DArray();
        const A = flat(a);
        const ours = qr(a);
        const rel = C_BACK * m * n * EPS * kappa;
        for (let i = 0; i < n; i++) {
          const s = R[i][i] < 0 ? -1 : 1;
          for (let j = 0; j < n; j++) expect(Math.abs(ours.r.data[i * n + j] - s * R[i][j])).toBeLessThanOrEqual(rel * frob(A));
          for (let row = 0; row < m; row++) expect(Math.abs(ours.q.data[row * n + i] - s * Q[row][i])).toBeLessThanOrEqual(rel);
        }
      }),
      { numRuns: 80 },
    );
  });

  it('handles 1×1, a single column and a single row', () => {
    let res = qr([[-3]]);
    expect(Array.from(res.q.data)).toEqual([-1]);
    expect(Array.from(res.r.data)).toEqual([3]);
    res = qr([[3], [4]]);
    expect(res.r.data[0]).toBeCloseTo(5, 14);
    expect(Array.from(res.q.data).map((x) => x * 5)).toEqual([expect.closeTo(3, 13), expect.closeTo(4, 13)]);
    res = qr([[-2, 1, 5]]);
    expect(Array.from(res.q.data)).toEqual([-1]);
    expect(Array.from(res.r.data)).toEqual([2, -1, -5]);
  });

  it('keeps Q orthonormal and R_jj = 0 for rank-deficient input (zero column, repeated column, zero matrix)', () => {
    const zeroCol = [[1, 0, 2], [3, 0, 4], [5, 0, 6], [7, 0, 8]];
    let { q, r } = qr(zeroCol);
    checkQr(zeroCol, q, r);
    expect(r.data[1 * 3 + 1]).toBe(0);
    const repeated = [[1, 1, 2], [2, 2, 1], [3, 3, 0]];
    ({ q, r } = qr(repeated));
    checkQr(repeated, q, r);
    expect(Math.abs(r.data[1 * 3 + 1])).toBeLessThanOrEqual(C_BACK * 3 * EPS * frob(flat(repeated)));
    const zero = [[0, 0], [0, 0], [0, 0]];
    ({ q, r } = qr(zero));
    checkQr(zero, q, r);
    expect(Array.from(r.data)).toEqual([0, 0, 0, 0]);
  });

  it('is accurate for badly scaled matrices (no overflow or underflow in the norms)', () => {
    for (const s of [1e-300, 1e-160, 1e160, 1e300]) {
      const a = [[3 * s, s], [4 * s, 2 * s], [0, 2 * s]];
      const { q, r } = qr(a);
      expect(orthoError(q)).toBeLessThanOrEqual(C_BACK * 3 * EPS);
      expect(r.data[0] / s).toBeCloseTo(5, 13);
      const prod = mul(q.data, 3, 2, r.data, 2, 2);
      for (let i = 0; i < 6; i++) expect(Math.abs(prod.data[i] / s - flat(a)[i] / s)).toBeLessThanOrEqual(C_BACK * 3 * EPS * 6);
    }
  });

  it('is accurate up to the largest finite entries (was Infinity/NaN in Q and R above ~7e307)', () => {
    // qr([[1e308], [1e308]]) gave q = [Infinity, NaN]: alpha − beta overflowed inside the reflector
    const one = qr([[1e308], [1e308]]);
    expect(Array.from(one.q.data).map((v) => Math.abs(v - Math.SQRT1_2) <= 4 * EPS)).toEqual([true, true]);
    expect(Math.abs(one.r.data[0] - Math.SQRT2 * 1e308)).toBeLessThanOrEqual(4 * EPS * 1.5e308);
    const s = 1e307;
    for (const a of [[[10 * s, -10 * s], [10 * s, 10 * s], [s, 0]], [[12 * s, 3 * s, -s], [-9 * s, 16 * s, 5 * s]]]) {
      const m = a.length, n = a[0].length, k = Math.min(m, n);
      const b = [[1, 2], [3, 4], [5, 6]].slice(0, m);
      const { q, r, qtb } = qr(a, { applyQt: b });
      expect(orthoError(q)).toBeLessThanOrEqual(C_BACK * 3 * EPS);
      for (const v of r.data) expect(Number.isFinite(v)).toBe(true);
      const scaled = a.map((row) => row.map((v) => v / s));
      const prod = mul(q.data, m, k, Float64Array.from(r.data, (v) => v / s), k, n);
      expect(maxAbsDiff(prod.data, flat(scaled))).toBeLessThanOrEqual(C_BACK * 3 * EPS * frob(flat(scaled)));
      // Qᵀ·B is unaffected by the scaling
      const ref = qr(scaled, { applyQt: b });
      expect(maxAbsDiff(qtb!.data, ref.qtb!.data)).toBeLessThanOrEqual(C_BACK * 3 * EPS * 10);
    }
  });

  it('large entries that do not overflow keep their bits, and the huge-input scaling does not flush small entries', () => {
    // a scale of 2^-600 applied to every matrix with an entry above 2^900 flushed 1e-300 to 0 (R_22 = 0, a
    // false rank deficiency) in [[1e300, 0], [0, 1e-300]], which needs no scaling at all (as before it)
    expect(Array.from(qr([[1e300, 0], [0, 1e-300]]).r.data)).toEqual([1e300, 0, 0, 1e-300]);
    expect(qr([[1e280, 1], [1, 1e-150]]).r.data[3]).toBe(1e-150);
    const bits = [[2 ** 950, 3], [-1, 2 ** 949], [5, 7]];
    const scaled = qr(bits.map((row) => row.map((v) => v * 2 ** -900)));
    const big = qr(bits);
    expect(Array.from(big.q.data)).toEqual(Array.from(scaled.q.data));
    expect(Array.from(big.r.data)).toEqual(Array.from(scaled.r.data, (v) => v * 2 ** 900));
    // when scaling is needed (m·max|a| near overflow), small entries stay normal and exact
    expect(Array.from(qr([[1e308, 0], [0, 1e-300]]).r.data)).toEqual([1e308, 0, 0, 1e-300]);
  });

  it('rescales subnormal columns (LAPACK dlarfg style): Q stays orthonormal, R exact', () => {
    const tiny = 5e-324;
    for (const a of [[[0], [tiny]], [[tiny], [tiny]], [[-tiny, 1], [0, 2], [tiny, 3]], [[3e-310, 0], [4e-310, 1]]]) {
      const { q, r } = qr(a);
      expect(orthoError(q)).toBeLessThanOrEqual(C_BACK * 3 * EPS);
      const prod = mul(q.data, q.rows, q.cols, r.data, r.rows, r.cols);
      const A = flat(a);
      // column-wise relative accuracy: each column of Q·R matches A to c·m·ε of that column's norm
      for (let j = 0; j < r.cols; j++) {
        const col = a.map((row) => row[j]);
        for (let i = 0; i < a.length; i++) {
          expect(Math.abs(prod.data[i * r.cols + j] - A[i * r.cols + j])).toBeLessThanOrEqual(C_BACK * 3 * EPS * frob(col) + 5e-324);
        }
      }
    }
    expect(qr([[3e-310], [4e-310]]).r.data[0]).toBeCloseTo(5e-310, 320);
  });

  it('accepts Tensors and { rows, cols, data } and leaves them unchanged', () => {
    const t = tensor([[1, 2], [3, 4], [5, 6]]);
    const tCopy = t.data.slice();
    const fromT = qr(t);
    expect(t.data).toEqual(tCopy);
    const m = { rows: 3, cols: 2, data: new Float64Array([1, 2, 3, 4, 5, 6]) };
    const mCopy = m.data.slice();
    const fromM = qr(m);
    expect(m.data).toEqual(mCopy);
    expect(maxAbsDiff(fromT.r.data, fromM.r.data)).toBe(0);
    const t64 = { shape: [3, 2], data: new Float64Array([1, 2, 3, 4, 5, 6]) };
    expect(maxAbsDiff(qr(t64).q.data, fromM.q.data)).toBe(0);
  });

  it('q: false gives the same R; applyQt gives Qᵀ·B and solves least squares', () => {
    fc.assert(
      fc.property(matrixArb(1, 9, 1, 9), fc.integer({ min: 1, max: 3 }), (a, p) => {
        const m = a.length;
        const b = Array.from({ length: m }, (_, i) => Array.from({ length: p }, (_, j) => Math.sin(i + 3 * j + 1)));
        const bBefore = copyNested(b);
        const full = qr(a, { applyQt: b });
        const rOnly = qr(a, { q: false, applyQt: b });
        expect(rOnly.q).toBeUndefined();
        expect(maxAbsDiff(rOnly.r.data, full.r.data)).toBe(0);
        const expected = mul(full.q.data, full.q.rows, full.q.cols, flat(b), m, p, true, false);
        const tol = C_BACK * Math.max(m, a[0].length) * EPS * frob(flat(b));
        expect(maxAbsDiff(full.qtb!.data, expected.data)).toBeLessThanOrEqual(tol);
        expect(maxAbsDiff(rOnly.qtb!.data, full.qtb!.data)).toBeLessThanOrEqual(tol);
        expect(b).toEqual(bBefore);
      }),
      { numRuns: 60 },
    );
    // least squares: fit y = 1 + 2x exactly
    const xs = [0, 1, 2, 3, 4];
    const { r, qtb } = qr(xs.map((x) => [1, x]), { q: false, applyQt: xs.map((x) => [1 + 2 * x]) });
    const c1 = qtb!.data[1] / r.data[3];
    const c0 = (qtb!.data[0] - r.data[1] * c1) / r.data[0];
    expect(c0).toBeCloseTo(1, 13);
    expect(c1).toBeCloseTo(2, 13);
  });

  it('rejects bad input with TypeError/RangeError naming the argument and shape, leaving it unchanged', () => {
    expect(() => qr(null as never)).toThrow(TypeError);
    expect(() => qr(5 as never)).toThrow(/qr: a: expected a matrix/);
    expect(() => qr([1, 2, 3] as never)).toThrow(TypeError);
    expect(() => qr([[1, 2], [3]])).toThrow(RangeError);
    expect(() => qr([[1, 2], [3]])).toThrow(/qr: a: ragged array, row 0 has length 2 but row 1 has length 1/);
    expect(() => qr([[1, '2' as never]])).toThrow(/qr: a: expected a number at \[0,1\], got string/);
    expect(() => qr([])).toThrow(/qr: a: expected a non-empty matrix/);
    expect(() => qr(tensor([1, 2, 3]))).toThrow(/qr: a: expected a rank-2 tensor \[rows,cols\], got shape \[3\]/);
    expect(() => qr({ rows: 2, cols: 2, data: new Float64Array(3) })).toThrow(/shape \[2,2\] holds 4 elements but data has length 3/);
    expect(() => qr({ rows: 2, cols: 2, data: [1, 2, 3, 4] } as never)).toThrow(TypeError);
    const withNaN = [[1, 2], [NaN, 4]];
    expect(() => qr(withNaN)).toThrow(/qr: a: expected finite values, found NaN at \[1,0\] of the 2×2 matrix/);
    const t = tensor([[1, Infinity], [0, 1]]);
    const tCopy = t.data.slice();
    expect(() => qr(t)).toThrow(/found Infinity at \[0,1\]/);
    expect(t.data).toEqual(tCopy);
    expect(() => qr([[1], [2]], { applyQt: [[1], [2], [3]] })).toThrow(
      /qr: opts.applyQt must have 2 rows \(as many as a \[2,1\]\), got shape \[3,1\]/,
    );
    expect(() => qr([[1]], { q: 'yes' as never })).toThrow(TypeError);
  });
});

describe('Householder kernels (column-major, used by the Lyapunov estimator)', () => {
  it('householderQrColMajor + FormQ + fixSigns give Q·R = A, QᵀQ = I, R_ii ≥ 0 (m ≥ n)', () => {
    fc.assert(
      fc.property(matrixArb(1, 12, 1, 12).filter((a) => a.length >= a[0].length), (a) => {
        const m = a.length, n = a[0].length;
        const f = new Float64Array(m * n);
        for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) f[j * m + i] = a[i][j];
        const tau = new Float64Array(n), qc = new Float64Array(m * n);
        householderQrColMajor(m, n, f, tau);
        householderFormQColMajor(m, n, f, tau, qc);
        fixQrSignsColMajor(m, n, f, qc);
        // convert to row-major for the checks
        const q = new Float64Array(m * n), r = new Float64Array(n * n);
        for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) q[i * n + j] = qc[j * m + i];
        for (let i = 0; i < n; i++) for (let j = i; j < n; j++) r[i * n + j] = f[j * m + i];
        checkQr(a, { rows: m, cols: n, data: q }, { rows: n, cols: n, data: r });
        // same result as the public qr
        const pub = qr(a);
        expect(maxAbsDiff(pub.r.data, r)).toBe(0);
      }),
      { numRuns: 80 },
    );
  });

  it('householderApplyColMajor applies Q and Qᵀ (inverse of each other, Qᵀ·A = R)', () => {
    const a = [[2, -1, 0], [1, 3, 1], [0, 1, 4], [1, 0, 1]];
    const m = 4, n = 3;
    const f = new Float64Array(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) f[j * m + i] = a[i][j];
    const orig = f.slice();
    const tau = new Float64Array(n);
    householderQrColMajor(m, n, f, tau);
    const b = orig.slice();
    householderApplyColMajor(m, n, f, tau, b, n, true);
    const tol = C_BACK * m * EPS * frob(orig);
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < m; i++) {
        const want = i <= j ? f[j * m + i] : 0; // R (unfixed signs) above, zeros below
        expect(Math.abs(b[j * m + i] - want)).toBeLessThanOrEqual(tol);
      }
    }
    householderApplyColMajor(m, n, f, tau, b, n, false);
    expect(maxAbsDiff(b, orig)).toBeLessThanOrEqual(tol);
  });
});
