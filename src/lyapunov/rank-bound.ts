/**
 * The rank bound of the estimator's pending product (estimator-core.ts): exact zero rows and columns
 * of the pushed matrices cap its rank, so that the QR's last R_jj are exact zeros (−∞ exponents), told
 * apart from R_jj rounded to zero by a frame conditioned past 1/ε. @internal
 *
 * Per matrix, rank(J_t) ≤ n − max(zeroRows(J_t), zeroCols(J_t)). A product loses more: the rows of
 * the earlier factor that are exactly zero make the matching columns of the later one irrelevant,
 * J_t·P = J_t[:, S]·P[S, :] with S the rows of P not zero, so
 *   rank(J_t·P) ≤ n − |zeroCols(J_t) ∪ zeroRows(P)|.
 * (A relu net with one dead unit and 48 units feeding only it: each J has rank 16 of 64, every product
 * of two steps rank 15.) P is the pending product J_{t−1}···J_s·Q_s (its zero rows ⊇ J_{t−1}'s, and
 * the scans see them in J·Q itself), so the bound takes the union with the previous matrix's zero rows.
 *
 * Across a QR it still holds. The exponents are the time averages of log R_jj of the QR of the
 * cumulative product C_t = J_t···J_{t0}·Q_{t0} (the diagonals of the interval's R's multiply, so the
 * logs add per column j and a −∞ stays −∞). C_{t−1} = P·R_acc (R_acc the R's since t0), so
 * image(C_{t−1}) ⊆ image(P) and zeroRows(C_{t−1}) ⊇ zeroRows(P): rank(C_t) ≤ n − |zeroCols(J_t) ∪
 * zeroRows(P)| whichever QR P was closed by. The QR of a product of rank ρ finds its first ρ
 * columns independent (generically) and the rest in their span, so R_jj of C_t is exactly 0 for every
 * j ≥ ρ; the frame after the QR spans image(P) in its first rank(P) columns, and its other columns
 * (the QR's completion) carry exponents already at −∞. Marking the last k − bound logs of the next QR
 * −∞ is therefore right with the carried rows. Not after a frame warm-up QR: its logs are dropped, so
 * the counted product starts at J_{t0}·Q_{t0} with Q_{t0} of full rank, and the carry is forgotten.
 */
import { copyZeroSet, intersectionSize, zeroSet, type ZeroSet } from '../core/zero-set.js';

/**
 * An upper bound on the rank of the pending product, from exact zero rows and columns of the pushed
 * matrices: after a QR the last k − bound R_jj are exactly 0 (log −Infinity), not rounding.
 */
export interface RankBound {
  /** The set the next matrix's zero rows are written into (by the scans of matrix-scan.ts) before `note`. */
  rowsOut(): ZeroSet;
  /** A scratch set for a matrix's zero columns (the Jacobian path's scan). */
  colsOut(): ZeroSet;
  /**
   * Notes a matrix whose zero rows were written into rowsOut() and whose zero columns are `cols`
   * (none known: undefined), against the previous matrix's zero rows; `undo` restores the bound before it.
   */
  note(cols?: ZeroSet): void;
  undo(): void;
  /** Back to the state of the last checkpoint (a QR whose interval is redone from it). */
  reset(): void;
  /** Keeps the state right after a QR, for `reset` (as the frame's checkpoint). */
  checkpoint(): void;
  /** Forgets the last matrix's zero rows: the next matrix starts the counted product (after a frame warm-up QR). */
  forget(): void;
  /**
   * Sets the last k − bound logs to −Infinity, then resets the bound for the next product (the last
   * matrix's zero rows are kept). Returns how many logs the QR itself found −Infinity beyond the
   * k − bound the bound explains: an R_jj rounded to exactly 0 (a frame conditioned past 1/ε), not a
   * zero of the product.
   */
  apply(logr: Float64Array): number;
  /** The same for the pending product's logs (from a QR of a copy), keeping the bound. */
  peek(logr: Float64Array): number;
  /**
   * The bound itself: n − the most rank lost by a matrix noted since the last `apply` (or reset).
   * Without `apply` it is the lowest over every matrix noted, each with the zero rows of the one
   * before: the rank bound of the whole product, as the covariant vectors and the differentiable
   * exponents read it (they refuse k above it rather than mark logs).
   */
  rank(): number;
  /**
   * After `note` (until the next scan into rowsOut(), which is the same set): the zero rows of the
   * matrix noted before it, whose union with the noted columns the bound took (for a message).
   */
  previousRows(): ZeroSet;
}

/** The rank bound of an estimator of k exponents in n dimensions. */
export function createRankBound(n: number, k: number): RankBound {
  let bound = n;
  let before = n;
  // the zero rows of the last noted matrix and the buffer the next scan writes into (swapped by
  // note, back by undo), the checkpoint's, and a scratch set of columns
  let last = zeroSet(n);
  let scan = zeroSet(n);
  const saved = zeroSet(n);
  const cols = zeroSet(n);
  const peek = (logr: Float64Array): number => {
    let zeros = 0;
    for (let j = 0; j < k; j++) if (logr[j] === -Infinity) zeros++;
    let need = k - bound;
    if (need <= 0) return zeros;
    if (zeros >= need) return zeros - need;
    need -= zeros;
    // the last columns: the QR of a product of rank ≤ bound finds its first `bound` columns
    // independent (generically) and the rest in their span, with rounding for R_jj; picking the
    // smallest logs instead took a genuine tiny R_jj (a nearly saturated unit) for a rounded zero
    for (let j = k - 1; j >= 0 && need > 0; j--) {
      if (logr[j] === -Infinity) continue;
      logr[j] = -Infinity;
      need--;
    }
    return 0;
  };
  const swap = (): void => {
    const s = scan;
    scan = last;
    last = s;
  };
  return {
    rowsOut: () => scan,
    colsOut: () => cols,
    note(c?: ZeroSet): void {
      let lost = scan.count;
      const nc = c === undefined ? 0 : c.count;
      // O(1) when nothing is zero; the union only where both sets have members
      if (nc > 0 || last.count > 0) {
        const union = nc + last.count - (nc > 0 && last.count > 0 ? intersectionSize(c as ZeroSet, last) : 0);
        if (union > lost) lost = union;
      }
      before = bound;
      if (n - lost < bound) bound = n - lost;
      swap(); // last ← these rows; scan ← the previous ones (kept for undo)
    },
    undo(): void {
      bound = before;
      swap();
    },
    reset(): void {
      bound = n;
      before = n;
      copyZeroSet(last, saved);
    },
    checkpoint(): void {
      copyZeroSet(saved, last);
    },
    forget(): void {
      last.count = 0;
    },
    apply(logr: Float64Array): number {
      const rounded = peek(logr);
      bound = n;
      return rounded;
    },
    peek,
    rank: () => bound,
    previousRows: () => scan,
  };
}
