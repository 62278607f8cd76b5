/**
 * svd / svdRaw: U·diag(s)·Vᵀ = A within c·max(m,n)·ε·‖A‖_F (Golub–Kahan–Reinsch is backward
 * stable), orthonormal U and V within c·max(m,n)·ε, s descending and ≥ 0, and s equal to ml-matrix's
 * singular values within 2·c·max(m,n)·ε·‖A‖_F (Weyl's inequality for singular values).
 */
import fc from 'fast-check';
import { Matrix, SingularValueDecomposition } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { svd, svdRaw, tensor, type Matrix64 } from '../../../src/core/index.js';
import { C_BACK, EPS, ETA, copyNested, denseArb, flat, frob, matrixArb, maxAbsDiff, orthoError } from './helpers.js';

function reconstruct(u: Matrix64, s: Float64Array, v: Matrix64): Float64Array {
  const m = u.rows, n = v.rows, k = s.length;
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let p = 0; p < k; p++) acc += u.data[i * k + p] * s[p] * v.data[j * k + p];
      out[i * n + j] = acc;
    }
  }
  return out;
}

function checkSvd(a: number[][], r: { u: Matrix64; s: Float64Array; v: Matrix64 }): void {
  const m = a.length, n = a[0].length, k = Math.min(m, n);
  const A = flat(a);
  const c = C_BACK * Math.max(m, n) * EPS;
  expect([r.u.rows, r.u.cols, r.s.length, r.v.rows, r.v.cols]).toEqual([m, k, k, n, k]);
  for (let i = 0; i < k; i++) {
    expect(r.s[i]).toBeGreaterThanOrEqual(0);
    if (i > 0) expect(r.s[i]).toBeLessThanOrEqual(r.s[i - 1]);
  }
  expect(orthoError(r.u)).toBeLessThanOrEqual(c);
  expect(orthoError(r.v)).toBeLessThanOrEqual(c);
  expect(maxAbsDiff(reconstruct(r.u, r.s, r.v), A)).toBeLessThanOrEqual(c * frob(A) + C_BACK * Math.max(m, n) * ETA);
  // sign rule: the largest-magnitude entry of each column of V is positive
  for (let j = 0; j < k; j++) {
    let big = 0, val = 0;
    for (let i = 0; i < n; i++) {
      const x = r.v.data[i * k + j];
      if (Math.abs(x) > big) {
        big = Math.abs(x);
        val = x;
      }
    }
    expect(val).toBeGreaterThan(0);
  }
}

