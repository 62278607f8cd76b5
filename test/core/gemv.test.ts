/**
 * gemvRaw / gemv against a naive float64 loop. Tolerance as for gemm (see gemm.test.ts): float64
 * accumulation and one rounding to storage, so |y − y_ref| ≤ 2⁻²⁴·|y_ref| + 2(n+2)·2⁻⁵³·M_i with
 * M = |alpha|·|A||x| + |beta|·|y₀|.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gemv, gemvRaw, matmul, tensor, type Tensor } from '../../src/core/index.js';
import { createRng } from '../../src/core/rng.js';

const EPS32 = 2 ** -24;
const EPS64 = 2 ** -53;

function randomArray(len: number, seed: number): Float32Array {
  const rng = createRng(seed);
  const x = new Float32Array(len);
  for (let i = 0; i < len; i++) x[i] = 4 * rng() - 2;
  return x;
}

/** y_ref and magnitudes for y = alpha·op(A)·x + beta·y0 with strided x, y. */
function reference(
  trans: boolean, m: number, n: number, alpha: number, a: ArrayLike<number>, lda: number, offA: number,
  x: ArrayLike<number>, offX: number, incx: number, beta: number, y0: ArrayLike<number>, offY: number, incy: number,
): { ref: number[]; mag: number[] } {
  const len = trans ? n : m, inner = trans ? m : n;
  const ref: number[] = [], mag: number[] = [];
  for (let i = 0; i < len; i++) {
    let s = 0, sa = 0;
    for (let p = 0; p < inner; p++) {
      const aip = trans ? a[offA + p * lda + i] : a[offA + i * lda + p];
      const v = aip * x[offX + p * incx];
      s += v;
      sa += Math.abs(v);
    }
    const yi = y0[offY + i * incy];
    ref.push(alpha * s + (beta === 0 ? 0 : beta * yi));
    mag.push(Math.abs(alpha) * sa + (beta === 0 ? 0 : Math.abs(beta * yi)));
  }
  return { ref, mag };
}

const dim = fc.oneof(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 10, max: 80 }));
const scalar = fc.constantFrom(0, 1, -1, 0.5, 2.5);

describe('gemvRaw', () => {
  it('matches a naive loop with strides, offsets, negative increments, alpha and beta', () => {
    fc.assert(
      fc.property(
        dim, dim, fc.boolean(), scalar, scalar, fc.integer({ min: -3, max: 3 }).filter((v) => v !== 0),
        fc.integer({ min: -2, max: 3 }).filter((v) => v !== 0), fc.integer(),
        (m, n, trans, alpha, beta, incx, incy, seed) => {
          const len = trans ? n : m, inner = trans ? m : n;
          const lda = n + 2, offA = 3;
          const a = randomArray(offA + m * lda, seed);
          const xLen = Math.max(1, inner) * Math.abs(incx) + 2;
          const yLen = Math.max(1, len) * Math.abs(incy) + 2;
          const x = randomArray(xLen, seed + 1);
          const y = randomArray(yLen, seed + 2);
          const offX = incx > 0 ? 1 : 1 + (inner - 1) * -incx;
          const offY = incy > 0 ? 1 : 1 + (len - 1) * -incy;
          const y0 = y.slice();
          const { ref, mag } = reference(trans, m, n, alpha, a, lda, offA, x, offX, incx, beta, y0, offY, incy);
          gemvRaw(trans, m, n, alpha, a, lda, x, incx, beta, y, incy, offA, offX, offY);
          const touched = new Set<number>();
          for (let i = 0; i < len; i++) {
            const idx = offY + i * incy;
            touched.add(idx);
            const tol = EPS32 * Math.abs(ref[i]) + 2 * (inner + 2) * EPS64 * mag[i] + 1e-300;
            expect(Math.abs(y[idx] - ref[i])).toBeLessThanOrEqual(tol);
          }
          for (let i = 0; i < y.length; i++) if (!touched.has(i)) expect(y[i]).toBe(y0[i]);
        },
      ),
      { numRuns: 300, seed: 11 },
    );
  });

  it('works with Float64Array storage', () => {
    const a = new Float64Array([1, 2, 3, 4, 5, 6]), x = new Float64Array([1, 0.5, 0.25]);
    const y = new Float64Array(2);
    gemvRaw(false, 2, 3, 1, a, 3, x, 1, 0, y, 1);
    expect(Array.from(y)).toEqual([1 + 1 + 0.75, 4 + 2.5 + 1.5]);
    const z = new Float64Array([1, 1, 1]);
    gemvRaw(true, 2, 3, 2, a, 3, new Float64Array([1, -1]), 1, 1, z, 1);
    expect(Array.from(z)).toEqual([1 - 6, 1 - 6, 1 - 6]);
  });

  it('is correct when y overlaps x (all of A and x are read before y is written)', () => {
    const a = randomArray(36, 4);
    const buf = randomArray(6, 5);
    const x = buf.slice();
    const expected = new Float32Array(6);
    gemvRaw(false, 6, 6, 1, a, 6, x, 1, 0, expected, 1);
    gemvRaw(false, 6, 6, 1, a, 6, buf, 1, 0, buf, 1);
    expect(buf).toEqual(expected);
    const buf2 = x.slice();
    gemvRaw(true, 6, 6, 1, a, 6, x, 1, 0, expected, 1);
    gemvRaw(true, 6, 6, 1, a, 6, buf2, 1, 0, buf2, 1);
    expect(buf2).toEqual(expected);
  });

  it('beta = 0 overwrites NaN; alpha = 0 does not read A or x', () => {
    const y = new Float32Array([NaN, NaN]);
    gemvRaw(false, 2, 2, 1, new Float32Array([1, 2, 3, 4]), 2, new Float32Array([1, 1]), 1, 0, y, 1);
    expect(Array.from(y)).toEqual([3, 7]);
    gemvRaw(false, 2, 2, 0, new Float32Array([NaN, 2, 3, 4]), 2, new Float32Array([NaN, 1]), 1, 3, y, 1);
    expect(Array.from(y)).toEqual([9, 21]);
  });
});

