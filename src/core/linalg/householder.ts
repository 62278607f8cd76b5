/**
 * Unchecked float64 Householder QR kernels on column-major storage: column j of an m×n matrix is
 * `a[j*m .. j*m+m-1]`, so every reflection runs over contiguous memory. These are the inner loops
 * behind `qr`, `svd` and the least-squares solvers; they allocate nothing and validate nothing. The
 * reflectors themselves (building, applying, in pairs) live in reflector.ts, shared with the
 * Lyapunov estimator's frame QR.
 *
 * Speed: reflectors are applied in fused pairs and to four columns at a time, so each pass over a
 * column serves two reflectors, the reflectors are loaded once per four columns, and the eight dot
 * products run as independent accumulation chains.
 */

import { applyReflector, applyReflectorPair, makeReflector, pairOverlap } from './reflector.js';

/**
 * Factors the column-major m×n matrix `a` in place, as LAPACK's dgeqr2 does: on return the upper
 * triangle (trapezoid when m < n) holds R, the entries below the diagonal the Householder vectors
 * (with implicit unit leading entry), and `tau[j]` (j < min(m, n)) the reflector scales. R's
 * diagonal may have either sign here. `tau` needs length min(m, n).
 *
 * @example
 * ```ts
 * // column-major 3×2 matrix [[3, 1], [4, 2], [0, 2]]
 * const a = new Float64Array([3, 4, 0, 1, 2, 2]);
 * const tau = new Float64Array(2);
 * householderQrColMajor(3, 2, a, tau); // |a[0]| = 5 = ‖first column‖
 * ```
 */
export function householderQrColMajor(m: number, n: number, a: Float64Array, tau: Float64Array): void {
  const k = m < n ? m : n;
  for (let j = 0; j < k; j += 2) {
    makeReflector(m, a, tau, j);
    if (j + 1 >= k) {
      applyReflector(a, j * m + j, m - j, tau[j], a, m, j, j + 1, n);
      break;
    }
    // column j+1 gets H_j alone, then yields reflector j+1; the pair updates the rest in one pass
    applyReflector(a, j * m + j, m - j, tau[j], a, m, j, j + 1, j + 2);
    makeReflector(m, a, tau, j + 1);
    if (j + 2 < n) {
      const o1 = j * m + j, o2 = (j + 1) * m + j + 1, len = m - j;
      applyReflectorPair(a, o1, o2, len, tau[j], tau[j + 1], pairOverlap(a, o1, o2, len), a, m, j, j + 2, n, true);
    }
  }
}

/**
 * Forms the thin Q (m×n, column-major, into `q`) from the output of {@link householderQrColMajor}
 * for m ≥ n. For a wide factorisation (m < n) call it with n = m to get the square Q.
 * `q` must not alias `a`.
 *
 * @example
 * ```ts
 * const a = new Float64Array([3, 4, 0, 1, 2, 2]), tau = new Float64Array(2), q = new Float64Array(6);
 * householderQrColMajor(3, 2, a, tau);
 * householderFormQColMajor(3, 2, a, tau, q); // q: orthonormal columns, Q·R = A
 * ```
 */
export function householderFormQColMajor(m: number, n: number, a: Float64Array, tau: Float64Array, q: Float64Array): void {
  q.fill(0, 0, m * n);
  for (let j = 0; j < n; j++) q[j * m + j] = 1;
  // Q = H_0·H_1·…·H_{n−1}·I, accumulated backwards; columns c < j of Q are still e_c in rows j..,
  // untouched by H_j. Reflectors go in fused pairs (j−1, j) after a single one when n is odd.
  let j = n - 1;
  if (n % 2 === 1) {
    if (tau[j] !== 0) applyReflector(a, j * m + j, m - j, tau[j], q, m, j, j, n);
    j--;
  }
  for (; j >= 1; j -= 2) {
    const p = j - 1;
    const o1 = p * m + p, o2 = j * m + j, len = m - p;
    applyReflectorPair(a, o1, o2, len, tau[p], tau[j], pairOverlap(a, o1, o2, len), q, m, p, p, n, false);
  }
}

/**
 * Makes R's diagonal non-negative: for each j < min(m, n) with R_jj < 0, negates column j of Q
 * (m×min(m,n), column-major) and row j of R (held in the upper triangle of the factored `a`).
 * Q·R is unchanged.
 *
 * @example
 * ```ts
 * const a = new Float64Array([3, 4, 0, 1, 2, 2]), tau = new Float64Array(2), q = new Float64Array(6);
 * householderQrColMajor(3, 2, a, tau);
 * householderFormQColMajor(3, 2, a, tau, q);
 * fixQrSignsColMajor(3, 2, a, q); // a[0] = 5
 * ```
 */
export function fixQrSignsColMajor(m: number, n: number, a: Float64Array, q: Float64Array): void {
  const k = m < n ? m : n;
  for (let j = 0; j < k; j++) {
    if (a[j * m + j] < 0) {
      for (let c = j; c < n; c++) a[c * m + j] = -a[c * m + j];
      const cj = j * m;
      for (let i = 0; i < m; i++) q[cj + i] = -q[cj + i];
    }
  }
}

/**
 * Applies Qᵀ (`transpose` true) or Q (false) from the output of {@link householderQrColMajor}
 * (k = min(m, n) reflectors, so Q here is the full m×m product H_0·…·H_{k−1}) to the column-major
 * m×p matrix `b`, in place.
 *
 * @example
 * ```ts
 * const a = new Float64Array([3, 4, 0, 1, 2, 2]), tau = new Float64Array(2);
 * householderQrColMajor(3, 2, a, tau);
 * const b = new Float64Array([1, 2, 3]);
 * householderApplyColMajor(3, 2, a, tau, b, 1, true); // b = Qᵀ·b (first 2 entries: thin Qᵀb)
 * ```
 */
export function householderApplyColMajor(
  m: number, k: number, a: Float64Array, tau: Float64Array, b: Float64Array, p: number, transpose: boolean,
): void {
  if (transpose) {
    for (let j = 0; j < k; j++) if (tau[j] !== 0) applyReflector(a, j * m + j, m - j, tau[j], b, m, j, 0, p);
  } else {
    for (let j = k - 1; j >= 0; j--) if (tau[j] !== 0) applyReflector(a, j * m + j, m - j, tau[j], b, m, j, 0, p);
  }
}
