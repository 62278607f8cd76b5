/**
 * Out-of-sample PHATE: new points are placed as graphtools' `extend_to_data` + `interpolate` place
 * them (what `PHATE.transform(Y)` does for data other than the fitted points). Each new point y gets
 * α-decay affinities to the fitted points, exp(−(‖y − x_j‖/σ(y))^α) with σ(y) its distance to its
 * k-th nearest fitted point (entries below `thresh` dropped); the row is normalized to transition
 * probabilities; with landmarks these are summed per landmark and normalized again; the new point's
 * coordinates are that probability-weighted mean of the fitted (or landmark) coordinates.
 */
import { toPointMatrix, type PointsInput } from '../points.js';

/** What the fitted model keeps for {@link transformPoints}. */
export interface PhateModel {
  /** Fitted points in kernel space (after PCA when it was applied), row-major n×d. */
  readonly points: Float64Array;
  readonly n: number;
  readonly d: number;
  /** Input dimension and, when PCA was applied, the projection to kernel space. */
  readonly inputDim: number;
  readonly project?: (Y: Float64Array) => Float64Array;
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

/** Embeds new points `Y` ([m, inputDim]) into a fitted PHATE embedding (row-major m×components). */
export function transformPoints(model: PhateModel, Y: PointsInput, name: string): Float64Array {
  const Q = toPointMatrix(Y, `${name}: Y`, { dim: model.inputDim });
  if (Q.d !== model.inputDim) throw new RangeError(`${name}: Y has dimension ${Q.d}, the fitted points ${model.inputDim}`);
  const y = model.project ? model.project(Q.data) : Q.data;
  const { n, d, knn, decay, thresh, components: c, operatorSize: G } = model;
  const x = model.points;
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
