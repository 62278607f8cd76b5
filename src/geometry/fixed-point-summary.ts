import { distanceRaw } from './distance.js';
import type { FixedPointFailure, FixedPointResult, FixedPointStarts } from './fixed-points.js';

/**
 * The result of findFixedPoints from its distinct points and the record of every start: the share
 * that converged, the outliers dropped and the mean iteration counts (integer sums, so any order of starts gives the same
 * bits). Shared with the worker pool, which assembles split runs. @internal
 */
export function fixedPointSummary(
  points: FixedPointResult['points'], method: FixedPointResult['method'], starts: FixedPointStarts, outliers: number, failures: readonly FixedPointFailure[],
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
    starts,
    failures,
  };
}

/** The centroid of the starts and their mean distance to it, against which outliers are measured. @internal */
export interface StartsSpread {
  readonly centroid: Float64Array;
  readonly meanRadius: number;
}

/** The {@link StartsSpread} of the m starts in `X` (row-major m×dim), before any iteration moves them. @internal */
export function startsSpread(X: Float64Array, m: number, dim: number): StartsSpread {
  const centroid = new Float64Array(dim);
  for (let s = 0; s < m; s++) for (let p = 0; p < dim; p++) centroid[p] += X[s * dim + p];
  for (let p = 0; p < dim; p++) centroid[p] /= m;
  let meanRadius = 0;
  for (let s = 0; s < m; s++) meanRadius += distanceRaw(X, s * dim, centroid, 0, dim); // overflow-safe, the same bits otherwise
  meanRadius /= m;
  return { centroid, meanRadius };
}

/**
 * The final states (row-major m×dim `X`, their q and converged flags) that count as found points,
 * in start order: converged, or with q below `slow` (keepSlowPoints) when given, q not NaN, and not
 * an outlier, farther from the starts' centroid than `outlierScale` mean radii (only when that
 * limit is positive and finite); with the number of outliers. Shared by findFixedPoints and the
 * pool, which must select the same starts. @internal
 */
export function candidateStarts(
  X: Float64Array, q: Float64Array, converged: Uint8Array, dim: number, spread: StartsSpread, outlierScale: number, slow: number | undefined,
): { starts: number[]; outliers: number } {
  const { centroid, meanRadius } = spread;
  const limit = outlierScale * meanRadius;
  const starts: number[] = [];
  let outliers = 0;
  for (let s = 0; s < q.length; s++) {
    const ok = converged[s] === 1 || (slow !== undefined && q[s] < slow);
    if (!ok || !(q[s] >= 0)) continue;
    const far = meanRadius > 0 && Number.isFinite(limit) && distanceRaw(X, s * dim, centroid, 0, dim) > limit;
    if (far) outliers++;
    else starts.push(s);
  }
  return { starts, outliers };
}
