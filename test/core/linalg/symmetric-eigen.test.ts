/**
 * symmetricEigen / symmetricEigenRaw: A·V = V·diag(λ) and VᵀV = I within c·n·ε·‖A‖_F (Householder
 * tridiagonalisation + QL is backward stable, Demmel §5.4), values descending, and values equal to
 * ml-matrix's within 2·c·n·ε·‖A‖_F (Weyl: both are exact for perturbations of that size).
 */
import fc from 'fast-check';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { symmetricEigen, symmetricEigenRaw, tensor } from '../../../src/core/index.js';
import { C_BACK, EPS, ETA, copyNested, denseArb, flat, frob, maxAbsDiff, mul, orthoError, symmetricArb } from './helpers.js';

function checkEigen(a: number[][], values: Float64Array, v: { rows: number; cols: number; data: Float64Array }): void {
  const n = a.length;
  const A = flat(a);
  const tol = C_BACK * n * (EPS * frob(A) + ETA);
  for (let i = 1; i < n; i++) expect(values[i]).toBeLessThanOrEqual(values[i - 1]);
  expect(orthoError(v)).toBeLessThanOrEqual(C_BACK * n * EPS);
  const av = mul(A, n, n, v.data, n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      expect(Math.abs(av.data[i * n + j] - v.data[i * n + j] * values[j])).toBeLessThanOrEqual(tol);
    }
  }
}

