import { binaryExponent } from './points.js';
import { unitDistance } from './fixed-point-units.js';
import type { FixedPointFailure, FixedPointResult, FixedPointStarts } from './fixed-points.js';

/**
 * The result of findFixedPoints from its distinct points and the record of every start: the share
 * that converged, the outliers dropped and the mean iteration counts (integer sums, so any order of starts gives the same
 * bits). Shared with the worker pool, which assembles split runs. @internal
 */
export function fixedPointSummary(
  points: FixedPointResult['points'], method: FixedPointResult['method'], scale: number, starts: FixedPointStarts, outliers: number,
  failures: readonly FixedPointFailure[],
): FixedPointResult {
  const m = starts.q.length;
  let itSum = 0, itConv = 0, nConv = 0;
  for (let s = 0; s < m; s++) {
    itSum += starts.iterations[s];
    if (starts.converged[s] === 1) {
      nConv++;
      itConv += starts.iterations[s];
    }
  }
  return {
    points,
    convergedFraction: nConv / m,
    outliers,
    iterations: itSum / m,
    iterationsToConverge: nConv > 0 ? itConv / nConv : NaN,
    method,
    scale,
    starts,
    failures,
  };
}

/**
 * The binary exponents of the median start's RMS coordinate within which the default unit of
 * findFixedPoints is 1 ([2^-8, 2^8)): tanh states, relu states up to a few hundred.
 */
const ORDINARY_LOW = -8;
const ORDINARY_HIGH = 7;

/**
 * The unit (findFixedPoints' default `scale`) of the m starts in `X` (row-major m×dim): 2^(e − E),
 * where e is the median (the ⌊m'/2⌋-th smallest of the m' nonzero starts) of the binary exponents of
 * each start's RMS coordinate (2^e ≤ S_s < 2^(e+1)) and E is e clamped to [−8, 7]: 1 while the median
 * start lies in [2^-8, 2^8), and outside that band the power of two that follows it (S·2^8 below it,
 * S/2^7 above, to a factor < 2), so that starts scaled by 2^k there give a unit scaled by 2^k. The
 * median, not the RMS over all starts, so that a few far starts (one at 1e9 among tanh states) do not
 * set the unit of the others. Each S_s is taken in units of that start's largest |coordinate|
 * (exact), so no square under- or overflows; 1 when every start is 0. @internal
 */
export function startsUnit(X: Float64Array, m: number, dim: number): number {
  const exps: number[] = [];
  for (let s = 0; s < m; s++) {
    const o = s * dim;
    let big = 0;
    for (let p = 0; p < dim; p++) big = Math.max(big, Math.abs(X[o + p]));
    if (!(big > 0)) continue;
    const eBig = binaryExponent(big);
    const c = 2 ** -eBig; // exact: |X·c| < 2
    let sum = 0;
    for (let p = 0; p < dim; p++) {
      const v = X[o + p] * c;
      sum += v * v;
    }
    exps.push(eBig + binaryExponent(Math.sqrt(sum / dim)));
  }
  if (exps.length === 0) return 1;
  exps.sort((a, b) => a - b);
  const e = exps[exps.length >> 1];
  return 2 ** (e - Math.min(ORDINARY_HIGH, Math.max(ORDINARY_LOW, e)));
}

/** The centroid of the starts and their mean distance to it (in units of `unit`), against which outliers are measured. @internal */
export interface StartsSpread {
  readonly centroid: Float64Array;
  readonly meanRadius: number;
  /** The unit of meanRadius (findFixedPoints' `scale`). */
  readonly unit: number;
}

/** The {@link StartsSpread} of the m starts in `X` (row-major m×dim), before any iteration moves them. @internal */
export function startsSpread(X: Float64Array, m: number, dim: number, unit = 1): StartsSpread {
  const centroid = new Float64Array(dim);
  for (let s = 0; s < m; s++) for (let p = 0; p < dim; p++) centroid[p] += X[s * dim + p];
  for (let p = 0; p < dim; p++) centroid[p] /= m;
  const buf = new Float64Array(dim);
  const zeros = new Float64Array(dim);
  let meanRadius = 0;
  for (let s = 0; s < m; s++) meanRadius += unitDistance(X, s * dim, centroid, 0, dim, 1 / unit, buf, zeros); // overflow-safe, the same bits otherwise
  meanRadius /= m;
  return { centroid, meanRadius, unit };
}

/**
 * The final states (row-major m×dim `X`, their q in units of spread.unit² and converged flags) that
 * count as found points, in start order: converged, or with q below `slow` (keepSlowPoints) when
 * given, q not NaN, and not an outlier, farther from the starts' centroid than `outlierScale` mean
 * radii (only when that limit is positive and finite); with the number of outliers. Shared by
 * findFixedPoints and the pool, which must select the same starts. @internal
 */
export function candidateStarts(
  X: Float64Array, q: Float64Array, converged: Uint8Array, dim: number, spread: StartsSpread, outlierScale: number, slow: number | undefined,
): { starts: number[]; outliers: number } {
  const { centroid, meanRadius } = spread;
  const limit = outlierScale * meanRadius;
  const starts: number[] = [];
  const buf = new Float64Array(dim);
  const zeros = new Float64Array(dim);
  let outliers = 0;
  for (let s = 0; s < q.length; s++) {
    const ok = converged[s] === 1 || (slow !== undefined && q[s] < slow);
    if (!ok || !(q[s] >= 0)) continue;
    const far = meanRadius > 0 && Number.isFinite(limit) && unitDistance(X, s * dim, centroid, 0, dim, 1 / spread.unit, buf, zeros) > limit;
    if (far) outliers++;
    else starts.push(s);
  }
  return { starts, outliers };
}
