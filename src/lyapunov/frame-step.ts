/**
 * The frame step of `lyapunovSpectrum`'s driver: J(x_t)·Q pushed into the estimator by the cheapest
 * path the system offers (the Jacobian itself while the frame is factored; else a column-major
 * product, a float32 one, or a row-major one), and the replay of an interval the estimator undid.
 *
 * Replay: the guarded interval is predicted from past growth rates, and a step that suddenly
 * contracts some directions by many orders (a tanh RNN saturated by an input pulse) can make the
 * frame's condition pass 1/ε before the QR, losing its smallest directions without any column norm
 * showing it. The estimator sees it a posteriori, in the QR's log R_jj, and undoes the interval; the
 * stepper keeps the states of the last `reorthEvery` steps and pushes them again, a QR after each.
 *
 * Factored steps: a Jacobian can be graded in a way no QR of J·Q resolves, whatever the row order
 * (an LSTM whose forget gate saturates scales a column of J by f ≈ 1e-15, and the dense Q mixes it
 * below rounding). A system that knows its Jacobian as a product of factors each resolved by a QR
 * (`jacobianFactors`) hands them over at such steps, and the estimator re-orthonormalizes after each.
 */
import { filled } from '../core/filled.js';
import type { DynamicalSystem } from '../core/system.js';
import type { ZeroSet } from '../core/zero-set.js';
import type { LyapunovEstimatorInternal } from './estimator-core.js';
import type { Float32ProductSystem } from './product-precision.js';

/** A system with the column-major product fast path (the RNN adapters). */
export interface ColMajorSystem extends DynamicalSystem {
  jacobianTimesColMajor(x: Float64Array, t: number, q: Float64Array, k: number, out: Float64Array): void;
}

/**
 * A system that finds the exactly zero columns of J(x, t) (the RNN adapters): a product J·Q shows
 * J's zero rows as its own, but not its zero columns (a unit that feeds no other), which bound the
 * rank all the same; the estimator notes them for its rank bound (rank-bound.ts), with the previous
 * step's zero rows. @internal
 */
export interface ZeroColumnsSystem extends DynamicalSystem {
  /** The indices of J(x, t)'s zero columns, ascending (a view valid until the system's next call). */
  jacobianZeroColumns(x: Float64Array, t: number): ZeroSet;
}

/**
 * A system whose Jacobian comes as factors where one QR would lose digits (the LSTM adapter). @internal
 */
export interface FactoredJacobianSystem extends DynamicalSystem {
  /** How many factors J(x, t) needs (0: the Jacobian itself is resolved by a QR, the common case). */
  jacobianFactorCount(x: Float64Array, t: number): number;
  /** Writes the factors, J(x, t) = F_{c−1}···F_0, into out[0..c) (row-major dim×dim each). */
  jacobianFactors(x: Float64Array, t: number, out: readonly Float64Array[]): void;
  /**
   * Optional: the factors of J(x, t) as the system's own matrices, valid until its next call (one
   * array may stand for several equal factors: the vanilla tanh adapter's diagonal ones), so that
   * no caller allocates a matrix per factor.
   */
  jacobianFactorViews?(x: Float64Array, t: number): readonly Float64Array[];
}

/** The `count` factors of step t at x: the system's own views when it has them, else written into `buffers` (grown as needed). @internal */
export function loadFactors(system: FactoredJacobianSystem, x: Float64Array, t: number, count: number, buffers: Float64Array[], n: number): readonly Float64Array[] {
  if (typeof system.jacobianFactorViews === 'function') return system.jacobianFactorViews(x, t);
  while (buffers.length < count) buffers.push(new Float64Array(n * n));
  system.jacobianFactors(x, t, buffers);
  return buffers;
}

/** Pushes frame steps; see the module comment. */
export interface FrameStepper {
  /** Pushes step t at the state x (the Jacobian at x_t), then any replay the estimator asks for. */
  push(x: Float64Array, t: number): void;
  /** At the end of a run whose last pushed step is t: redoes the steps since the last QR if they outran the bound; returns how many. */
  finishTail(t: number): number;
}