describe('gemv', () => {
  it('agrees with matmul against a column vector, both orientations', () => {
    const a: Tensor = { shape: [7, 5], data: randomArray(35, 1) };
    const x: Tensor = { shape: [5], data: randomArray(5, 2) };
    const xt: Tensor = { shape: [7], data: randomArray(7, 3) };
    expect(gemv(a, x).data).toEqual(matmul(a, { shape: [5, 1], data: x.data }).data);
    expect(gemv(a, xt, { trans: true }).data).toEqual(matmul(a, { shape: [7, 1], data: xt.data }, { transA: true }).data);
    expect(Array.from(gemv(tensor([[1, 2], [3, 4]]), tensor([1, 1])).data)).toEqual([3, 7]);
  });

  it('accumulates with beta and allows out to alias x', () => {
    const a = tensor([[1, 2], [3, 4]]);
    const out = tensor([1, 1]);
    gemv(a, tensor([1, 1]), { alpha: 2, beta: -1, out });
    expect(Array.from(out.data)).toEqual([5, 13]);
    const x = tensor([1, 1]);
    expect(gemv(a, x, { out: x })).toBe(x);
    expect(Array.from(x.data)).toEqual([3, 7]);
  });

  it('rejects bad input with messages naming the argument and shapes, leaving everything unchanged', () => {
    const a = tensor([[1, 2, 3], [4, 5, 6]]);
    const out = tensor([7, 7, 7]);
    expect(() => gemv(a, tensor([1, 2]))).toThrow(RangeError);
    expect(() => gemv(a, tensor([1, 2]))).toThrow(/gemv: x must have shape \[3\].*a \[2,3\].*got \[2\]/);
    expect(() => gemv(a, tensor([1, 2, 3]), { trans: true })).toThrow(/x must have shape \[2\].*transposed.*got \[3\]/);
    expect(() => gemv(a, tensor([[1, 2, 3]]))).toThrow(/gemv: x: expected a rank-1 tensor/);
    expect(() => gemv(tensor([1, 2]), tensor([1]))).toThrow(/gemv: a: expected a rank-2 tensor/);
    expect(() => gemv(a, new Float32Array(3) as unknown as Tensor)).toThrow(TypeError);
    expect(() => gemv(a, tensor([1, 2, 3]), { out, beta: 1 })).toThrow(/gemv: out must have shape \[2\].*got \[3\]/);
    expect(Array.from(out.data)).toEqual([7, 7, 7]);
    expect(() => gemv(a, tensor([1, 2, 3]), { beta: 1 })).toThrow(/needs an 'out'/);
    expect(() => gemv(a, tensor([1, 2, 3]), { alpha: Infinity })).toThrow(/gemv: alpha/);
    expect(Array.from(a.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
