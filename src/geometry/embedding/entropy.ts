/**
 * Choosing PHATE's diffusion time: the von Neumann entropy of Pᵗ as a function of t, and the knee of
 * that curve found by fitting two lines (the method of PHATE's `vne.find_knee_point`).
 */
import { assertInteger } from '../../core/errors.js';
import { checkNumberList } from './options.js';

/**
 * Von Neumann entropy of the powers of an operator from its eigenvalues: for t = 1..tMax,
 * H(t) = −Σ η_i log η_i with η_i = |λ_i|ᵗ / Σ_j |λ_j|ᵗ (natural log; zero weights contribute 0).
 *
 * @param eigenvalues - the eigenvalues of the diffusion operator P (any sign; their moduli are used).
 * @param tMax - the largest power (default 100).
 * @returns `H` with `H[t − 1]` the entropy of Pᵗ.
 * @example
 * ```ts
 * // a two-state chain with eigenvalues 1 and 0.5: H(1) = ln 3 − (2/3) ln 2 … decreasing towards 0
 * const H = vonNeumannEntropy(new Float64Array([1, 0.5]), 10);
 * ```
 */
export function vonNeumannEntropy(eigenvalues: ArrayLike<number>, tMax = 100): Float64Array {
  return weightedEntropyCurve(eigenvalues, undefined, tMax, 'vonNeumannEntropy');
}

/**
 * The same curve from a quadrature rule for the spectrum (nodes θ_q with weights w_q, e.g. from
 * stochastic Lanczos quadrature): Σ_i |λ_i|ᵗ ≈ Σ_q w_q |θ_q|ᵗ, and likewise for |λ|ᵗ·log|λ|ᵗ.
 */
export function vonNeumannEntropyFromQuadrature(nodes: ArrayLike<number>, weights: ArrayLike<number>, tMax = 100): Float64Array {
  checkNumberList(nodes, 'vonNeumannEntropyFromQuadrature', 'nodes');
  checkNumberList(weights, 'vonNeumannEntropyFromQuadrature', 'weights');
  if (weights.length !== nodes.length) throw new RangeError('vonNeumannEntropyFromQuadrature: nodes and weights differ in length');
  return weightedEntropyCurve(nodes, weights, tMax, 'vonNeumannEntropyFromQuadrature');
}

/** Largest diffusion time a curve may reach (one float64 per t). */
const MAX_T = 1e7;

function weightedEntropyCurve(
  eigenvalues: ArrayLike<number>, weights: ArrayLike<number> | undefined, tMax: number, name: string,
): Float64Array {
  checkNumberList(eigenvalues, name, weights === undefined ? 'eigenvalues' : 'nodes');
  if (weights !== undefined) checkNumberList(weights, name, 'weights');
  assertInteger(tMax, `${name}: tMax`, 1, MAX_T);
  const m = eigenvalues.length;
  const logs = new Float64Array(m);
  let maxLog = -Infinity;
  for (let i = 0; i < m; i++) {
    const a = Math.abs(eigenvalues[i]);
    if (!Number.isFinite(a)) throw new RangeError(`${name}: eigenvalue ${i} is ${eigenvalues[i]}`);
    const wi = weights === undefined ? 1 : weights[i];
    logs[i] = a > 0 && wi > 0 ? Math.log(a) : -Infinity;
    if (logs[i] > maxLog) maxLog = logs[i];
  }
  const H = new Float64Array(tMax);
  if (maxLog === -Infinity) return H;
  for (let t = 1; t <= tMax; t++) {
    // η_i ∝ exp(t·(log|λ_i| − max)), computed in log space so that nothing overflows or underflows early
    let Z = 0;
    let S = 0;
    for (let i = 0; i < m; i++) {
      const l = t * (logs[i] - maxLog);
      if (l === -Infinity) continue;
      const w = (weights === undefined ? 1 : weights[i]) * Math.exp(l);
      Z += w;
      S += w * l;
    }
    H[t - 1] = Math.log(Z) - S / Z;
  }
  return H;
}

/**
 * The knee of a curve y = f(x) by the two-line method of PHATE (`vne.find_knee_point`): for each
 * breakpoint b = 1..n−2 fit one least-squares line to the points 0..b and one to b−1..n−1 (PHATE's
 * indexing), and return the x at which the summed absolute residuals (left line on 0..b, right line on
 * b..n−1) are smallest.
 *
 * @param y - the curve, at least 3 values.
 * @param x - abscissae, strictly increasing (default 0, 1, 2, …).
 * @example
 * ```ts
 * const x = Array.from({ length: 20 }, (_, i) => i);
 * findKnee(x.map((v) => Math.exp(-v / 10)), x); // 8, as PHATE's docstring example
 * ```
 */
export function findKnee(y: ArrayLike<number>, x?: ArrayLike<number>): number {
  checkNumberList(y, 'findKnee', 'y');
  if (x !== undefined) checkNumberList(x, 'findKnee', 'x');
  const n = y.length;
  if (n < 3) throw new RangeError(`findKnee: need at least 3 values, got ${n}`);
  const xs = new Float64Array(n);
  for (let i = 0; i < n; i++) xs[i] = x === undefined ? i : x[i];
  if (x !== undefined) {
    if (x.length !== n) throw new RangeError(`findKnee: x has length ${x.length}, y has length ${n}`);
    for (let i = 1; i < n; i++) {
      if (!(xs[i] > xs[i - 1])) throw new RangeError('findKnee: x must be strictly increasing');
    }
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(y[i]) || !Number.isFinite(xs[i])) throw new RangeError(`findKnee: non-finite value at ${i}`);
  }
  // forward fits on the prefixes 0..b and backward fits on the suffixes b..n−1 (cumulative sums)
  const mF = new Float64Array(n), bF = new Float64Array(n), mB = new Float64Array(n), bB = new Float64Array(n);
  let sx = 0, sy = 0, sxy = 0, sxx = 0;
  for (let i = 0; i < n; i++) {
    sx += xs[i]; sy += y[i]; sxy += xs[i] * y[i]; sxx += xs[i] * xs[i];
    const c = i + 1;
    if (c >= 2) {
      const det = c * sxx - sx * sx;
      mF[i] = (c * sxy - sx * sy) / det;
      bF[i] = -(sx * sxy - sxx * sy) / det;
    }
  }
  sx = 0; sy = 0; sxy = 0; sxx = 0;
  for (let i = n - 1; i >= 0; i--) {
    sx += xs[i]; sy += y[i]; sxy += xs[i] * y[i]; sxx += xs[i] * xs[i];
    const c = n - i;
    if (c >= 2) {
      const det = c * sxx - sx * sx;
      mB[i] = (c * sxy - sx * sy) / det;
      bB[i] = -(sx * sxy - sxx * sy) / det;
    }
  }
  let best = Infinity;
  let loc = 1;
  for (let b = 1; b < n - 1; b++) {
    let err = 0;
    for (let i = 0; i <= b; i++) err += Math.abs(mF[b] * xs[i] + bF[b] - y[i]);
    // as in PHATE, the right-hand line is fitted on the points b−1..n−1 (its residuals on b..n−1)
    for (let i = b; i < n; i++) err += Math.abs(mB[b - 1] * xs[i] + bB[b - 1] - y[i]);
    if (err < best) {
      best = err;
      loc = b;
    }
  }
  return xs[loc];
}
