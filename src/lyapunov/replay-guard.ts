/**
 * The a-posteriori side of the interval guard (interval.ts predicts; this checks). After the QR of
 * an interval of m > 1 steps, the spread of its log R_jj, and each column's excess ln(‖z_j‖/R_jj)
 * (qr-frame.ts logColumnExcess: larger where a column outgrew the first, as after an input pulse),
 * are the realized log condition of the frame the QR was given. Past ln(maxCondition) + ln 100 its
 * smallest R_jj carry rounding, not growth (beyond ln(1/ε) ≈ 36 they are rounding entirely, and no
 * column norm shows it), so the estimator undoes the interval and the driver pushes its steps
 * again, a QR after each (frame-step.ts).
 */

/** ln 100: how far past ln(maxCondition) an interval's realized log spread may go before it is redone. */
export const REPLAY_SLACK = Math.log(100);

/**
 * ln 10, the slack with float32 frame products: their rounding in the smallest log R_jj grows as
 * 2⁻²⁴ times the realized condition, which a slack of 100 let reach 1e4 on a pulse (a tanh RNN
 * driven by pulses of 94 tilted its second frame vector by 1e-2 and moved λ2 by 1e-3, where a QR
 * every step is seed-independent to 1e-6).
 */
export const FLOAT32_REPLAY_SLACK = Math.log(10);

/** The guard of one estimator; see the module comment. */
export interface ReplayGuard {
  /** True when it can act (the driver replays intervals of up to `maxSteps` > 1 steps). */
  readonly active: boolean;
  /**
   * True when the interval of `pending` steps whose logs are `logr` ran past the bound (replayable
   * or not): their spread passes it, or the QR rounded `rounded` > 0 of its R_jj to exactly 0 (a
   * −∞ log that no exact zero of the product explains: the columns aligned past 1/ε, which the
   * spread of the finite logs cannot show), or a column's excess ln(‖z_j‖/R_jj) (`excess`, from
   * qr-frame.ts logColumnExcess) passes it: a column that outgrew the first, which the spread misses.
   */
  outran(logr: Float64Array, pending: number, rounded?: number, excess?: number): boolean;
  /** True when an interval of `pending` steps can be redone (the driver keeps that many). */
  replayable(pending: number): boolean;
  /** The interval was undone: its `pending` steps are handed to the driver, a QR after each. */
  rewound(pending: number): void;
  /** The interval after a QR: `next` (the rule's), or 1 while a replay lasts. */
  interval(next: number): number;
  /** True when a QR that starts an interval of `interval` steps must keep a checkpoint (any interval above 1, when active). */
  keeps(interval: number): boolean;
  /** The steps to push again (0 when none); reading resets it. */
  take(): number;
}

/** max − min of the finite entries of logr[0..k) (0 with fewer than two): the realized log condition. */
export function logSpread(logr: Float64Array, k: number): number {
  let hi = -Infinity;
  let lo = Infinity;
  for (let j = 0; j < k; j++) {
    const v = logr[j];
    if (v > -Infinity && v < Infinity) {
      if (v > hi) hi = v;
      if (v < lo) lo = v;
    }
  }
  return hi > lo ? hi - lo : 0;
}

/** The guard for k exponents, intervals of up to `maxSteps` replayable (≤ 1: inactive). */
export function createReplayGuard(maxSteps: number, maxCondition: number, k: number, slack = REPLAY_SLACK): ReplayGuard {
  const active = maxSteps > 1;
  const limit = Math.log(maxCondition) + slack;
  let toReplay = 0;
  let left = 0;
  return {
    active,
    outran: (logr, pending, rounded = 0, excess = 0) => pending > 1 && (rounded > 0 || excess > limit || logSpread(logr, k) > limit),
    replayable: (pending) => active && pending <= maxSteps,
    rewound(pending: number): void {
      toReplay = pending;
      left = pending - 1;
    },
    interval(next: number): number {
      if (left === 0) return next;
      left--;
      return 1;
    },
    // every interval that may run more than one step is kept: an interval predicted longer than
    // the driver keeps can be cut short (by the column-norm check) to a replayable length
    keeps: (interval) => active && interval > 1,
    take(): number {
      const m = toReplay;
      toReplay = 0;
      return m;
    },
  };
}
