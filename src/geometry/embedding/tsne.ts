/**
 * t-SNE (van der Maaten & Hinton 2008) with exact gradients for small n and Barnes–Hut gradients
 * (van der Maaten 2014) for large n, following scikit-learn's TSNE (defaults, learning-rate rule,
 * optimizer schedule, gains, convergence checks) so that results are comparable.
 */
import { gaussian } from '../../core/rng.js';
import { knnRaw } from '../knn.js';
import { firstRowUnlikeFirst, scaleByPowerOfTwo, toPointMatrix, type PointsInput } from '../points.js';
import { pcaInit } from './init.js';
import { TSNE_KEYS } from './option-keys.js';
import { readChoice } from '../../core/options.js';
import { intOption, numOption, ownOptions, resolveLongRun, type EmbeddingRunOptions } from './options.js';
import { calibrateRows } from './perplexity.js';
import { csrFromCoo, csrSymmetrize, type Csr } from './sparse.js';
import { createSpTree } from './sptree.js';
import { bhGradient, exactKlGradient, exactNormalizer, P_FLOOR, sparseKl } from './tsne-objective.js';
import { rowDist2 } from './distance.js';

/** Options of {@link tsne}. */
export interface TsneOptions extends EmbeddingRunOptions {
  /** Embedding dimension (default 2; Barnes–Hut supports 1–3). */
  dims?: number;
  /** Effective number of neighbours (default 30); must be less than the number of points. */
  perplexity?: number;
  /** Factor on P during the first `explorationIterations` (default 12). */
  earlyExaggeration?: number;
  /** Step size, or `'auto'` = max(n / earlyExaggeration / 4, 50) (scikit-learn's rule; default). */
  learningRate?: number | 'auto';
  /** Total number of iterations, exploration included (default 1000). */
  iterations?: number;
  /** Iterations with early exaggeration and momentum 0.5 (default 250). */
  explorationIterations?: number;
  /** Barnes–Hut accuracy: a cell of width w at distance r is summarized when w/r < θ (default 0.5). */
  theta?: number;
  /** `'pca'` (default; scaled to standard deviation 1e-4; random when the points have fewer than `dims` features, where an explicit `'pca'` is refused), `'random'` (N(0, 1e-8)), or an n×dims array. */
  init?: 'pca' | 'random' | Float64Array;
  /** `'auto'` (default): exact below 1000 points or above 3 dims, Barnes–Hut otherwise. */
  method?: 'auto' | 'exact' | 'barnes-hut';
  /** Stop when the gradient norm falls below this (default 1e-7). */
  minGradNorm?: number;
  /** Stop after this many iterations without a lower KL (checked every 50; default 300). */
  maxIterationsWithoutProgress?: number;
  /** Point dimension when `X` is a flat typed array. */
  dim?: number;
}

/** Result of {@link tsne}. */
export interface TsneResult {
  /** Row-major n×dims coordinates. */
  readonly embedding: Float64Array;
  readonly shape: readonly [number, number];
  /** KL(P‖Q) at the final embedding (exact Q normalizer). */
  readonly kl: number;
  /** Iterations run. */
  readonly iterations: number;
  readonly method: 'exact' | 'barnes-hut';
  /** The learning rate used. */
  readonly learningRate: number;
}

/** Largest n for the dense (exact) method: its P matrix holds n² doubles. */
const EXACT_MAX_N = 12000;

/**
 * Embeds points with t-SNE.
 *
 * Affinities: per point, a Gaussian over its candidates calibrated by binary search so that its
 * entropy is ln(perplexity) nats; candidates are all other points (exact method) or the
 * ⌊3·perplexity + 1⌋ nearest neighbours (Barnes–Hut); P = (P_{j|i} + P_{i|j}) / Σ. Optimization:
 * gradient descent with momentum 0.5 then 0.8, per-coordinate gains (+0.2 / ×0.8, floor 0.01), early
 * exaggeration for the first 250 iterations, as scikit-learn.
 *
 * @param X - points: a Tensor `[n,d]` (or hidden states `[B,T,H]`, read as B·T points as `pca` reads them), a flat Float64Array/Float32Array with `dim`, or an array of points.
 * @example
 * ```ts
 * const { embedding, kl } = tsne(hiddenStates, { perplexity: 30, seed: 1 });
 * // embedding[2*i], embedding[2*i+1] are point i's coordinates
 * ```
 */
