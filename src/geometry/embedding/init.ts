/**
 * PCA initialisation of t-SNE, as scikit-learn (`init='pca'`): the centred data projected on its
 * leading principal axes, scaled so that the first coordinate has standard deviation 1e-4.
 */
import { gemmRaw } from '../../core/gemm.js';
import { createRng } from '../../core/rng.js';
import { topEigenpairs } from './eigs.js';

/**
 * Writes the PCA initialisation of the rows of x (row-major n×d, d ≥ dims) into Y (n×dims). The
 * axes come from the covariance's leading eigenvectors (dense below 200 dimensions, subspace
 * iteration on Xᵀ(X·V) above); each axis is signed so that its largest projected coordinate is
 * positive. Deterministic (its own fixed-seed start block).
 */
export function pcaInit(x: Float64Array, n: number, d: number, dims: number, Y: Float64Array): void {
  const xc = new Float64Array(n * d);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let p = 0; p < d; p++) mean[p] += x[i * d + p];
  for (let p = 0; p < d; p++) mean[p] /= n;
  for (let i = 0; i < n; i++) for (let p = 0; p < d; p++) xc[i * d + p] = x[i * d + p] - mean[p];
  let C: Float64Array | undefined;
  if (d <= 200) {
    C = new Float64Array(d * d);
    gemmRaw(true, false, d, d, n, 1, xc, d, xc, d, 0, C, d);
  }
  let T = new Float64Array(0);
  const { vectors } = topEigenpairs(
    (V, b, out) => {
      if (C) {
        gemmRaw(false, false, d, b, d, 1, C, d, V, b, 0, out, b);
        return;
      }
      if (T.length < n * b) T = new Float64Array(n * b);
      gemmRaw(false, false, n, b, d, 1, xc, d, V, b, 0, T, b);
      gemmRaw(true, false, d, b, n, 1, xc, d, T, b, 0, out, b);
    },
    d, dims, createRng(0x5eed), { which: 'algebraic', tol: 1e-10, maxIter: 200 },
  );
  gemmRaw(false, false, n, dims, d, 1, xc, d, vectors, dims, 0, Y, dims);
  for (let k = 0; k < dims; k++) {
    let big = 0, sign = 1;
    for (let i = 0; i < n; i++) {
      const v = Y[i * dims + k];
      if (Math.abs(v) > big) { big = Math.abs(v); sign = v < 0 ? -1 : 1; }
    }
    if (sign < 0) for (let i = 0; i < n; i++) Y[i * dims + k] = -Y[i * dims + k];
  }
  let m0 = 0;
  for (let i = 0; i < n; i++) m0 += Y[i * dims];
  m0 /= n;
  let v0 = 0;
  for (let i = 0; i < n; i++) v0 += (Y[i * dims] - m0) ** 2;
  const sd = Math.sqrt(v0 / n);
  const scale = sd > 0 ? 1e-4 / sd : 1;
  for (let e = 0; e < n * dims; e++) Y[e] *= scale;
}
