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
 * nothing is permuted and every bit is as without it. A screen decides cheaply when the rows are not
 * graded, and it never misses a graded frame: the smallest row is bounded from above by its entries
 * in the first four columns (a row scaled by d_i is small in all of them; a row that is zero there is
 * measured over every column), and the largest from above by the largest column norm, which the
 * frame already knows. Only when that bound spreads past GRADED are the ∞-norms taken over every
 * column, to decide and to sort by. The bound is not the decision: a frame's columns are Lyapunov
 * vectors, not random ones, and in a modular or lattice system they are localized, so that a row of
 * ordinary size can be 1e-9 in the first four columns (a frame spread by 1e4 was screened as 1e10).
 * Without the column norms (the QR step of the covariant vectors and the differentiable spectrum)
 * the ∞-norms over every column decide directly.
 */

/** The spread of the rows' ∞-norms past which they are sorted (2^20 ≈ 1e6). */
export const GRADED = 2 ** 20;

/** The columns that screen the rows' ∞-norms (all when k is smaller). */
const SAMPLED = 4;

/** A row order for column-major n×k frames (see the module comment). */
export interface RowOrder {
  /**
   * Permutes the rows of the column-major n×k `a` in place into decreasing ∞-norm when they are
   * graded past {@link GRADED}, into `perm` (row r of the result is row perm[r] of `a`); returns
   * whether it did (false: `a` and `perm` untouched). `normsSq`, the squared column norms of `a`
   * when known, lets a screen skip the pass over every column (see the module comment).
   */
  sort(a: Float64Array, perm: Int32Array, normsSq?: Float64Array): boolean;
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
  /**
   * Whether the rows can be graded past GRADED, from the first four columns and the squared column
   * norms: an upper bound on the smallest row's ∞-norm (its entries there; a row zero there is
   * measured over every column) against an upper bound on the largest (the largest column norm). It
   * is never false for a frame graded past GRADED (up to the n·ε rounding of the norms).
   */
  const mayBeGraded = (a: Float64Array, normsSq: Float64Array): boolean => {
    let lo = Infinity;
    for (let i = 0; i < n; i++) {
      let v = Math.max(Math.abs(a[i]), Math.abs(a[n + i]), Math.abs(a[2 * n + i]), Math.abs(a[3 * n + i]));
      if (v === 0) for (let j = SAMPLED; j < k; j++) v = Math.max(v, Math.abs(a[j * n + i]));
      if (v > 0 && v < lo) lo = v; // exact zero rows are the rank bound's (rank-bound.ts)
    }
    let hiSq = 0;
    for (let j = 0; j < k; j++) if (normsSq[j] > hiSq) hiSq = normsSq[j];
    // hi > lo·GRADED with hi = √hiSq, in squares; false for NaN (a frame with one is refused before its QR)
    return hiSq > lo * lo * (GRADED * GRADED);
  };
  /** Whether the norms (exact zero rows aside) spread past GRADED. */
  const graded = (): boolean => {
    let hi = 0;
    let lo = Infinity;
    for (let i = 0; i < n; i++) {
      const v = norm[i];
      if (v > hi) hi = v;
      if (v > 0 && v < lo) lo = v; // exact zero rows are the rank bound's (rank-bound.ts)
    }
    return hi > lo * GRADED;
  };
  return {
    sort(a: Float64Array, perm: Int32Array, normsSq?: Float64Array): boolean {
      // the screen: ≈ 4n + k instead of n·k (60 µs a QR at n = k = 200)
      if (normsSq !== undefined && k > SAMPLED && !mayBeGraded(a, normsSq)) return false;
      rowNorms(a, 0, k);
      if (!graded()) return false; // false for NaN too
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
  /** Before the QR of the frame `q` (squared column norms `normsSq` when known): sorts graded rows, keeping the permutation; returns whether it did. */
  sortFrame(q: Float64Array, normsSq: Float64Array | undefined): boolean;
  /** The same on a copy whose QR only gives logs (nothing kept). */
  sortCopy(z: Float64Array, normsSq: Float64Array | undefined): void;
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
    sortFrame(q: Float64Array, normsSq: Float64Array | undefined): boolean {
      permuted = order.sort(q, perm, normsSq);
      return permuted;
    },
    sortCopy(z: Float64Array, normsSq: Float64Array | undefined): void {
      order.sort(z, scratch, normsSq);
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
