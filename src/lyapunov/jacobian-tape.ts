/**
 * The streaming estimator's own replay (createLyapunovEstimator with `reorthEvery` > 1). The
 * guarded interval is predicted from past growth rates, and a sudden contraction (an input pulse
 * saturating a tanh RNN) can condition the frame past 1/ε before the QR; the QR shows it afterwards
 * (replay-guard.ts). `lyapunovSpectrum`'s driver recomputes those steps from its states; the
 * streaming estimator has only what it was pushed, so it keeps copies of the Jacobians pushed since
 * the last QR and folds them in again, a QR after each. A product pushed with `pushProduct` cannot
 * be redone (the estimator never sees its Jacobian): such an interval is counted instead.
 */

/** Bytes the kept Jacobians may take at most (slots are allocated as intervals reach them). */
export const TAPE_BUDGET = 2 ** 26;

/** The Jacobians of the pending interval; see the module comment. */
export interface JacobianTape {
  /** How many steps it can keep (an interval longer than this cannot be redone). */
  readonly slots: number;
  /** Keeps the Jacobian of step i of the pending interval (i = 0 starts a new interval). */
  record(i: number, jacobian: Float64Array): void;
  /** Step i of the pending interval came as a product: the interval cannot be redone. */
  skip(i: number): void;
  /** True when every one of the interval's `pending` steps is kept. */
  complete(pending: number): boolean;
  /** The kept Jacobian of step i (valid while `complete`). */
  slot(i: number): Float64Array;
}

/** A tape for n×n Jacobians and intervals of up to `maxSteps`, within {@link TAPE_BUDGET}. */
export function createJacobianTape(n: number, maxSteps: number): JacobianTape {
  const slots = Math.max(0, Math.min(maxSteps, Math.floor(TAPE_BUDGET / (8 * n * n))));
  const kept: Float64Array[] = [];
  let broken = false;
  return {
    slots,
    record(i: number, jacobian: Float64Array): void {
      if (i === 0) broken = false;
      if (broken) return; // the interval cannot be redone: nothing to keep (and kept[i] may not exist yet)
      if (i >= slots) {
        broken = true;
        return;
      }
      if (kept.length <= i) kept.push(new Float64Array(n * n));
      kept[i].set(jacobian);
    },
    skip(i: number): void {
      if (i === 0 || !broken) broken = true;
    },
    complete: (pending: number) => !broken && pending <= slots,
    slot: (i: number) => kept[i],
  };
}
