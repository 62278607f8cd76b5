/**
 * Out-of-sample PHATE: new points are placed as graphtools' `extend_to_data` + `interpolate` place
 * them (what `PHATE.transform(Y)` does for data other than the fitted points). Each new point y gets
 * α-decay affinities to the fitted points, exp(−(‖y − x_j‖/σ(y))^α) with σ(y) its distance to its
 * k-th nearest fitted point (entries below `thresh` dropped); the row is normalized to transition
 * probabilities; with landmarks these are summed per landmark and normalized again; the new point's
 * coordinates are that probability-weighted mean of the fitted (or landmark) coordinates.
 *
 * The fitted model is plain data (typed arrays and numbers), so the pool's worker can send it back
 * with the result and the main thread rebuilds the same `transform` from it through
 * {@link createPhateTransform}: the synchronous and the pooled result run this one implementation.
 */
import { maxAbs, powerOfTwoExponent, scaleToExponent, toPointMatrix, type PointsInput } from '../points.js';

/**
 * What the fitted model keeps for {@link transformPoints}: plain data only (it crosses threads by
 * structured clone). Its size is 8·n·d bytes for the fitted points (d ≤ nPca after PCA), plus
 * 8·operatorSize·components for the coordinates, 4·n for the landmark of each point, and with PCA
 * 8·(d + 1)·inputDim for the projection; no n×landmarks matrix is kept.
 */
export interface PhateModel {
  /** Fitted points in kernel space (after PCA when it was applied), row-major n×d. */
  readonly points: Float64Array;
  readonly n: number;
  readonly d: number;
  /** Input dimension of the points (before PCA). */
  readonly inputDim: number;
  /** When PCA was applied: its column means (length inputDim) and axes (row-major d×inputDim). */
  readonly pcaMean?: Float64Array;
  readonly pcaComponents?: Float64Array;
  readonly knn: number;
  readonly decay: number;
  readonly thresh: number;
  readonly components: number;
  /** Landmark of each fitted point (absent without landmarks). */
  readonly clusters?: Int32Array;
  /** Coordinates of the fitted points, or of the landmarks. */
  readonly operatorEmbedding: Float64Array;
  readonly operatorSize: number;
}

/** The model behind each `transform` made by {@link createPhateTransform}. */
const MODELS = new WeakMap<object, PhateModel>();

/**
 * The `transform(Y)` of a PHATE result, over `model` (which it keeps, and does not copy). Used by
 * `phate` itself and by the pool, which rebuilds it from the model its worker sent. @internal
 */
export function createPhateTransform(model: PhateModel): (Y: PointsInput) => Float64Array {
  const transform = (Y: PointsInput): Float64Array => transformPoints(model, Y, 'phate.transform');
  MODELS.set(transform, model);
  return transform;
}

/** The model of a `transform` made by {@link createPhateTransform}, or undefined. @internal */
export function phateModelOf(transform: unknown): PhateModel | undefined {
  return typeof transform === 'function' ? MODELS.get(transform) : undefined;
}

/**
 * Checks that `m` is a whole model (as a worker sends it): the kinds and lengths of its arrays agree
 * with its sizes. Throws a TypeError naming `name` and the first field that does not. @internal
 */
export function checkPhateModel(m: unknown, name: string): PhateModel {
  const bad = (what: string): never => {
    throw new TypeError(`${name}: the transform state is not a PHATE model (${what})`);
  };
  if (m === null || typeof m !== 'object') return bad(`got ${m === null ? 'null' : typeof m}`);
  const o = m as Record<string, unknown>;
  for (const k of ['n', 'd', 'inputDim', 'knn', 'components', 'operatorSize'] as const) {
    const v = o[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) bad(`${k} = ${String(v)}`);
  }
  for (const k of ['decay', 'thresh'] as const) if (typeof o[k] !== 'number') bad(`${k} is ${typeof o[k]}`);
  const { n, d, inputDim, components, operatorSize } = o as unknown as PhateModel;
  const f64 = (k: string, len: number) => {
    const v = o[k];
    if (!(v instanceof Float64Array) || v.length !== len) bad(`${k} must be a Float64Array of length ${len}`);
  };
  f64('points', n * d);
  f64('operatorEmbedding', operatorSize * components);
  if (o.pcaMean !== undefined || o.pcaComponents !== undefined) {
    f64('pcaMean', inputDim);
    f64('pcaComponents', d * inputDim);
  } else if (d !== inputDim) bad(`d = ${d} differs from inputDim = ${inputDim} without PCA`);
  if (o.clusters !== undefined && (!(o.clusters instanceof Int32Array) || o.clusters.length !== n)) bad(`clusters must be an Int32Array of length ${n}`);
  return m as PhateModel;
}

