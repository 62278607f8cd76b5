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
  /**
   * Kaplan–Yorke dimension of `exponents` (see {@link kaplanYorkeDimension}); NaN for the top k < n
   * exponents when their sum is still ≥ 0: the dimension is then k or more, not determined (ask for
   * more exponents).
   */
  kaplanYorkeDimension: number;
  /**
   * Sum of the positive exponents (Pesin's entropy bound), same units as the exponents; NaN for the
   * top k < n when λ_k > 0 (the exponents after the k-th may be positive too).
   */
  entropy: number;
  /** Counted steps (after warm-ups) the estimate covers; per sequence for several sequences. */
  steps: number;
  /** Finite-time exponents for convergence plots, when `history` was requested (one sequence only). */
  history?: LyapunovHistory;
  /**
   * Set by `lyapunovSpectrum`: true when the counted trajectory sat on a fixed point (no coordinate
   * moved by more than 1e-10·(1 + |x_i|) in a step), so the exponents are those of that point's
   * Jacobian rather than of an attractor. For several sequences: true when every sequence did.
   * Then `stderr` measures the growth rates' fluctuation, not the frame's alignment, whose bias falls
   * only as 1/T (10× the stderr at 10⁴ steps on a trained LSTM's near-degenerate pair): the exact
   * values are ln|eig J| at the point (`findFixedPoints` gives them).
   */
  stationary?: boolean;
  /**
   * Set by `lyapunovSpectrum`: the typical size of the error each exponent keeps from the random
   * initial frame (same order and units), a bias that `stderr` does not include. The frame aligns
   * as e^{−g·frameWarmup} for a gap g to the neighbouring exponents, and what is left costs about
   * e^{−2g·frameWarmup}/(2·steps), more in a cluster: near-degenerate exponents (an LSTM's c-exponents near ln f,
   * gaps ~1e-3) need frameWarmup ≫ 1/g. Estimated from the gaps between the estimated exponents
   * and their spread over random frames (alignment.ts); with k < n, the unseen gap below λ_k at its
   * worst. For several sequences: their root mean square over √B, as `stderr`.
   */
  alignmentError?: Float64Array;
  /**
   * Set by `lyapunovSpectrum`: true when some exponent's `alignmentError` exceeds its `stderr`, so
   * that ±stderr understates its error: the exponent moves with the frame `seed` by more than its
   * standard error. Raise `frameWarmup` (on an LSTM with biases +4 driven by 2000 steps, the seed
   * moved λ4 by 4.2 standard errors at the default 100 and 4.0 at 800, its gap to λ5 being 9e-4: several 1/g).
   */
  misaligned?: boolean;
  /** Set by `lyapunovSpectrum`: the state warm-up used (steps discarded). */
  warmup?: number;
  /** Set by `lyapunovSpectrum`: the frame warm-up used (steps aligned, not counted). */
  frameWarmup?: number;
  /**
   * Intervals whose QR found the frame conditioned past 100·maxCondition and that could not be
   * redone, the pending one included (summed over the sequences of a batch). Set by the streaming
   * estimator (`createLyapunovEstimator`) with `reorthEvery` > 1, and by `lyapunovSpectrum` (and the
   * calls built on it) with `reorthEvery` > 64. Jacobians pushed with `pushJacobian` are kept and such
   * an interval is redone, a QR after each step; one that holds a `pushProduct`, or is longer than
   * the steps kept (64), cannot be. Above 0 the most negative exponents carry rounding: push
   * Jacobians, use `reorthEvery` ≤ 64, or `reorthEvery: 1`.
   */
  outrunIntervals?: number;
  /** Driven runs only (see {@link LyapunovBatchResult}, which the overload returns for `inputs`). */
  std?: Float64Array;
  /** Driven runs only (see {@link LyapunovBatchResult}). */
  perSequence?: LyapunovResult[];
}

/**
 * The result of a run driven by `inputs` (`[B,T,I]` or `[T,I]`): the mean spectrum over the B
 * sequences, its spread and every sequence's own result.
 */
export interface LyapunovBatchResult extends LyapunovResult {
  /**
   * The spread (standard deviation, n − 1) of each exponent across the sequences; NaN for a single
   * sequence, where it is undefined (never a made-up 0).
   */
  std: Float64Array;
  /** Number of sequences B. */
  sequences: number;
  /** One full result per sequence, in batch order (with its own `history` when requested). */
  perSequence: LyapunovResult[];
  /** Sequences whose counted trajectory sat on a fixed point. */
  stationarySequences: number;
  /**
   * Sequences whose results differ: runs that are bit for bit another's (the same inputs and start,
   * e.g. digits whose first rows are all blank, or a batch of one sequence repeated) count once.
   * When it is 1 there is one run, and `std` is NaN and `stderr` that run's own, as for B = 1 (B
   * copies gave a spread of 0 and a standard error of 0/√B).
   */
  distinctSequences: number;
  stationary: boolean;
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
