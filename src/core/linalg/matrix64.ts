/**
 * `Matrix64`, the float64 matrix the linear-algebra routines return, and `MatrixInput`, what they
 * accept (a rank-2 Tensor, a Matrix64, nested arrays). Inputs are never modified.
 */
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
export function toMatrix64(a: MatrixInput, name = 'a'): Matrix64 {
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
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}
