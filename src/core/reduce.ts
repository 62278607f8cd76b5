/**
 * Reductions: sum, mean, dot, Euclidean norm, and per-row max / argmax.
 *
 * Numerics: every sum runs in float64 and is pairwise (blocks of 128 summed left to right, blocks
 * combined by halving), so the rounding error grows like ε₆₄·(128 + log₂ n)·Σ|terms| rather than
 * ε₆₄·n·Σ|terms|. For float32 data the products x·y and squares x² are exact in float64 (24 + 24 bits
 * < 53), so the result is accurate far below float32 resolution; Kahan compensation would buy
 * nothing. `norm2Raw` on a Float64Array scales by the largest magnitude first, so it neither overflows
 * nor underflows (subnormal data included). NaN and ±Infinity propagate into the result (reported, never dropped).
 */
import { assertRank, assertShape, assertTensor, formatShape, type FloatArray } from './errors.js';
import { sharesMemory } from './gemm.js';
import type { Tensor } from './tensor.js';

const BLOCK = 128;

/**
 * Unchecked pairwise float64 sum of `n` entries `x[off + i·inc]`.
 *
 * @example
 * ```ts
 * sumRaw(new Float32Array([1, 2, 3, 4]), 2, 1, 2); // x[1] + x[3] = 6
 * ```
 */
export function sumRaw(x: FloatArray, n: number, off = 0, inc = 1): number {
  if (n <= BLOCK) {
    let s = 0;
    for (let i = 0, p = off; i < n; i++, p += inc) s += x[p];
    return s;
  }
  const h = n >> 1;
  return sumRaw(x, h, off, inc) + sumRaw(x, n - h, off + h * inc, inc);
}

/**
 * Unchecked pairwise float64 dot product of `n` entries `x[offX + i·incx]` and `y[offY + i·incy]`.
 *
 * @example
 * ```ts
 * dotRaw(3, new Float32Array([1, 2, 3]), 0, 1, new Float32Array([4, 5, 6]), 0, 1); // 32
 * ```
 */
export function dotRaw(n: number, x: FloatArray, offX: number, incx: number, y: FloatArray, offY: number, incy: number): number {
  if (n <= BLOCK) {
    let s = 0;
    for (let i = 0, p = offX, q = offY; i < n; i++, p += incx, q += incy) s += x[p] * y[q];
    return s;
  }
  const h = n >> 1;
  return dotRaw(h, x, offX, incx, y, offY, incy) + dotRaw(n - h, x, offX + h * incx, incx, y, offY + h * incy, incy);
}

/** Pairwise Σ (x·pre·scale)² (`pre` an exact power of two, 1 unless the data are subnormal). */
function sumSquares(x: FloatArray, n: number, off: number, inc: number, scale: number, pre = 1): number {
  if (n <= BLOCK) {
    let s = 0;
    for (let i = 0, p = off; i < n; i++, p += inc) {
      const v = x[p] * pre * scale;
      s += v * v;
    }
    return s;
  }
  const h = n >> 1;
  return sumSquares(x, h, off, inc, scale, pre) + sumSquares(x, n - h, off + h * inc, inc, scale, pre);
}

/** Below this largest magnitude 1/amax would overflow (or lose bits), so the data are first scaled by TINY_UP. */
const TINY = 2 ** -1000;
/** Exact power-of-two upscaling for tiny (subnormal) Float64 data. */
const TINY_UP = 2 ** 600;

/**
 * Unchecked Euclidean norm √(Σ x²) of `n` entries `x[off + i·inc]`. Float32 data are squared exactly
 * in float64 (no overflow is possible); Float64 data are first scaled by their largest magnitude.
 * Any NaN gives NaN; otherwise any ±Infinity gives Infinity.
 *
 * @example
 * ```ts
 * norm2Raw(new Float64Array([3e200, 4e200]), 2); // 5e200 (no overflow)
 * ```
 */
export function norm2Raw(x: FloatArray, n: number, off = 0, inc = 1): number {
  if (x instanceof Float32Array) return Math.sqrt(sumSquares(x, n, off, inc, 1));
  let amax = 0;
  for (let i = 0, p = off; i < n; i++, p += inc) {
    const v = Math.abs(x[p]);
    if (v !== v) return NaN;
    if (v > amax) amax = v;
  }
  if (amax === 0 || amax === Infinity) return amax;
  // 1/amax overflows for amax < 2^-1024 (a subnormal maximum): scale by 2^600 first (exact)
  if (amax < TINY) return amax * Math.sqrt(sumSquares(x, n, off, inc, 1 / (amax * TINY_UP), TINY_UP));
  return amax * Math.sqrt(sumSquares(x, n, off, inc, 1 / amax));
}

