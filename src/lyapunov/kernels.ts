/**
 * Unchecked float64 inner loops of the Lyapunov estimator: a Householder QR that overwrites its input
 * with the sign-fixed thin Q, and register-blocked products with a column-major frame. Column-major
 * n×k storage: column j is `a[j*n .. j*n+n-1]`. Nothing here validates or allocates.
 *
 * The reflectors are core/linalg/reflector.ts's (one scaling policy for every Householder QR). The
 * entry points dispatch to WebAssembly SIMD versions (src/core/wasm64/kernels-wasm.ts) when that
 * backend is active (`setBackend('float64', …)`); the JS loops here are the fallback and reference.
 */
import { diagMatMulColMajorRaw } from '../core/linalg/colmajor.js';
import {
  applyReflector as applyColumnReflector,
  applyReflectorPair,
  makeReflector as makeColumnReflector,
  pairOverlap,
} from '../core/linalg/reflector.js';
import { wasmApplyFactoredQRight, wasmKernels, wasmMatMulDiag, wasmQr } from '../core/wasm64/kernels-wasm.js';

/**
 * Reference (one reflector at a time) version of {@link qrLogDiagInPlace}; same contract.
 *
 * Householder QR of the column-major n×k matrix `z` (n ≥ k), overwriting `z` with the thin Q of the
 * factorization whose R has a non-negative diagonal, and writing log R_jj (natural log; −Infinity for
 * an exact zero) into `logr`. `tau` is scratch of length ≥ k. The reflectors are LAPACK's (dgeqr2),
 * Q is formed in place as dorg2r does; trailing updates handle four columns per pass over a reflector.
 */
export function qrLogDiagInPlaceUnblocked(n: number, k: number, z: Float64Array, tau: Float64Array, logr: Float64Array): void {
  // factor: z ← R on and above the diagonal, reflectors below; logr[j] ← signed R_jj for now
  for (let j = 0; j < k; j++) {
    makeReflector(n, z, tau, logr, j);
    if (tau[j] !== 0) applyReflector(n, z, j, tau[j], z, j + 1, k); // tau = 0: H_j = I
  }
  // form Q in place (dorg2r)
  for (let j = k - 1; j >= 0; j--) {
    const cj = j * n;
    const t = tau[j];
    if (j < k - 1 && t !== 0) {
      z[cj + j] = 1;
      applyReflector(n, z, j, t, z, j + 1, k);
    }
    const mt = -t;
    for (let i = cj + j + 1; i < cj + n; i++) z[i] *= mt;
    z[cj + j] = 1 - t;
    for (let i = cj; i < cj + j; i++) z[i] = 0;
  }
  // sign fix: R_jj < 0 → negate Q's column j (and, implicitly, R's row j)
  for (let j = 0; j < k; j++) {
    const r = logr[j];
    if (r < 0) {
      const cj = j * n;
      for (let i = cj; i < cj + n; i++) z[i] = -z[i];
      logr[j] = Math.log(-r);
    } else {
      logr[j] = Math.log(r); // −Infinity for an exact zero, NaN for NaN
    }
  }
}

/**
 * Householder QR of the column-major n×k matrix `z` (n ≥ k), overwriting `z` with the thin Q of the
 * factorization whose R has a non-negative diagonal, and writing log R_jj (natural log; −Infinity for
 * an exact zero) into `logr`. `tau` is scratch of length ≥ k. Same reflectors as LAPACK's dgeqr2 and
 * Q formed in place as dorg2r does, but the reflectors are applied two at a time (a compact-WY block
 * of two: one pass over each trailing column computes both dot products, one pass applies both), to
 * four columns per pass, which halves the loads per flop.
 */
export function qrLogDiagInPlace(n: number, k: number, z: Float64Array, tau: Float64Array, logr: Float64Array): void {
  const ex = wasmKernels(n);
  if (ex !== undefined) {
    wasmQr(ex, n, k, z, tau, logr, true, true, true);
    for (let c = 0; c < k; c++) logr[c] = Math.log(Math.abs(logr[c]));
    return;
  }
  qrFactor(n, k, z, tau, logr);
  qrFormQ(n, k, z, tau);
  qrFixSigns(n, k, z, logr);
  for (let c = 0; c < k; c++) logr[c] = Math.log(Math.abs(logr[c]));
}

