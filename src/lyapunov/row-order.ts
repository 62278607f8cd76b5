/**
 * Row sorting before the frame's Householder QR. A product whose rows are graded (J = diag(d)·W
 * with a tanh unit saturated, d_i = 1/cosh²(a_i) tiny) has small R_jj that Householder QR in the
 * given row order computes only to an absolute error of ε times the largest rows: a unit at
 * |a| ≈ 20 (d ≈ 1e-17) comes out as rounding, ≈ 1e-16, or as an exact 0. With the rows ordered by
 * decreasing ∞-norm first, the same QR resolves them (Powell & Reid 1969; Cox & Higham, "Stability
 * of Householder QR factorization for weighted least squares problems", 1998: Householder QR with
 * row sorting is row-wise backward stable for such weighted matrices). The QR of P·Z is (P·Q)·R
 * with the same R, so the frame keeps Q = Pᵀ·(the Q of P·Z): rows put back after forming it, or,
 * while it is held as reflectors, the permutation applied to the Jacobian's columns instead.
 *
 * Rows are sorted only when their ∞-norms (exact zero rows aside) spread past {@link GRADED}, where
 * the unsorted QR's relative error in the smallest R_jj, ≈ ε·spread, would pass 1e-10; below that
 * nothing is permuted and every bit is as without it. The first four columns screen for it (a row
 * scaled by d_i is small in all of them): only when they spread past GRADED are the ∞-norms taken
 * over every column, to decide and to sort by. The screen alone is not enough: a frame's columns are
 * Lyapunov vectors, not random ones, and in a modular or lattice system they are localized, so that
 * a row of ordinary size can be 1e-9 in the first four columns (a frame spread by 1e4 was screened
 * as 1e10 and permuted at most QRs). The screen can still miss a graded frame whose largest rows are
 * small in the first four columns; that QR is then as unsorted, as before row sorting.
 */

/** The spread of the rows' ∞-norms past which they are sorted (2^20 ≈ 1e6). */
export const GRADED = 2 ** 20;

/** The columns that screen the rows' ∞-norms (all when k is smaller). */
const SAMPLED = 4;

/** A row order for column-major n×k frames (see the module comment). */
export interface RowOrder {
  /**
   * Permutes the rows of the column-major n×k `a` in place into decreasing ∞-norm when they are
   * graded past {@link GRADED} (screened from the first four columns), into `perm` (row r of the
   * result is row perm[r] of `a`); returns whether it did (false: `a` and `perm` untouched).
   */
  sort(a: Float64Array, perm: Int32Array): boolean;
  /** Puts back the rows of the column-major n×k `a` permuted by `perm` (row perm[r] ← row r). */
  unsort(a: Float64Array, perm: Int32Array): void;
  /** The columns of the row-major n×n `a` in the order `perm` (column r ← column perm[r]), in place. */
  permuteColumns(a: Float64Array, perm: Int32Array): void;
}

