/**
 * gemmRaw / matmul against a naive float64 triple loop and against ml-matrix.
 *
 * Tolerance, derived: the kernel accumulates Σ_p op(A)_ip·op(B)_pj in float64 (JS numbers) and
 * rounds each C entry to its storage type once. So for float32 storage only that final rounding
 * remains, |fl32(x) − x| ≤ 2⁻²⁴·|x|, plus the float64 summation error of both the kernel and the
 * reference, each ≤ k·2⁻⁵³·M_ij with M = |alpha|·(|op(A)|·|op(B)|) + |beta|·|C₀|. Hence
 *   |C − C_ref| ≤ 2⁻²⁴·|C_ref| + 2(k+2)·2⁻⁵³·M_ij  (float32 storage),
 *   |C − C_ref| ≤ 2(k+2)·2⁻⁵³·M_ij + 2⁻⁵³·|C_ref|   (float64 storage),
 * much tighter than the textbook c·k·ε₃₂·M for float32 accumulation: a kernel that summed in float32
 * would fail these checks once k is more than a few.
 */
import fc from 'fast-check';
import { Matrix } from 'ml-matrix';
import { describe, expect, it } from 'vitest';
import { gemmRaw, matmul, sharesMemory, tensor, toNested, type Tensor } from '../../src/core/index.js';
import { createRng } from '../../src/core/rng.js';

const EPS32 = 2 ** -24;
const EPS64 = 2 ** -53;

type Arr = Float32Array | Float64Array;

function randomArray(len: number, seed: number, Ctor: Float32ArrayConstructor | Float64ArrayConstructor = Float32Array): Arr {
  const rng = createRng(seed);
  const x = new Ctor(len);
  for (let i = 0; i < len; i++) x[i] = 4 * rng() - 2;
  return x;
}

/** Float64 reference C = alpha·op(A)·op(B) + beta·C0 and the magnitude M = |alpha|·|A||B| + |beta|·|C0|. */
function reference(
  tA: boolean, tB: boolean, m: number, n: number, k: number, alpha: number,
  a: ArrayLike<number>, lda: number, b: ArrayLike<number>, ldb: number, beta: number, c0: ArrayLike<number>, ldc: number,
): { ref: Float64Array; mag: Float64Array } {
  const ref = new Float64Array(m * n);
  const mag = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0, sa = 0;
      for (let p = 0; p < k; p++) {
        const x = tA ? a[p * lda + i] : a[i * lda + p];
        const y = tB ? b[j * ldb + p] : b[p * ldb + j];
        s += x * y;
        sa += Math.abs(x * y);
      }
      const cij = beta === 0 ? 0 : beta * c0[i * ldc + j];
      ref[i * n + j] = alpha * s + cij;
      mag[i * n + j] = Math.abs(alpha) * sa + (beta === 0 ? 0 : Math.abs(beta * c0[i * ldc + j]));
    }
  }
  return { ref, mag };
}

function expectClose(c: Arr, ldc: number, m: number, n: number, k: number, ref: Float64Array, mag: Float64Array): void {
  const f32 = c instanceof Float32Array;
  let worst = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const r = ref[i * n + j];
      const tol = (f32 ? EPS32 : EPS64) * Math.abs(r) + 2 * (k + 2) * EPS64 * mag[i * n + j] + 1e-300;
      const err = Math.abs(c[i * ldc + j] - r);
      worst = Math.max(worst, err / tol);
    }
  }
  expect(worst).toBeLessThanOrEqual(1);
}

const dim = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 9 }) },
  { weight: 2, arbitrary: fc.constantFrom(1, 2, 3, 4, 5, 7, 11, 13, 17, 31, 37) },
  { weight: 2, arbitrary: fc.integer({ min: 10, max: 70 }) },
);
const scalar = fc.constantFrom(0, 1, -1, 0.5, -2.25, 3);

