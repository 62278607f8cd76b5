/**
 * The rank bound of the estimator's pending product (estimator-core.ts): exact zero rows and columns
 * of the pushed matrices cap its rank, so that the QR's last R_jj are exact zeros (−∞ exponents), told
 * apart from R_jj rounded to zero by a frame conditioned past 1/ε. @internal
 */

/**
 * An upper bound on the rank of the pending product, from exact zero rows and columns of the pushed
 * matrices: after a QR the last k − bound R_jj are exactly 0 (log −Infinity), not rounding.
 */
export interface RankBound {
  /** Notes a matrix with `zeros` zero rows (or columns); `undo` restores the bound before it. */
  note(zeros: number): void;
  undo(): void;
  /** Forgets the matrices noted since the last apply (their interval is redone). */
  reset(): void;
  /**
   * Sets the last k − bound logs to −Infinity, then resets the bound for the next product. Returns
   * how many logs the QR itself found −Infinity beyond the k − bound the bound explains: an R_jj
   * rounded to exactly 0 (a frame conditioned past 1/ε), not a zero of the product.
   */
  apply(logr: Float64Array): number;
  /** The same for the pending product's logs (from a QR of a copy), keeping the bound. */
  peek(logr: Float64Array): number;
}

/** The rank bound of an estimator of k exponents in n dimensions. */
export function createRankBound(n: number, k: number): RankBound {
  let bound = n;
  let before = n;
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
  return {
    reset(): void {
      bound = n;
      before = n;
    },
    note(zeros: number): void {
      before = bound;
      if (n - zeros < bound) bound = n - zeros;
    },
    undo(): void {
      bound = before;
    },
    apply(logr: Float64Array): number {
      const rounded = peek(logr);
      bound = n;
      return rounded;
    },
    peek,
  };
}
