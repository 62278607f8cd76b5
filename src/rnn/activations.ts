/**
 * The RNN's pointwise nonlinearities φ and their derivatives φ', with φ' evaluated from the
 * pre-activation without cancellation (tanh'(a) = 1/cosh²(a), never 1 − tanh²(a) from a rounded tanh).
 */
import { activationDerivativeValue, activationValue, sech2 as sech2Raw } from '../autodiff/activation-kernels.js';
import { assertActivation } from '../autodiff/rnn-op.js';
import type { FloatArray } from '../core/errors.js';
import type { Activation } from './types.js';

/**
 * sech²(a) = 1/cosh²(a) = tanh'(a), accurate for every finite a (no 1 − tanh² cancellation): a
 * TypeError for a non-number, a RangeError for NaN or ±Infinity.
 *
 * @example
 * ```ts
 * sech2(0);    // 1
 * sech2(12);   // 1.5e-10
 * ```
 */
export function sech2(a: number): number {
  if (typeof a !== 'number') throw new TypeError(`sech2: a must be a number, got ${a === null ? 'null' : typeof a}`);
  if (!Number.isFinite(a)) throw new RangeError(`sech2: a must be finite, got ${a}`);
  return sech2Raw(a);
}

/** out[i] = f(act, a[i]) after the checks both public maps share (`name` is the caller). */
function elementwise<T extends FloatArray>(
  name: string, act: Activation, a: ArrayLike<number>, out: T | undefined, f: (act: Activation, v: number) => number,
): T {
  assertActivation(act, `${name}: activation`);
  if (a === null || typeof a !== 'object' || typeof (a as { length?: unknown }).length !== 'number') {
    throw new TypeError(`${name}: a must be an array or typed array of numbers, got ${a === null ? 'null' : typeof a}`);
  }
  const o = (out ?? new Float64Array(a.length)) as FloatArray;
  if (o.length !== a.length) throw new RangeError(`${name}: out must have length ${a.length}, got ${o.length}`);
  for (let i = 0; i < a.length; i++) o[i] = f(act, a[i]);
  return o as T;
}

/**
 * φ applied elementwise: `out[i] = φ(a[i])` (out may be `a`; a new Float64Array by default).
 *
 * @example
 * ```ts
 * applyActivation('tanh', new Float64Array([0, 1]));   // [0, 0.7615…]
 * ```
 */
export function applyActivation<T extends FloatArray = Float64Array>(act: Activation, a: ArrayLike<number>, out?: T): T {
  return elementwise('applyActivation', act, a, out, activationValue);
}

/**
 * φ' at the pre-activations `a`, elementwise: 1/cosh²(a) for tanh (accurate for every a; 0 only when
 * it underflows), the step for relu (0 at 0), 1 for identity.
 *
 * @example
 * ```ts
 * activationDerivative('tanh', new Float64Array([12]))[0];   // 1.51e-10, not 0
 * ```
 */
export function activationDerivative<T extends FloatArray = Float64Array>(act: Activation, a: ArrayLike<number>, out?: T): T {
  return elementwise('activationDerivative', act, a, out, activationDerivativeValue);
}
