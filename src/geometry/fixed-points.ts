/**
 * Fixed points and slow points of a discrete-time map (Sussillo & Barak 2013): minimize
 * q(x) = ½‖F(x) − x‖² from many starts, keep the minima with q below a tolerance, remove outliers and
 * duplicates, and classify each by the eigenvalues of the Jacobian of F there.
 */
import { assertInteger, assertNumber, type AbortSignalLike } from '../core/errors.js';
import { gaussian, resolveRng } from '../core/rng.js';
import { filled } from '../core/filled.js';
import type { DynamicalSystem } from '../core/system.js';
import type { AnyRnn as Rnn } from '../rnn/types.js';
import { binaryExponent, toPointMatrix, type PointsInput } from './points.js';
import { toDynamicalSystem, type ConstantInput } from '../rnn/to-system.js';
import { classifyMap, type Stability } from './stability.js';
import { candidateStarts, fixedPointSummary, startsSpread, startsUnit } from './fixed-point-summary.js';
import { unitSquaredDistance } from './fixed-point-units.js';
import { checkExclusive, checkOptionKeys, readChoice } from '../core/options.js';
import { FIXED_POINT_KEYS } from './option-keys.js';
import { checkCallback, checkMemory, checkSeedRng, checkSignal, createProgress, MAX_STEPS, ownOptions, type GeometryProgress } from './options.js';
import { withLstmHint } from './lstm-starts-hint.js';
import { createFixedPointWorkspace, fixedPointAdamRaw, fixedPointLmRaw } from './fixed-point-solvers.js';

export type { ConstantInput } from '../rnn/to-system.js';
export { createFixedPointWorkspace, fixedPointAdamRaw, fixedPointLmRaw, type FixedPointRawResult, type FixedPointWorkspace } from './fixed-point-solvers.js';

/** A fixed point (or a kept slow point) and its linear stability. */
export interface FixedPoint {
  /** The point. */
  readonly x: Float64Array;
  /** q(x) = ½‖F(x) − x‖² (0 when it underflows, as at fixed points below ~1e-162: `converged` compares q/scale², which does not). */
  readonly q: number;
  /** Eigenvalues of the Jacobian of F at x, sorted by modulus, largest first. */
  readonly eigenvalues: { readonly re: Float64Array; readonly im: Float64Array };
  /** 'stable' when every |λ| < 1, 'unstable' when every |λ| > 1, otherwise 'saddle'. */
  readonly stability: Stability;
  /** Number of eigenvalues with |λ| > 1. */
  readonly unstableModes: number;
  /** True when q/scale² < tolerance; false for slow points kept by `keepSlowPoints`. */
  readonly converged: boolean;
  /** How many starts ended within the deduplication distance of this point. */
  readonly count: number;
}

/** Per-start diagnostics of {@link findFixedPoints}. */
export interface FixedPointStarts {
  /** Final states, row-major m×dim. */
  readonly x: Float64Array;
  /**
   * Final q of each start: +Infinity when ½‖F(x) − x‖² still exceeds the double range (‖F(x) − x‖ ≳ 1.9e154:
   * LM walks in from such starts, Adam's steps of about `learningRate` do not), NaN only when F or its
   * Jacobian was not finite (each such start is listed in the result's `failures`, with the reason);
   * 0 or subnormal when it underflows (states below ~1e-162), where `converged` still compares q/scale².
   */
  readonly q: Float64Array;
  /** Iterations run by each start (until q/scale² < tolerance, stagnation or maxIterations). */
  readonly iterations: Int32Array;
  /** 1 where q/scale² < tolerance. */
  readonly converged: Uint8Array;
}

/** A start that ended on a non-finite map or Jacobian (its q is NaN), in {@link FixedPointResult}'s `failures`. */
export interface FixedPointFailure {
  /** Index of the start (row of `starts.x`). */
  readonly start: number;
  /** The iteration at which it failed: 0 at the start itself (F(x) not finite), k ≥ 1 at the k-th Jacobian. */
  readonly iteration: number;
  /** What was not finite, and the first entry that was: "F(x) is not finite (Infinity at [3])", "the Jacobian of F is not finite (NaN at [0,1])". */
  readonly reason: string;
}