export function tsne(X: PointsInput, options: TsneOptions = {}): TsneResult {
  const name = 'tsne';
  const opts = ownOptions(options, name, TSNE_KEYS);
  const M = toPointMatrix(X, `${name}: X`, { dim: opts.dim, allowRank3: true });
  const { n, d, data: x } = M;
  const dims = intOption(opts.dims, 2, `${name}: dims`, 1, 64);
  const perplexity = numOption(opts.perplexity, 30, `${name}: perplexity`, Number.MIN_VALUE);
  if (n < 3) throw new RangeError(`${name}: need at least 3 points, got ${n}`);
  if (perplexity >= n - 1) {
    const which = opts.perplexity === undefined ? `the default opts.perplexity (${perplexity}; give a smaller one)` : `opts.perplexity (${perplexity})`;
    throw new RangeError(`${name}: ${which} must be less than the number of points minus one (${n - 1})`);
  }
  const early = numOption(opts.earlyExaggeration, 12, `${name}: earlyExaggeration`, 1);
  let learningRate: number;
  if (opts.learningRate === undefined || opts.learningRate === 'auto') {
    learningRate = Math.max(n / early / 4, 50);
  } else {
    learningRate = numOption(opts.learningRate, 200, `${name}: learningRate`, Number.MIN_VALUE);
  }
  const iterations = intOption(opts.iterations, 1000, `${name}: iterations`, 0, 1e9);
  const exploration = Math.min(iterations, intOption(opts.explorationIterations, 250, `${name}: explorationIterations`, 0));
  const theta = numOption(opts.theta, 0.5, `${name}: theta`, 0, 1);
  const method0 = readChoice(opts.method, ['auto', 'exact', 'barnes-hut'] as const, 'auto', `${name}: method`);
  const minGradNorm = numOption(opts.minGradNorm, 1e-7, `${name}: minGradNorm`, 0);
  const patience = intOption(opts.maxIterationsWithoutProgress, 300, `${name}: maxIterationsWithoutProgress`, 1);
  const method: 'exact' | 'barnes-hut' = method0 === 'auto' ? (n < 1000 || dims > 3 ? 'exact' : 'barnes-hut') : method0;
  if (method === 'barnes-hut' && dims > 3) {
    throw new RangeError(`${name}: Barnes–Hut supports dims 1, 2 or 3, got ${dims} (use method 'exact')`);
  }
  if (method === 'exact' && n > EXACT_MAX_N) {
    throw new RangeError(`${name}: the exact method stores an n×n matrix; n = ${n} exceeds ${EXACT_MAX_N} (use dims <= 3 and method 'barnes-hut')`);
  }
  let init: Float64Array | undefined;
  let initKind: 'pca' | 'random' = 'pca';
  if (opts.init instanceof Float64Array) {
    if (opts.init.length !== n * dims) {
      throw new RangeError(`${name}: init must hold n×dims = ${n}×${dims} values, got length ${opts.init.length}`);
    }
    const bad = opts.init.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw new RangeError(`${name}: init has a non-finite value at flat index ${bad}`);
    init = opts.init;
  } else {
    initKind = readChoice(opts.init, ['pca', 'random'] as const, 'pca', `${name}: init`);
    // d < dims principal axes do not exist: the default starts at random then, an explicit 'pca' is refused (as scikit-learn's)
    if (opts.init === 'pca' && d < dims) throw new RangeError(`${name}: init 'pca' needs at least dims = ${dims} features, the points have ${d} (use init 'random', or fewer dims)`);
  }
  // identical points have a flat P and an embedding of zeros: nothing was embedded
  if (firstRowUnlikeFirst(x, n, d) < 0) throw new RangeError(`${name}: X: every point equals point 0 (${n} points), so there is nothing to embed`);
  const run = resolveLongRun(opts, name);

  // exact power-of-two rescaling of the copy (the embedding does not depend on the data's scale):
  // squared distances neither underflow below ~1e-154 nor overflow above ~1e154, and β's search
  // from 1 brackets at the same powers of two at every scale, so 2^k·X gives the bits of X
  scaleByPowerOfTwo(x);
  // input affinities
  run.progress('affinities', 0, n);
  let Pdense: Float64Array | undefined;
  let Psparse: Csr | undefined;
  if (method === 'exact') Pdense = exactAffinities(x, n, d, perplexity);
  else Psparse = sparseAffinities(x, n, d, perplexity);
  run.progress('affinities', n, n);
  run.check();

  // initial embedding
  const Y = new Float64Array(n * dims);
  if (init) Y.set(init);
  else if (initKind === 'pca' && d >= dims) pcaInit(x, n, d, dims, Y);
  else for (let e = 0; e < n * dims; e++) Y[e] = 1e-4 * gaussian(run.rng, 'tsne');

  const alpha = Math.max(dims - 1, 1);
  const grad = new Float64Array(n * dims);
  const neg = new Float64Array(n * dims);
  const update = new Float64Array(n * dims);
  const gains = new Float64Array(n * dims).fill(1);
  const tree = method === 'barnes-hut' ? createSpTree(n, dims) : undefined;
  let bestError = Infinity;
  let bestIter = 0;
  let it = 0;
  for (; it < iterations; it++) {
    const exploring = it < exploration;
    if (it === exploration) {
      // a new descent phase, as scikit-learn's second _gradient_descent call
      bestError = Infinity;
      bestIter = it;
    }
    const ex = exploring ? early : 1;
    const momentum = exploring ? 0.5 : 0.8;
    const checkNow = (it + 1) % 50 === 0 || it === iterations - 1;
    let error = NaN;
    if (method === 'exact') {
      error = exactKlGradient(Pdense!, Y, n, dims, alpha, ex, grad, neg, checkNow);
    } else {
      const Z = bhGradient(Psparse!, Y, dims, alpha, ex, theta, tree!, grad, neg);
      if (checkNow) error = sparseKl(Psparse!, Y, dims, alpha, Z, ex);
    }
    let gradNorm2 = 0;
    for (let e = 0; e < n * dims; e++) {
      const g = grad[e];
      const up = update[e];
      let gain = gains[e];
      gain = up * g < 0 ? gain + 0.2 : gain * 0.8;
      if (gain < 0.01) gain = 0.01;
      gains[e] = gain;
      const gg = g * gain;
      gradNorm2 += gg * gg;
      const nu = momentum * up - learningRate * gg;
      update[e] = nu;
      Y[e] += nu;
    }
    run.check();
    if (checkNow) {
      run.progress('optimize', it + 1, iterations, error);
      const limit = exploring ? exploration : patience;
      if (error < bestError) {
        bestError = error;
        bestIter = it;
      } else if (it - bestIter > limit) {
        it++;
        break;
      }
      if (Math.sqrt(gradNorm2) <= minGradNorm) {
        it++;
        break;
      }
    }
  }
  // final KL against the un-exaggerated P with the exact normalizer
  let kl: number;
  if (method === 'exact') {
    kl = exactKlGradient(Pdense!, Y, n, dims, alpha, 1, grad, neg);
  } else {
    const Z = exactNormalizer(Y, n, dims, alpha);
    kl = sparseKl(Psparse!, Y, dims, alpha, Z, 1);
  }
  return { embedding: Y, shape: [n, dims] as const, kl, iterations: it, method, learningRate };
}

