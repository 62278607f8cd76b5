/**
 * Principal component analysis of hidden states in float64: the eigendecomposition of the centred
 * covariance, or, when d > n, the SVD of the centred data.
 */
import { assertInteger, assertNumber, type AbortSignalLike } from '../core/errors.js';
import { checkExclusive, checkOptionKeys } from '../core/options.js';
import { PCA_KEYS } from './option-keys.js';
import { checkCallback, checkMemory, checkSignal, createProgress, ownOptions, type GeometryProgress } from './options.js';
import { symmetricEigenRaw } from '../core/linalg/symmetric-eigen.js';
import { svdRaw } from '../core/linalg/svd.js';
import { columnMeans, gramColumns, subtractRows } from './covariance.js';
import { scaleByPowerOfTwo, toPointMatrix, type PointsInput } from './points.js';

/** Options of {@link pca}. */
export interface PcaOptions {
  /** Number of components to keep (default min(n, d), or n − 1 when centred states have d > n). */
  components?: number;
  /** Alternatively: keep the fewest components whose explained-variance ratios sum to ≥ this (0, 1]. */
  varianceFraction?: number;
  /** Subtract the mean (default true); false analyses the raw second moments about 0. */
  center?: boolean;
  /** Point dimension, required when `X` is a flat typed array. */
  dim?: number;
  /**
   * Progress about every 50 ms while the covariance accumulates (`{ phase: 'covariance', done, total }`
   * in rows), then at the boundaries `{ phase: 'eigen' | 'done', done, total: 1 }`: the eigen or SVD
   * decomposition itself is one uninterrupted kernel (about 50 ms for d = 200).
   */
  onProgress?: (p: GeometryProgress) => void;
  /** Checked at every progress point. */
  signal?: AbortSignalLike;
}

/** Result of {@link pca}. */
export interface PcaResult {
  /** Column means (zeros when `center` is false), length d. */
  readonly mean: Float64Array;
  /** Principal axes, row-major k×d, orthonormal rows; each row's largest-|entry| is positive. */
  readonly components: Float64Array;
  /** Number of components k. */
  readonly k: number;
  /** Dimension d of the states. */
  readonly d: number;
  /** Variance along each component (eigenvalues of the covariance with 1/(n−1)), descending, length k. */
  readonly explainedVariance: Float64Array;
  /** explainedVariance / total variance (trace of the covariance), length k; NaN (0/0) when the states have zero variance. */
  readonly explainedVarianceRatio: Float64Array;
  /** The covariance's leading min(n, d) eigenvalues (n − 1 when centred and d > n), descending. */
  readonly eigenvalues: Float64Array;
  /** Total variance tr(C). */
  readonly totalVariance: number;
  /** Projects states [m,d] (or [B,T,d]) onto the components: row-major m×k scores (Y − mean)·Vᵀ. */
  transform(Y: PointsInput): Float64Array;
  /** Maps scores (row-major m×k, or [m,k]) back to states: Z·V + mean, row-major m×d. */
  inverseTransform(Z: PointsInput): Float64Array;
}

/**
 * PCA of states `X` `[n,d]` (or `[B,T,H]`, flattened over B and T to B·T states of dimension H).
 * Covariance C = X_cᵀX_c/(n−1) in float64 and its symmetric eigendecomposition; when d > n the thin
 * SVD X_c = U·S·Vᵀ instead (eigenvalues s²/(n−1), axes the columns of V). Components have a
 * deterministic sign (largest-magnitude entry positive). The states are rescaled by powers of two
 * (exact) before and after centring, so axes and explained-variance ratios are right at any scale
 * (1e-200 or 1e200); a variance that is not a double itself under- or overflows (0, Infinity).
 *
 * @example
 * ```ts
 * const { states } = rnnForward(rnn, x);                 // [B,T,H]
 * const p = pca(states, { varianceFraction: 0.9 });
 * const scores = p.transform(states);                     // (B·T)×k, row-major
 * console.log(p.k, p.explainedVarianceRatio);
 * ```
 */