describe('gemmRaw', () => {
  it('matches a naive float64 triple loop for all transpose cases, odd sizes, alpha and beta (float32 storage)', () => {
    const pad = fc.constantFrom(0, 0, 1, 3);
    fc.assert(
      fc.property(dim, dim, dim, fc.boolean(), fc.boolean(), scalar, scalar, fc.integer(), pad, pad, pad,
        (m, n, k, tA, tB, alpha, beta, seed, pa, pb, pc) => {
          // leading dimensions may exceed the row length (sub-matrices); padding must stay untouched
          const lda = (tA ? m : k) + pa, ldb = (tB ? k : n) + pb, ldc = n + pc;
          const a = randomArray((tA ? k : m) * lda, seed);
          const b = randomArray((tB ? n : k) * ldb, seed + 1);
          const c = randomArray(m * ldc, seed + 2);
          const c0 = c.slice();
          const { ref, mag } = reference(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c0, ldc);
          gemmRaw(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
          expectClose(c, ldc, m, n, k, ref, mag);
          for (let i = 0; i < m; i++) for (let j = n; j < ldc; j++) if (c[i * ldc + j] !== c0[i * ldc + j]) expect.unreachable('padding written');
        }),
      { numRuns: 300, seed: 101 },
    );
  });

  it('matches the reference with Float64Array storage', () => {
    fc.assert(
      fc.property(dim, dim, dim, fc.boolean(), fc.boolean(), scalar, scalar, fc.integer(), (m, n, k, tA, tB, alpha, beta, seed) => {
        const lda = tA ? m : k, ldb = tB ? k : n;
        const a = randomArray((tA ? k : m) * lda, seed, Float64Array);
        const b = randomArray((tB ? n : k) * ldb, seed + 1, Float64Array);
        const c = randomArray(m * n, seed + 2, Float64Array);
        const { ref, mag } = reference(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c.slice(), n);
        gemmRaw(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, n);
        expectClose(c, n, m, n, k, ref, mag);
      }),
      { numRuns: 150, seed: 202 },
    );
  });

  it('agrees with ml-matrix mmul for all transpose cases', () => {
    fc.assert(
      fc.property(dim, dim, dim, fc.boolean(), fc.boolean(), fc.integer(), (m, n, k, tA, tB, seed) => {
        fc.pre(m > 0 && n > 0 && k > 0); // ml-matrix cannot hold empty matrices
        const lda = tA ? m : k, ldb = tB ? k : n;
        const a = randomArray((tA ? k : m) * lda, seed);
        const b = randomArray((tB ? n : k) * ldb, seed + 1);
        const A = new Matrix(tA ? k : m, lda);
        for (let i = 0; i < A.rows; i++) for (let j = 0; j < lda; j++) A.set(i, j, a[i * lda + j]);
        const B = new Matrix(tB ? n : k, ldb);
        for (let i = 0; i < B.rows; i++) for (let j = 0; j < ldb; j++) B.set(i, j, b[i * ldb + j]);
        const ml = (tA ? A.transpose() : A).mmul(tB ? B.transpose() : B);
        const c = new Float32Array(m * n);
        gemmRaw(tA, tB, m, n, k, 1, a, lda, b, ldb, 0, c, n);
        const { mag } = reference(tA, tB, m, n, k, 1, a, lda, b, ldb, 0, c, n);
        expectClose(c, n, m, n, k, Float64Array.from(ml.to1DArray()), mag);
      }),
      { numRuns: 120, seed: 303 },
    );
  });

  it('crosses its cache blocks (large k shrinks the packed panels) and respects leading dimensions', () => {
    // k = 3001 gives blocks of 20 rows of op(A) and 40 columns of op(B); m, n span several blocks.
    for (const [tA, tB] of [[false, false], [true, true], [true, false], [false, true]] as const) {
      const m = 45, n = 87, k = 3001;
      const lda = (tA ? m : k) + 3, ldb = (tB ? k : n) + 2, ldc = n + 5;
      const a = randomArray((tA ? k : m) * lda, 7);
      const b = randomArray((tB ? n : k) * ldb, 8);
      const c = randomArray(m * ldc, 9);
      const c0 = c.slice();
      gemmRaw(tA, tB, m, n, k, 0.75, a, lda, b, ldb, -0.5, c, ldc);
      const { ref, mag } = reference(tA, tB, m, n, k, 0.75, a, lda, b, ldb, -0.5, c0, ldc);
      expectClose(c, ldc, m, n, k, ref, mag);
      // the padding columns of each C row are untouched
      for (let i = 0; i < m; i++) for (let j = n; j < ldc; j++) expect(c[i * ldc + j]).toBe(c0[i * ldc + j]);
    }
  });

  it('rounds once per entry: the float32 result is the float32 rounding of the float64 product', () => {
    // with k = 4096 a float32 accumulator would be off by ~k·2⁻²⁴ relative; here only one rounding remains
    const m = 3, n = 5, k = 4096;
    const a = randomArray(m * k, 21), b = randomArray(k * n, 22);
    const c32 = new Float32Array(m * n), c64 = new Float64Array(m * n);
    gemmRaw(false, false, m, n, k, 1, a, k, b, n, 0, c32, n);
    gemmRaw(false, false, m, n, k, 1, Float64Array.from(a), k, Float64Array.from(b), n, 0, c64, n);
    for (let i = 0; i < m * n; i++) expect(c32[i]).toBe(Math.fround(c64[i]));
  });

  it('beta = 0 overwrites NaN in C; alpha = 0 reads neither A nor B; k = 0 scales C', () => {
    const a = new Float32Array([NaN, 1, 2, 3]), b = new Float32Array([1, 2, 3, 4]);
    const c = new Float32Array([NaN, NaN, NaN, NaN]);
    gemmRaw(false, false, 2, 2, 2, 1, new Float32Array([1, 2, 3, 4]), 2, b, 2, 0, c, 2);
    expect(Array.from(c)).toEqual([7, 10, 15, 22]);
    gemmRaw(false, false, 2, 2, 2, 0, a, 2, b, 2, 2, c, 2);
    expect(Array.from(c)).toEqual([14, 20, 30, 44]);
    gemmRaw(false, false, 2, 2, 0, 1, a, 2, b, 2, 0.5, c, 2);
    expect(Array.from(c)).toEqual([7, 10, 15, 22]);
    // NaN in A does propagate when it is used
    gemmRaw(false, false, 2, 2, 2, 1, a, 2, b, 2, 0, c, 2);
    expect(Number.isNaN(c[0]) && Number.isNaN(c[1])).toBe(true);
    expect(Array.from(c.subarray(2))).toEqual([11, 16]);
  });
});

describe('matmul', () => {
  const t = (rows: number, cols: number, seed: number): Tensor => ({ shape: [rows, cols], data: randomArray(rows * cols, seed) as Float32Array });

  it('computes small products exactly', () => {
    expect(toNested(matmul(tensor([[1, 2], [3, 4]]), tensor([[5], [6]])))).toEqual([[17], [39]]);
    expect(toNested(matmul(tensor([[1, 2], [3, 4]]), tensor([[1, 0], [0, 1]]), { transA: true }))).toEqual([[1, 3], [2, 4]]);
    expect(matmul(tensor([[1, 2, 3]]), tensor([[1, 2, 3]]), { transB: true }).data[0]).toBe(14);
    expect(matmul({ shape: [0, 3], data: new Float32Array(0) }, t(3, 4, 1)).shape).toEqual([0, 4]);
    expect(Array.from(matmul({ shape: [2, 0], data: new Float32Array(0) }, { shape: [0, 2], data: new Float32Array(0) }).data)).toEqual([0, 0, 0, 0]);
  });

  it('gives bit-identical results when out aliases a or b, with and without beta', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.boolean(), fc.boolean(), scalar, scalar, fc.integer(), (s, tA, tB, alpha, beta, seed) => {
        const a = t(s, s, seed), b = t(s, s, seed + 1), c0 = t(s, s, seed + 2);
        const expected = matmul(a, b, { transA: tA, transB: tB, alpha, beta, out: { shape: [s, s], data: c0.data.slice() } });
        // out = a (beta then accumulates onto a's old values)
        const a1 = { shape: [s, s], data: a.data.slice() };
        const e1 = matmul(a, b, { transA: tA, transB: tB, alpha, beta, out: { shape: [s, s], data: a.data.slice() } });
        const r1 = matmul(a1, b, { transA: tA, transB: tB, alpha, beta, out: a1 });
        expect(r1).toBe(a1);
        expect(r1.data).toEqual(e1.data);
        // out = b
        const b1 = { shape: [s, s], data: b.data.slice() };
        const e2 = matmul(a, b, { transA: tA, transB: tB, alpha, beta, out: { shape: [s, s], data: b.data.slice() } });
        expect(matmul(a, b1, { transA: tA, transB: tB, alpha, beta, out: b1 }).data).toEqual(e2.data);
        // a = b = out
        const sq = { shape: [s, s], data: a.data.slice() };
        const e3 = matmul(a, a, { transA: tA, transB: tB, out: { shape: [s, s], data: new Float32Array(s * s) } });
        expect(matmul(sq, sq, { transA: tA, transB: tB, out: sq }).data).toEqual(e3.data);
        // sanity: the non-aliased result is what the oracle says
        const { ref, mag } = reference(tA, tB, s, s, s, alpha, a.data, s, b.data, s, beta, c0.data, s);
        expectClose(expected.data, s, s, s, s, ref, mag);
      }),
      { numRuns: 60, seed: 404 },
    );
  });

  it('handles out overlapping an input through a subarray view of the same buffer', () => {
    const buf = randomArray(40, 5) as Float32Array;
    const a: Tensor = { shape: [4, 5], data: buf.subarray(0, 20) };
    const b: Tensor = { shape: [5, 4], data: buf.subarray(10, 30) };
    const expected = matmul({ shape: [4, 5], data: a.data.slice() }, { shape: [5, 4], data: b.data.slice() });
    const out: Tensor = { shape: [4, 4], data: buf.subarray(5, 21) };
    expect(sharesMemory(out.data, a.data) && sharesMemory(out.data, b.data)).toBe(true);
    matmul(a, b, { out });
    expect(out.data).toEqual(expected.data);
  });
});

