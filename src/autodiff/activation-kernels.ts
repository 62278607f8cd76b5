/**
 * Unchecked pointwise kernels for the nonlinearities, each with a derivative computed from the
 * pre-activation without cancellation: tanh'(a) = 1/cosh²(a) = 4e/(1+e)² with e = exp(−2|a|)
 * (not 1 − tanh², which is exactly 0 for |a| ≳ 9 in float32), σ'(a) = e/(1+e)² with e = exp(−|a|).
 */
import type { FloatArray } from '../core/errors.js';

/** The nonlinearities of the vanilla RNN. */
export type RnnActivation = 'tanh' | 'relu' | 'identity';

/** The names of {@link RnnActivation}, the one list every check of an activation reads. */
export const RNN_ACTIVATIONS: readonly RnnActivation[] = ['tanh', 'relu', 'identity'];

/**
 * tanh'(a) = 1/cosh²(a), accurate to a few ulp for every a (a true 0 only when it underflows).
 *
 * @example
 * ```ts
 * sech2(12);   // 1.5e-10, where 1 − tanh(12)² in float32 is exactly 0
 * ```
 */
export function sech2(a: number): number {
  const ax = a < 0 ? -a : a;
  if (ax < 0.5) {
    const t = Math.tanh(a);
    return 1 - t * t; // t² < 0.22: no cancellation
  }
  return sech2Large(ax);
}

/**
 * {@link sech2}(a) for a caller that already has t = Math.tanh(a): the same bits, without a second
 * Math.tanh where sech2 would compute one (|a| < 0.5). @internal
 */
export function sech2GivenTanh(a: number, t: number): number {
  const ax = a < 0 ? -a : a;
  return ax < 0.5 ? 1 - t * t : sech2Large(ax);
}

/** 4e/(1+e)², e = exp(−2|a|): sech² for |a| ≥ 0.5, where 1 − tanh² would cancel. */
function sech2Large(ax: number): number {
  const e = Math.exp(-2 * ax);
  const s = 1 + e;
  return (4 * e) / (s * s);
}

/** σ'(a) = σ(a)(1 − σ(a)), computed as e/(1+e)² with e = exp(−|a|). */
export function sigmoidDerivative(a: number): number {
  const e = Math.exp(a < 0 ? a : -a);
  const s = 1 + e;
  return e / (s * s);
}

/** σ(a) = 1/(1 + exp(−a)), without overflow for large negative a. */
export function sigmoid(a: number): number {
  if (a >= 0) return 1 / (1 + Math.exp(-a));
  const e = Math.exp(a);
  return e / (1 + e);
}

/**
 * In place over `x[xOff .. xOff+n)`: x ← φ(x), and, when `d` is given, `d[dOff .. dOff+n)` ← φ'(x)
 * (the derivative at the pre-activation). For 'identity' `d` is filled with ones.
 */
export function activateInPlace(
  act: RnnActivation, x: FloatArray, xOff: number, d: FloatArray | null, dOff: number, n: number,
): void {
  const end = xOff + n;
  const shift = dOff - xOff;
  if (act === 'tanh') {
    if (d === null) {
      for (let i = xOff; i < end; i++) x[i] = Math.tanh(x[i]);
      return;
    }
    for (let i = xOff; i < end; i++) {
      const a = x[i];
      const ax = a < 0 ? -a : a;
      if (ax < 0.5) {
        const t = Math.tanh(a);
        x[i] = t;
        d[i + shift] = 1 - t * t; // t² < 0.22: no cancellation
      } else {
        const e = Math.exp(-2 * ax);
        const s = 1 + e;
        const t = (1 - e) / s;
        x[i] = a < 0 ? -t : t;
        d[i + shift] = (4 * e) / (s * s);
      }
    }
  } else if (act === 'relu') {
    for (let i = xOff; i < end; i++) {
      const a = x[i];
      if (a > 0) {
        if (d !== null) d[i + shift] = 1;
      } else {
        x[i] = a === a ? 0 : a; // keep NaN visible
        if (d !== null) d[i + shift] = 0;
      }
    }
  } else if (d !== null) {
    d.fill(1, dOff, dOff + n);
  }
}

/** out[i] = φ(a[i]) for a scalar. */
export function activationValue(act: RnnActivation, a: number): number {
  if (act === 'tanh') return Math.tanh(a);
  if (act === 'relu') return a > 0 ? a : a === a ? 0 : a;
  return a;
}

/** φ'(a) for a scalar pre-activation (relu'(0) = 0, as in PyTorch). */
export function activationDerivativeValue(act: RnnActivation, a: number): number {
  if (act === 'tanh') return sech2(a);
  if (act === 'relu') return a > 0 ? 1 : 0;
  return 1;
}