/**
 * Projects points (row-major m×inputDim) onto the model's principal axes, as `pca(...).transform`
 * computes it: (y − mean)·Vᵀ, summed over the input dimension in order (so the bits are the same).
 */
function project(model: PhateModel, Y: Float64Array, m: number): Float64Array {
  const mean = model.pcaMean as Float64Array, V = model.pcaComponents as Float64Array;
  const D = model.inputDim, k = model.d;
  const row = new Float64Array(D);
  const out = new Float64Array(m * k);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < D; p++) row[p] = Y[i * D + p] - mean[p];
    for (let j = 0; j < k; j++) {
      const cj = j * D;
      let s = 0;
      for (let p = 0; p < D; p++) s += row[p] * V[cj + p];
      out[i * k + j] = s;
    }
  }
  return out;
}

/** Embeds new points `Y` ([m, inputDim]) into a fitted PHATE embedding (row-major m×components). */
export function transformPoints(model: PhateModel, Y: PointsInput, name: string): Float64Array {
  const Q = toPointMatrix(Y, `${name}: Y`, { dim: model.inputDim, allowRank3: true });
  if (Q.d !== model.inputDim) throw new RangeError(`${name}: Y has dimension ${Q.d}, the fitted points ${model.inputDim}`);
  // a private copy either way (toPointMatrix copies, project returns a new array): scaled in place below
  const y = model.pcaMean ? project(model, Q.data, Q.n) : Q.data;
  const { n, d, knn, decay, thresh, components: c, operatorSize: G } = model;
  // only distance ratios enter: the fitted and the new points are scaled together by one power of
  // two (exact, the same bits), so their squared distances neither overflow nor underflow
  const e = powerOfTwoExponent(Math.max(fittedScale(model).max, maxAbs(y)));
  const x = scaledPoints(model, e);
  scaleToExponent(y, e);
  const out = new Float64Array(Q.n * c);
  const dist = new Float64Array(n);
  const sorted = new Float64Array(n);
  const w = new Float64Array(G);
  const radiusFactor = Math.pow(-Math.log(thresh), 1 / decay);
  for (let i = 0; i < Q.n; i++) {
    const yo = i * d;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < d; p++) { const t = y[yo + p] - x[j * d + p]; s += t * t; }
      dist[j] = Math.sqrt(s);
    }
    sorted.set(dist);
    const sigma = Math.max(kthSmallest(sorted, knn - 1), 2.220446049250313e-16);
    const radius = sigma * radiusFactor;
    w.fill(0);
    let total = 0;
    for (let j = 0; j < n; j++) {
      if (dist[j] >= radius) continue;
      const a = Math.exp(-Math.pow(dist[j] / sigma, decay));
      if (a < thresh) continue;
      w[model.clusters ? model.clusters[j] : j] += a;
      total += a;
    }
    // transition probabilities (landmark sums of normalized rows are normalized again: the same)
    for (let g = 0; g < G; g++) {
      const p = w[g];
      if (p === 0) continue;
      for (let q = 0; q < c; q++) out[i * c + q] += (p / total) * model.operatorEmbedding[g * c + q];
    }
  }
  return out;
}

/** The fitted points' largest |entry| and their copy scaled by 2^−e for the last e asked for. */
interface FittedScale {
  readonly max: number;
  e: number;
  scaled: Float64Array;
}

/**
 * Per model, computed on its first transform: a transform of one point at a time would otherwise
 * scan and copy all n·d fitted points on every call (it made a call of one point 2.7 times slower).
 */
const FITTED = new WeakMap<PhateModel, FittedScale>();

function fittedScale(model: PhateModel): FittedScale {
  let f = FITTED.get(model);
  if (f === undefined) {
    f = { max: maxAbs(model.points), e: 0, scaled: model.points };
    FITTED.set(model, f);
  }
  return f;
}

/** The fitted points scaled by 2^−e (the model's own array for e = 0; a cached copy otherwise). */
function scaledPoints(model: PhateModel, e: number): Float64Array {
  if (e === 0) return model.points;
  const f = fittedScale(model);
  if (f.e !== e) {
    const x = model.points.slice();
    scaleToExponent(x, e);
    f.e = e;
    f.scaled = x;
  }
  return f.scaled;
}

/** The k-th smallest entry (0-based) of `a` by quickselect (reorders `a`). */
function kthSmallest(a: Float64Array, k: number): number {
  let lo = 0, hi = a.length - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) { const t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
    }
    if (k <= j) hi = j; else if (k >= i) lo = i; else return a[k];
  }
  return a[k];
}