describe('matmul input validation', () => {
  const a = tensor([[1, 2, 3], [4, 5, 6]]);
  const b = tensor([[1, 2], [3, 4]]);

  function unchanged(fn: () => unknown, ...ts: Tensor[]): unknown {
    const before = ts.map((x) => Array.from(x.data));
    let err: unknown;
    try {
      fn();
    } catch (e) {
      err = e;
    }
    ts.forEach((x, i) => expect(Array.from(x.data)).toEqual(before[i]));
    return err;
  }

  it('rejects mismatched inner dimensions naming both shapes', () => {
    const err = unchanged(() => matmul(a, b), a, b);
    expect(err).toBeInstanceOf(RangeError);
    expect((err as Error).message).toMatch(/inner dimensions differ.*a \[2,3\].*b \[2,2\]/);
    expect(() => matmul(b, a, { transB: true })).toThrow(/op\(a\) is 2×2 \(a \[2,2\]\) but op\(b\) is 3×2 \(b \[2,3\], transposed\)/);
    expect(matmul(a, b, { transA: true }).shape).toEqual([3, 2]);
    expect(() => matmul(a, a)).toThrow(RangeError);
    expect(matmul(a, a, { transB: true }).shape).toEqual([2, 2]);
  });

  it('rejects wrong ranks and non-tensor kinds', () => {
    expect(() => matmul(tensor([1, 2]), b)).toThrow(RangeError);
    expect(() => matmul(tensor([1, 2]), b)).toThrow(/matmul: a: expected a rank-2 tensor matrix, got shape \[2\]/);
    expect(() => matmul(a, { shape: [3, 1, 1], data: new Float32Array(3) })).toThrow(/matmul: b: .*rank-2.*\[3,1,1\]/);
    expect(() => matmul(null as unknown as Tensor, b)).toThrow(TypeError);
    expect(() => matmul(a, { shape: [3, 1], data: new Float64Array(3) } as unknown as Tensor)).toThrow(/matmul: b: .*Float32Array.*Float64Array/);
    expect(() => matmul(a, [[1], [2], [3]] as unknown as Tensor)).toThrow(TypeError);
    expect(() => matmul(a, { shape: [3, 2], data: new Float32Array(5) })).toThrow(/shape \[3,2\] holds 6 elements but data has length 5/);
    expect(() => matmul(a, b, { transA: 'yes' as unknown as boolean })).toThrow(TypeError);
    expect(() => matmul(a, a, { transB: true, alpha: NaN })).toThrow(/matmul: alpha/);
  });

  it('rejects a wrong out shape or kind and leaves inputs and out unchanged', () => {
    const out = tensor([[9, 9, 9], [9, 9, 9]]);
    const err = unchanged(() => matmul(a, a, { transB: true, out, beta: 1 }), a, out);
    expect(err).toBeInstanceOf(RangeError);
    expect((err as Error).message).toMatch(/out must have shape \[2,2\].*a \[2,3\], b \[2,3\].*got \[2,3\]/);
    expect(() => matmul(a, a, { transB: true, out: { shape: [2, 2], data: new Float64Array(4) } as unknown as Tensor })).toThrow(TypeError);
    expect(() => matmul(a, a, { transB: true, beta: 1 })).toThrow(/beta = 1 needs an 'out'/);
  });
});