describe('symmetricEigen', () => {
  it('satisfies A·V = V·diag(λ), VᵀV = I, descending λ (property)', () => {
    fc.assert(
      fc.property(symmetricArb(1, 12), (a) => {
        const before = copyNested(a);
        const { values, vectors } = symmetricEigen(a);
        checkEigen(a, values, vectors);
        expect(a).toEqual(before);
      }),
      { numRuns: 150 },
    );
  });

  it('matches ml-matrix EigenvalueDecomposition (assumeSymmetric) values within 2·c·n·ε·‖A‖_F (dense matrices)', () => {
    fc.assert(
      fc.property(denseArb(1, 12, 1, 12, true).map((a) => a.map((row, i) => row.map((x, j) => (j <= i ? x : a[j][i])))), (a) => {
        const n = a.length;
        const ml = new EigenvalueDecomposition(new Matrix(a), { assumeSymmetric: true });
        const theirs = ml.realEigenvalues.slice().sort((x, y) => y - x);
        const { values } = symmetricEigen(a);
        expect(maxAbsDiff(values, theirs)).toBeLessThanOrEqual(2 * C_BACK * n * EPS * frob(flat(a)));
      }),
      { numRuns: 100 },
    );
  });

  it('values-only mode gives the same values', () => {
    fc.assert(
      fc.property(symmetricArb(1, 10), (a) => {
        const n = a.length;
        const full = symmetricEigen(a);
        const only = symmetricEigen(a, { vectors: false });
        expect('vectors' in only).toBe(false);
        expect(maxAbsDiff(only.values, full.values)).toBeLessThanOrEqual(C_BACK * n * EPS * frob(flat(a)));
      }),
      { numRuns: 60 },
    );
  });

  it('handles repeated eigenvalues, diagonal, zero and 1×1 matrices', () => {
    const id = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
    let r = symmetricEigen(id);
    expect(Array.from(r.values)).toEqual([1, 1, 1]);
    checkEigen(id, r.values, r.vectors);
    const diag = [[2, 0, 0], [0, -5, 0], [0, 0, 7]];
    r = symmetricEigen(diag);
    expect(Array.from(r.values)).toEqual([7, 2, -5]);
    // sign rule: each column's largest entry is positive, so the vectors are unit vectors here
    expect(Array.from(r.vectors.data)).toEqual([0, 1, 0, 0, 0, 1, 1, 0, 0]);
    const zero = [[0, 0], [0, 0]];
    r = symmetricEigen(zero);
    expect(Array.from(r.values)).toEqual([0, 0]);
    checkEigen(zero, r.values, r.vectors);
    r = symmetricEigen([[-4]]);
    expect(Array.from(r.values)).toEqual([-4]);
    expect(Array.from(r.vectors.data)).toEqual([1]);
    // J − I (all-ones minus identity, 5×5): eigenvalues 4 and −1 (four times)
    const j5 = Array.from({ length: 5 }, (_, i) => Array.from({ length: 5 }, (_, k) => (i === k ? 0 : 1)));
    r = symmetricEigen(j5);
    const tol = C_BACK * 5 * EPS * 5;
    expect(Math.abs(r.values[0] - 4)).toBeLessThanOrEqual(tol);
    for (let i = 1; i < 5; i++) expect(Math.abs(r.values[i] + 1)).toBeLessThanOrEqual(tol);
    checkEigen(j5, r.values, r.vectors);
  });

  it('reproduces the known spectrum of the 1-D Laplacian (2 − 2cos(kπ/(n+1)))', () => {
    const n = 30;
    const a = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 2 : Math.abs(i - j) === 1 ? -1 : 0)));
    const { values } = symmetricEigen(a);
    for (let k = 1; k <= n; k++) {
      const exact = 2 - 2 * Math.cos((k * Math.PI) / (n + 1));
      expect(Math.abs(values[n - k] - exact)).toBeLessThanOrEqual(C_BACK * n * EPS * frob(flat(a)));
    }
  });

  it('is accurate for huge and tiny scales', () => {
    for (const s of [1e-300, 1e300]) {
      const a = [[2 * s, s], [s, 2 * s]];
      const { values } = symmetricEigen(a);
      expect(values[0] / s).toBeCloseTo(3, 13);
      expect(values[1] / s).toBeCloseTo(1, 13);
    }
  });

  it('works up to the largest finite entries (the symmetrization (a_ij + a_ji)/2 must not overflow)', () => {
    // was a RangeError "symmetricEigenRaw: expected finite values, found Infinity at [0,1]" for a finite input
    const h = 1e308;
    const { values, vectors } = symmetricEigen([[0, h], [h, 0]]);
    expect(Math.abs(values[0] - h)).toBeLessThanOrEqual(4 * 2 * EPS * h);
    expect(Math.abs(values[1] + h)).toBeLessThanOrEqual(4 * 2 * EPS * h);
    expect(Math.abs(Math.abs(vectors.data[0]) - Math.SQRT1_2)).toBeLessThanOrEqual(8 * EPS);
    // a slightly asymmetric pair near the top of the range is averaged, not overflowed
    const c = symmetricEigen([[0, 1.7e308], [1.7e308 * (1 - 2 ** -40), 0]], { symmetryTolerance: 1e-6 });
    expect(Math.abs(c.values[0] - 1.7e308)).toBeLessThanOrEqual(1e-11 * 1.7e308);
    expect(Math.abs(c.values[1] + 1.7e308)).toBeLessThanOrEqual(1e-11 * 1.7e308);
    // derived: the eigenvalues are ±mid, mid = (a_01 + a_10)/2 formed as ½a_01 + ½a_10 (exact halvings, one
    // rounding), to the backward error of the 2×2 solve (as for h above)
    const mid = 0.5 * 1.7e308 + 0.5 * (1.7e308 * (1 - 2 ** -40));
    expect(Math.abs(c.values[0] - mid)).toBeLessThanOrEqual(4 * 2 * EPS * mid);
    expect(Math.abs(c.values[1] + mid)).toBeLessThanOrEqual(4 * 2 * EPS * mid);
  });

  it('accepts Float32 Tensors with float32 rounding asymmetry, and symmetrizes', () => {
    const t = tensor([[1, 0.1], [0.1 + 1e-7, 2]]); // asymmetric by ~1 ulp of float32
    const copy = t.data.slice();
    const { values } = symmetricEigen(t);
    expect(t.data).toEqual(copy);
    expect(values[0] + values[1]).toBeCloseTo(3, 12);
    // but a float64 input with the same asymmetry is rejected by the √ε default
    expect(() => symmetricEigen([[1, 0.1], [0.1 + 1e-7, 2]])).toThrow(RangeError);
    expect(() => symmetricEigen([[1, 0.1], [0.1 + 1e-7, 2]], { symmetryTolerance: 1e-6 })).not.toThrow();
  });

  it('refuses a symmetryTolerance of the wrong kind with a TypeError, a bad number with a RangeError', () => {
    // a string, a boolean or an object was a RangeError (a wrong kind is a TypeError)
    for (const v of ['1e-3', true, {}]) {
      expect(() => symmetricEigen([[1, 2], [2, 1]], { symmetryTolerance: v as unknown as number })).toThrow(TypeError);
      expect(() => symmetricEigen([[1, 2], [2, 1]], { symmetryTolerance: v as unknown as number })).toThrow(/symmetricEigen: .*opts\.symmetryTolerance/);
    }
    for (const v of [-1, NaN]) {
      expect(() => symmetricEigen([[1, 2], [2, 1]], { symmetryTolerance: v })).toThrow(RangeError);
    }
  });

  it('rejects bad input naming the argument and the largest asymmetry; inputs unchanged', () => {
    const asym = [[1, 2, 0], [2, 1, 5], [0, 4, 1]];
    const before = copyNested(asym);
    expect(() => symmetricEigen(asym)).toThrow(
      /symmetricEigen: a \(\[3,3\]\) is not symmetric: \|a\[1,2\] - a\[2,1\]\| = 1 exceeds symmetryTolerance·max\|a\|/,
    );
    expect(asym).toEqual(before);
    const t = tensor([[1, 2], [3, 4]]);
    const tCopy = t.data.slice();
    expect(() => symmetricEigen(t)).toThrow(RangeError);
    expect(t.data).toEqual(tCopy);
    expect(() => symmetricEigen([[1, 2, 3], [4, 5, 6]])).toThrow(/symmetricEigen: a: expected a square matrix, got shape \[2,3\]/);
    expect(() => symmetricEigen([[1, NaN], [NaN, 1]])).toThrow(/symmetricEigen: a: expected finite values, found NaN at \[0,1\]/);
    expect(() => symmetricEigen([[1, 2], [2]])).toThrow(/ragged/);
    expect(() => symmetricEigen('abc' as never)).toThrow(TypeError);
    expect(() => symmetricEigen([[1]], { vectors: 1 as never })).toThrow(TypeError);
    expect(() => symmetricEigen([[1]], { symmetryTolerance: -1 })).toThrow(RangeError);
  });
});

