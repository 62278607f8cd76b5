/**
 * t-SNE's input affinities: for each point, a Gaussian over its candidate neighbours whose precision
 * β = 1/(2σ²) is found by binary search so that the conditional distribution has entropy
 * ln(perplexity) nats (as scikit-learn's `_binary_search_perplexity`: tolerance 1e-5, at most 100
 * steps, β doubled or halved until bracketed, then bisected); a row that has not converged from
 * β = 1 (distances far from 1: 2^±100 does not reach the β it needs) is searched again from 1/spread.
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
    let dmax = -Infinity;
    let dsum = 0;
    for (let j = 0; j < m; j++) {
      const v = d2[o + j];
      if (v < dmin) dmin = v;
      if (v > dmax) dmax = v;
      dsum += v;
    }
    let r = searchRow(d2, o, m, dmin, target, 1, p);
    const spread = dsum / m - dmin;
    if (Math.abs(r.diff) > PERPLEXITY_TOL && spread > 0 && dmax > dmin) {
      // β = 1 is scikit-learn's start; 100 doublings or halvings reach only 2^±100, not the β of
      // distances far from 1 (squared distances of 1e-40 need β ~ 1e40): start again from 1/spread,
      // where β·d2 is of order one (rows that converged from β = 1 keep their bits)
      const first = r;
      r = searchRow(d2, o, m, dmin, target, 1 / spread, p);
      if (!(Math.abs(r.diff) <= Math.abs(first.diff))) r = searchRow(d2, o, m, dmin, target, 1, p);
    }
    beta[i] = r.beta;
    if (Math.abs(r.diff) > worst) worst = Math.abs(r.diff);
  }
  return worst;
}

/** The binary search of one row from β = b0: writes its p, returns the final β and H − target. */
function searchRow(d2: Float64Array, o: number, m: number, dmin: number, target: number, b0: number, p: Float64Array): { beta: number; diff: number } {
  let b = b0;
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
  return { beta: used, diff };
}
