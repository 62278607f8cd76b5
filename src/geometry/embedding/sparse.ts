/**
 * Compressed sparse row (CSR) matrices in float64, the storage of every kernel and diffusion
 * operator in the embeddings. Column indices within a row are not sorted (rows are assembled with
 * a marker array, O(nnz), and duplicates are summed).
 */
import { wasmCsrPowerColumns, wasmCsrTimesDense, wasmKernelsForBytes } from '../../core/wasm64/kernels-wasm.js';

/** A sparse `rows × cols` matrix in CSR form. */
export interface Csr {
  readonly rows: number;
  readonly cols: number;
  /** Row pointers, length rows + 1. */
  readonly indptr: Int32Array;
  /** Column index of each stored entry. */
  readonly indices: Int32Array;
  /** Value of each stored entry. */
  readonly values: Float64Array;
}

/**
 * Builds a CSR matrix from coordinate triplets, summing duplicates (unchecked: indices in range).
 * `nnz` entries of `r`, `c`, `v` are read.
 */
export function csrFromCoo(
  rows: number,
  cols: number,
  r: Int32Array,
  c: Int32Array,
  v: Float64Array,
  nnz = r.length,
): Csr {
  // counting sort by row
  const count = new Int32Array(rows + 1);
  for (let e = 0; e < nnz; e++) count[r[e] + 1]++;
  for (let i = 0; i < rows; i++) count[i + 1] += count[i];
  const start = count.slice();
  const ci = new Int32Array(nnz);
  const cv = new Float64Array(nnz);
  for (let e = 0; e < nnz; e++) {
    const p = start[r[e]]++;
    ci[p] = c[e];
    cv[p] = v[e];
  }
  // merge duplicates within each row with a marker array
  const marker = new Int32Array(cols).fill(-1);
  const indptr = new Int32Array(rows + 1);
  let w = 0;
  for (let i = 0; i < rows; i++) {
    const rowStart = w;
    for (let p = count[i]; p < count[i + 1]; p++) {
      const j = ci[p];
      const m = marker[j];
      if (m >= rowStart) {
        cv[m] += cv[p];
      } else {
        marker[j] = w;
        ci[w] = j;
        cv[w] = cv[p];
        w++;
      }
    }
    indptr[i + 1] = w;
  }
  return { rows, cols, indptr, indices: ci.slice(0, w), values: cv.slice(0, w) };
}

/** The transpose, O(nnz). */
export function csrTranspose(A: Csr): Csr {
  const { rows, cols, indptr, indices, values } = A;
  const nnz = indptr[rows];
  const tp = new Int32Array(cols + 1);
  for (let e = 0; e < nnz; e++) tp[indices[e] + 1]++;
  for (let j = 0; j < cols; j++) tp[j + 1] += tp[j];
  const next = tp.slice(0, cols);
  const ti = new Int32Array(nnz);
  const tv = new Float64Array(nnz);
  for (let i = 0; i < rows; i++) {
    for (let p = indptr[i]; p < indptr[i + 1]; p++) {
      const q = next[indices[p]]++;
      ti[q] = i;
      tv[q] = values[p];
    }
  }
  return { rows: cols, cols: rows, indptr: tp, indices: ti, values: tv };
}

/** (A + Aᵀ)/2 for a square matrix, duplicates merged; entries that sum to 0 are kept. */
export function csrSymmetrize(A: Csr): Csr {
  const nnz = A.indptr[A.rows];
  const r = new Int32Array(2 * nnz);
  const c = new Int32Array(2 * nnz);
  const v = new Float64Array(2 * nnz);
  let e = 0;
  for (let i = 0; i < A.rows; i++) {
    for (let p = A.indptr[i]; p < A.indptr[i + 1]; p++) {
      const j = A.indices[p];
      const x = 0.5 * A.values[p];
      r[e] = i; c[e] = j; v[e] = x; e++;
      r[e] = j; c[e] = i; v[e] = x; e++;
    }
  }
  return csrFromCoo(A.rows, A.cols, r, c, v, e);
}

/** Row sums. */
export function csrRowSums(A: Csr): Float64Array {
  const s = new Float64Array(A.rows);
  for (let i = 0; i < A.rows; i++) {
    let t = 0;
    for (let p = A.indptr[i]; p < A.indptr[i + 1]; p++) t += A.values[p];
    s[i] = t;
  }
  return s;
}

