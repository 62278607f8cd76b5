/**
 * Thin Householder QR in float64: A (m×n) = Q·R with Q (m×k) having orthonormal columns,
 * R (k×n) upper triangular (upper trapezoidal when m < n) with a non-negative diagonal, k = min(m, n).
 */
import { checkOptionKeys, readOptions } from '../options.js';
import { QR_KEYS } from '../option-keys.js';
import { formatShape } from '../errors.js';
import { householderApplyColMajor, householderFormQColMajor, householderQrColMajor } from './householder.js';
import type { Matrix64, MatrixInput } from './matrix64.js';
import { readMatrix } from './read-matrix.js';

/**
 * Above this m·max|a_ij| the input is scaled down first, by the smallest power of two that brings it
 * back below (sums of m·|a| then stay 2^24 from overflow; a larger scale would flush small entries).
 */
const HUGE = 2 ** 1000;

/** Options of {@link qr}. */
export interface QrOptions {
  /** Form Q explicitly (default true). With `false` only R (and `qtb`) are computed, which is cheaper. */
  q?: boolean;
  /** A matrix B with m rows: the result then holds `qtb` = Qᵀ·B (k×p, thin Q), without forming Q. */
  applyQt?: MatrixInput;
}

/** Result of {@link qr} with Q. */
export interface QrResult {
  /** m×k, orthonormal columns (row-major float64) */
  q: Matrix64;
  /** k×n, upper triangular/trapezoidal, R_ii ≥ 0 (row-major float64) */
  r: Matrix64;
  /** Qᵀ·B (k×p) when `applyQt` was given */
  qtb?: Matrix64;
}

/** Result of {@link qr} with `q: false`. */
export interface QrRResult {
  q?: undefined;
  r: Matrix64;
  qtb?: Matrix64;
}

/**
 * Thin QR decomposition of an m×n matrix by Householder reflections, computed in float64.
 *
 * Returns `q` (m×k) and `r` (k×n), k = min(m, n), as row-major {@link Matrix64} (float64 data),
 * with Q·R = A, QᵀQ = I and R's diagonal non-negative (so the factorisation is unique when A has
 * full column rank). Wide matrices (m < n) give a square Q and an upper-trapezoidal R. A zero or
 * dependent column gives a zero diagonal entry of R; Q's columns stay orthonormal.
 *
 * Accepts a rank-2 Tensor, a `{ rows, cols, data }` matrix or nested arrays; the input is not
 * modified. Throws TypeError for a wrong kind, RangeError for a wrong shape or a NaN/Infinity entry.
 *
 * @param a - the m×n matrix
 * @param opts - `q: false` skips forming Q; `applyQt: B` also returns Qᵀ·B (e.g. for least squares:
 *   x solves R·x = Qᵀ·b)
 * @example
 * ```ts
 * const { q, r } = qr([[3, 1], [4, 2], [0, 2]]);
 * // r.data ≈ [5, 2.2, 0, 2.0396], q is 3×2 with orthonormal columns
 * const { r: rOnly, qtb } = qr(tensor([[1, 0], [1, 1], [1, 2]]), { q: false, applyQt: [[1], [2], [3]] });
 * ```
 */
export function qr(a: MatrixInput, opts?: QrOptions & { q?: true }): QrResult;
export function qr(a: MatrixInput, opts: QrOptions & { q: false }): QrRResult;
export function qr(a: MatrixInput, opts?: QrOptions): QrResult | QrRResult;
export function qr(a: MatrixInput, options: QrOptions = {}): QrResult | QrRResult {
  const opts = readOptions(options, 'qr');
  checkOptionKeys(opts, QR_KEYS, 'qr');
  const wantQ = opts.q ?? true;
  if (typeof wantQ !== 'boolean') throw new TypeError(`qr: expected opts.q to be a boolean, got ${typeof wantQ}`);
  const A = readMatrix(a, 'qr: a', 'col');
  const m = A.rows, n = A.cols, k = Math.min(m, n);
  const B = opts.applyQt === undefined ? undefined : readMatrix(opts.applyQt, 'qr: opts.applyQt', 'col');
  if (B !== undefined && B.rows !== m) {
    throw new RangeError(
      `qr: opts.applyQt must have ${m} rows (as many as a ${formatShape([m, n])}), got shape ${formatShape([B.rows, B.cols])}`,
    );
  }
  const f = A.data;
  // Entries near the top of the float64 range overflow inside the reflectors (alpha − beta, the
  // column sums): scale by an exact power of two (Q and the reflectors are unchanged, R is scaled back)
  let amax = 0;
  for (let i = 0; i < f.length; i++) {
    const v = f[i] < 0 ? -f[i] : f[i];
    if (v > amax) amax = v;
  }
  // amax·m may round up to Infinity: the ratio is then 0 and log2 -Infinity, so compute it in two steps
  const up = amax * m > HUGE ? 2 ** Math.floor(Math.log2(HUGE / m) - Math.log2(amax)) : 1;
  if (up !== 1) for (let i = 0; i < f.length; i++) f[i] *= up;
  const tau = new Float64Array(k);
  householderQrColMajor(m, n, f, tau);

  // R (k×n, row-major) with its rows' signs fixed so that R_ii ≥ 0
  const r = new Float64Array(k * n);
  for (let i = 0; i < k; i++) {
    const s = f[i * m + i] < 0 ? -1 : 1;
    const ro = i * n;
    for (let j = i; j < n; j++) r[ro + j] = s * f[j * m + i];
  }
  if (up !== 1) for (let i = 0; i < r.length; i++) r[i] /= up;

  let qtb: Matrix64 | undefined;
  if (B !== undefined) {
    const p = B.cols;
    householderApplyColMajor(m, k, f, tau, B.data, p, true);
    const d = new Float64Array(k * p);
    for (let i = 0; i < k; i++) {
      const s = f[i * m + i] < 0 ? -1 : 1;
      for (let j = 0; j < p; j++) d[i * p + j] = s * B.data[j * m + i];
    }
    qtb = { rows: k, cols: p, data: d };
  }

  if (!wantQ) return qtb === undefined ? { r: { rows: k, cols: n, data: r } } : { r: { rows: k, cols: n, data: r }, qtb };

  const qc = new Float64Array(m * k);
  householderFormQColMajor(m, k, f, tau, qc);
  const q = new Float64Array(m * k);
  for (let j = 0; j < k; j++) {
    const s = f[j * m + j] < 0 ? -1 : 1;
    const o = j * m;
    for (let i = 0; i < m; i++) q[i * k + j] = s * qc[o + i];
  }
  const out: QrResult = { q: { rows: m, cols: k, data: q }, r: { rows: k, cols: n, data: r } };
  if (qtb !== undefined) out.qtb = qtb;
  return out;
}