/**
 * Sum of all entries (float64, pairwise). An empty tensor sums to 0.
 *
 * @example
 * ```ts
 * sum(tensor([[1, 2], [3, 4]])); // 10
 * ```
 */
export function sum(a: Tensor): number {
  assertTensor(a, 'sum: a');
  return sumRaw(a.data, a.data.length);
}

/**
 * Mean of all entries (float64, pairwise). Throws a RangeError for an empty tensor.
 *
 * @example
 * ```ts
 * mean(tensor([1, 2, 3, 4])); // 2.5
 * ```
 */
export function mean(a: Tensor): number {
  assertTensor(a, 'mean: a');
  if (a.data.length === 0) throw new RangeError(`mean: a is empty (shape ${formatShape(a.shape)}); the mean is undefined`);
  return sumRaw(a.data, a.data.length) / a.data.length;
}

/**
 * Inner product Σ a_i·b_i of two tensors of the same shape (float64, pairwise; float32 products are
 * exact in float64).
 *
 * @example
 * ```ts
 * dot(tensor([1, 2, 3]), tensor([4, 5, 6])); // 32
 * ```
 */
export function dot(a: Tensor, b: Tensor): number {
  assertTensor(a, 'dot: a');
  assertTensor(b, 'dot: b');
  if (!sameShape(a.shape, b.shape)) {
    throw new RangeError(`dot: a and b must have the same shape, got a ${formatShape(a.shape)} and b ${formatShape(b.shape)}`);
  }
  return dotRaw(a.data.length, a.data, 0, 1, b.data, 0, 1);
}

/**
 * Euclidean (Frobenius, for a matrix) norm √(Σ a²), without overflow or underflow.
 *
 * @example
 * ```ts
 * norm2(tensor([3, 4])); // 5
 * ```
 */
export function norm2(a: Tensor): number {
  assertTensor(a, 'norm2: a');
  return norm2Raw(a.data, a.data.length);
}

function rowsOf(a: Tensor, fn: string): [number, number] {
  assertTensor(a, `${fn}: a`);
  assertRank(a, 2, `${fn}: a`, 'matrix [m,n]');
  const [m, n] = a.shape;
  if (n === 0 && m > 0) throw new RangeError(`${fn}: rows of a ${formatShape(a.shape)} are empty; their maximum is undefined`);
  return [m, n];
}

/**
 * Largest entry of each row of a matrix [m,n] → [m]. A row holding NaN gives NaN. `out` ([m]) is
 * optional and may share memory with `a`.
 *
 * @example
 * ```ts
 * maxRows(tensor([[1, 5, 2], [7, 0, 3]])); // [5, 7]
 * ```
 */
export function maxRows(a: Tensor, out?: Tensor): Tensor {
  const [m, n] = rowsOf(a, 'maxRows');
  if (out !== undefined) {
    assertTensor(out, 'maxRows: out');
    assertShape(out.shape, [m], 'maxRows: out', `(one entry per row of a ${formatShape(a.shape)})`);
  }
  const res = out ?? { shape: [m], data: new Float32Array(m) };
  const y = res.data;
  const x = sharesMemory(y, a.data) ? a.data.slice() : a.data;
  for (let i = 0; i < m; i++) {
    const r = i * n;
    let best = x[r];
    for (let j = 1; j < n && best === best; j++) {
      const v = x[r + j];
      if (v > best || v !== v) best = v;
    }
    y[i] = best;
  }
  return res;
}

/**
 * Index of the largest entry of each row of a matrix [m,n] (the first one on ties; the first NaN if
 * the row holds NaN), as an Int32Array of length m. `out` is optional.
 *
 * @example
 * ```ts
 * argmaxRows(tensor([[1, 5, 2], [7, 0, 7]])); // Int32Array [1, 0]
 * ```
 */
export function argmaxRows(a: Tensor, out?: Int32Array): Int32Array {
  const [m, n] = rowsOf(a, 'argmaxRows');
  if (out !== undefined) {
    if (!(out instanceof Int32Array)) {
      throw new TypeError(`argmaxRows: out must be an Int32Array, got ${(out as object)?.constructor?.name ?? typeof out}`);
    }
    if (out.length !== m) {
      throw new RangeError(`argmaxRows: out must have length ${m} (one entry per row of a ${formatShape(a.shape)}), got ${out.length}`);
    }
  }
  const res = out ?? new Int32Array(m);
  const x = a.data;
  for (let i = 0; i < m; i++) {
    const r = i * n;
    let best = x[r];
    let arg = 0;
    for (let j = 1; j < n && best === best; j++) {
      const v = x[r + j];
      if (v > best || v !== v) {
        best = v;
        arg = j;
      }
    }
    res[i] = arg;
  }
  return res;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