/** D⁻¹A: each row divided by its sum (rows summing to 0 stay 0). Returns a new matrix. */
export function csrRowNormalize(A: Csr): Csr {
  const values = new Float64Array(A.values.length);
  for (let i = 0; i < A.rows; i++) {
    let t = 0;
    for (let p = A.indptr[i]; p < A.indptr[i + 1]; p++) t += A.values[p];
    const inv = t > 0 ? 1 / t : 0;
    for (let p = A.indptr[i]; p < A.indptr[i + 1]; p++) values[p] = A.values[p] * inv;
  }
  return { rows: A.rows, cols: A.cols, indptr: A.indptr, indices: A.indices, values };
}

/** out (rows×p, row-major) = A · B with B dense (cols×p, row-major). `out` must not alias B. */
export function csrTimesDense(A: Csr, B: Float64Array, p: number, out: Float64Array): Float64Array {
  const { rows, indptr, indices, values } = A;
  out.fill(0, 0, rows * p);
  for (let i = 0; i < rows; i++) {
    const o = i * p;
    for (let e = indptr[i]; e < indptr[i + 1]; e++) {
      const v = values[e];
      const b = indices[e] * p;
      for (let q = 0; q < p; q++) out[o + q] += v * B[b + q];
    }
  }
  return out;
}

/**
 * Aᵗ restricted to the columns [c0, c0 + c) of the identity, i.e. columns c0.. of Aᵗ, for a square
 * A (m×m): out (m×c, row-major). Works in a cache-sized column block across all t steps.
 */
export function csrPowerColumns(A: Csr, t: number, c0: number, c: number, out: Float64Array, work: Float64Array): void {
  const m = A.rows;
  const ex = wasmKernelsForBytes(12 * A.indptr[m] + 16 * m * c + 4 * m);
  if (ex !== undefined) {
    wasmCsrPowerColumns(ex, m, A.indptr, A.indices, A.values, t, c0, c, out); // the same bits, f64x2
    return;
  }
  let X = out;
  let Y = work;
  // start so that the final product lands in `out`
  if (t % 2 === 1) { X = work; Y = out; }
  X.fill(0, 0, m * c);
  for (let q = 0; q < c; q++) X[(c0 + q) * c + q] = 1;
  for (let s = 0; s < t; s++) {
    csrTimesDenseUnrolled(A, X, c, Y);
    const tmp = X; X = Y; Y = tmp;
  }
}

/** out = A·B like {@link csrTimesDense}, four nonzeros per pass over the output row. */
export function csrTimesDenseUnrolled(A: Csr, B: Float64Array, p: number, out: Float64Array): void {
  const { rows, indptr, indices, values } = A;
  const ex = p >= 4 ? wasmKernelsForBytes(12 * indptr[rows] + 8 * (A.cols + rows) * p + 4 * rows) : undefined;
  if (ex !== undefined) {
    wasmCsrTimesDense(ex, rows, A.cols, indptr, indices, values, B, p, out); // the same bits, f64x2
    return;
  }
  for (let i = 0; i < rows; i++) {
    const o = i * p;
    const e1 = indptr[i + 1];
    let e = indptr[i];
    out.fill(0, o, o + p);
    for (; e + 3 < e1; e += 4) {
      const va = values[e], vb = values[e + 1], vc = values[e + 2], vd = values[e + 3];
      const ba = indices[e] * p, bb = indices[e + 1] * p, bc = indices[e + 2] * p, bd = indices[e + 3] * p;
      for (let q = 0; q < p; q++) out[o + q] += va * B[ba + q] + vb * B[bb + q] + vc * B[bc + q] + vd * B[bd + q];
    }
    for (; e < e1; e++) {
      const v = values[e];
      const b = indices[e] * p;
      for (let q = 0; q < p; q++) out[o + q] += v * B[b + q];
    }
  }
}

/** Dense row-major copy (for small matrices and tests). */
export function csrToDense(A: Csr): Float64Array {
  const D = new Float64Array(A.rows * A.cols);
  for (let i = 0; i < A.rows; i++) {
    for (let p = A.indptr[i]; p < A.indptr[i + 1]; p++) D[i * A.cols + A.indices[p]] += A.values[p];
  }
  return D;
}