describe('symmetricEigenRaw', () => {
  it('reads only the upper triangle, leaves a unchanged, and reuses work', () => {
    const n = 4;
    const sym = [[4, 1, 2, 0.5], [1, 3, 0, 1], [2, 0, 5, -1], [0.5, 1, -1, 2]];
    const a = flat(sym);
    // garbage (and NaN) strictly below the diagonal must be ignored
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a[i * n + j] = i === 3 ? NaN : 99;
    const aCopy = a.slice();
    const values = new Float64Array(n), vectors = new Float64Array(n * n);
    const work = new Float64Array(n * n + 2 * n).fill(123);
    symmetricEigenRaw(n, a, values, vectors, work);
    expect(Array.from(a)).toEqual(Array.from(aCopy));
    checkEigen(sym, values, { rows: n, cols: n, data: vectors });
    const again = new Float64Array(n);
    symmetricEigenRaw(n, a, again, null, work);
    expect(maxAbsDiff(again, values)).toBeLessThanOrEqual(C_BACK * n * EPS * frob(flat(sym)));
  });

  it('throws RangeError on a non-finite entry in the triangle it reads', () => {
    expect(() => symmetricEigenRaw(2, new Float64Array([1, Infinity, Infinity, 1]), new Float64Array(2), null)).toThrow(RangeError);
  });
});
