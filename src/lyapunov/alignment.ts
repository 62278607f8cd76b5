/**
 * The error an unaligned initial frame leaves in the exponents: a bias from the start of the run,
 * which the batch-means standard error does not see once it is spread over many blocks.
 *
 * Derivation (exact for J_t = Q·diag(e^{λ+ξ_t})·Qᵀ with a fixed orthogonal Q and ξ_t = 0; the
 * leading term in general, where Q is the Oseledets basis). The QR frame's first i columns span
 * the image of the initial frame's, so Σ_{t<τ} log R_ii = log vol_i(τ) − log vol_{i−1}(τ), with
 * vol_i(τ) the i-volume of J^τ·Q0[:, :i]. By Cauchy–Binet, in the eigenbasis,
 *   vol_i(τ)² = Σ_S det(Q0[S, :i])²·e^{2τ Σ_{s∈S} λ_s}
 *             = det(Q0[1..i, :i])²·e^{2τ Λ_i}·(1 + ε_i(τ)),   Λ_i = λ_1 + … + λ_i,
 *   ε_i(τ) ≈ Σ_{p ≤ i < q} a_pq²·e^{−2(λ_p − λ_q)τ}   (the subsets S that swap one p for one q),
 * with a_pq the ratio of the swapped minor to the top one (Cramér: a ratio of Gaussians, median
 * a² ≈ 1 for a random frame). The run counts steps W … W + T − 1 after a frame warm-up of W, so
 *   Λ̂_i − Λ_i = −b_i,   b_i = [log(1 + ε_i(W)) − log(1 + ε_i(W + T))] / (2T) ≥ 0,
 *   λ̂_i − λ_i = b_{i−1} − b_i.
 * b_i ≈ a²·e^{−2 g_i W}/(2T) for g_i·W ≫ 1 (g_i = λ_i − λ_{i+1}): the frame aligns as e^{−g W}, the
 * squared volume as e^{−2 g W}; a gap of 0.005 needs W ≈ 500 steps to bring the weight to e^{−5};
 * b_i → g_i/2 as g_i → 0 (a pair that never separates mixes, but they are then equal), and b_i ≤
 * log(1 + ε_i(W))/(2T) always. The typical size of exponent i's error is taken as b_{i−1} + b_i with
 * every a_pq² = 1, from the estimated exponents; ε_i factors as A_i·B_i (A_i = Σ_{p≤i}
 * e^{−2(λ_p−λ_i)τ}, B_i = Σ_{q>i} e^{−2(λ_i−λ_q)τ}), both by recurrences: O(k).
 *
 * With k < n the exponents below λ_k are not estimated, and b_k depends on them: it is taken at its
 * worst over one unseen λ_{k+1} ≤ λ_k (largest at a gap of order 1/W: at most log(1 + A_k)/(2T)).
 *
 * Measured (scratch runs, 20 frame seeds): an LSTM H = 8 with all biases +4 (its c-exponents cluster
 * near ln σ(4) with gaps 2e-4 … 2e-3) driven by 2000 steps, frame warm-up 100: λ2…λ6 spread over the
 * seeds by 1.6–4.2 standard errors, this estimate 3–7 standard errors, and within a factor 3 of the
 * spread; at W = 800 the spread of λ4 is 4.0 standard errors (estimate 1.3), of λ5 0.8 (0.99).
 * @internal
 */

/** The weight a_pq² of every swapped minor: the median of F(1,1) (a ratio of Gaussians, squared). */
const TYPICAL_WEIGHT = 1;
/**
 * The spread of a_pq² over random frames as a normal σ's equivalent, IQR/1.349: F(1,1)'s quartiles
 * are tan²(π/8) and tan²(3π/8), so (5.83 − 0.17)/1.349 = 4.2 (its variance is infinite).
 */
const WEIGHT_SPREAD = (Math.tan((3 * Math.PI) / 8) ** 2 - Math.tan(Math.PI / 8) ** 2) / 1.349;

/** Gaps tried for the unseen λ_{k+1}, relative to 1/(W + T) … 1/max(W, 1). */
const TAIL_GAPS = 48;

/** e^{−2·gap·τ}, 0 for an infinite gap (a −∞ exponent: a direction the map annihilates). */
function decay(gap: number, tau: number): number {
  return gap === Infinity ? 0 : Math.exp(-2 * gap * tau);
}

/**
 * b_i (per step) and ε_i at W and W + T (into `eps`) for i < k − 1 into `b`, from the gaps g_i = λ_i − λ_{i+1} per step (≥ 0), and
 * returns A_{k−1}(W) and A_{k−1}(W + T), the factors of the last ε that the frame sees.
 */
function deficits(g: Float64Array, w: number, t: number, b: Float64Array, eps: Float64Array[]): [number, number] {
  const k = b.length;
  let aw = 1;
  let at = 1;
  // B_i by the backward recurrence B_i = e^{−2 g_i τ}·(1 + B_{i+1}); A_i forward: A_i = A_{i−1}·e^{−2 g_{i−1} τ} + 1
  const bw = new Float64Array(k);
  const bt = new Float64Array(k);
  for (let i = k - 2; i >= 0; i--) {
    bw[i] = decay(g[i], w) * (1 + (i + 1 < k - 1 ? bw[i + 1] : 0));
    bt[i] = decay(g[i], w + t) * (1 + (i + 1 < k - 1 ? bt[i + 1] : 0));
  }
  for (let i = 0; i < k - 1; i++) {
    if (i > 0) {
      aw = aw * decay(g[i - 1], w) + 1;
      at = at * decay(g[i - 1], w + t) + 1;
    }
    eps[0][i] = TYPICAL_WEIGHT * aw * bw[i];
    eps[1][i] = TYPICAL_WEIGHT * at * bt[i];
    b[i] = (Math.log1p(eps[0][i]) - Math.log1p(eps[1][i])) / (2 * t);
  }
  if (k > 1) {
    aw = aw * decay(g[k - 2], w) + 1;
    at = at * decay(g[k - 2], w + t) + 1;
  }
  return [aw, at];
}

