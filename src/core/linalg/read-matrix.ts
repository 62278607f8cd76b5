/**
 * The validating reader behind every linear-algebra routine: turns any accepted matrix input into a
 * private float64 copy in row- or column-major order. Not part of the public API.
 * @internal
 */
import { formatShape } from '../errors.js';

/** A validated private copy of a matrix input. */
export interface MatrixCopy {
  rows: number;
  cols: number;
  /** row-major or column-major, as requested */
  data: Float64Array;
  /** machine epsilon of the input's storage (2^-24 for float32 data, 2^-52 otherwise) */
  eps: number;
}

const EXPECTED = 'a matrix (rank-2 Tensor, { rows, cols, data: Float64Array } or nested arrays of numbers)';

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'object';
  return typeof v;
}

function badEntry(name: string, i: number, j: number, v: number, rows: number, cols: number): RangeError {
  return new RangeError(`${name}: expected finite values, found ${v} at [${i},${j}] of the ${rows}×${cols} matrix`);
}

/**
 * Validates `a` and returns a float64 copy in the requested storage order. Throws TypeError for a
 * wrong kind of value, RangeError for a wrong shape, an empty matrix or a non-finite entry.
 * @internal
 */
export function readMatrix(a: unknown, name: string, order: 'row' | 'col' = 'row'): MatrixCopy {
  if (a === null || typeof a !== 'object') {
    throw new TypeError(`${name}: expected ${EXPECTED}, got ${kindOf(a)}`);
  }
  let rows: number, cols: number;
  let src: ArrayLike<number> | undefined;
  let eps = 2 ** -52;
  if (Array.isArray(a)) {
    rows = a.length;
    if (rows === 0) throw new RangeError(`${name}: expected a non-empty matrix, got an empty array`);
    const first: unknown = a[0];
    if (!Array.isArray(first)) {
      throw new TypeError(`${name}: expected nested arrays of numbers (an array of rows), got row 0 of kind ${kindOf(first)}`);
    }
    cols = first.length;
    if (cols === 0) throw new RangeError(`${name}: expected a non-empty matrix, got ${rows} empty row(s)`);
    for (let i = 0; i < rows; i++) {
      const row: unknown = a[i];
      if (!Array.isArray(row)) {
        throw new TypeError(`${name}: expected nested arrays of numbers, got row ${i} of kind ${kindOf(row)}`);
      }
      if (row.length !== cols) {
        throw new RangeError(`${name}: ragged array, row 0 has length ${cols} but row ${i} has length ${row.length}`);
      }
    }
  } else {
    const o = a as { shape?: unknown; rows?: unknown; cols?: unknown; data?: unknown };
    const data = o.data;
    if (!(data instanceof Float64Array || data instanceof Float32Array)) {
      throw new TypeError(`${name}: expected ${EXPECTED}, got an object whose data is ${kindOf(data)}`);
    }
    if (data instanceof Float32Array) eps = 2 ** -24;
    if (o.shape !== undefined) {
      if (!Array.isArray(o.shape)) throw new TypeError(`${name}: expected 'shape' to be an array, got ${kindOf(o.shape)}`);
      const shape = o.shape as number[];
      if (shape.length !== 2) {
        throw new RangeError(`${name}: expected a rank-2 tensor [rows,cols], got shape ${formatShape(shape)}`);
      }
      [rows, cols] = shape;
    } else if (o.rows !== undefined || o.cols !== undefined) {
      if (typeof o.rows !== 'number' || typeof o.cols !== 'number') {
        throw new TypeError(`${name}: expected numeric 'rows' and 'cols', got ${kindOf(o.rows)} and ${kindOf(o.cols)}`);
      }
      rows = o.rows;
      cols = o.cols;
    } else {
      throw new TypeError(`${name}: expected ${EXPECTED}, got an object with neither 'shape' nor 'rows'/'cols'`);
    }
    if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
      throw new RangeError(`${name}: dimensions must be non-negative integers, got ${formatShape([rows, cols])}`);
    }
    if (rows * cols !== data.length) {
      throw new RangeError(`${name}: shape ${formatShape([rows, cols])} holds ${rows * cols} elements but data has length ${data.length}`);
    }
    if (rows === 0 || cols === 0) {
      throw new RangeError(`${name}: expected a non-empty matrix, got shape ${formatShape([rows, cols])}`);
    }
    src = data;
  }
  const out = new Float64Array(rows * cols);
  if (src !== undefined) {
    if (order === 'row') {
      out.set(src);
      for (let p = 0; p < out.length; p++) {
        const v = out[p];
        if (v - v !== 0) throw badEntry(name, Math.floor(p / cols), p % cols, v, rows, cols);
      }
    } else {
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) {
          const v = src[i * cols + j];
          if (v - v !== 0) throw badEntry(name, i, j, v, rows, cols);
          out[j * rows + i] = v;
        }
      }
    }
  } else {
    const nested = a as readonly (readonly unknown[])[];
    for (let i = 0; i < rows; i++) {
      const row = nested[i];
      for (let j = 0; j < cols; j++) {
        const v = row[j];
        if (typeof v !== 'number') {
          throw new TypeError(`${name}: expected a number at [${i},${j}], got ${kindOf(v)}`);
        }
        if (v - v !== 0) throw badEntry(name, i, j, v, rows, cols);
        out[order === 'row' ? i * cols + j : j * rows + i] = v;
      }
    }
  }
  return { rows, cols, data: out, eps };
}

/** Throws a RangeError unless the matrix is square. @internal */
export function assertSquare(m: MatrixCopy, name: string): void {
  if (m.rows !== m.cols) {
    throw new RangeError(`${name}: expected a square matrix, got shape ${formatShape([m.rows, m.cols])}`);
  }
}
