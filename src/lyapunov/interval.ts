/**
 * The re-orthonormalization interval rule: with `reorthEvery` > 1 the next interval is capped so
 * that the frame's condition number stays below `maxCondition` (ln(maxCondition) / (λ_max − λ_min)
 * steps) and its column norms stay far from overflow (230 / |λ|max).
 *
 * The spread λ_max − λ_min is the larger of the latest growth rates' and the long-run rates' (the
 * running sums): the rates over one short interval fluctuate (the Hénon map's two one-step rates are
 * sometimes equal), and the columns of an un-orthonormalized product align without their norms
 * showing it, so the latest rates alone let the frame lose its smallest directions. Both read the
 * finite rates only: a −∞ log is an exact zero of the rank bound (a dead relu unit), whose column
 * the QR meets after the others, so it cannot cost them accuracy.
 */

/**
 * The next interval (≥ 1) from the logs of the last QR over `pending` steps and the long-run spread
 * of the growth rates per step (`longRunSpread`, 0 before any step is counted).
 */
export function nextInterval(logr: Float64Array, k: number, pending: number, reorthEvery: number, maxCondition: number, longRunSpread: number): number {
  let hi = -Infinity;
  let lo = Infinity;
  let big = 0;
  for (let i = 0; i < k; i++) {
    const g = logr[i] / pending;
    if (g === -Infinity) continue; // an exact zero of the rank bound: its column is behind the rest
    if (g > hi) hi = g;
    if (g < lo) lo = g;
    if (Math.abs(g) > big) big = Math.abs(g);
  }
  const recent = hi - lo;
  const spread = recent > longRunSpread || recent !== recent ? recent : longRunSpread;
  let m = reorthEvery;
  if (!Number.isFinite(spread) || !Number.isFinite(big) || hi < lo) m = 1;
  else {
    if (spread > 0) m = Math.min(m, Math.floor(Math.log(maxCondition) / spread));
    if (big > 0) m = Math.min(m, Math.floor(230 / big));
  }
  return Math.max(1, m);
}
