import type { FixedPointResult, FixedPointStarts } from './fixed-points.js';

/**
 * The result of findFixedPoints from its distinct points and the record of every start: the share
 * that converged, the outliers dropped and the mean iteration counts (integer sums, so any order of starts gives the same
 * bits). Shared with the worker pool, which assembles split runs. @internal
 */
export function fixedPointSummary(points: FixedPointResult['points'], method: FixedPointResult['method'], starts: FixedPointStarts, outliers: number): FixedPointResult {
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
  };
}