/** The row order of n×k frames, with its scratch allocated once. */
export function createRowOrder(n: number, k: number): RowOrder {
  const norm = new Float64Array(n);
  const idx = new Int32Array(n);
  const col = new Float64Array(n);
  /** norm[i] ← max(norm[i], max over columns j0..j1-1 of |a_ij|) (from 0 when j0 = 0), a column at a time. */
  const rowNorms = (a: Float64Array, j0: number, j1: number): void => {
    if (j0 === 0) norm.fill(0);
    for (let j = j0; j < j1; j++) {
      const c = j * n;
      for (let i = 0; i < n; i++) {
        const x = Math.abs(a[c + i]);
        if (x > norm[i]) norm[i] = x;
      }
    }
  };
  /** rowNorms over the first four columns, a row at a time (the common case: every QR). */
  const screen4 = (a: Float64Array): void => {
    for (let i = 0; i < n; i++) norm[i] = Math.max(Math.abs(a[i]), Math.abs(a[n + i]), Math.abs(a[2 * n + i]), Math.abs(a[3 * n + i]));
  };
  /** Whether the norms (exact zero rows aside) spread past GRADED. */
  const graded = (): boolean => {
    let hi = 0;
    let lo = Infinity;
    for (let i = 0; i < n; i++) {
      const v = norm[i];
      if (v > hi) hi = v;
      if (v > 0 && v < lo) lo = v; // exact zero rows are the rank bound's (rank-bound in estimator-core)
    }
    return hi > lo * GRADED;
  };
  return {
    sort(a: Float64Array, perm: Int32Array): boolean {
      // the screen: the rows' ∞-norms over the first SAMPLED columns, ≈ 4n instead of n·k (60 µs a
      // QR at n = k = 200); a row scaled by d_i is scaled in every column
      const m = Math.min(k, SAMPLED);
      if (m === SAMPLED) screen4(a);
      else rowNorms(a, 0, m);
      if (!graded()) return false; // false for NaN too (a frame with one is refused before its QR)
      // graded as screened: the ∞-norms over every column decide and order (see the module comment)
      if (m < k) {
        rowNorms(a, m, k);
        if (!graded()) return false;
      }
      for (let i = 0; i < n; i++) idx[i] = i;
      idx.sort((x, y) => norm[y] - norm[x] || x - y); // decreasing, ties in row order: deterministic
      perm.set(idx);
      for (let j = 0; j < k; j++) {
        const c = j * n;
        for (let r = 0; r < n; r++) col[r] = a[c + perm[r]];
        a.set(col, c);
      }
      return true;
    },
    unsort(a: Float64Array, perm: Int32Array): void {
      for (let j = 0; j < k; j++) {
        const c = j * n;
        for (let r = 0; r < n; r++) col[perm[r]] = a[c + r];
        a.set(col, c);
      }
    },
    permuteColumns(a: Float64Array, perm: Int32Array): void {
      for (let i = 0; i < n; i++) {
        const o = i * n;
        for (let r = 0; r < n; r++) col[r] = a[o + perm[r]];
        a.set(col, o);
      }
    },
  };
}

/** The row order of one estimator frame: the permutation its factored Q holds, and its checkpoint. @internal */
export interface FrameRowOrder {
  /** Before the QR of the frame `q`: sorts graded rows, keeping the permutation; returns whether it did. */
  sortFrame(q: Float64Array): boolean;
  /** The same on a copy whose QR only gives logs (nothing kept). */
  sortCopy(z: Float64Array): void;
  /** After the QR of a sorted frame formed Q in `q` (of P·Z): its rows back, the permutation dropped. */
  unsortFormed(q: Float64Array): void;
  /** The rows of a Q formed for an observer back, the permutation kept (the frame stays factored). */
  unsortView(q: Float64Array): void;
  /** The Jacobian's columns in the frame's row order, for the factored product (in place). */
  permuteJacobian(a: Float64Array): void;
  /** The frame is a product again (no permutation). */
  drop(): void;
  save(): void;
  restore(): void;
}

/** The row order of an n×k frame (see {@link FrameRowOrder}). */
export function createFrameRowOrder(n: number, k: number): FrameRowOrder {
  const order = createRowOrder(n, k);
  const perm = new Int32Array(n);
  const scratch = new Int32Array(n);
  let permuted = false;
  let saved: Int32Array | undefined;
  let savedPermuted = false;
  return {
    sortFrame(q: Float64Array): boolean {
      permuted = order.sort(q, perm);
      return permuted;
    },
    sortCopy(z: Float64Array): void {
      order.sort(z, scratch);
    },
    unsortFormed(q: Float64Array): void {
      if (permuted) order.unsort(q, perm);
      permuted = false;
    },
    unsortView(q: Float64Array): void {
      if (permuted) order.unsort(q, perm);
    },
    permuteJacobian(a: Float64Array): void {
      if (permuted) order.permuteColumns(a, perm); // J·Pᵀ·Q' = (J's columns in the order perm)·Q'
    },
    drop(): void {
      permuted = false;
    },
    save(): void {
      savedPermuted = permuted;
      if (permuted) (saved ??= new Int32Array(n)).set(perm);
    },
    restore(): void {
      permuted = savedPermuted;
      if (permuted) perm.set(saved as Int32Array);
    },
  };
}
