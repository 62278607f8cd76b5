/**
 * One re-orthonormalization of a column-major n×k frame, Z = Q·R (thin Householder QR, R with a
 * positive diagonal), and its reverse mode (Walter & Lehmann 2018; Liao et al. 2019):
 * Z̄ = (Q̄ + Q·copyltu(M))·R⁻ᵀ with M = R·R̄ᵀ − Q̄ᵀ·Q, valid for n ≥ k and a non-singular R.
 * Shared by the covariant-vector pass and the differentiable exponents. @internal
 */
import { fixQrSignsColMajor, householderFormQColMajor, householderQrColMajor } from '../../core/linalg/householder.js';
import { createRowOrder, type RowOrder } from '../row-order.js';

/** Work buffers of {@link qrStep} for an n×k frame. @internal */
export interface QrWork {
  readonly n: number;
  readonly k: number;
  readonly a: Float64Array;
  readonly tau: Float64Array;
  /** Graded rows sorted before the QR, as the estimator's frame does (../row-order.ts). */
  readonly rows: RowOrder;
  readonly perm: Int32Array;
}

/** Allocates the work buffers for {@link qrStep}. @internal */
export function createQrWork(n: number, k: number): QrWork {
  return { n, k, a: new Float64Array(n * k), tau: new Float64Array(k), rows: createRowOrder(n, k), perm: new Int32Array(n) };
}

/**
 * q (n×k, column-major) and r (k×k, column-major: R_ij at r[j*k + i], zero below the diagonal) with
 * z = q·r and R_ii ≥ 0 (graded rows sorted first: ../row-order.ts). `z` is not modified; q may alias z.
 */
export function qrStep(w: QrWork, z: Float64Array, q: Float64Array, r: Float64Array): void {
  const { n, k, a, tau } = w;
  a.set(z.subarray(0, n * k));
  // a saturated unit's graded row: the QR of P·z has the same R, and Q = Pᵀ times its Q
  const sorted = w.rows.sort(a, w.perm);
  householderQrColMajor(n, k, a, tau);
  householderFormQColMajor(n, k, a, tau, q);
  fixQrSignsColMajor(n, k, a, q);
  if (sorted) w.rows.unsort(q, w.perm);
  for (let j = 0; j < k; j++) {
    for (let i = 0; i < k; i++) r[j * k + i] = i <= j ? a[j * n + i] : 0;
  }
}

/** Work buffers of {@link qrBackward}. @internal */
export interface QrGradWork {
  readonly m: Float64Array;
  readonly row: Float64Array;
}

/** Allocates the work buffers for {@link qrBackward}. @internal */
export function createQrGradWork(k: number): QrGradWork {
  return { m: new Float64Array(k * k), row: new Float64Array(k) };
}

/**
 * The reverse of {@link qrStep}: zBar (n×k, column-major, overwritten) from the adjoints qBar (n×k)
 * and rBar (k×k column-major; only its upper triangle matters) at q, r. zBar must not alias the others.
 */
export function qrBackward(
  n: number, k: number, q: Float64Array, r: Float64Array, qBar: Float64Array, rBar: Float64Array,
  zBar: Float64Array, w: QrGradWork,
): void {
  const m = w.m;
  // M = R·R̄ᵀ − Q̄ᵀ·Q, only its lower triangle (i ≥ j) is needed
  for (let j = 0; j < k; j++) {
    for (let i = j; i < k; i++) {
      let s = 0;
      // (R·R̄ᵀ)_ij = Σ_l R_il R̄_jl; R_il is zero for l < i and R̄ is read upper-triangular (l ≥ j)
      for (let l = i; l < k; l++) s += r[l * k + i] * rBar[l * k + j];
      let t = 0;
      const qi = i * n, qj = j * n;
      for (let p = 0; p < n; p++) t += qBar[qi + p] * q[qj + p];
      m[j * k + i] = s - t;
    }
  }
  // B = Q̄ + Q·copyltu(M), copyltu(M)_lj = M_max(l,j),min(l,j)
  for (let j = 0; j < k; j++) {
    const o = j * n;
    for (let p = 0; p < n; p++) zBar[o + p] = qBar[o + p];
    for (let l = 0; l < k; l++) {
      const c = l >= j ? m[j * k + l] : m[l * k + j];
      if (c === 0) continue;
      const ql = l * n;
      for (let p = 0; p < n; p++) zBar[o + p] += c * q[ql + p];
    }
  }
  // Z̄ = B·R⁻ᵀ: each row x solves R·xᵀ = bᵀ (back substitution)
  const x = w.row;
  for (let p = 0; p < n; p++) {
    for (let j = k - 1; j >= 0; j--) {
      let s = zBar[j * n + p];
      for (let l = j + 1; l < k; l++) s -= r[l * k + j] * x[l];
      x[j] = s / r[j * k + j];
    }
    for (let j = 0; j < k; j++) zBar[j * n + p] = x[j];
  }
}

/** A seeded random orthonormal n×k frame (column-major): QR of a Gaussian matrix. @internal */
export function randomFrame(n: number, k: number, normal: () => number): Float64Array {
  const z = new Float64Array(n * k);
  for (let i = 0; i < z.length; i++) z[i] = normal();
  const q = new Float64Array(n * k);
  qrStep(createQrWork(n, k), z, q, new Float64Array(k * k));
  return q;
}
