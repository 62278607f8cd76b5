/**
 * `Matrix64`, the float64 matrix the linear-algebra routines return, and `MatrixInput`, what they
 * accept (a rank-2 Tensor, a Matrix64, nested arrays). Inputs are never modified.
 */
import { checkHeapAllocation } from '../alloc.js';
import { formatShape } from '../errors.js';
import { kindOf } from '../options.js';
import type { Tensor } from '../tensor.js';
import { readMatrix } from './read-matrix.js';

/** A dense row-major float64 matrix: entry (i, j) is `data[i * cols + j]`. */
export interface Matrix64 {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/**
 * What the linear-algebra routines accept as a matrix: a rank-2 {@link Tensor} (Float32Array data;
 * a `{ shape, data: Float64Array }` pair is accepted too), a {@link Matrix64}
 * (`{ rows, cols, data }` with Float64Array or Float32Array data, row-major) or nested arrays of
 * numbers (`number[][]`, rows of equal length).
 */
export type MatrixInput =
  | Tensor
  | Matrix64
  | { readonly shape: readonly number[]; readonly data: Float64Array }
  | { readonly rows: number; readonly cols: number; readonly data: Float32Array }
  | readonly (readonly number[])[];

/**
 * Validates any accepted matrix input and returns a row-major float64 copy.
 *
 * @example
 * ```ts
 * const m = toMatrix64([[1, 2], [3, 4]]); // { rows: 2, cols: 2, data: Float64Array [1, 2, 3, 4] }
 * const t = toMatrix64(tensor([[1, 2, 3]])); // from a Float32 Tensor
 * ```
 */
export function toMatrix64(a: MatrixInput, name = 'toMatrix64: a'): Matrix64 {
  const { rows, cols, data } = readMatrix(a, name, 'row');
  return { rows, cols, data };
}

/**
 * Nested arrays (`number[][]`) from a {@link Matrix64}, for printing or JSON.
 *
 * @example
 * ```ts
 * matrix64ToArray({ rows: 1, cols: 2, data: new Float64Array([1, 2]) }); // [[1, 2]]
 * ```
 */
export function matrix64ToArray(m: Matrix64): number[][] {
  if (m === null || typeof m !== 'object') throw new TypeError(`matrix64ToArray: m must be a Matrix64 { rows, cols, data }, got ${kindOf(m)}`);
  const { rows, cols } = m;
  const data = m.data as unknown;
  if (typeof rows !== 'number' || typeof cols !== 'number') {
    throw new TypeError(`matrix64ToArray: m.rows and m.cols must be numbers, got ${kindOf(rows)} and ${kindOf(cols)}`);
  }
  if (!(data instanceof Float64Array || data instanceof Float32Array)) {
    throw new TypeError(`matrix64ToArray: m.data must be a Float64Array or Float32Array, got ${kindOf(data)}`);
  }
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new RangeError(`matrix64ToArray: m.rows and m.cols must be non-negative integers, got ${formatShape([rows, cols])}`);
  }
  checkHeapAllocation(rows * cols * 8 + (rows + 1) * 64, 'matrix64ToArray: m', `nested arrays of ${rows}×${cols}`);
  if (rows * cols !== data.length) {
    throw new RangeError(`matrix64ToArray: m is ${rows}×${cols} (${rows * cols} values) but m.data has length ${data.length}`);
  }
  const out: number[][] = [];
  for (let i = 0; i < rows; i++) out.push(Array.from(data.subarray(i * cols, (i + 1) * cols)));
  return out;
}
