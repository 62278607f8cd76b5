/**
 * The re-orthonormalization interval rule: with `reorthEvery` > 1 the next interval is capped by the
 * latest growth rates so that the frame's condition number stays below `maxCondition`
 * (ln(maxCondition) / (λ_max − λ_min) steps) and its column norms stay far from overflow (230 / |λ|max).
 */

/** The next interval (≥ 1) from the logs of the last QR over `pending` steps. */
export function nextInterval(logr: Float64Array, k: number, pending: number, reorthEvery: number, maxCondition: number): number {
  let hi = -Infinity;
  let lo = Infinity;
  let big = 0;
  for (let i = 0; i < k; i++) {
    const g = logr[i] / pending;
    if (g > hi) hi = g;
    if (g < lo) lo = g;
    if (Math.abs(g) > big) big = Math.abs(g);
  }
  const spread = hi - lo;
  let m = reorthEvery;
  if (!Number.isFinite(spread) || !Number.isFinite(big)) m = 1;
  else {
    if (spread > 0) m = Math.min(m, Math.floor(Math.log(maxCondition) / spread));
    if (big > 0) m = Math.min(m, Math.floor(230 / big));
  }
  return Math.max(1, m);
}
