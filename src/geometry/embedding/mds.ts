/**
 * Multidimensional scaling: pairwise Euclidean distances between rows, and metric MDS by SMACOF
 * (de Leeuw's Guttman-transform iteration, with scikit-learn's `smacof` stopping rule, as PHATE uses).
 * Classical (Torgerson) MDS lives in `classical-mds.ts`.
 */
import { gemmRaw } from '../../core/gemm.js';
import { wasmGuttman2, wasmKernels } from '../../core/wasm64/kernels-wasm.js';

/**
 * Euclidean distances between the rows of `x` (row-major n×d) as a dense n×n matrix (symmetric, zero
 * diagonal). Large d goes through a Gram matrix on column-centred data (gemm); small d is direct.
 */
export function pairwiseDistances(x: Float64Array, n: number, d: number, out: Float64Array = new Float64Array(n * n)): Float64Array {
  if (d <= 8) {
    for (let i = 0; i < n; i++) {
      out[i * n + i] = 0;
      const io = i * d;
      for (let j = i + 1; j < n; j++) {
        const jo = j * d;
        let s = 0;
        for (let p = 0; p < d; p++) { const t = x[io + p] - x[jo + p]; s += t * t; }
        const v = Math.sqrt(s);
        out[i * n + j] = v;
        out[j * n + i] = v;
      }
    }
    return out;
  }
  const c = new Float64Array(n * d);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let p = 0; p < d; p++) mean[p] += x[i * d + p];
  for (let p = 0; p < d; p++) mean[p] /= n;
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let p = 0; p < d; p++) {
      const v = x[i * d + p] - mean[p];
      c[i * d + p] = v;
      s += v * v;
    }
    norms[i] = s;
  }
  gemmRaw(false, true, n, n, d, 1, c, d, c, d, 0, out, n);
  for (let i = 0; i < n; i++) {
    out[i * n + i] = 0;
    for (let j = i + 1; j < n; j++) {
      const s = norms[i] + norms[j] - 2 * out[i * n + j];
      const v = s > 0 ? Math.sqrt(s) : 0;
      out[i * n + j] = v;
      out[j * n + i] = v;
    }
  }
  return out;
}

/** Result of {@link smacofRaw}. */
export interface SmacofResult {
  /** Stress Σ_{i<j} (‖y_i − y_j‖ − D_ij)² of the configuration before the last update. */
  stress: number;
  iterations: number;
}

/**
 * Unchecked metric SMACOF: iterates Y ← (1/n) B(Y) Y in place (Y row-major n×dims) for the target
 * distances D (n×n). Stops after `maxIter` updates or when the normalized stress
 * σ/Σ_i‖y_i‖ decreases by less than `eps` (scikit-learn's rule; PHATE uses max_iter 3000, eps 1e-6).
 */
export function smacofRaw(
  D: Float64Array, n: number, Y: Float64Array, dims: number, maxIter: number, eps: number,
  onIter?: (it: number, stress: number) => void,
): SmacofResult {
  const acc = new Float64Array(n * dims);
  const rsum = new Float64Array(n);
  let oldStress = NaN;
  let stress = 0;
  let it = 0;
  // two dimensions (PHATE's default) with the float64 wasm kernels: the pass in WebAssembly, two
  // pairs at a time (the same per-pair values; the sums in another order)
  const ex = dims === 2 && n >= 32 ? wasmKernels(n) : undefined;
  const wasm = ex !== undefined ? wasmGuttman2(ex, D, n) : undefined;
  while (it < maxIter) {
    acc.fill(0);
    rsum.fill(0);
    if (wasm !== undefined) stress = wasm.pass(Y, acc, rsum);
    else stress = dims === 2 ? guttmanPass2(D, n, Y, acc, rsum) : guttmanPass(D, n, Y, dims, acc, rsum);
    // Guttman transform: y_i ← (1/n)(Σ_j r_ij · y_i − Σ_j r_ij · y_j), r_ij = D_ij / ‖y_i − y_j‖
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < dims; k++) Y[i * dims + k] = (rsum[i] * Y[i * dims + k] - acc[i * dims + k]) / n;
    }
    it++;
    let norm = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < dims; k++) s += Y[i * dims + k] * Y[i * dims + k];
      norm += Math.sqrt(s);
    }
    const normalized = norm > 0 ? stress / norm : stress;
    if (onIter) onIter(it, stress);
    if (!Number.isNaN(oldStress) && oldStress - normalized < eps) break;
    oldStress = normalized;
  }
  return { stress, iterations: it };
}

/** One pass over the pairs i < j: returns the stress and accumulates Σ_j r_ij and Σ_j r_ij y_j. */
function guttmanPass(D: Float64Array, n: number, Y: Float64Array, dims: number, acc: Float64Array, rsum: Float64Array): number {
  let stress = 0;
  for (let i = 0; i < n; i++) {
    const io = i * dims;
    const Drow = i * n;
    for (let j = i + 1; j < n; j++) {
      const jo = j * dims;
      let s = 0;
      for (let k = 0; k < dims; k++) { const t = Y[io + k] - Y[jo + k]; s += t * t; }
      let dis = Math.sqrt(s);
      const target = D[Drow + j];
      const e = dis - target;
      stress += e * e;
      if (dis === 0) dis = 1e-5;
      const r = target / dis;
      rsum[i] += r;
      rsum[j] += r;
      for (let k = 0; k < dims; k++) {
        acc[io + k] += r * Y[jo + k];
        acc[jo + k] += r * Y[io + k];
      }
    }
  }
  return stress;
}

function guttmanPass2(D: Float64Array, n: number, Y: Float64Array, acc: Float64Array, rsum: Float64Array): number {
  let stress = 0;
  for (let i = 0; i < n; i++) {
    const xi = Y[2 * i], yi = Y[2 * i + 1];
    const Drow = i * n;
    let ri = 0, ax = 0, ay = 0;
    for (let j = i + 1; j < n; j++) {
      const xj = Y[2 * j], yj = Y[2 * j + 1];
      const dx = xi - xj, dy = yi - yj;
      let dis = Math.sqrt(dx * dx + dy * dy);
      const target = D[Drow + j];
      const e = dis - target;
      stress += e * e;
      if (dis === 0) dis = 1e-5;
      const r = target / dis;
      ri += r;
      ax += r * xj;
      ay += r * yj;
      rsum[j] += r;
      acc[2 * j] += r * xi;
      acc[2 * j + 1] += r * yi;
    }
    rsum[i] += ri;
    acc[2 * i] += ax;
    acc[2 * i + 1] += ay;
  }
  return stress;
}
