import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  csrFromCoo, csrRowNormalize, csrRowSums, csrSymmetrize, csrTimesDense, csrToDense, csrTranspose,
} from '../../../src/geometry/embedding/sparse.js';

const triplets = fc
  .record({ rows: fc.integer({ min: 1, max: 7 }), cols: fc.integer({ min: 1, max: 7 }) })
  .chain(({ rows, cols }) =>
    fc.record({
      rows: fc.constant(rows),
      cols: fc.constant(cols),
      entries: fc.array(
        fc.tuple(fc.integer({ min: 0, max: rows - 1 }), fc.integer({ min: 0, max: cols - 1 }), fc.integer({ min: -8, max: 8 })),
        { maxLength: 30 },
      ),
    }),
  );

function denseOf(rows: number, cols: number, entries: [number, number, number][]): Float64Array {
  const D = new Float64Array(rows * cols);
  for (const [r, c, v] of entries) D[r * cols + c]! += v;
  return D;
}

function build(rows: number, cols: number, entries: [number, number, number][]) {
  return csrFromCoo(
    rows, cols,
    Int32Array.from(entries.map((e) => e[0])),
    Int32Array.from(entries.map((e) => e[1])),
    Float64Array.from(entries.map((e) => e[2])),
  );
}

describe('CSR matrices', () => {
  it('csrFromCoo sums duplicates and stores each (row, col) once', () => {
    fc.assert(
      fc.property(triplets, ({ rows, cols, entries }) => {
        const A = build(rows, cols, entries);
        // small integers: the sums are exact
        expect(Array.from(csrToDense(A))).toEqual(Array.from(denseOf(rows, cols, entries)));
        for (let i = 0; i < rows; i++) {
          const seen = new Set<number>();
          for (let p = A.indptr[i]!; p < A.indptr[i + 1]!; p++) {
            expect(seen.has(A.indices[p]!)).toBe(false);
            seen.add(A.indices[p]!);
          }
        }
      }),
    );
  });

  it('transpose, row sums, row normalization and products agree with dense arithmetic', () => {
    fc.assert(
      fc.property(triplets, fc.integer({ min: 1, max: 4 }), ({ rows, cols, entries }, p) => {
        const A = build(rows, cols, entries);
        const D = denseOf(rows, cols, entries);
        const T = csrToDense(csrTranspose(A));
        for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) expect(T[j * rows + i]).toBe(D[i * cols + j]);
        const s = csrRowSums(A);
        for (let i = 0; i < rows; i++) {
          let t = 0;
          for (let j = 0; j < cols; j++) t += D[i * cols + j]!;
          expect(s[i]).toBe(t);
        }
        const B = Float64Array.from({ length: cols * p }, (_, e) => ((e * 7) % 5) - 2);
        const C = csrTimesDense(A, B, p, new Float64Array(rows * p));
        for (let i = 0; i < rows; i++) {
          for (let q = 0; q < p; q++) {
            let t = 0;
            for (let j = 0; j < cols; j++) t += D[i * cols + j]! * B[j * p + q]!;
            expect(C[i * p + q]).toBe(t); // integers: exact
          }
        }
      }),
    );
  });

  it('symmetrize gives (A + Aᵀ)/2 and row normalization gives a stochastic matrix', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 7 }).chain((n) => fc.record({
        n: fc.constant(n),
        entries: fc.array(fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 1, max: 9 })), { maxLength: 25 }),
      })), ({ n, entries }) => {
        const A = build(n, n, entries);
        const D = denseOf(n, n, entries);
        const S = csrToDense(csrSymmetrize(A));
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(S[i * n + j]).toBe((D[i * n + j]! + D[j * n + i]!) / 2);
        const P = csrRowNormalize(csrSymmetrize(A));
        const sums = csrRowSums(P);
        const raw = csrRowSums(csrSymmetrize(A));
        for (let i = 0; i < n; i++) {
          if (raw[i]! > 0) expect(Math.abs(sums[i]! - 1)).toBeLessThanOrEqual(n * 2.3e-16);
          else expect(sums[i]).toBe(0);
        }
      }),
    );
  });
});

describe('operator powers', () => {
  it('column-blocked sparse stepping and dense repeated squaring agree with naive products', async () => {
    const { operatorPower } = await import('../../../src/geometry/embedding/diffusion.js');
    const { csrRowNormalize: normalize } = await import('../../../src/geometry/embedding/sparse.js');
    const m = 70;
    const entries: [number, number, number][] = [];
    for (let i = 0; i < m; i++) for (let q = 0; q < 4; q++) entries.push([i, (i * 13 + q * 29 + 1) % m, 1 + ((i + q) % 5)]);
    const P = normalize(build(m, m, entries));
    const Pd = csrToDense(P);
    for (const t of [1, 2, 5, 13]) {
      let ref = new Float64Array(m * m);
      for (let i = 0; i < m; i++) ref[i * m + i] = 1;
      for (let s = 0; s < t; s++) {
        const next = new Float64Array(m * m);
        for (let i = 0; i < m; i++) for (let k = 0; k < m; k++) for (let j = 0; j < m; j++) next[i * m + j]! += Pd[i * m + k]! * ref[k * m + j]!;
        ref = next;
      }
      for (const mode of ['sparse', 'dense'] as const) {
        const X = operatorPower(P, t, mode);
        // entries are probabilities: rounding error ≤ t·m·ε in absolute terms
        for (let e = 0; e < m * m; e++) expect(Math.abs(X[e]! - ref[e]!)).toBeLessThanOrEqual(t * m * 2.3e-16);
      }
    }
  });
});
