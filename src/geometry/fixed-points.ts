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
import { choleskyInPlace, choleskySolve } from './cholesky.js';
import { gramColumns } from './covariance.js';
import { squaredDistanceRaw } from './distance.js';
import { toPointMatrix, type PointsInput } from './points.js';
import { toDynamicalSystem, type ConstantInput } from '../rnn/to-system.js';
import { classifyMap, type Stability } from './stability.js';
import { fixedPointSummary } from './fixed-point-summary.js';
import { checkExclusive, checkOptionKeys } from '../core/options.js';
import { FIXED_POINT_KEYS } from './option-keys.js';
import { checkCallback, checkMemory, checkSeedRng, checkSignal, createProgress, MAX_STEPS, ownOptions, type GeometryProgress } from './options.js';
import { withLstmHint } from './lstm-starts-hint.js';

export type { ConstantInput } from '../rnn/to-system.js';

/** A fixed point (or a kept slow point) and its linear stability. */
export interface FixedPoint {
  /** The point. */
  readonly x: Float64Array;
  /** q(x) = ½‖F(x) − x‖². */
  readonly q: number;
  /** Eigenvalues of the Jacobian of F at x, sorted by modulus, largest first. */
  readonly eigenvalues: { readonly re: Float64Array; readonly im: Float64Array };
  /** 'stable' when every |λ| < 1, 'unstable' when every |λ| > 1, otherwise 'saddle'. */
  readonly stability: Stability;
  /** Number of eigenvalues with |λ| > 1. */
  readonly unstableModes: number;
  /** True when q < tolerance; false for slow points kept by `keepSlowPoints`. */
  readonly converged: boolean;
  /** How many starts ended within the deduplication distance of this point. */
  readonly count: number;
}

/** Per-start diagnostics of {@link findFixedPoints}. */
export interface FixedPointStarts {
  /** Final states, row-major m×dim. */
  readonly x: Float64Array;
  /** Final q of each start. */
  readonly q: Float64Array;
  /** Iterations run by each start (until q < tolerance, stagnation or maxIterations). */
  readonly iterations: Int32Array;
  /** 1 where q < tolerance. */
  readonly converged: Uint8Array;
}

/** Result of {@link findFixedPoints}. */
export interface FixedPointResult {
  /** Distinct fixed points (and kept slow points), sorted by q ascending. */
  readonly points: FixedPoint[];
  /** Share of starts that reached q < tolerance. */
  readonly convergedFraction: number;
  /** Converged (or kept slow) starts dropped as outliers, beyond `outlierDistanceScale` start radii: the fixed points lie outside what the starts cover (raise the scale to see them). */
  readonly outliers: number;
  /** Mean number of iterations per start. */
  readonly iterations: number;
  /** Mean number of iterations of the converged starts (NaN when none converged). */
  readonly iterationsToConverge: number;
  readonly method: 'lm' | 'adam';
  readonly starts: FixedPointStarts;
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
  /** A start has converged when q < tolerance (default 1e-12). */
  tolerance?: number;
  /** Iteration cap per start (default 200 for LM, 10 000 for Adam). */
  maxIterations?: number;
  /** Adam: initial learning rate (default 0.1, adapted: ×0.95 when q increases, ÷0.95 after 5 decreases). */
  learningRate?: number;
  /** Adam: ε of the update m̂/(√v̂ + ε) (default 1e-2). */
  adamEpsilon?: number;
  /** Points closer than this (Euclidean) are merged, keeping the lowest q (default 1e-3). */
  dedupDistance?: number;
  /**
   * Outlier removal: points farther from the centroid of the starts than this multiple of the starts'
   * mean distance to it are dropped (default 10; Infinity keeps all).
   */
  outlierDistanceScale?: number;
  /** Also keep non-converged minima with q below this threshold (slow points); default none. */
  keepSlowPoints?: number;
  /** Progress about every 50 ms between starts and points: `{ phase: 'starts' | 'dedup' | 'classify', done, total }`. */
  onProgress?: (p: GeometryProgress) => void;
  /** Checked between starts (a synchronous call only sees an abort requested from its callbacks). */
  signal?: AbortSignalLike;
}

