/**
 * A vanilla tanh step whose Jacobian row underflows, as factors (lyapunov/frame-step.ts, "Factored
 * steps"). A unit with |a| ≳ 354 has tanh'(a) = 4e^{−2|a|}/(1 + e^{−2|a|})² below float64's normal
 * range (subnormal, its digits going), and past |a| ≈ 372.5 it is exactly 0: the row of
 * J = diag(tanh'(a))·W is then exactly zero and its exponent −∞, where the true derivative is
 * positive and the true exponent finite. A step with a unit past {@link TANH_SPLIT_BELOW} (|a| ≳ 208)
 * is handed to the estimator as J = F_{c−1}···F_0, F_0 = diag(s)·W and F_p = diag(s), p ≥ 1, with
 * every row's derivative split evenly in the log, s_i = e^{ln tanh'(a_i)/c}, c such that every
 * piece is at least {@link TANH_PIECE}. The QR after each factor resolves its graded rows
 * (row-order.ts), and the R of J·Q is the product of theirs: exact for QR-based exponents.
 *
 * Why split before the underflow, and every row: rows graded by much more than 2^-600 within one QR
 * lose digits when the frame's columns arrive in an unlucky order (Householder QR with row sorting
 * but without column pivoting is not row-wise stable in general: Cox & Higham 1998). Measured on
 * g = 1.5 and 3 nets (H = 40) driven by pulses of 200–1000 (units at |a| up to ≈ 3000): with pieces
 * of 2^-900 Σλ missed the exact mean log|det J| by up to 7e-7 (relative) and one run came out −∞;
 * with 2^-600, 2^-300 or 2^-200 every run was within 6e-11. Splitting only the saturated rows, the
 * others' tanh'(a) whole in F_0, graded the rows in different orders from one factor to the next,
 * and the frame F_0's QR left met the diagonal factors in the wrong order for them: Σλ 9e-5 off
 * (a step's Σ log R_jj off by 0.9 in −13869), and on a g = 3 net (H = 20, pulses of 100) 7e-4 off
 * in one step's −4652 that one QR of J·Q, rows graded to 1e-260, had to 1e-12. @internal
 */

/** A step is factored when a unit's tanh'(a) is below this (2^-600 ≈ 2.4e-181, |a| ≈ 208): one QR has resolved such grading. */
export const TANH_SPLIT_BELOW = 2 ** -600;
/** The smallest piece of a split derivative (2^-300 ≈ 4.9e-91; see the module comment). */
export const TANH_PIECE = 2 ** -300;
const LN_PIECE = Math.log(TANH_PIECE);
/**
 * At most this many factors (|a| up to ≈ 6650: 64·300·ln 2 / 2; each costs a product and a QR); past it the step is left to the
 * plain Jacobian, whose exactly zero rows the rank bound reads as −∞ exponents.
 */
export const MAX_TANH_FACTORS = 64;

/** ln tanh'(a) = ln 4 − 2|a| − 2·ln(1 + e^{−2|a|}), finite for every finite a. */
export function logTanhPrime(a: number): number {
  const ax = a < 0 ? -a : a;
  return Math.log(4) - 2 * ax - 2 * Math.log1p(Math.exp(-2 * ax));
}

/**
 * The number of factors the step with pre-activations `pre` and derivatives `deriv` needs: 0 when
 * every tanh'(a_i) ≥ {@link TANH_SPLIT_BELOW} (the common case, one pass over n) or when a unit
 * needs more than {@link MAX_TANH_FACTORS}, else 2…MAX_TANH_FACTORS.
 */
export function tanhFactorCount(pre: Float64Array, deriv: Float64Array, n: number): number {
  let lo = 0;
  for (let i = 0; i < n; i++) {
    if (deriv[i] < TANH_SPLIT_BELOW) {
      const l = logTanhPrime(pre[i]);
      if (l < lo) lo = l;
    }
  }
  if (lo === 0) return 0;
  const c = Math.max(2, Math.ceil(lo / LN_PIECE));
  return c > MAX_TANH_FACTORS ? 0 : c;
}

/**
 * The `count` factors of J = diag(tanh'(pre))·W (row-major n×n `w`) as the module comment says:
 * F_0 = diag(s)·W into `f0`, the diagonal F_1 = … = F_{count−1} = diag(s) into `diag` (both
 * row-major n×n), s_i = e^{ln tanh'(a_i)/count}.
 */
export function tanhFactors(n: number, w: Float64Array, pre: Float64Array, count: number, f0: Float64Array, diag: Float64Array): void {
  diag.fill(0);
  for (let i = 0; i < n; i++) {
    const s = Math.exp(logTanhPrime(pre[i]) / count);
    const r = i * n;
    for (let l = 0; l < n; l++) f0[r + l] = s * w[r + l];
    diag[r + i] = s;
  }
}
