/**
 * PHATE (Moon et al. 2019, "Visualizing structure and transitions in high-dimensional biological
 * data"): α-decay kNN kernel, diffusion operator, automatic t, diffusion potential and MDS, following
 * the reference Python implementation (phate 1.x with graphtools) in its defaults.
 */
import { toPointMatrix, type PointsInput } from '../points.js';
import { diffusionEmbedding, type DiffusionEmbeddingOptions } from './diffusion.js';
import { alphaDecayKernelRaw } from './kernel.js';
import { PHATE_KERNEL_KEYS, PHATE_KEYS } from './option-keys.js';
import { readChoice } from '../../core/options.js';
import { intOption, numOption, ownOptions, resolveLongRun, type EmbeddingRunOptions } from './options.js';
import { pca } from '../pca.js';
import { createPhateTransform, type PhateModel } from './phate-transform.js';
import type { Csr } from './sparse.js';

/** Options shared by phate, mPhate and mmPhate (the diffusion and MDS stages). */
export interface DiffusionOptions extends EmbeddingRunOptions {
  /** Diffusion time, or `'auto'` (default): the knee of the von Neumann entropy of Pᵗ, t ≤ tMax. */
  t?: number | 'auto';
  /** Largest t examined by `'auto'` (default 100). */
  tMax?: number;
  /** Potential: 1 → −log(Pᵗ + 1e-7) (PHATE's default), 0 → square root, −1 → Pᵗ itself;
   * in general (Pᵗ)^{(1−γ)/2} / ((1−γ)/2). */
  gamma?: number;
  /** Embedding dimension (default 2). */
  components?: number;
  /** Number of landmarks for large graphs, or 0 to never use landmarks (PHATE default 2000). */
  landmarks?: number;
  /** Eigenvectors used to cluster nodes into landmarks (default 100). */
  nSvd?: number;
  /** `'metric'` (default): classical MDS then SMACOF; `'classic'`: classical MDS only. */
  mds?: 'metric' | 'classic';
  /**
   * Metric-MDS solver: `'smacof'` (default; the solver of the PHATE paper's figures and M-PHATE's
   * default) or `'sgd'`: s_gd2's stochastic gradient descent, PHATE's default `mds_solver`, much
   * faster at large n (2-D only; other dimensions use SMACOF). With an integer `seed` the SGD
   * visiting order is the one s_gd2 draws for `random_state = seed`.
   */
  mdsSolver?: 'smacof' | 'sgd';
  /** SMACOF iteration limit (default 3000) and tolerance on the normalized stress (default 1e-6), as PHATE. */
  mdsMaxIter?: number;
  mdsTol?: number;
  /**
   * Operators up to this size get exact singular values for the entropy, as PHATE (default 4000,
   * M-PHATE's landmark count; about 5 s at 2000 and 40 s at 4000). Larger ones use deflated
   * stochastic Lanczos quadrature of P·Pᵀ (its 64 largest eigenvalues exact, the rest estimated):
   * on PHATE's 2000-point tutorial tree it put t at 44, the exact knee, for each of six seeds (plain
   * quadrature: 40–48), with the curve within 0.02 of the exact one.
   */
  vneExactMax?: number;
}

/** Options of {@link phate}. */
export interface PhateOptions extends DiffusionOptions {
  /** Neighbour that sets each point's kernel bandwidth (default 5). */
  knn?: number;
  /** α of the α-decay kernel (default 40). */
  decay?: number;
  /** Kernel values below this are dropped (default 1e-4). */
  thresh?: number;
  /** Point dimension when `X` is a flat typed array. */
  dim?: number;
  /**
   * Principal components the points are reduced to before the kernel when min(n, d) > nPca (default
   * 100, as PHATE's `n_pca`); 0 never reduces.
   */
  nPca?: number;
}

/** Result of {@link phate}: the embedding, and `transform` for new points. */
export interface PhateEmbedding extends PhateResult {
  /**
   * Places new points (same dimension as the fitted ones) in this embedding, as graphtools'
   * `extend_to_data` + `interpolate` (PHATE's `transform(Y)` on new data): α-decay affinities to the
   * fitted points with each new point's own k-th-neighbour bandwidth, normalized to transition
   * probabilities (summed per landmark when landmarks were used), then the probability-weighted
   * mean of the fitted coordinates. Returns row-major m×components.
   */
  transform(Y: PointsInput): Float64Array;
}