/** Scratch buffers of the raw fixed-point solvers (see {@link createFixedPointWorkspace}). */
export interface FixedPointWorkspace {
  dim: number;
  fx: Float64Array;
  r: Float64Array;
  xNew: Float64Array;
  rNew: Float64Array;
  J: Float64Array;
  N: Float64Array;
  M: Float64Array;
  g: Float64Array;
  delta: Float64Array;
  D: Float64Array;
  m: Float64Array;
  v: Float64Array;
  scratch: Float64Array;
}

/** Allocates the scratch buffers for {@link fixedPointLmRaw} / {@link fixedPointAdamRaw} in dimension `dim`. */
export function createFixedPointWorkspace(dim: number): FixedPointWorkspace {
  const f = () => new Float64Array(dim);
  return {
    dim, fx: f(), r: f(), xNew: f(), rNew: f(), g: f(), delta: f(), D: f(), m: f(), v: f(),
    J: new Float64Array(dim * dim), N: new Float64Array(dim * dim), M: new Float64Array(dim * dim),
    scratch: new Float64Array(((dim + 3) & ~3) * 256),
  };
}

/** r = F(x) − x; returns q = ½‖r‖² (NaN when F(x) is not finite). */
function residual(sys: DynamicalSystem, x: Float64Array, t: number, w: FixedPointWorkspace, r: Float64Array): number {
  filled(sys.step(x, t, w.fx), w.fx, 'step', 'findFixedPoints');
  let q = 0;
  for (let i = 0; i < w.dim; i++) {
    const ri = w.fx[i] - x[i];
    r[i] = ri;
    q += ri * ri;
  }
  return Number.isFinite(q) ? 0.5 * q : NaN;
}

/**
 * Levenberg–Marquardt on r(x) = F(x) − x from `x` (modified in place). Returns the iterations used
 * (Jacobian evaluations) and the final q. Unchecked.
 */
export function fixedPointLmRaw(
  sys: DynamicalSystem, x: Float64Array, t: number, tol: number, maxIter: number, w: FixedPointWorkspace = createFixedPointWorkspace(sys.dim),
  tick?: () => void,
): { q: number; iterations: number } {
  const n = w.dim;
  const { r, xNew, rNew, J, N, M, g, delta, D } = w;
  let q = residual(sys, x, t, w, r);
  if (!(q >= 0)) return { q: NaN, iterations: 0 };
  D.fill(0);
  let mu = -1;
  let nu = 2;
  let it = 0;
  while (q >= tol && it < maxIter) {
    it++;
    tick?.();
    filled(sys.jacobian(x, t, J), J, 'jacobian', 'findFixedPoints');
    for (let i = 0; i < n; i++) J[i * n + i] -= 1; // A = J − I
    gramColumns(J, n, n, N, w.scratch); // AᵀA
    transposeTimes(J, n, r, g); // Aᵀr
    let maxDiag = 0;
    for (let i = 0; i < n; i++) {
      const nii = N[i * n + i];
      if (nii > D[i]) D[i] = nii; // Moré scaling: running max of column norms²
      if (D[i] > maxDiag) maxDiag = D[i];
    }
    if (!Number.isFinite(maxDiag)) return { q: NaN, iterations: it };
    const floor = maxDiag > 0 ? 1e-12 * maxDiag : 1;
    for (let i = 0; i < n; i++) if (D[i] < floor) D[i] = floor;
    if (mu < 0) mu = 1e-3;
    let accepted = false;
    for (let tries = 0; tries < 40; tries++) {
      M.set(N);
      for (let i = 0; i < n; i++) M[i * n + i] += mu * D[i];
      if (!choleskyInPlace(M, n)) {
        mu *= nu;
        nu *= 2;
        continue;
      }
      for (let i = 0; i < n; i++) delta[i] = -g[i];
      choleskySolve(M, n, delta, delta);
      let stepNorm = 0;
      let xNorm = 0;
      for (let i = 0; i < n; i++) {
        xNew[i] = x[i] + delta[i];
        stepNorm += delta[i] * delta[i];
        xNorm += x[i] * x[i];
      }
      if (stepNorm <= 1e-32 * (xNorm + 1e-300)) return { q, iterations: it }; // stagnated
      const qNew = residual(sys, xNew, t, w, rNew);
      // predicted reduction of the Gauss–Newton model: ½ δᵀ(μDδ − g)
      let pred = 0;
      for (let i = 0; i < n; i++) pred += delta[i] * (mu * D[i] * delta[i] - g[i]);
      pred *= 0.5;
      const rho = pred > 0 ? (q - qNew) / pred : -1;
      if (qNew === qNew && qNew < q && rho > 0) {
        x.set(xNew);
        r.set(rNew);
        q = qNew;
        const c = 2 * rho - 1;
        mu *= Math.max(1 / 3, 1 - c * c * c);
        if (mu < 1e-15) mu = 1e-15;
        nu = 2;
        accepted = true;
        break;
      }
      mu *= nu;
      nu *= 2;
      if (!Number.isFinite(mu)) break;
    }
    if (!accepted) return { q, iterations: it }; // no descent possible: a local minimum of q
  }
  return { q, iterations: it };
}