/**
 * Householder factorization of the column-major n×k `z` in place: reflector j in z[j..n-1, j] with
 * its unit leading entry stored explicitly, `tau[j]` its scale, and `rdiag[j]` = R_jj (signed).
 * The rest of R is not kept.
 */
export function qrFactor(n: number, k: number, z: Float64Array, tau: Float64Array, rdiag: Float64Array): void {
  const ex = wasmKernels(n);
  if (ex !== undefined) {
    wasmQr(ex, n, k, z, tau, rdiag, true, false, false);
    return;
  }
  let j = 0;
  while (j < k) {
    makeReflector(n, z, tau, rdiag, j);
    if (j + 1 < k) {
      if (tau[j] !== 0) applyReflector(n, z, j, tau[j], z, j + 1, j + 2);
      makeReflector(n, z, tau, rdiag, j + 1);
      if (j + 2 < k) applyPair(n, z, j, tau[j], tau[j + 1], z, j + 2, k, true);
      j += 2;
    } else {
      j += 1;
    }
  }
}

/** Overwrites the output of {@link qrFactor} with the thin Q = H_0···H_{k-1}·[I; 0] (dorg2r, in place). */
export function qrFormQ(n: number, k: number, z: Float64Array, tau: Float64Array): void {
  const ex = wasmKernels(n);
  if (ex !== undefined) {
    wasmQr(ex, n, k, z, tau, tau, false, true, false);
    return;
  }
  formColumn(n, z, tau[k - 1], k - 1);
  let i = k - 2;
  for (; i >= 1; i -= 2) {
    const p = i - 1; // the pair (p, p + 1)
    if (p + 2 < k) applyPair(n, z, p, tau[p], tau[p + 1], z, p + 2, k, false);
    formColumn(n, z, tau[p + 1], p + 1);
    if (tau[p] !== 0) applyReflector(n, z, p, tau[p], z, p + 1, p + 2);
    formColumn(n, z, tau[p], p);
  }
  if (i === 0) {
    if (k > 1 && tau[0] !== 0) applyReflector(n, z, 0, tau[0], z, 1, k);
    formColumn(n, z, tau[0], 0);
  }
}

/**
 * {@link qrFactor}, {@link qrFormQ} and {@link qrFixSigns} in one call: z ← the sign-fixed thin Q,
 * rdiag ← the signed R diagonal (R_jj before the sign fix), tau ← the reflectors' scales.
 */
export function qrFactorFormQ(n: number, k: number, z: Float64Array, tau: Float64Array, rdiag: Float64Array): void {
  const ex = wasmKernels(n);
  if (ex !== undefined) {
    wasmQr(ex, n, k, z, tau, rdiag, true, true, true);
    return;
  }
  qrFactor(n, k, z, tau, rdiag);
  qrFormQ(n, k, z, tau);
  qrFixSigns(n, k, z, rdiag);
}

/** Negates column j of the column-major n×k `q` wherever rdiag[j] < 0, so that R's diagonal is ≥ 0. */
export function qrFixSigns(n: number, k: number, q: Float64Array, rdiag: Float64Array): void {
  for (let c = 0; c < k; c++) {
    if (rdiag[c] < 0) {
      const cj = c * n;
      for (let m = cj; m < cj + n; m++) q[m] = -q[m];
    }
  }
}

/**
 * m ← m·Q for a row-major n×n `m` (rows are contiguous, so each is a "column" of mᵀ) and Q the
 * sign-fixed thin Q held in factored form by {@link qrFactor} (`z`, `tau`, signs of `rdiag`); only
 * the first k columns of the result are meaningful afterwards. This is J·Q without forming Q:
 * 4n²k − 2nk² flops instead of 2nk² − ⅔k³ (forming Q) + 2n²k (the product), cheaper when k ≳ 0.55n.
 */
