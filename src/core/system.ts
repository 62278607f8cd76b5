/**
 * The one interface that joins models to analyses: Lyapunov spectra, fixed points and limit cycles
 * work on any discrete-time map that implements it.
 */

/**
 * A discrete-time map x_{t+1} = F(x_t, t); states are Float64Array of length `dim`.
 *
 * @example
 * ```ts
 * const henon: DynamicalSystem = {
 *   dim: 2,
 *   step: (x, _t, out) => { const x0 = x[0]; out[0] = 1 - 1.4 * x0 * x0 + x[1]; out[1] = 0.3 * x0; },
 *   jacobian: (x, _t, out) => { out[0] = -2.8 * x[0]; out[1] = 1; out[2] = 0.3; out[3] = 0; },
 * };
 * ```
 */
export interface DynamicalSystem {
  readonly dim: number;
  /** out = F(x, t). `out` never aliases `x` when called by the library. */
  step(x: Float64Array, t: number, out: Float64Array): void;
  /**
   * out = dF/dx at (x, t), row-major dim×dim. A function of (x, t) alone: the library may call it for
   * an earlier step after later ones (lyapunovSpectrum redoes an interval that outran its condition
   * bound), so it must not depend on the last `step` call.
   */
  jacobian(x: Float64Array, t: number, out: Float64Array): void;
  /** Optional fast path: out (dim×k, row-major) = J(x,t) · Q, without forming J; a function of (x, t, Q) alone, as `jacobian`. */
  jacobianTimes?(x: Float64Array, t: number, q: Float64Array, k: number, out: Float64Array): void;
  /**
   * Optional, for a system driven by a finite input sequence (as `rnnSystem` with `inputs` sets it):
   * the steps it can take. `lyapunovSpectrum`'s defaults then count the steps the inputs allow
   * (warm-up 0, frame warm-up ⌊length/10⌋ up to 100), as for an RNN given `inputs`.
   */
  readonly length?: number;
}

/**
 * True when `v` looks like a {@link DynamicalSystem}.
 *
 * @example
 * ```ts
 * isDynamicalSystem(henonMap()) // true; isDynamicalSystem(rnn) // false
 * ```
 */
export function isDynamicalSystem(v: unknown): v is DynamicalSystem {
  if (v === null || typeof v !== 'object') return false;
  const s = v as Partial<DynamicalSystem>;
  return typeof s.dim === 'number' && typeof s.step === 'function' && typeof s.jacobian === 'function';
}