/** Result of {@link findFixedPoints}. */
export interface FixedPointResult {
  /** Distinct fixed points (and kept slow points), sorted by q ascending (by q/scale², which keeps that order also where q underflows). */
  readonly points: FixedPoint[];
  /** Share of starts that reached q/scale² < tolerance. */
  readonly convergedFraction: number;
  /** Converged (or kept slow) starts dropped as outliers, beyond `outlierDistanceScale` start radii: the fixed points lie outside what the starts cover (raise the scale to see them). */
  readonly outliers: number;
  /** Mean number of iterations per start. */
  readonly iterations: number;
  /** Mean number of iterations of the converged starts (NaN when none converged). */
  readonly iterationsToConverge: number;
  readonly method: 'lm' | 'adam';
  /** The unit the tolerances were measured in (the `scale` option, or its default from the starts): a power of two, 1 at ordinary scales. */
  readonly scale: number;
  readonly starts: FixedPointStarts;
  /**
   * The starts whose q is NaN because F(x) or its Jacobian was not finite there, in start order (empty
   * when none): never converged, never kept as slow points, never averaged into a q.
   */
  readonly failures: readonly FixedPointFailure[];
}

/** Options of {@link findFixedPoints}. */
export interface FixedPointOptions {
  /** Starting points [m,dim] (Tensor, flat Float64Array or number[][]). */
  inits?: PointsInput;
  /** Alternatively: states [n,dim] or [B,T,H] to sample `nStarts` starting points from. */
  states?: PointsInput;
  /** Number of starts sampled from `states` (default min(1024, n)); without replacement when ≤ n. */
  nStarts?: number;
  /** Standard deviation of Gaussian noise added to the sampled starts (default 0). */
  noise?: number;
  seed?: number | string;
  rng?: () => number;
  /** Constant input of an Rnn (length I; zeros when omitted). Not allowed with a DynamicalSystem. */
  input?: ConstantInput;
  /** Time argument passed to `step`/`jacobian` (default 0). */
  t?: number;
  /** 'lm' (Levenberg–Marquardt, default) or 'adam'. */
  method?: 'lm' | 'adam';
  /**
   * The unit of the states that `tolerance`, `keepSlowPoints` (in units of scale²), `dedupDistance`,
   * `learningRate` and `adamEpsilon` are measured in, taken to the power of two at or below it (in
   * [2^-1022, 2^1023]). Default: 1 while the median start's RMS coordinate S lies in [2^-8, 2^8), so that
   * ordinary states keep the absolute tolerances; outside, the power of two that follows S (S·2^8
   * below, S/2^7 above, to a factor < 2), so that states of 1e-6 or 1e12 are judged as states of
   * 2^-8 or 2^7 are; the median, so that a few far starts do not set the unit of the others. Pass 1
   * for absolute tolerances at any scale. The result reports it.
   */
  scale?: number;
  /** A start has converged when q/scale² < tolerance (default 1e-12). */
  tolerance?: number;
  /** Iteration cap per start (default 200 for LM, 10 000 for Adam). */
  maxIterations?: number;
  /** Adam: initial learning rate, in units of scale (default 0.1, adapted: ×0.95 when q increases, ÷0.95 after 5 decreases). */
  learningRate?: number;
  /** Adam: ε of the update m̂/(√v̂ + ε), in units of scale (default 1e-2). */
  adamEpsilon?: number;
  /** Points closer than this (Euclidean, in units of scale) are merged, keeping the lowest q (default 1e-3). */
  dedupDistance?: number;
  /**
   * Outlier removal: points farther from the centroid of the starts than this multiple of the starts'
   * mean distance to it are dropped (default 10; Infinity keeps all).
   */
  outlierDistanceScale?: number;
  /** Also keep non-converged minima with q/scale² below this threshold (slow points); default none. */
  keepSlowPoints?: number;
  /** Progress about every 50 ms between starts and points: `{ phase: 'starts' | 'dedup' | 'classify', done, total }`. */
  onProgress?: (p: GeometryProgress) => void;
  /** Checked between starts (a synchronous call only sees an abort requested from its callbacks). */
  signal?: AbortSignalLike;
}

const METHODS = ['lm', 'adam'] as const;

