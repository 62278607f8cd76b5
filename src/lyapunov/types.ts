/**
 * Result and event types shared by the estimator and `lyapunovSpectrum`.
 */

/** Finite-time exponents recorded during a run (frame-column order, per step or per unit time). */
export interface LyapunovHistory {
  /** Counted steps at each record (cumulative, after the frame warm-up). */
  steps: number[];
  /**
   * Finite-time exponents over each window between consecutive records: `windows[r][i]` is the
   * mean growth rate of frame column i over the steps since the previous record.
   */
  windows: Float64Array[];
  /** The running estimate at each record: the finite-time exponents over all counted steps so far. */
  running: Float64Array[];
}

/** A Lyapunov spectrum estimate. */
export interface LyapunovResult {
  /** The exponents, descending; natural log per step, or per unit time when `dt` was given. */
  exponents: Float64Array;
  /**
   * Standard error of each exponent (same order), from the means of contiguous blocks of steps
   * (batch means; Infinity until two blocks are complete; 0 for an exponent that is −Infinity).
   * For several input sequences: the standard error of the mean over sequences.
   */
  stderr: Float64Array;
  /** Kaplan–Yorke dimension of `exponents` (see {@link kaplanYorkeDimension}). */
  kaplanYorkeDimension: number;
  /** Sum of the positive exponents (Pesin's entropy bound), same units as the exponents. */
  entropy: number;
  /** Counted steps (after warm-ups) the estimate covers; per sequence for several sequences. */
  steps: number;
  /** Finite-time exponents for convergence plots, when `history` was requested (one sequence only). */
  history?: LyapunovHistory;
  /**
   * With inputs `[B,T,I]`: the spread (standard deviation, n − 1) of each exponent across the
   * sequences; `exponents` is then their mean.
   */
  std?: Float64Array;
  /** With inputs `[B,T,I]`: one full result per sequence, in batch order. */
  perSequence?: LyapunovResult[];
}

/** The result for inputs `[B,T,I]`: the mean spectrum, its spread and every sequence's spectrum. */
export interface LyapunovBatchResult extends LyapunovResult {
  std: Float64Array;
  perSequence: LyapunovResult[];
}

/** Passed to `onReorthonormalize` after every QR of the frame (warm-up included). */
export interface ReorthonormalizationEvent {
  /** Index of the last Jacobian folded into this QR (0-based over all pushes, warm-up included). */
  step: number;
  /** Number of Jacobians since the previous QR. */
  interval: number;
  /** True while the frame is warming up (these logs are not counted). */
  warmup: boolean;
  /** log R_ii of this QR (R's diagonal is non-negative), frame-column order. A view: copy to keep. */
  logR: Float64Array;
  /** The new orthonormal frame Q, column-major dim×k (column i at `q[i*dim ..]`). A view: copy to keep. */
  q: Float64Array;
}
