/**
 * Input normalization shared by the geometry routines: a point cloud given as a Tensor `[n,d]`
 * (or `[B,T,H]`, flattened over B and T), a flat row-major typed array with its dimension, or nested
 * number arrays, becomes one float64 row-major matrix after validation.
 */
import { formatShape, type FloatArray } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';

/**
 * A cloud of n points in d dimensions: a Tensor `[n,d]`, a flat row-major array with `dim`, or an
 * array of points. Every geometry routine that takes points (pca, participationRatio, twoNN,
 * levinaBickel, knn, tsne, phate, trustworthiness, demap, …) also takes hidden states `[B,T,H]`
 * as `rnnForward` returns them, read as B·T points of dimension H (sequence-major: point b·T + t).
 */
export type PointsInput = Tensor | FloatArray | readonly (readonly number[])[] | readonly FloatArray[];

/** A validated point cloud: `data` is row-major n×d in float64 (a copy unless stated otherwise). */
export interface PointMatrix {
  readonly data: Float64Array;
  readonly n: number;
  readonly d: number;
}

function isTensorLike(x: unknown): x is Tensor {
  return x !== null && typeof x === 'object' && Array.isArray((x as Tensor).shape) && 'data' in (x as object);
}

/**
 * Validates `X` and returns it as a float64 row-major matrix. A flat typed array needs `dim`; a
 * Tensor of rank 3 `[B,T,H]` is read as `B·T` points of dimension H when `allowRank3` is set.
 * Always copies (callers may modify the result). Throws on non-finite entries.
 */
export function toPointMatrix(
  X: unknown,
  name: string,
  opts: { dim?: number; allowRank3?: boolean; checkFinite?: boolean; dimOption?: string } = {},
): PointMatrix {
  const opt = opts.dimOption ?? 'dim'; // the caller's name for it: the embedding scores take dimX/dimY
  if (opts.dim !== undefined && (typeof opts.dim !== 'number' || !Number.isInteger(opts.dim) || opts.dim < 0)) {
    if (typeof opts.dim !== 'number') throw new TypeError(`${name}: '${opt}' must be a number, got ${opts.dim === null ? 'null' : typeof opts.dim}`);
    throw new RangeError(`${name}: '${opt}' must be a non-negative integer, got ${opts.dim}`);
  }
  let data: Float64Array;
  let n: number;
  let d: number;
  if (X instanceof Float64Array || X instanceof Float32Array) {
    const dim = opts.dim;
    if (dim === undefined) {
      throw new TypeError(`${name}: a flat ${X.constructor.name} needs the point dimension (option '${opt}')`);
    }
    if (typeof dim !== 'number') throw new TypeError(`${name}: '${opt}' must be a number, got ${dim === null ? 'null' : typeof dim}`);
    if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`${name}: '${opt}' must be a positive integer, got ${dim}`);
    if (X.length % dim !== 0) {
      throw new RangeError(`${name}: length ${X.length} is not a multiple of the dimension ${dim}`);
    }
    n = X.length / dim;
    d = dim;
    data = Float64Array.from(X);
  } else if (isTensorLike(X)) {
    const shape = X.shape.slice(); // read once
    const src = X.data as unknown;
    if (!(src instanceof Float32Array || src instanceof Float64Array)) {
      throw new TypeError(`${name}: expected a Tensor with Float32Array data`);
    }
    let size = 1;
    for (const s of shape) {
      if (typeof s !== 'number' || !Number.isInteger(s) || s < 0) {
        throw new RangeError(`${name}: shape ${formatShape(shape)} must hold non-negative integers, found ${String(s)}`);
      }
      size *= s;
    }
    if (size !== src.length) {
      throw new RangeError(`${name}: shape ${formatShape(shape)} holds ${size} elements but data has length ${src.length}`);
    }
    if (shape.length === 2) {
      n = shape[0];
      d = shape[1];
    } else if (shape.length === 3 && opts.allowRank3) {
      n = shape[0] * shape[1];
      d = shape[2];
    } else {
      const exp = opts.allowRank3 ? 'a rank-2 [n,d] or rank-3 [B,T,H] tensor' : 'a rank-2 tensor [n,d]';
      throw new RangeError(`${name}: expected ${exp}, got shape ${formatShape(shape)}`);
    }
    if (opts.dim !== undefined && opts.dim !== d) {
      throw new RangeError(`${name}: expected points of dimension ${opts.dim}, got shape ${formatShape(shape)}`);
    }
    data = Float64Array.from(src);
  } else if (Array.isArray(X)) {
    n = X.length;
    if (n === 0) {
      if (opts.dim === undefined) throw new RangeError(`${name}: empty array of points and no 'dim'`);
      return { data: new Float64Array(0), n: 0, d: opts.dim };
    }
    const first = X[0] as unknown;
    if (!(Array.isArray(first) || first instanceof Float32Array || first instanceof Float64Array)) {
      throw new TypeError(`${name}: expected an array of points (arrays of numbers), got an array of ${typeof first}`);
    }
    d = (first as ArrayLike<number>).length;
    if (opts.dim !== undefined && opts.dim !== d) {
      throw new RangeError(`${name}: expected points of dimension ${opts.dim}, got ${d}`);
    }
    data = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      const row = X[i] as ArrayLike<number> | undefined;
      if (row === undefined || row === null || typeof row !== 'object' || row.length !== d) {
        throw new RangeError(`${name}: ragged points, row ${i} has length ${row?.length ?? 'none'}, expected ${d}`);
      }
      for (let j = 0; j < d; j++) {
        const v = row[j];
        if (typeof v !== 'number') throw new TypeError(`${name}[${i}][${j}]: expected a number, got ${typeof v}`);
        data[i * d + j] = v;
      }
    }
  } else {
    throw new TypeError(
      `${name}: expected a Tensor [n,d], a Float64Array/Float32Array with 'dim', or an array of points, got ${X === null ? 'null' : typeof X}`,
    );
  }
  if (d < 1) throw new RangeError(`${name}: points must have dimension >= 1, got ${d}`);
  if (opts.checkFinite !== false) {
    const bad = firstNonFiniteRow(data, d);
    if (bad) throw new RangeError(`${name}: expected finite values, found ${bad.value} at point ${bad.row}, coordinate ${bad.col}`);
  }
  return { data, n, d };
}