export function applyFactoredQRight(n: number, k: number, z: Float64Array, tau: Float64Array, rdiag: Float64Array, m: Float64Array): void {
  const ex = wasmKernels(n);
  if (ex !== undefined) {
    wasmApplyFactoredQRight(ex, n, k, z, tau, rdiag, m, undefined);
    return;
  }
  // rows of m are transformed as r ← r·H_0·H_1···, i.e. rᵀ ← ···H_1·H_0·rᵀ: the factorization order
  let j = 0;
  for (; j + 1 < k; j += 2) applyPair(n, z, j, tau[j], tau[j + 1], m, 0, n, true);
  if (j < k && tau[j] !== 0) applyReflector(n, z, j, tau[j], m, 0, n);
  for (let c = 0; c < k; c++) {
    if (rdiag[c] < 0) for (let r = 0; r < n; r++) m[r * n + c] = -m[r * n + c];
  }
}

/**
 * out (column-major n×k) ← the first k columns of m·Q ({@link applyFactoredQRight}); `m` (row-major
 * n×n) may be overwritten.
 */
export function applyFactoredQRightColMajor(
  n: number,
  k: number,
  z: Float64Array,
  tau: Float64Array,
  rdiag: Float64Array,
  m: Float64Array,
  out: Float64Array,
): void {
  const ex = wasmKernels(n);
  if (ex !== undefined) {
    wasmApplyFactoredQRight(ex, n, k, z, tau, rdiag, m, out);
    return;
  }
  applyFactoredQRight(n, k, z, tau, rdiag, m);
  for (let c = 0; c < k; c++) {
    const o = c * n;
    for (let r = 0; r < n; r++) out[o + r] = m[r * n + c];
  }
}

/** Reflector j of the frame (reflector.ts), with its unit leading entry stored and R_jj in rdiag[j]. */
function makeReflector(n: number, z: Float64Array, tau: Float64Array, rdiag: Float64Array, j: number): void {
  makeColumnReflector(n, z, tau, j);
  rdiag[j] = z[j * n + j];
  z[j * n + j] = 1;
}

/** Column j of Q from reflector j alone (dorg2r's last step for j): e_j − tau·v_j, zero above row j. */
function formColumn(n: number, z: Float64Array, t: number, j: number): void {
  const cj = j * n;
  const mt = -t;
  for (let i = cj + j + 1; i < cj + n; i++) z[i] *= mt;
  z[cj + j] = 1 - t;
  for (let i = cj; i < cj + j; i++) z[i] = 0;
}

/** H_j (reflector j of `v`) applied to the "columns" c0..c1-1 of `dst` over rows j..n-1. */
function applyReflector(n: number, v: Float64Array, j: number, t: number, dst: Float64Array, c0: number, c1: number): void {
  applyColumnReflector(v, j * n + j, n - j, t, dst, n, j, c0, c1);
}

/** Reflectors j and j+1 of `v` applied to the "columns" c0..c1-1 of `dst`: H_{j+1}·H_j when `forward`, else H_j·H_{j+1}. */
function applyPair(n: number, v: Float64Array, j: number, t1: number, t2: number, dst: Float64Array, c0: number, c1: number, forward: boolean): void {
  if (t1 === 0 && t2 === 0) return;
  const o1 = j * n + j;
  const o2 = o1 + n + 1;
  const len = n - j;
  applyReflectorPair(v, o1, o2, len, t1, t2, pairOverlap(v, o1, o2, len), dst, n, j, c0, c1, forward);
}

/**
 * out (column-major n×k) = A·Q for A row-major n×n and Q column-major n×k: dot products of A's rows
 * with Q's columns, blocked 4 rows × 2 columns in registers. `out` must not alias `q`.
 */
export function matMulRowByColMajor(n: number, k: number, a: Float64Array, q: Float64Array, out: Float64Array): void {
  const ex = wasmKernels(n);
  if (ex !== undefined) {
    wasmMatMulDiag(ex, n, k, a, false, q, out, undefined);
    return;
  }
  diagMatMulColMajorRaw(n, k, undefined, a, q, out);
}

/** dst (row-major n×k) ← src (column-major n×k). */
export function colMajorToRowMajor(n: number, k: number, src: Float64Array, dst: Float64Array): void {
  for (let j = 0; j < k; j++) {
    const s = j * n;
    for (let i = 0; i < n; i++) dst[i * k + j] = src[s + i];
  }
}

/** dst (column-major n×k) ← src (row-major n×k). */
export function rowMajorToColMajor(n: number, k: number, src: ArrayLike<number>, dst: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const s = i * k;
    for (let j = 0; j < k; j++) dst[j * n + i] = src[s + j];
  }
}