/** b for the last exponent of a top-k run: the worst over one unseen exponent below it, at gap γ. */
function worstTail(aw: number, at: number, w: number, t: number): number {
  const lo = 1e-3 / (w + t);
  const hi = 20 / Math.max(w, 1);
  let worst = 0;
  for (let j = 0; j <= TAIL_GAPS; j++) {
    const gap = lo * Math.pow(hi / lo, j / TAIL_GAPS);
    const v = (Math.log1p(TYPICAL_WEIGHT * aw * decay(gap, w)) - Math.log1p(TYPICAL_WEIGHT * at * decay(gap, w + t))) / (2 * t);
    if (v > worst) worst = v;
  }
  return worst;
}

/**
 * Σ over the swapped pairs that involve exponent i of (∂(2T·b)/∂a²)²: pairs (p, i), p < i, in
 * ε_{i−1}, and (i, q), q > i, in ε_i; a pair's weight e^{−2(λ_p−λ_q)τ} over 1 + ε(τ), at τ = W and
 * W + T. O(k²) at most; at W > 0 a pair whose weight is below 1e-30 ends its sweep. @internal
 */
function pairVariance(g: Float64Array, i: number, w: number, t: number, e: Float64Array[]): number {
  const k = g.length;
  let v = 0;
  const term = (gap: number, j: number) => decay(gap, w) / (1 + e[0][j]) - decay(gap, w + t) / (1 + e[1][j]);
  let gap = 0;
  for (let p = i - 1; p >= 0; p--) {
    gap += g[p];
    const d = term(gap, i - 1);
    v += d * d;
    if (w > 0 && 2 * gap * w > 69) break;
  }
  gap = 0;
  for (let q = i + 1; q < k; q++) {
    gap += g[q - 1];
    const d = term(gap, i);
    v += d * d;
    if (w > 0 && 2 * gap * w > 69) break;
  }
  return v;
}

/** Per exponent: the systematic part (b_{i−1} − b_i) and the variance over random frames of its error, per step. @internal */
export interface AlignmentParts {
  bias: Float64Array;
  variance: Float64Array;
}

/**
 * The alignment error's two parts for the k estimated exponents (descending, per unit time `dt`) of
 * an n-dimensional system after a frame warm-up of `frameWarmup` steps and `steps` counted ones: the
 * systematic part b_{i−1} − b_i at a² = 1 and the variance over random frames (the squared
 * sensitivities to each a², times its spread squared), both per unit time. @internal
 */
export function alignmentParts(exponents: Float64Array, n: number, frameWarmup: number, steps: number, dt: number): AlignmentParts | undefined {
  const k = exponents.length;
  if (!(steps > 0)) return undefined;
  const g = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    if (exponents[i] !== exponents[i]) return undefined;
    if (i + 1 < k) {
      const hi = exponents[i];
      const lo = exponents[i + 1];
      g[i] = hi === -Infinity ? 0 : lo === -Infinity ? Infinity : Math.max(0, (hi - lo) * dt);
    }
  }
  const b = new Float64Array(k);
  const eps = [new Float64Array(k), new Float64Array(k)];
  const [aw, at] = deficits(g, frameWarmup, steps, b, eps);
  const seen = k < n && exponents[k - 1] > -Infinity;
  b[k - 1] = seen ? worstTail(aw, at, frameWarmup, steps) : 0;
  const bias = new Float64Array(k);
  const variance = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    if (exponents[i] === -Infinity) continue;
    bias[i] = ((i > 0 ? b[i - 1] : 0) - b[i]) / dt;
    let v = (WEIGHT_SPREAD * WEIGHT_SPREAD * pairVariance(g, i, frameWarmup, steps, eps)) / (4 * steps * steps);
    if (i === k - 1 && seen) v += b[k - 1] * b[k - 1]; // the unseen pair: its sensitivity about its size (as for one pair)
    variance[i] = v / (dt * dt);
  }
  return { bias, variance };
}

/**
 * The typical size of the error the initial frame's misalignment leaves in each exponent:
 * √(bias² + variance) of {@link alignmentParts}; NaN when nothing was counted or an exponent is
 * NaN, 0 for a −∞ exponent. @internal
 */
export function alignmentError(exponents: Float64Array, n: number, frameWarmup: number, steps: number, dt: number): Float64Array {
  const parts = alignmentParts(exponents, n, frameWarmup, steps, dt);
  const out = new Float64Array(exponents.length);
  if (!parts) return out.fill(NaN);
  for (let i = 0; i < out.length; i++) out[i] = Math.sqrt(parts.bias[i] * parts.bias[i] + parts.variance[i]);
  return out;
}

/** True when an exponent's alignment error exceeds its standard error (its ±stderr would understate the error). @internal */
export function isMisaligned(alignment: Float64Array, stderr: Float64Array): boolean {
  for (let i = 0; i < alignment.length; i++) if (alignment[i] > stderr[i]) return true;
  return false;
}
