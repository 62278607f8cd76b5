/**
 * t-SNE's input affinities: for each point, a Gaussian over its candidate neighbours whose precision
 * β = 1/(2σ²) is found by binary search so that the conditional distribution has entropy
 * ln(perplexity) nats (as scikit-learn's `_binary_search_perplexity`: tolerance 1e-5, at most 100
 * steps, β doubled or halved until bracketed, then bisected).
 */

/** Tolerance on the entropy (nats) and step limit of the search. */
export const PERPLEXITY_TOL = 1e-5;
export const PERPLEXITY_STEPS = 100;

/**
 * Unchecked: calibrates conditional probabilities row by row. Row i has `m` candidate squared
 * distances `d2[i*m .. i*m+m)`; writes `p[i*m + j] = exp(−β_i d2) / Σ` (each row sums to 1) and
 * `beta[i]`. Returns the largest |H_i − ln(perplexity)| reached (0 when every row converged).
 */
export function calibrateRows(
  d2: Float64Array,
  n: number,
  m: number,
  perplexity: number,
  p: Float64Array,
  beta: Float64Array,
): number {
  const target = Math.log(perplexity);
  let worst = 0;
  for (let i = 0; i < n; i++) {
    const o = i * m;
    // shifting by the smallest distance leaves the normalized distribution unchanged and avoids underflow
    let dmin = Infinity;
    for (let j = 0; j < m; j++) if (d2[o + j] < dmin) dmin = d2[o + j];
    let b = 1;
    let lo = -Infinity;
    let hi = Infinity;
    let diff = 0;
    let used = b;
    for (let step = 0; step < PERPLEXITY_STEPS; step++) {
      let sum = 0;
      let sumDP = 0;
      for (let j = 0; j < m; j++) {
        const dj = d2[o + j] - dmin;
        const v = Math.exp(-dj * b);
        p[o + j] = v;
        sum += v;
        sumDP += dj * v;
      }
      // sum ≥ 1 because the nearest candidate has weight exp(0) = 1
      const H = Math.log(sum) + (b * sumDP) / sum;
      used = b;
      const inv = 1 / sum;
      for (let j = 0; j < m; j++) p[o + j] *= inv;
      diff = H - target;
      if (Math.abs(diff) <= PERPLEXITY_TOL) break;
      if (diff > 0) {
        lo = b;
        b = hi === Infinity ? b * 2 : (b + hi) / 2;
      } else {
        hi = b;
        b = lo === -Infinity ? b / 2 : (b + lo) / 2;
      }
    }
    beta[i] = used;
    if (Math.abs(diff) > worst) worst = Math.abs(diff);
  }
  return worst;
}