/**
 * Adam on q(x) with gradient (J − I)ᵀ(F(x) − x) and an adaptive learning rate (×0.95 whenever q
 * increases, ÷0.95 after 5 decreases in a row), from `x` (modified in place). `adamEps` is Adam's ε,
 * large (1e-2, as in Golub & Sussillo's finder) so that near a minimum the update turns into
 * gradient descent with momentum instead of a sign step. Unchecked.
 */
export function fixedPointAdamRaw(
  sys: DynamicalSystem, x: Float64Array, t: number, tol: number, maxIter: number, lr0: number,
  w: FixedPointWorkspace = createFixedPointWorkspace(sys.dim), adamEps = 1e-2, tick?: () => void,
): { q: number; iterations: number } {
  const n = w.dim;
  const { r, J, g, m, v, xNew } = w;
  const b1 = 0.9;
  const b2 = 0.999;
  m.fill(0);
  v.fill(0);
  let lr = lr0;
  let q = residual(sys, x, t, w, r);
  if (!(q >= 0)) return { q: NaN, iterations: 0 };
  let bestQ = q;
  xNew.set(x);
  let it = 0;
  let p1 = 1;
  let p2 = 1;
  let run = 0;
  while (q >= tol && it < maxIter) {
    it++;
    tick?.();
    filled(sys.jacobian(x, t, J), J, 'jacobian', 'findFixedPoints');
    transposeTimes(J, n, r, g);
    for (let i = 0; i < n; i++) g[i] -= r[i]; // (J − I)ᵀr
    p1 *= b1;
    p2 *= b2;
    const c1 = 1 / (1 - p1);
    const c2 = 1 / (1 - p2);
    for (let i = 0; i < n; i++) {
      const gi = g[i];
      const mi = b1 * m[i] + (1 - b1) * gi;
      const vi = b2 * v[i] + (1 - b2) * gi * gi;
      m[i] = mi;
      v[i] = vi;
      x[i] -= (lr * mi * c1) / (Math.sqrt(vi * c2) + adamEps);
    }
    const qNew = residual(sys, x, t, w, r);
    if (!(qNew >= 0)) {
      // left the domain of F: back to the best point, smaller rate
      x.set(xNew);
      q = residual(sys, x, t, w, r);
      lr *= 0.5;
      run = 0;
      continue;
    }
    // adaptive rate (as in Golub & Sussillo's fixed-point finder): shrink on an increase of q,
    // grow slowly after a run of decreases
    if (qNew > q) {
      lr *= ADAM_DECREASE;
      run = 0;
    } else if (++run >= 5) {
      lr /= ADAM_INCREASE_DIV;
      run = 0;
    }
    q = qNew;
    if (q < bestQ) {
      bestQ = q;
      xNew.set(x);
    }
    if (lr < 1e-300) break;
  }
  if (q > bestQ) {
    x.set(xNew);
    q = residual(sys, x, t, w, r);
  }
  return { q, iterations: it };
}