describe('svd', () => {
  it('A = U·diag(s)·Vᵀ with orthonormal U, V and descending s ≥ 0 for tall, square and wide (property)', () => {
    fc.assert(
      fc.property(matrixArb(1, 12, 1, 12), (a) => {
        const before = copyNested(a);
        checkSvd(a, svd(a));
        expect(a).toEqual(before);
      }),
      { numRuns: 150 },
    );
  });

  it('singular values match ml-matrix SingularValueDecomposition within 2·c·max(m,n)·ε·‖A‖_F (dense matrices)', () => {
    fc.assert(
      fc.property(denseArb(1, 12, 1, 12), (a) => {
        const m = a.length, n = a[0].length;
        const ml = new SingularValueDecomposition(new Matrix(a), { autoTranspose: true });
        const theirs = ml.diagonal.slice(0, Math.min(m, n));
        const { s } = svd(a, { vectors: false });
        expect(maxAbsDiff(s, theirs)).toBeLessThanOrEqual(2 * C_BACK * Math.max(m, n) * EPS * frob(flat(a)));
      }),
      { numRuns: 100 },
    );
  });

  it('values-only mode agrees with the full decomposition', () => {
    fc.assert(
      fc.property(matrixArb(1, 8, 1, 8), (a) => {
        const full = svd(a);
        const only = svd(a, { vectors: false });
        expect('u' in only).toBe(false);
        expect(maxAbsDiff(only.s, full.s)).toBeLessThanOrEqual(C_BACK * Math.max(a.length, a[0].length) * EPS * frob(flat(a)));
      }),
      { numRuns: 50 },
    );
  });

  it('known decompositions: diagonal, rank one, zero, 1×1, repeated singular values', () => {
    let r = svd([[3, 0], [0, -4], [0, 0]]);
    expect(Array.from(r.s)).toEqual([4, 3]);
    checkSvd([[3, 0], [0, -4], [0, 0]], r);
    // rank one: u·vᵀ with ‖u‖ = 3, ‖v‖ = 5 → s = [15, 0, 0]
    const ro = [[2, 0, 0], [1, 0, 0], [2, 0, 0]].map((row, i) => [4, 3, 0].map((x) => x * [2, 1, 2][i]));
    r = svd(ro);
    expect(Math.abs(r.s[0] - 15)).toBeLessThanOrEqual(C_BACK * 3 * EPS * 15);
    expect(r.s[1]).toBeLessThanOrEqual(C_BACK * 3 * EPS * 15);
    checkSvd(ro, r);
    r = svd([[0, 0, 0], [0, 0, 0]]);
    expect(Array.from(r.s)).toEqual([0, 0]);
    checkSvd([[0, 0, 0], [0, 0, 0]], r);
    r = svd([[-2]]);
    expect(Array.from(r.s)).toEqual([2]);
    expect(r.u.data[0] * r.v.data[0]).toBe(-1);
    // orthogonal matrix times 7: all singular values 7
    const c = Math.cos(0.4), s = Math.sin(0.4);
    const q = [[7 * c, -7 * s], [7 * s, 7 * c]];
    r = svd(q);
    for (const x of r.s) expect(Math.abs(x - 7)).toBeLessThanOrEqual(C_BACK * 2 * EPS * 7 * Math.SQRT2);
    checkSvd(q, r);
  });

  it('wide data (PCA of few samples × many features): the Gram-matrix eigenvalues are s²', () => {
    const m = 5, n = 40;
    const a = Array.from({ length: m }, (_, i) => Array.from({ length: n }, (_, j) => Math.sin(1.3 * i * j + i) + 0.1 * j / n));
    const r = svd(a);
    checkSvd(a, r);
    // A·Aᵀ·u_k = s_k²·u_k
    for (let k = 0; k < m; k++) {
      for (let i = 0; i < m; i++) {
        let acc = 0;
        for (let j = 0; j < m; j++) {
          let g = 0;
          for (let p = 0; p < n; p++) g += a[i][p] * a[j][p];
          acc += g * r.u.data[j * m + k];
        }
        expect(Math.abs(acc - r.s[k] ** 2 * r.u.data[i * m + k])).toBeLessThanOrEqual(C_BACK * n * EPS * frob(flat(a)) ** 2);
      }
    }
  });

  it('is accurate for huge, tiny and subnormal scales', () => {
    for (const sc of [1e-300, 1e300]) {
      const a = [[3 * sc, 0], [0, 4 * sc]];
      const { s } = svd(a);
      expect(s[0] / sc).toBeCloseTo(4, 13);
      expect(s[1] / sc).toBeCloseTo(3, 13);
    }
    const { u, s, v } = svd([[0, 5e-324], [5e-324, 0]]);
    expect(Array.from(s)).toEqual([5e-324, 5e-324]);
    expect(orthoError(u)).toBeLessThanOrEqual(C_BACK * 2 * EPS);
    expect(orthoError(v)).toBeLessThanOrEqual(C_BACK * 2 * EPS);
  });

  it('accepts Tensors and { rows, cols, data }, leaves them unchanged; rejects bad input', () => {
    const t = tensor([[1, 2, 3], [4, 5, 6]]);
    const copy = t.data.slice();
    const rt = svd(t);
    expect(t.data).toEqual(copy);
    const m = { rows: 2, cols: 3, data: new Float64Array([1, 2, 3, 4, 5, 6]) };
    const rm = svd(m);
    expect(Array.from(m.data)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(maxAbsDiff(rt.s, rm.s)).toBe(0);
    expect(() => svd([[1, 2], [3]])).toThrow(/svd: a: ragged array/);
    expect(() => svd([[1, NaN]])).toThrow(/svd: a: expected finite values, found NaN at \[0,1\]/);
    expect(() => svd(tensor([[[1]]]))).toThrow(/svd: a: expected a rank-2 tensor \[rows,cols\], got shape \[1,1,1\]/);
    expect(() => svd({ rows: 0, cols: 3, data: new Float64Array(0) })).toThrow(/non-empty/);
    expect(() => svd(new Float64Array(4) as never)).toThrow(TypeError);
    expect(() => svd([[1]], { vectors: 'yes' as never })).toThrow(TypeError);
  });
});

describe('svdRaw', () => {
  it('matches svd on row-major input, leaves it unchanged, rejects non-finite entries', () => {
    const a = new Float64Array([1, 2, 3, 4, 5, 6, 7, 8, 10, 1, 0, -1]); // 4×3
    const copy = a.slice();
    const s = new Float64Array(3), u = new Float64Array(12), v = new Float64Array(9);
    svdRaw(4, 3, a, s, u, v);
    expect(Array.from(a)).toEqual(Array.from(copy));
    const pub = svd({ rows: 4, cols: 3, data: a });
    expect(Array.from(s)).toEqual(Array.from(pub.s));
    expect(Array.from(u)).toEqual(Array.from(pub.u.data));
    expect(Array.from(v)).toEqual(Array.from(pub.v.data));
    const s2 = new Float64Array(3);
    svdRaw(3, 4, new Float64Array([1, 4, 7, 1, 2, 5, 8, 0, 3, 6, 10, -1]), s2, null, null); // the transpose
    expect(maxAbsDiff(s2, s)).toBeLessThanOrEqual(C_BACK * 4 * EPS * frob(a));
    expect(() => svdRaw(1, 2, new Float64Array([1, Infinity]), new Float64Array(1), null, null)).toThrow(RangeError);
  });

  it('computing only U or only V (tall and wide) gives the same factors as computing both', () => {
    fc.assert(
      fc.property(matrixArb(1, 9, 1, 9), (a) => {
        const m = a.length, n = a[0].length, k = Math.min(m, n);
        const A = flat(a);
        const s = new Float64Array(k), u = new Float64Array(m * k), v = new Float64Array(n * k);
        svdRaw(m, n, A, s, u, v);
        const s1 = new Float64Array(k), u1 = new Float64Array(m * k), v1 = new Float64Array(n * k);
        svdRaw(m, n, A, s1, u1, null);
        expect(Array.from(u1)).toEqual(Array.from(u));
        svdRaw(m, n, A, s1, null, v1);
        expect(Array.from(v1)).toEqual(Array.from(v));
        expect(Array.from(s1)).toEqual(Array.from(s));
      }),
      { numRuns: 60 },
    );
  });
});
