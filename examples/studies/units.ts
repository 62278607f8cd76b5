/**
 * Numbers for the phases of representation learning seen by MM-PHATE (Xie et al. 2024): how spread
 * out the units are within a time step in the embedding, and how strongly the units form
 * communities (Newman's modularity of their correlation graph, split by the leading eigenvector).
 */
import { symmetricEigen } from '../../src/core/index.js';

/**
 * Mean over slices of the RMS distance of a slice's nodes from the slice's centroid in the
 * embedding, divided by the RMS distance of all nodes from the global centroid (1 = as spread as
 * the whole embedding, 0 = every slice collapsed to a point).
 *
 * @param embedding - row-major nodes × 2 (or `dims`)
 * @param slice - slice index of each node
 */
export function sliceSpread(embedding: ArrayLike<number>, slice: ArrayLike<number>, dims = 2): number {
  const n = slice.length;
  const sums = new Map<number, { c: number[]; n: number }>();
  const g = new Array<number>(dims).fill(0);
  for (let i = 0; i < n; i++) {
    let s = sums.get(slice[i]);
    if (!s) sums.set(slice[i], (s = { c: new Array<number>(dims).fill(0), n: 0 }));
    s.n++;
    for (let d = 0; d < dims; d++) { s.c[d] += embedding[i * dims + d]; g[d] += embedding[i * dims + d]; }
  }
  for (let d = 0; d < dims; d++) g[d] /= n;
  const within = new Map<number, number>();
  let total = 0;
  for (let i = 0; i < n; i++) {
    const s = sums.get(slice[i])!;
    let dw = 0, dg = 0;
    for (let d = 0; d < dims; d++) {
      dw += (embedding[i * dims + d] - s.c[d] / s.n) ** 2;
      dg += (embedding[i * dims + d] - g[d]) ** 2;
    }
    within.set(slice[i], (within.get(slice[i]) ?? 0) + dw);
    total += dg;
  }
  let mean = 0;
  for (const [k, w] of within) mean += Math.sqrt(w / sums.get(k)!.n);
  mean /= within.size;
  return total === 0 ? 0 : mean / Math.sqrt(total / n);
}

/**
 * Modularity Q of the units' graph with weights |corr(u_i, u_j)| (diagonal 0), split in two by the
 * sign of the leading eigenvector of the modularity matrix B = A − k kᵀ / 2m (Newman 2006).
 * Q ≈ 0: no community structure; Q → 0.5 for two disconnected equal groups.
 *
 * @param activity - row-major units × features (each unit's activations over time steps and samples)
 */
export function unitModularity(activity: ArrayLike<number>, units: number): { modularity: number; groups: number[] } {
  const f = activity.length / units;
  const z = new Float64Array(units * f);
  for (let u = 0; u < units; u++) {
    let m = 0;
    for (let j = 0; j < f; j++) m += activity[u * f + j];
    m /= f;
    let v = 0;
    for (let j = 0; j < f; j++) v += (activity[u * f + j] - m) ** 2;
    const s = v > 0 ? 1 / Math.sqrt(v) : 0;
    for (let j = 0; j < f; j++) z[u * f + j] = (activity[u * f + j] - m) * s;
  }
  const A = new Float64Array(units * units);
  for (let a = 0; a < units; a++) {
    for (let b = a + 1; b < units; b++) {
      let c = 0;
      for (let j = 0; j < f; j++) c += z[a * f + j] * z[b * f + j];
      A[a * units + b] = A[b * units + a] = Math.abs(c);
    }
  }
  const k = new Float64Array(units);
  let twoM = 0;
  for (let a = 0; a < units; a++) { for (let b = 0; b < units; b++) k[a] += A[a * units + b]; twoM += k[a]; }
  if (twoM === 0) return { modularity: 0, groups: new Array<number>(units).fill(0) };
  const B = new Float64Array(units * units);
  for (let a = 0; a < units; a++) for (let b = 0; b < units; b++) B[a * units + b] = A[a * units + b] - (k[a] * k[b]) / twoM;
  const { vectors } = symmetricEigen({ rows: units, cols: units, data: B });
  const groups = Array.from({ length: units }, (_, u) => (vectors.data[u * units] >= 0 ? 1 : 0));
  let q = 0;
  for (let a = 0; a < units; a++) for (let b = 0; b < units; b++) if (groups[a] === groups[b]) q += B[a * units + b];
  return { modularity: q / twoM, groups };
}
