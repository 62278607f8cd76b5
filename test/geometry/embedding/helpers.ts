import { createRng } from '../../../src/core/rng.js';

/** c well-separated Gaussian clusters in d dimensions (centres 10·e_c), labels i mod c. */
export function clusters(n: number, d: number, c: number, seed: number, sep = 10): { x: Float64Array; labels: Int32Array } {
  const rng = createRng(seed);
  const x = new Float64Array(n * d);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const l = i % c;
    labels[i] = l;
    for (let p = 0; p < d; p++) x[i * d + p] = rng.normal() + (p === l ? sep : 0);
  }
  return { x, labels };
}

/** Leave-one-out kNN classification accuracy of the rows of y (n×dims) by majority of k neighbours. */
export function knnAccuracy(y: Float64Array, n: number, dims: number, labels: Int32Array, k = 5): number {
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const d: [number, number][] = [];
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let s = 0;
      for (let q = 0; q < dims; q++) s += (y[i * dims + q]! - y[j * dims + q]!) ** 2;
      d.push([s, j]);
    }
    d.sort((a, b) => a[0] - b[0]);
    const votes = new Map<number, number>();
    for (let q = 0; q < k; q++) votes.set(labels[d[q]![1]]!, (votes.get(labels[d[q]![1]]!) ?? 0) + 1);
    let best = -1, bestV = -1;
    for (const [l, v] of votes) if (v > bestV) { best = l; bestV = v; }
    if (best === labels[i]) correct++;
  }
  return correct / n;
}

/** A noisy helix-like 1-D trajectory in d dimensions: point i at arclength s_i = i/n. */
export function trajectory(n: number, d: number, seed: number, noise = 0.05): Float64Array {
  const rng = createRng(seed);
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const s = (3 * i) / n;
    x[i * d] = Math.cos(2 * s);
    x[i * d + 1] = Math.sin(2 * s);
    x[i * d + 2] = s;
    for (let p = 0; p < d; p++) x[i * d + p]! += noise * rng.normal();
  }
  return x;
}

/** Spearman rank correlation. */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const rank = (v: ArrayLike<number>): Float64Array => {
    const idx = Array.from({ length: v.length }, (_, i) => i).sort((p, q) => v[p]! - v[q]!);
    const r = new Float64Array(v.length);
    idx.forEach((i, k) => { r[i] = k; });
    return r;
  };
  const ra = rank(a), rb = rank(b);
  const n = a.length;
  const m = (n - 1) / 2;
  let num = 0, da = 0, db = 0;
  for (let i = 0; i < n; i++) {
    num += (ra[i]! - m) * (rb[i]! - m);
    da += (ra[i]! - m) ** 2;
    db += (rb[i]! - m) ** 2;
  }
  return num / Math.sqrt(da * db);
}