/** Dense symmetric P over all pairs (the exact method), P_ij = max((P_{j|i} + P_{i|j}) / 2n, ε). */
export function exactAffinities(x: Float64Array, n: number, d: number, perplexity: number): Float64Array {
  const m = n - 1;
  const d2 = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    const io = i * d;
    for (let j = i + 1; j < n; j++) {
      const jo = j * d;
      const s = rowDist2(x, io, jo, d);
      d2[i * m + (j - 1)] = s; // row i skips column i
      d2[j * m + i] = s;
    }
  }
  const cond = new Float64Array(n * m);
  calibrateRows(d2, n, m, perplexity, cond, new Float64Array(n));
  const P = new Float64Array(n * n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < m; c++) {
      const j = c < i ? c : c + 1;
      P[i * n + j] += cond[i * m + c];
      P[j * n + i] += cond[i * m + c];
    }
  }
  for (let e = 0; e < n * n; e++) sum += P[e];
  const inv = 1 / Math.max(sum, P_FLOOR);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) P[i * n + j] = i === j ? 0 : Math.max(P[i * n + j] * inv, P_FLOOR);
  }
  return P;
}

/** Sparse symmetric P from the ⌊3·perplexity + 1⌋ nearest neighbours (the Barnes–Hut method). */
export function sparseAffinities(x: Float64Array, n: number, d: number, perplexity: number): Csr {
  const k = Math.min(n - 1, Math.floor(3 * perplexity + 1));
  const idx = new Int32Array(n * k);
  const dist = new Float64Array(n * k);
  knnRaw(x, n, d, k, idx, dist);
  for (let e = 0; e < n * k; e++) dist[e] = dist[e] * dist[e];
  const cond = new Float64Array(n * k);
  calibrateRows(dist, n, k, perplexity, cond, new Float64Array(n));
  const rows = new Int32Array(n * k);
  for (let i = 0; i < n; i++) rows.fill(i, i * k, (i + 1) * k);
  const C = csrFromCoo(n, n, rows, idx, cond);
  const S = csrSymmetrize(C);
  let sum = 0;
  for (let e = 0; e < S.values.length; e++) sum += S.values[e];
  const inv = 1 / Math.max(sum, P_FLOOR);
  for (let e = 0; e < S.values.length; e++) S.values[e] *= inv;
  return S;
}
