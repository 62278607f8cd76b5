/**
 * The rank watch of covariantLyapunovVectors' forward pass (clv.ts): the lowest rank bound of the
 * run's products of Jacobians, refused below k. @internal
 */
import { zeroRowsAndColsSquare } from './matrix-scan.js';
import { createRankBound } from './rank-bound.js';

/** See {@link createRankWatch}. @internal */
export interface RankWatch {
  /** Whether the steps noted count (the window and the backward warm-up, whose R's the backward pass divides by). */
  counting: boolean;
  /** Notes the Jacobian of step t, or one of its factors (`factor`), of the counted steps. */
  note(a: Float64Array, t: number, factor?: boolean): void;
  /** Whether the bound has fallen below k (check() will throw). */
  deficient(): boolean;
  check(): void;
}

/**
 * The lowest rank bound of the run's products of Jacobians, and the first step it is seen at. Below
 * k the frame's last R_jj are rounding, not growth, and the vectors of those −∞ exponents are
 * undefined (Ginelli's backward pass divides by them): before 2026-12-03 they came out finite (−9 to
 * −47 where lyapunovSpectrum gives −∞), with NaN growth rates.
 *
 * The bound is lyapunovSpectrum's (rank-bound.ts, which holds the argument), never applied: per
 * matrix n − max(zero rows, |zero columns ∪ zero rows of the matrix before|). The forward pass is
 * that estimator with a QR every step (J_t·Q_t = Q_{t+1}·R_t, the R's of the QR of the cumulative
 * product), so its carry across QRs holds as it is: while the products keep rank k, Q_{t+1} spans
 * image(J_t·Q_t) and has its exact zero rows (in exact arithmetic), and J_{t+1}·Q_{t+1} loses the union. Where a
 * product's rank falls below k, the R_jj of its QR with j ≥ rank are exactly 0 in exact arithmetic
 * and rounding here, and the backward pass C_t = R_t⁻¹·C_{t+1} divides by every counted R (the
 * window and the backward warm-up): column j of C_t depends on R's leading (j+1)×(j+1) blocks only,
 * so vectors 1…rank stay defined and the rest are rounding amplified by 1/R_jj — hence the refusal
 * naming the lowest rank (the largest k that works). Until 2026-12-04 the bound was per Jacobian
 * (n − max(zero rows, zero columns)): a relu net with one dead unit and 48 units feeding only it
 * (rank 16 per step, 15 for any two) gave λ16 ≈ −35.9 and its vectors at k = 16. The frame warm-up
 * is not noted (its lost columns are refilled by the QR's completion, whose zero rows nothing
 * bounds), so the window's first step starts the product as after lyapunovSpectrum's `forget`. @internal
 */
export function createRankWatch(n: number, k: number, name: string): RankWatch {
  const bound = createRankBound(n, k);
  let low = n;
  let at = -1;
  let pair = false; // the lowest bound came from a union with the previous matrix's zero rows
  let within = false; // … and that matrix was a factor of the same step
  let prev = -1; // the step of the previous matrix noted
  let ofFactor = false; // the lowest bound is a factor's own
  return {
    counting: false,
    note(a: Float64Array, t: number, factor = false): void {
      if (!this.counting) return;
      const rows = bound.rowsOut(), cols = bound.colsOut();
      zeroRowsAndColsSquare(n, a, rows, cols);
      const single = n - Math.max(rows.count, cols.count);
      bound.note(cols);
      const r = bound.rank();
      if (r < low) [low, at, pair, within, ofFactor] = [r, t, r < single, prev === t, factor];
      prev = t;
    },
    deficient(): boolean {
      return low < k;
    },
    /** Throws when some product's rank bound is below k (after the forward pass, naming the lowest). */
    check(): void {
      if (low >= k) return;
      const what = !pair
        ? ofFactor
          ? `the Jacobian at step ${at} has rank ≤ ${low} < k = ${k} (exactly zero rows or columns of one of the factors it is taken as; of an LSTM's, a unit whose output gate has no recurrent weights, which makes its h row of J γ times its c row)`
          : `the Jacobian at step ${at} has rank ≤ ${low} < k = ${k} (exactly zero rows or columns)`
        : `the product of the ${within ? `factors of the Jacobian at step ${at}` : `Jacobians at steps ${at - 1} and ${at}`} has rank ≤ ${low} < k = ${k} (exactly zero columns of the later one, with the zero rows of the earlier one, which make its matching columns irrelevant: J·J′ = J[:, S]·J′[S, :], S the rows of J′ not zero)`;
      throw new RangeError(
        `${name}: ${what}: exponents ${low + 1}…${k} are −Infinity and their covariant vectors undefined; ${low > 0 ? `ask for k ≤ ${low}` : 'no covariant vector is defined there'} (lyapunovSpectrum gives all ${k} exponents)`,
      );
    },
  };
}