function buildStarts(opts: Partial<FixedPointOptions>, dim: number): Float64Array {
  // checked whether or not they are used: a wrong value is an error, never silently ignored
  if (opts.nStarts !== undefined) assertInteger(opts.nStarts, 'findFixedPoints: nStarts', 1, 1e7);
  const noise = opts.noise ?? 0;
  assertNumber(noise, 'findFixedPoints: noise', 0);
  checkSeedRng(opts, 'findFixedPoints');
  if (opts.inits !== undefined) {
    checkExclusive(opts, 'inits', 'states', 'findFixedPoints', { hint: 'inits are the starting points themselves, states the recorded states they are drawn from' });
    // both act only on starts drawn from 'states': with 'inits' they would be silently ignored
    checkExclusive(opts, 'inits', 'nStarts', 'findFixedPoints', { hint: 'nStarts is the number of starts drawn from states; inits are used as given' });
    if (noise > 0) {
      throw new RangeError(`findFixedPoints: noise (${noise}) is added to starts drawn from 'states', not to 'inits'; pass the states to sample from, or add the noise to the inits yourself`);
    }
    const P = toPointMatrix(opts.inits, 'findFixedPoints: inits', { dim, allowRank3: true });
    if (P.n === 0) throw new RangeError('findFixedPoints: inits holds no starting points');
    return P.data;
  }
  if (opts.states === undefined) {
    throw new TypeError("findFixedPoints: expected starting points 'inits' [m,dim] or 'states' [n,dim] to sample from");
  }
  const S = toPointMatrix(opts.states, 'findFixedPoints: states', { dim, allowRank3: true });
  if (S.n === 0) throw new RangeError('findFixedPoints: states holds no points');
  const m = opts.nStarts ?? Math.min(1024, S.n);
  checkMemory(8 * m * dim, `findFixedPoints: ${m} starts of dim ${dim}`);
  const rng = resolveRng({ seed: opts.seed, rng: opts.rng }, 0, 'findFixedPoints');
  const out = new Float64Array(m * dim);
  let pick: Int32Array;
  if (m <= S.n) {
    // partial Fisher–Yates: m distinct rows
    const perm = new Int32Array(S.n);
    for (let i = 0; i < S.n; i++) perm[i] = i;
    for (let i = 0; i < m; i++) {
      const j = i + Math.floor(rng() * (S.n - i));
      const tmp = perm[i];
      perm[i] = perm[j];
      perm[j] = tmp;
    }
    pick = perm.subarray(0, m);
  } else {
    pick = new Int32Array(m);
    for (let i = 0; i < m; i++) pick[i] = Math.floor(rng() * S.n);
  }
  for (let s = 0; s < m; s++) {
    const o = pick[s] * dim;
    for (let p = 0; p < dim; p++) {
      out[s * dim + p] = S.data[o + p] + (noise > 0 ? noise * gaussian(rng) : 0);
    }
  }
  return out;
}

/**
 * Finds fixed points x = F(x) of a map (or of an Rnn under a constant input) by minimizing
 * q(x) = ½‖F(x) − x‖² from many starts (Sussillo & Barak 2013).
 *
 * Methods: `'lm'` (default) is Levenberg–Marquardt on the residual F(x) − x, whose Jacobian is J − I:
 * each iteration solves (AᵀA + μD)δ = −Aᵀr in float64 by Cholesky (Moré's diagonal scaling D,
 * Nielsen's damping update); it converges quadratically near a regular fixed point, and reaches
 * q < 1e-12 in a few iterations. `'adam'` is the gradient method of Sussillo & Barak / Golub & Sussillo
 * with an adaptive learning rate. Starts with q/scale² < `tolerance` count as converged, where
 * `scale` is 1 for ordinary states and follows the starts' scale outside [2^-8, 2^8) (see
 * {@link FixedPointOptions.scale}), so that a map and its starts scaled by 2^k give the same fixed
 * points scaled by 2^k; outliers (far from
 * the starts) and duplicates (within `dedupDistance`) are removed; each point is classified by the
 * eigenvalues λ of the Jacobian of F: 'stable' (all |λ| < 1), 'unstable' (all |λ| > 1) or 'saddle'.
 *
 * @example
 * ```ts
 * // trajectory states [B,T,H] of a trained network, 1024 noisy starts, zero input
 * const { points, convergedFraction } = findFixedPoints(rnn, { states, nStarts: 1024, noise: 0.01, seed: 1 });
 * for (const p of points) console.log(p.stability, p.unstableModes, p.q);
 * // any DynamicalSystem, explicit starts
 * findFixedPoints(system, { inits: [[0.1, 0.2], [-0.5, 0.3]], method: 'adam' });
 * ```
 */
