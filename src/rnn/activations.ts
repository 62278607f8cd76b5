/**
 * The RNN's pointwise nonlinearities φ and their derivatives φ', with φ' evaluated from the
 * pre-activation without cancellation (tanh'(a) = 1/cosh²(a), never 1 − tanh²(a) from a rounded tanh).
 */
import { activationDerivativeValue, activationValue, sech2 } from '../autodiff/activation-kernels.js';
import { assertActivation } from '../autodiff/rnn-op.js';
import type { FloatArray } from '../core/errors.js';
import type { Activation } from './types.js';

export { sech2 };

/**
 * φ applied elementwise: `out[i] = φ(a[i])` (out may be `a`; a new Float64Array by default).
 *
 * @example
 * ```ts
 * applyActivation('tanh', new Float64Array([0, 1]));   // [0, 0.7615…]
 * ```
 */
export function applyActivation<T extends FloatArray = Float64Array>(act: Activation, a: ArrayLike<number>, out?: T): T {
  assertActivation(act, 'applyActivation: activation');
  const o = (out ?? new Float64Array(a.length)) as FloatArray;
  if (o.length !== a.length) throw new RangeError(`applyActivation: out must have length ${a.length}, got ${o.length}`);
  for (let i = 0; i < a.length; i++) o[i] = activationValue(act, a[i]);
  return o as T;
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
  assertActivation(act, 'activationDerivative: activation');
  const o = (out ?? new Float64Array(a.length)) as FloatArray;
  if (o.length !== a.length) throw new RangeError(`activationDerivative: out must have length ${a.length}, got ${o.length}`);
  for (let i = 0; i < a.length; i++) o[i] = activationDerivativeValue(act, a[i]);
  return o as T;
}