function firstNonFiniteRow(data: Float64Array, d: number): { row: number; col: number; value: number } | undefined {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v !== v || v === Infinity || v === -Infinity) return { row: Math.floor(i / d), col: i % d, value: v };
  }
  return undefined;
}

/** The first row of the row-major n×d `data` that differs from row 0 (exact equality), or −1 when all equal it. */
export function firstRowUnlikeFirst(data: Float64Array, n: number, d: number): number {
  for (let i = 1; i < n; i++) {
    for (let p = 0; p < d; p++) if (data[i * d + p] !== data[p]) return i;
  }
  return -1;
}

/**
 * The exponent e with 2^e ≤ m < 2^(e+1), for a finite m > 0 (subnormals included), exactly.
 *
 * @internal
 */
export function binaryExponent(m: number): number {
  let e = Math.floor(Math.log2(m));
  // log2 can round across a power of two at the ends of the range: settle e exactly
  if (2 ** e > m) e--;
  else if (2 ** (e + 1) <= m) e++;
  return e;
}

/**
 * Scales `data` in place by a power of two 2^−e chosen so that its largest |entry| lies in [1, 2),
 * and returns 2^e (the original is data · 2^e; 1 when every entry is 0 or already in range). Exact
 * for normal numbers, and every later sum, product, quotient and square root commutes with the
 * scaling, so results in the ordinary range keep their bits; what it prevents is the overflow of
 * squares above ~1e154 (NaN, Infinity) and their underflow below ~1e-154 (a false "no variance",
 * false duplicates). For scale-free quantities (participation ratio, distance ratios) and, with
 * the factor put back, for variances and distances.
 */
export function scaleByPowerOfTwo(data: Float64Array): number {
  return scaleToExponent(data, powerOfTwoExponent(maxAbs(data)));
}

/** The largest |entry| of `data` (0 when it is empty). @internal */
export function maxAbs(data: Float64Array): number {
  let m = 0;
  for (let i = 0; i < data.length; i++) {
    const a = Math.abs(data[i]);
    if (a > m) m = a;
  }
  return m;
}

/**
 * The e with 2^e ≤ m < 2^(e+1) that {@link scaleByPowerOfTwo} scales by 2^−e for a largest
 * |entry| m; 0 (no scaling) when m is 0 or already in [1, 2). @internal
 */
export function powerOfTwoExponent(m: number): number {
  if (m === 0 || (m >= 1 && m < 2)) return 0;
  return binaryExponent(m);
}

/** Scales `data` in place by 2^−e (as {@link scaleByPowerOfTwo} does) and returns 2^e. @internal */
export function scaleToExponent(data: Float64Array, e: number): number {
  if (e === 0) return 1;
  // 2^−e may itself fall outside the double range (e = 1023 or e < −1022): scale in two steps
  const e1 = Math.trunc(e / 2);
  const s1 = 2 ** -e1;
  const s2 = 2 ** -(e - e1);
  for (let i = 0; i < data.length; i++) data[i] = data[i] * s1 * s2;
  return 2 ** e1 * 2 ** (e - e1);
}

/**
 * The rows of the row-major n×d `data` that occur once (exact equality, −0 equal to 0), in their
 * order: `keep[u]` is the original index of kept row u, `data` the kept rows (the input itself
 * when nothing repeats). Every copy of a repeated row is left out. O(n log n · d) by a sort.
 */
export function singletonRows(data: Float64Array, n: number, d: number): { data: Float64Array; keep: Int32Array } {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const cmp = (a: number, b: number): number => {
    const ao = a * d, bo = b * d;
    for (let p = 0; p < d; p++) {
      const x = data[ao + p], y = data[bo + p];
      if (x < y) return -1;
      if (x > y) return 1;
    }
    return 0;
  };
  order.sort((a, b) => cmp(a, b) || a - b);
  const repeated = new Uint8Array(n);
  let copies = 0;
  for (let s = 1; s < n; s++) {
    if (cmp(order[s - 1], order[s]) === 0) {
      if (!repeated[order[s - 1]]) copies++;
      repeated[order[s - 1]] = 1;
      repeated[order[s]] = 1;
      copies++;
    }
  }
  if (copies === 0) return { data, keep: order.sort() };
  const keep = new Int32Array(n - copies);
  const out = new Float64Array((n - copies) * d);
  for (let i = 0, u = 0; i < n; i++) {
    if (repeated[i]) continue;
    keep[u] = i;
    out.set(data.subarray(i * d, (i + 1) * d), u * d);
    u++;
  }
  return { data: out, keep };
}
