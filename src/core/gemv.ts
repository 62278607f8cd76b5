/**
 * Matrix–vector product on row-major float arrays: y = alpha·op(A)·x + beta·y.
 */
import { assertRank, formatShape, readTensor, type FloatArray } from './errors.js';
import { readProductOptions } from './blas-options.js';
import { GEMV_KEYS } from './option-keys.js';
import type { Tensor } from './tensor.js';

/** Float64 accumulator for one output vector (grown on demand, reused). */
let acc = new Float64Array(0);

/**
 * Unchecked kernel. A is m×n, row-major with leading dimension `lda`, starting at `offA`; x and y
 * are strided vectors (`x[offX + j·incx]`, `y[offY + i·incy]`; negative increments work with the
 * offset at the far end). Without `trans`, y (length m) = alpha·A·x (x of length n) + beta·y; with
 * `trans`, y (length n) = alpha·Aᵀ·x (x of length m) + beta·y.
 *
 * Sums run in float64 and each y entry is rounded to its storage type once. All of A and x are read
 * before y is written, so y may overlap x or A. BLAS conventions: beta 0 overwrites y (old NaN does
 * not propagate); alpha 0 or an empty inner dimension only scales y and reads neither A nor x.
 *
 * @example
 * ```ts
 * const a = new Float32Array([1, 2, 3, 4, 5, 6]);  // 2×3
 * const y = new Float32Array(2);
 * gemvRaw(false, 2, 3, 1, a, 3, new Float32Array([1, 1, 1]), 1, 0, y, 1); // y = [6, 15]
 * ```
 */
export function gemvRaw(
  trans: boolean,
  m: number, n: number,
  alpha: number,
  a: FloatArray, lda: number,
  x: FloatArray, incx: number,
  beta: number,
  y: FloatArray, incy: number,
  offA = 0, offX = 0, offY = 0,
): void {
  const len = trans ? n : m;
  const inner = trans ? m : n;
  if (len <= 0) return;
  if (alpha === 0 || inner <= 0) {
    for (let i = 0, iy = offY; i < len; i++, iy += incy) y[iy] = beta === 0 ? 0 : beta * y[iy];
    return;
  }
  if (acc.length < len) acc = new Float64Array(len);
  const s = acc;
  if (!trans) {
    let i = 0;
    for (; i + 4 <= m; i += 4) {
      const r0 = offA + i * lda, r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let p = 0, px = offX; p < n; p++, px += incx) {
        const xp = x[px];
        s0 += a[r0 + p] * xp; s1 += a[r1 + p] * xp; s2 += a[r2 + p] * xp; s3 += a[r3 + p] * xp;
      }
      s[i] = s0; s[i + 1] = s1; s[i + 2] = s2; s[i + 3] = s3;
    }
    for (; i < m; i++) {
      const r0 = offA + i * lda;
      let s0 = 0;
      for (let p = 0, px = offX; p < n; p++, px += incx) s0 += a[r0 + p] * x[px];
      s[i] = s0;
    }
  } else {
    s.fill(0, 0, n);
    let i = 0;
    for (; i + 4 <= m; i += 4) {
      const r0 = offA + i * lda, r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda;
      const px = offX + i * incx;
      const x0 = x[px], x1 = x[px + incx], x2 = x[px + 2 * incx], x3 = x[px + 3 * incx];
      for (let j = 0; j < n; j++) s[j] += a[r0 + j] * x0 + a[r1 + j] * x1 + a[r2 + j] * x2 + a[r3 + j] * x3;
    }
    for (; i < m; i++) {
      const r0 = offA + i * lda;
      const x0 = x[offX + i * incx];
      for (let j = 0; j < n; j++) s[j] += a[r0 + j] * x0;
    }
  }
  if (beta === 0) for (let i = 0, iy = offY; i < len; i++, iy += incy) y[iy] = alpha * s[i];
  else for (let i = 0, iy = offY; i < len; i++, iy += incy) y[iy] = alpha * s[i] + beta * y[iy];
}

/** Options of {@link gemv}. */
export interface GemvOptions {
  /** Use Aᵀ. */
  trans?: boolean;
  /** Scale of the product (default 1). */
  alpha?: number;
  /** Scale of the existing `out` added to the product (default 0; needs `out`). */
  beta?: number;
  /** Destination vector, shape [m] (or [n] with `trans`); may alias `x` or `a`. */
  out?: Tensor;
}

/**
 * Matrix–vector product: `out = alpha·op(a)·x + beta·out` for a rank-2 `a` [m,n] and a rank-1 `x`
 * ([n], or [m] with `trans`). Accumulated in float64, rounded to float32 once per entry.
 *
 * @example
 * ```ts
 * const y = gemv(tensor([[1, 2], [3, 4]]), tensor([1, 1]));          // [3, 7]
 * gemv(w, h, { trans: true, alpha: 2, beta: 1, out: g });             // g += 2·wᵀ·h
 * ```
 */
export function gemv(a: Tensor, x: Tensor, options: GemvOptions = {}): Tensor {
  a = readTensor(a, 'gemv: a');
  x = readTensor(x, 'gemv: x');
  assertRank(a, 2, 'gemv: a', 'matrix');
  assertRank(x, 1, 'gemv: x', 'vector');
  const opts = readProductOptions(options, 'gemv', ['trans'], GEMV_KEYS);
  const { trans } = opts.flags;
  const { alpha, beta } = opts;
  const [m, n] = a.shape;
  const inner = trans ? m : n;
  const len = trans ? n : m;
  if (x.shape[0] !== inner) {
    throw new RangeError(
      `gemv: x must have shape [${inner}] to multiply ${trans ? 'aᵀ' : 'a'} (a ${formatShape(a.shape)}${trans ? ', transposed' : ''}), got ${formatShape(x.shape)}`,
    );
  }
  let out = opts.out as Tensor | undefined;
  if (out !== undefined) {
    out = readTensor(out, 'gemv: out');
    if (out.shape.length !== 1 || out.shape[0] !== len) {
      throw new RangeError(
        `gemv: out must have shape [${len}] (a ${formatShape(a.shape)}${trans ? ' transposed' : ''} times x ${formatShape(x.shape)}), got ${formatShape(out.shape)}`,
      );
    }
  } else {
    if (beta !== 0) throw new RangeError(`gemv: beta = ${beta} needs an 'out' to accumulate into`);
    out = { shape: [len], data: new Float32Array(len) };
  }
  gemvRaw(trans, m, n, alpha, a.data, n, x.data, 1, beta, out.data, 1);
  return (opts.out as Tensor | undefined) ?? out;
}