/** Result of {@link phate} (and the multislice variants). */
export interface PhateResult {
  /** Row-major n×components coordinates. */
  readonly embedding: Float64Array;
  readonly shape: readonly [number, number];
  /** The diffusion time used. */
  readonly t: number;
  /** Von Neumann entropy H(Pᵗ) for t = 1..tMax when t was automatic (else empty). */
  readonly entropy: Float64Array;
  /** Size of the diffused operator: n, or the number of landmarks. */
  readonly operatorSize: number;
  /** Landmark of every point when landmarks were used. */
  readonly clusters?: Int32Array;
  /** Final SMACOF stress (NaN for classical MDS). */
  readonly stress: number;
}

/** Validates the diffusion options and resolves them for the core. */
export function resolveDiffusionOptions(
  opts: DiffusionOptions, name: string, n: number, defaults: { gamma: number; landmarks: number },
): DiffusionEmbeddingOptions {
  let t: number | 'auto' = 'auto';
  if (opts.t !== undefined && opts.t !== 'auto') t = intOption(opts.t, 1, `${name}: t`, 1, 10000);
  const tMax = intOption(opts.tMax, 100, `${name}: tMax`, 3, 10000);
  const gamma = numOption(opts.gamma, defaults.gamma, `${name}: gamma`, -1, 1);
  const components = intOption(opts.components, 2, `${name}: components`, 1, Math.max(1, n - 1));
  const landmarks = intOption(opts.landmarks, defaults.landmarks, `${name}: landmarks`, 0, 1e9);
  if (landmarks > 0 && landmarks <= components) {
    throw new RangeError(`${name}: landmarks (${landmarks}) must exceed components (${components}), or be 0`);
  }
  const nSvd = intOption(opts.nSvd, 100, `${name}: nSvd`, 1);
  const mds = readChoice(opts.mds, ['metric', 'classic'] as const, 'metric', `${name}: mds`);
  const mdsSolver = readChoice(opts.mdsSolver, ['smacof', 'sgd'] as const, 'smacof', `${name}: mdsSolver`);
  const mdsMaxIter = intOption(opts.mdsMaxIter, 3000, `${name}: mdsMaxIter`, 0);
  const mdsTol = numOption(opts.mdsTol, 1e-6, `${name}: mdsTol`, 0);
  const vneExactMax = intOption(opts.vneExactMax, 4000, `${name}: vneExactMax`, 0);
  const run = resolveLongRun(opts, name);
  return {
    t, tMax, gamma, components, landmarks, nSvd, mds, mdsSolver, mdsMaxIter, mdsTol, vneExactMax,
    sgdSeed: typeof opts.seed === 'number' && Number.isInteger(opts.seed) && opts.seed >= 0 && opts.seed < 2 ** 32
      ? opts.seed : Math.floor(run.rng() * 65536),
    rng: run.rng, progress: run.progress, check: run.check, name,
  };
}

/** Packs the core's output as the public result. */
export function toPhateResult(r: ReturnType<typeof diffusionEmbedding>, n: number, components: number): PhateResult {
  const out: PhateResult = {
    embedding: r.embedding, shape: [n, components] as const, t: r.t, entropy: r.entropy,
    operatorSize: r.operatorSize, stress: r.stress,
    ...(r.clusters ? { clusters: r.clusters } : {}),
  };
  return out;
}

/**
 * Embeds points with PHATE.
 *
 * The α-decay kernel K(x, y) = exp(−(‖x−y‖/σ_k(x))^α) (σ_k the distance to the k-th neighbour) is
 * built sparse and symmetrized; P = D⁻¹K; t is the knee of the von Neumann entropy of Pᵗ (unless
 * given); the potential −log(Pᵗ + 1e-7) (γ = 1) is compared row by row in Euclidean distance and
 * embedded by classical MDS refined by SMACOF. Beyond `landmarks` points the operator is reduced to
 * landmarks by spectral clustering, so no n×n matrix is formed.
 *
 * @param X - points: a Tensor `[n,d]` (or hidden states `[B,T,H]`, read as B·T points as `pca` reads them), a flat Float64Array/Float32Array with `dim`, or an array of points.
 * @example
 * ```ts
 * const fit = phate(hiddenStates, { knn: 5, decay: 40, seed: 0 });
 * fit.embedding; fit.t;               // coordinates, the diffusion time chosen
 * const placed = fit.transform(newStates); // new points in the same picture
 * ```
 */
