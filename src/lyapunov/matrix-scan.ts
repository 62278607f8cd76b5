/**
 * The one scan of a pushed matrix: whether it holds a non-finite entry (x·0 is NaN exactly for a
 * non-finite x, so one multiply-add per entry answers it; the entry is located only when there is
 * one), and how many rows or columns are exactly zero (they bound the rank of the product).
 */
import type { ZeroSet } from '../core/zero-set.js';

/** Flat index of the first non-finite entry of a[0 .. len), or −1; one multiply-add per entry when all is finite. */
export function firstNonFiniteFast(a: Float64Array, len: number): number {
  let acc = 0;
  for (let i = 0; i < len; i++) acc += a[i] * 0;
  if (acc === 0) return -1;
  let bad = 0;
  while (bad < len && a[bad] - a[bad] === 0) bad++;
  return bad;
}

/**
 * The exactly zero rows and columns of the row-major n×n `a` into `rows` and `cols`: a row is
 * non-zero at its first non-zero entry (usually the first); only columns that are zero in the first
 * row need a look further down.
 */
export function zeroRowsAndColsSquare(n: number, a: Float64Array, rows: ZeroSet, cols: ZeroSet): void {
  const nn = n * n;
  let zr = 0;
  for (let i = 0; i < n; i++) {
    const r = i * n;
    let l = 0;
    while (l < n && a[r + l] === 0) l++;
    if (l === n) rows.idx[zr++] = i;
  }
  rows.count = zr;
  let zc = 0;
  for (let l = 0; l < n; l++) {
    if (a[l] !== 0) continue;
    let c = l + n;
    while (c < nn && a[c] === 0) c += n;
    if (c >= nn) cols.idx[zc++] = l;
  }
  cols.count = zc;
}

/** Zero rows of the column-major n×k `z` (only rows zero in the first column need a look), their indices into `rows` if given. */
export function zeroRowsColMajor(n: number, k: number, z: Float64Array, rows?: ZeroSet): number {
  const nk = n * k;
  let zeroRows = 0;
  for (let i = 0; i < n; i++) {
    if (z[i] !== 0) continue;
    let any = false;
    for (let c = i + n; c < nk; c += n) {
      if (z[c] !== 0) {
        any = true;
        break;
      }
    }
    if (!any) {
      if (rows !== undefined) rows.idx[zeroRows] = i;
      zeroRows++;
    }
  }
  if (rows !== undefined) rows.count = zeroRows;
  return zeroRows;
}

/** dst (column-major n×k) ← p (row-major n×k), returning the number of exactly zero rows (their indices into `rows`). */
export function rowMajorToColMajorCountingZeroRows(n: number, k: number, p: ArrayLike<number>, dst: Float64Array, rows: ZeroSet): number {
  let zeroRows = 0;
  for (let i = 0; i < n; i++) {
    const s = i * k;
    let any = false;
    for (let j = 0; j < k; j++) {
      const v = p[s + j];
      if (v !== 0) any = true;
      dst[j * n + i] = v;
    }
    if (!any) rows.idx[zeroRows++] = i;
  }
  rows.count = zeroRows;
  return zeroRows;
}