export function findFixedPoints(systemOrRnn: DynamicalSystem | Rnn, options: FixedPointOptions): FixedPointResult {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`findFixedPoints: opts must be an object of options with 'inits' or 'states', got ${options === null ? 'null' : typeof options}`);
  }
  const opts = ownOptions<FixedPointOptions>(options, 'findFixedPoints');
  checkOptionKeys(opts, FIXED_POINT_KEYS, 'findFixedPoints');
  const signal = checkSignal(opts.signal, 'findFixedPoints');
  const progress = createProgress('findFixedPoints', checkCallback<(p: GeometryProgress) => void>(opts.onProgress, 'findFixedPoints: onProgress'), signal);
  const sys = toDynamicalSystem(systemOrRnn, { input: opts.input }, 'findFixedPoints');
  const dim = sys.dim;
  checkMemory(8 * (3 * dim * dim + 256 * (dim + 4)), `findFixedPoints: a system of dim ${dim}`);
  const method = readChoice(opts.method, METHODS, 'lm', 'findFixedPoints: method');
  const tol = opts.tolerance ?? 1e-12;
  assertNumber(tol, 'findFixedPoints: tolerance', 0);
  const maxIter = opts.maxIterations ?? (method === 'lm' ? 200 : 10000);
  assertInteger(maxIter, 'findFixedPoints: maxIterations', 0, MAX_STEPS);
  const lr = opts.learningRate ?? 0.1;
  assertNumber(lr, 'findFixedPoints: learningRate', Number.MIN_VALUE);
  const adamEps = opts.adamEpsilon ?? 1e-2;
  assertNumber(adamEps, 'findFixedPoints: adamEpsilon', 0);
  const dedup = opts.dedupDistance ?? 1e-3;
  assertNumber(dedup, 'findFixedPoints: dedupDistance', 0);
  const outlierScale = opts.outlierDistanceScale ?? 10;
  if (typeof outlierScale !== 'number' || !(outlierScale > 0)) {
    throw new RangeError(`findFixedPoints: outlierDistanceScale must be a positive number or Infinity, got ${outlierScale}`);
  }
  const slow = opts.keepSlowPoints;
  if (slow !== undefined) assertNumber(slow, 'findFixedPoints: keepSlowPoints', 0);
  const t = opts.t ?? 0;
  assertNumber(t, 'findFixedPoints: t');
  if (opts.scale !== undefined) assertNumber(opts.scale, 'findFixedPoints: scale', 2 ** -1022, 2 ** 1023);

  const X = withLstmHint(() => buildStarts(opts, dim), systemOrRnn, dim);
  const m = X.length / dim;
  const unit = opts.scale !== undefined ? 2 ** binaryExponent(opts.scale) : startsUnit(X, m, dim);
  // centroid and mean radius of the starts, for outlier removal
  const spread = startsSpread(X, m, dim, unit);

  const q = new Float64Array(m);
  const qScaled = new Float64Array(m);
  const iterations = new Int32Array(m);
  const converged = new Uint8Array(m);
  const w = createFixedPointWorkspace(dim);
  const x = new Float64Array(dim);
  const failures: FixedPointFailure[] = [];
  let s = 0;
  const tick = () => progress.tick('starts', s, m); // every iteration: one start may take long
  for (; s < m; s++) {
    progress.tick('starts', s, m);
    x.set(X.subarray(s * dim, (s + 1) * dim));
    const res = method === 'lm'
      ? fixedPointLmRaw(sys, x, t, tol, maxIter, w, tick, unit)
      : fixedPointAdamRaw(sys, x, t, tol, maxIter, lr, w, adamEps, tick, unit);
    X.set(x, s * dim);
    q[s] = res.q;
    qScaled[s] = res.qScaled;
    iterations[s] = res.iterations;
    if (res.qScaled < tol) converged[s] = 1;
    if (res.failure !== undefined) failures.push({ start: s, iteration: res.iterations, reason: res.failure });
  }
  progress.final('starts', m, m);

  // candidates: converged (and slow points below the threshold), not outliers, sorted by q
  const { starts: cand, outliers } = candidateStarts(X, qScaled, converged, dim, spread, outlierScale, slow);
  cand.sort((a, b) => qScaled[a] - qScaled[b] || a - b);
  progress.final('dedup', 0, cand.length);
  const { kept, counts } = dedupStarts(X, cand, dim, dedup, 1 / unit);
  const points: FixedPoint[] = kept.map((s, k) => {
    const tickClassify = () => progress.tick('classify', k, kept.length);
    progress.restride(); // the last QR iterations of the previous point were cheap, its first Householder steps are not
    tickClassify();
    const xs = X.slice(s * dim, (s + 1) * dim);
    filled(sys.jacobian(xs, t, w.J), w.J, 'jacobian', 'findFixedPoints');
    const c = classifyMap(w.J, dim, 'findFixedPoints: Jacobian', tickClassify);
    return {
      x: xs, q: q[s], eigenvalues: c.eigenvalues, stability: c.stability, unstableModes: c.unstableModes,
      converged: converged[s] === 1, count: counts[k],
    };
  });
  return fixedPointSummary(points, method, unit, { x: X, q, iterations, converged }, outliers, failures);
}

/** The candidates (start indices, lowest q first) each within `dedup` (in units of 1/inv) of none kept before it, and how many each absorbed. */
function dedupStarts(X: Float64Array, cand: readonly number[], dim: number, dedup: number, inv: number): { kept: number[]; counts: number[] } {
  const kept: number[] = [];
  const counts: number[] = [];
  const d2 = dedup * dedup;
  for (const s of cand) {
    let merged = -1;
    for (let k = 0; k < kept.length; k++) {
      if (unitSquaredDistance(X, s * dim, X, kept[k] * dim, dim, inv) <= d2) {
        merged = k;
        break;
      }
    }
    if (merged >= 0) counts[merged]++;
    else {
      kept.push(s);
      counts.push(1);
    }
  }
  return { kept, counts };
}