export function pca(X: PointsInput, options: PcaOptions = {}): PcaResult {
  const opts = ownOptions<PcaOptions>(options, 'pca');
  checkOptionKeys(opts, PCA_KEYS, 'pca');
  const signal = checkSignal(opts.signal, 'pca');
  const progress = createProgress('pca', checkCallback<(p: GeometryProgress) => void>(opts.onProgress, 'pca: onProgress'), signal);
  const P = toPointMatrix(X, 'pca: X', { dim: opts.dim, allowRank3: true });
  const { data, n, d } = P;
  checkMemory(8 * (d <= n ? 3 * d * d : d * n + n), `pca: ${n} states of dimension ${d}`);
  if (n < 2) throw new RangeError(`pca: need at least 2 states, got ${n}`);
  const center = opts.center ?? true;
  // number of axes: after centring n states span at most n − 1 dimensions
  const r = d > n && center ? n - 1 : Math.min(n, d);
  // each value checked on its own first, so a bad value is reported as such
  if (opts.components !== undefined) assertInteger(opts.components, 'pca: components', 1, r);
  if (opts.varianceFraction !== undefined) {
    assertNumber(opts.varianceFraction, 'pca: varianceFraction', 0, 1);
    if (!(opts.varianceFraction > 0)) throw new RangeError(`pca: varianceFraction must be in (0, 1], got ${opts.varianceFraction}`);
  }
  checkExclusive(opts, 'components', 'varianceFraction', 'pca', { hint: 'components fixes the number kept, varianceFraction chooses it' });
  progress.final('covariance', 0, n); // done/total: rows accumulated; then 'eigen' and 'done' (0/1, 1/1)
  // exact power-of-two rescalings, before and after centring, keep the squares inside the double
  // range (the decomposition works in these units; variances get the factor² back below)
  const s0 = scaleByPowerOfTwo(data);
  const mean = center ? columnMeans(data, n, d) : new Float64Array(d);
  if (center) subtractRows(data, n, d, mean);
  const s1 = center ? scaleByPowerOfTwo(data) : 1;
  if (s0 !== 1) for (let p = 0; p < d; p++) mean[p] *= s0;
  const unit = s0 * s1; // data = original centred states / unit
  const scale = 1 / (n - 1);

  const eigenvalues = new Float64Array(r);
  const axes = new Float64Array(r * d); // row-major r×d, all axes
  if (d <= n) {
    const C = gramColumns(data, n, d, undefined, undefined, (done, total) => progress.tick('covariance', done, total));
    for (let i = 0; i < d * d; i++) C[i] *= scale;
    progress.final('eigen', 0, 1);
    const vec = new Float64Array(d * d);
    symmetricEigenRaw(d, C, eigenvalues, vec, undefined, () => progress.tick('eigen', 0, 1));
    for (let j = 0; j < d; j++) for (let p = 0; p < d; p++) axes[j * d + p] = vec[p * d + j];
  } else {
    // thin SVD of the centred n×d data: C's eigenvalues are s²/(n−1), its axes the columns of V
    const sv = new Float64Array(n);
    const V = new Float64Array(d * n);
    progress.final('eigen', 0, 1);
    svdRaw(n, d, data, sv, null, V);
    for (let j = 0; j < r; j++) {
      eigenvalues[j] = sv[j] * sv[j] * scale;
      for (let p = 0; p < d; p++) axes[j * d + p] = V[p * n + j];
    }
  }
  for (let j = 0; j < r; j++) if (eigenvalues[j] < 0) eigenvalues[j] = 0; // rounding below zero
  let total = 0; // tr(C)
  for (let i = 0; i < n * d; i++) total += data[i] * data[i];
  total *= scale;
  let k = opts.components ?? r;
  if (opts.varianceFraction !== undefined) {
    // every fraction of nothing is reached by one component: k = 1 read as "one-dimensional"
    if (!(total > 0)) throw new RangeError(`pca: varianceFraction ${opts.varianceFraction}: the ${n} states have zero variance${center ? ' (all equal)' : ' (all zero)'}, so no number of components explains a fraction of it`);
    const target = opts.varianceFraction * total;
    let acc = 0;
    k = r;
    for (let j = 0; j < r; j++) {
      acc += eigenvalues[j];
      if (acc >= target * (1 - 1e-12)) {
        k = j + 1;
        break;
      }
    }
  }
  // scale-free: in the scaled units. Zero variance: 0/0 is NaN (as scikit-learn gives), not 0, which
  // read as "the components explain none of it"; the rest of the result (mean, zero variances) stands
  const ratios = eigenvalues.map((v) => (total > 0 ? v / total : NaN));
  if (unit !== 1) {
    // back to the caller's units (over- or underflows only where the variance itself is not a double)
    for (let j = 0; j < r; j++) eigenvalues[j] = eigenvalues[j] * unit * unit;
    total = total * unit * unit;
  }
  progress.final('done', 1, 1);
  const components = axes.slice(0, k * d);
  const explainedVariance = eigenvalues.slice(0, k);
  const explainedVarianceRatio = ratios.slice(0, k);

  return {
    mean, components, k, d, explainedVariance, explainedVarianceRatio, eigenvalues, totalVariance: total,
    transform(Y: PointsInput): Float64Array {
      const Q = toPointMatrix(Y, 'pca.transform: Y', { dim: d, allowRank3: true });
      const out = new Float64Array(Q.n * k);
      for (let i = 0; i < Q.n; i++) {
        const yi = i * d;
        for (let p = 0; p < d; p++) Q.data[yi + p] -= mean[p];
        for (let j = 0; j < k; j++) {
          const cj = j * d;
          let s = 0;
          for (let p = 0; p < d; p++) s += Q.data[yi + p] * components[cj + p];
          out[i * k + j] = s;
        }
      }
      return out;
    },
    inverseTransform(Z: PointsInput): Float64Array {
      const Q = toPointMatrix(Z, 'pca.inverseTransform: Z', { dim: k });
      const out = new Float64Array(Q.n * d);
      for (let i = 0; i < Q.n; i++) {
        const oi = i * d;
        out.set(mean, oi);
        for (let j = 0; j < k; j++) {
          const z = Q.data[i * k + j];
          const cj = j * d;
          for (let p = 0; p < d; p++) out[oi + p] += z * components[cj + p];
        }
      }
      return out;
    },
  };
}