export function phate(X: PointsInput, options: PhateOptions = {}): PhateEmbedding {
  const name = 'phate';
  const opts = ownOptions(options, name, PHATE_KEYS);
  const M = toPointMatrix(X, `${name}: X`, { dim: opts.dim, allowRank3: true });
  const nPca = intOption(opts.nPca, 100, `${name}: nPca`, 0);
  const knn = intOption(opts.knn, 5, `${name}: knn`, 1);
  if (M.n < knn + 2) {
    throw new RangeError(`${name}: knn = ${knn} needs at least ${knn + 2} points, got ${M.n}`);
  }
  const decay = numOption(opts.decay, 40, `${name}: decay`, Number.MIN_VALUE);
  const thresh = numOption(opts.thresh, 1e-4, `${name}: thresh`, Number.MIN_VALUE, 0.5);
  const core = resolveDiffusionOptions(opts, name, M.n, { gamma: 1, landmarks: 2000 });
  let pts = M.data, d = M.d;
  let pcaFit: { mean: Float64Array; components: Float64Array } | undefined;
  if (nPca > 0 && Math.min(M.n, M.d) > nPca) {
    // as PHATE (graphtools' n_pca): the kernel is built on the leading principal components
    core.progress('pca', 0, 1);
    const fit = pca(M.data.slice(), { dim: M.d, components: nPca });
    pcaFit = fit;
    pts = fit.transform(M.data.slice());
    d = nPca;
    core.progress('pca', 1, 1);
    core.check();
  }
  core.progress('kernel', 0, 1);
  const { kernel } = alphaDecayKernelRaw(pts, M.n, d, knn, decay, thresh);
  core.progress('kernel', 1, 1);
  core.check();
  const r = diffusionEmbedding(kernel, core);
  const model: PhateModel = {
    points: pts, n: M.n, d, inputDim: M.d, knn, decay, thresh,
    ...(pcaFit ? { pcaMean: pcaFit.mean, pcaComponents: pcaFit.components } : {}),
    components: core.components, operatorEmbedding: r.operatorEmbedding, operatorSize: r.operatorSize,
    ...(r.clusters ? { clusters: r.clusters } : {}),
  };
  return { ...toPhateResult(r, M.n, core.components), transform: createPhateTransform(model) };
}

/**
 * The graph PHATE builds, for reuse (e.g. to inspect or to embed with other settings): the α-decay
 * kNN kernel K(x,y) = exp(−(d/σ_k(x))^α), σ_k the distance to the k-th neighbour, symmetrized, held
 * sparse (entries below `thresh` dropped) as a CSR matrix with ones on the diagonal.
 *
 * @example
 * ```ts
 * const K = phateKernel(states, { knn: 5, decay: 40 });
 * console.log(K.rows, K.indices.length); // n, number of stored entries
 * ```
 */
export function phateKernel(X: PointsInput, options: { knn?: number; decay?: number; thresh?: number; dim?: number } = {}): Csr {
  const opts = ownOptions(options, 'phateKernel', PHATE_KERNEL_KEYS);
  const M = toPointMatrix(X, 'phateKernel: X', { dim: opts.dim, allowRank3: true });
  const knn = intOption(opts.knn, 5, 'phateKernel: knn', 1);
  if (M.n < knn + 1) throw new RangeError(`phateKernel: knn = ${knn} needs at least ${knn + 1} points, got ${M.n}`);
  const decay = numOption(opts.decay, 40, 'phateKernel: decay', Number.MIN_VALUE);
  const thresh = numOption(opts.thresh, 1e-4, 'phateKernel: thresh', Number.MIN_VALUE, 0.5);
  return alphaDecayKernelRaw(M.data, M.n, M.d, knn, decay, thresh).kernel;
}
