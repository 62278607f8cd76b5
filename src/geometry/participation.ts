/**
 * Participation ratio PR = (Σλ_i)² / Σλ_i² = tr(C)² / ‖C‖_F² of the covariance C of a point cloud:
 * a linear "effective dimension" in [1, d].
 */
import { assertFinite } from '../core/errors.js';
import { checkOptionKeys, readOptions } from '../core/options.js';
import { PARTICIPATION_RATIO_KEYS } from './option-keys.js';
import { columnMeans, gramColumns, gramRows, subtractRows } from './covariance.js';
import { scaleByPowerOfTwo, toPointMatrix, type PointsInput } from './points.js';

/** Options of {@link participationRatio}. */
export interface ParticipationRatioOptions {
  /** Point dimension, required when `X` is a flat typed array. */
  dim?: number;
  /** Subtract the mean first (default true); false uses the raw second-moment matrix. */
  center?: boolean;
}

/**
 * Participation ratio from eigenvalues (variances along principal axes): (Σλ)² / Σλ².
 * Eigenvalues must be finite and non-negative (rounding negatives down to −1e-12·max are read as 0).
 *
 * @example
 * ```ts
 * participationRatioFromEigenvalues([1, 1, 1]);   // 3
 * participationRatioFromEigenvalues([4, 1]);      // 25 / 17
 * ```
 */
export function participationRatioFromEigenvalues(eigenvalues: ArrayLike<number>): number {
  if (eigenvalues === null || typeof eigenvalues !== 'object' || typeof eigenvalues.length !== 'number') {
    throw new TypeError(`participationRatioFromEigenvalues: eigenvalues must be an array of numbers, got ${eigenvalues === null ? 'null' : typeof eigenvalues}`);
  }
  if (eigenvalues.length === 0) throw new RangeError('participationRatioFromEigenvalues: eigenvalues must not be empty');
  assertFinite(eigenvalues, 'participationRatioFromEigenvalues: eigenvalues');
  let max = 0;
  for (let i = 0; i < eigenvalues.length; i++) max = Math.max(max, Math.abs(eigenvalues[i]));
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < eigenvalues.length; i++) {
    let v = eigenvalues[i];
    if (v < 0) {
      if (v < -1e-12 * max) {
        throw new RangeError(`participationRatioFromEigenvalues: eigenvalues must be non-negative, got ${v} at index ${i}`);
      }
      v = 0;
    }
    s1 += v;
    s2 += v * v;
  }
  if (s2 === 0) throw new RangeError('participationRatio: all eigenvalues are zero (no variance)');
  return (s1 * s1) / s2;
}

/**
 * Participation ratio of hidden states: tr(C)² / ‖C‖_F² with C the covariance of the rows of `X`
 * (equal to (Σλ)²/Σλ² over C's eigenvalues, computed without an eigendecomposition, in float64).
 * `X` is `[n,d]`, or `[B,T,H]` read as B·T states; or pass `{ eigenvalues }` directly. Uses the
 * smaller of the d×d covariance and the n×n Gram matrix (same nonzero spectrum). The states are
 * rescaled by powers of two first (exact), so any scale from 1e-300 to 1e300 gives the same value.
 *
 * @example
 * ```ts
 * const { states } = rnnForward(rnn, x);          // [B,T,H]
 * const pr = participationRatio(states);          // a float in [1, H]
 * participationRatio({ eigenvalues: [2, 1, 1] }); // 16 / 6
 * ```
 */
export function participationRatio(
  X: PointsInput | { eigenvalues: ArrayLike<number> },
  opts: ParticipationRatioOptions = {},
): number {
  const o = readOptions(opts, 'participationRatio');
  checkOptionKeys(o, PARTICIPATION_RATIO_KEYS, 'participationRatio');
  if (X !== null && typeof X === 'object' && 'eigenvalues' in X) {
    return participationRatioFromEigenvalues(X.eigenvalues);
  }
  const P = toPointMatrix(X, 'participationRatio: X', { dim: o.dim, allowRank3: true });
  const { data, n, d } = P;
  if (n < 2) throw new RangeError(`participationRatio: need at least 2 points, got ${n}`);
  // PR is scale-free: powers of two keep the squares and their squares (‖C‖_F²) inside the double
  // range, before and after centring (an offset of 1e8 leaves a small centred spread)
  scaleByPowerOfTwo(data);
  if (o.center !== false) {
    subtractRows(data, n, d, columnMeans(data, n, d));
    scaleByPowerOfTwo(data);
  }
  const m = Math.min(n, d);
  const G = d <= n ? gramColumns(data, n, d) : gramRows(data, n, d);
  let tr = 0;
  for (let i = 0; i < m; i++) tr += G[i * m + i];
  let fro = 0;
  for (let i = 0; i < m * m; i++) fro += G[i] * G[i];
  if (fro === 0) throw new RangeError('participationRatio: the states have zero variance');
  return (tr * tr) / fro;
}