const ADAM_DECREASE = 0.95;
const ADAM_INCREASE_DIV = 0.95;

/** g = Jᵀr for row-major n×n J, row by row (contiguous). */
function transposeTimes(J: Float64Array, n: number, r: Float64Array, g: Float64Array): void {
  g.fill(0);
  for (let p = 0; p < n; p++) {
    const rp = r[p];
    if (rp === 0) continue;
    const o = p * n;
    for (let i = 0; i < n; i++) g[i] += J[o + i] * rp;
  }
}

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
 * with an adaptive learning rate. Starts with q < `tolerance` count as converged; outliers (far from
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
  const method = opts.method ?? 'lm';
  if (method !== 'lm' && method !== 'adam') {
    throw new RangeError(`findFixedPoints: method must be 'lm' or 'adam', got ${String(method)}`);
  }
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

  const X = withLstmHint(() => buildStarts(opts, dim), systemOrRnn, dim);
  const m = X.length / dim;
  // centroid and mean radius of the starts, for outlier removal
  const centroid = new Float64Array(dim);
  for (let s = 0; s < m; s++) for (let p = 0; p < dim; p++) centroid[p] += X[s * dim + p];
  for (let p = 0; p < dim; p++) centroid[p] /= m;
  let meanRadius = 0;
  for (let s = 0; s < m; s++) meanRadius += Math.sqrt(squaredDistanceRaw(X, s * dim, centroid, 0, dim));
  meanRadius /= m;

  const q = new Float64Array(m);
  const iterations = new Int32Array(m);
  const converged = new Uint8Array(m);
  const w = createFixedPointWorkspace(dim);
  const x = new Float64Array(dim);
  let s = 0;
  const tick = () => progress.tick('starts', s, m); // every iteration: one start may take long
  for (; s < m; s++) {
    progress.tick('starts', s, m);
    x.set(X.subarray(s * dim, (s + 1) * dim));
    const res = method === 'lm'
      ? fixedPointLmRaw(sys, x, t, tol, maxIter, w, tick)
      : fixedPointAdamRaw(sys, x, t, tol, maxIter, lr, w, adamEps, tick);
    X.set(x, s * dim);
    q[s] = res.q;
    iterations[s] = res.iterations;
    if (res.q < tol) converged[s] = 1;
  }
  progress.final('starts', m, m);

  // candidates: converged (and slow points below the threshold), not outliers, sorted by q
  const cand: number[] = [];
  const limit = outlierScale * meanRadius;
  let outliers = 0;
  for (let s = 0; s < m; s++) {
    const ok = converged[s] === 1 || (slow !== undefined && q[s] < slow);
    if (!ok || !(q[s] >= 0)) continue;
    const far = meanRadius > 0 && Number.isFinite(limit) && Math.sqrt(squaredDistanceRaw(X, s * dim, centroid, 0, dim)) > limit;
    if (far) outliers++;
    else cand.push(s);
  }
  cand.sort((a, b) => q[a] - q[b] || a - b);
  progress.final('dedup', 0, cand.length);
  const kept: number[] = [];
  const counts: number[] = [];
  const d2 = dedup * dedup;
  for (const s of cand) {
    let merged = -1;
    for (let k = 0; k < kept.length; k++) {
      if (squaredDistanceRaw(X, s * dim, X, kept[k] * dim, dim) <= d2) {
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
  return fixedPointSummary(points, method, { x: X, q, iterations, converged }, outliers);
}