/**
 * The stepper for `system` feeding `est`; `precision` as resolveProductPrecision gives it; `ring`
 * the number of states kept for replay (the largest interval; 0 without replay).
 */
export function createFrameStepper(
  system: DynamicalSystem,
  est: LyapunovEstimatorInternal,
  n: number,
  k: number,
  precision: 'float64' | 'float32' | 'float32-fma',
  ring: number,
  name: string,
): FrameStepper {
  const colMajor = typeof (system as Partial<ColMajorSystem>).jacobianTimesColMajor === 'function';
  const hasProduct = colMajor || typeof system.jacobianTimes === 'function';
  const f32 = precision !== 'float64';
  const buf = new Float64Array(!hasProduct || colMajor ? 0 : n * k);
  // one slot more than the longest interval: a factored step replays the steps before it after its
  // own state was kept (frame-step's pushFactored)
  const nSlots = ring > 0 ? ring + 1 : 0;
  const states = new Float64Array(nSlots * n);
  const slots = Array.from({ length: nSlots }, (_, i) => states.subarray(i * n, (i + 1) * n)); // views made once
  const factoring = typeof (system as Partial<FactoredJacobianSystem>).jacobianFactorCount === 'function';
  const zeroCols = typeof (system as Partial<ZeroColumnsSystem>).jacobianZeroColumns === 'function' ? (system as ZeroColumnsSystem) : undefined;
  const factors: Float64Array[] = [];

  /** Step t as factors (see the module comment): the steps before it closed by a QR (any interval they outran redone first), then the factors. */
  function pushFactored(x: Float64Array, t: number, count: number): void {
    const m = est.flush();
    if (m > 0) replay(m, t - 1);
    est.commitFactors(loadFactors(system as FactoredJacobianSystem, x, t, count, factors, n), count, t);
  }

  function pushOne(x: Float64Array, t: number): void {
    if (factoring) {
      const count = (system as FactoredJacobianSystem).jacobianFactorCount(x, t);
      if (count > 0) return pushFactored(x, t, count);
    }
    if (!hasProduct || est.wantsJacobian()) {
      const jb = est.jacobianBuffer();
      filled(system.jacobian(x, t, jb), jb, 'jacobian', name);
      est.commitJacobian(t);
    } else if (f32) {
      (system as Float32ProductSystem).jacobianTimesColMajorFloat32(x, t, est.frameColMajor(), k, est.productBuffer(), precision === 'float32-fma');
      est.commitProduct(t, zeroCols?.jacobianZeroColumns(x, t));
    } else if (colMajor) {
      (system as ColMajorSystem).jacobianTimesColMajor(x, t, est.frameColMajor(), k, est.productBuffer());
      est.commitProduct(t, zeroCols?.jacobianZeroColumns(x, t));
    } else {
      filled((system.jacobianTimes as NonNullable<DynamicalSystem['jacobianTimes']>)(x, t, est.frame(), k, buf), buf, 'jacobianTimes', name);
      for (let i = 0; i < buf.length; i++) {
        const v = buf[i];
        if (v !== v || v === Infinity || v === -Infinity) {
          throw new RangeError(`${name}: the Jacobian product J·Q at step ${t} is not finite (${v} at row ${Math.floor(i / k)}): non-finite Jacobian`);
        }
      }
      est.pushProductUnchecked(buf, zeroCols?.jacobianZeroColumns(x, t));
    }
  }

  /** Pushes again the m ≤ ring steps ending at t (the estimator undoes at most `ring`), from the kept states. */
  function replay(m: number, t: number): void {
    for (let s = t - m + 1; s <= t; s++) pushOne(slots[s % nSlots], s);
  }

  return {
    push(x: Float64Array, t: number): void {
      if (ring === 0) return pushOne(x, t);
      slots[t % nSlots].set(x);
      pushOne(x, t);
      const m = est.takeReplay();
      if (m > 0) replay(m, t);
    },
    finishTail(t: number): number {
      const m = ring === 0 ? 0 : est.checkTail();
      if (m > 0) replay(m, t);
      return m;
    },
  };
}
