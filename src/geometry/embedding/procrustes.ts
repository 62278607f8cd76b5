/**
 * Procrustes superimposition as `scipy.spatial.procrustes`: both configurations are centred and
 * scaled to unit Frobenius norm, then the second is rotated (orthogonal Q) and scaled to fit the
 * first. PHATE returns its metric-MDS embedding in exactly this form (aligned to the classical
 * solution), and the disparity Σ (A − B̃)² is the comparison measure of the fixture tests.
 */
import { svdRaw } from '../../core/linalg/svd.js';

/** The centred X (row-major n×d) and its sum of squares. */
function centred(X: Float64Array, n: number, d: number): { out: Float64Array; ss: number } {
  const out = new Float64Array(n * d);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) mean[k] += X[i * d + k];
  for (let k = 0; k < d; k++) mean[k] /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < d; k++) {
      const v = X[i * d + k] - mean[k];
      out[i * d + k] = v;
      ss += v * v;
    }
  }
  return { out, ss };
}

/**
 * Whether {@link procrustesRaw} can standardize the configuration X (row-major n×d): its centred
 * sum of squares is positive, so not all points are equal (it throws otherwise). Unchecked.
 */
export function hasSpread(X: Float64Array, n: number, d: number): boolean {
  return centred(X, n, d).ss > 0;
}

function standardize(X: Float64Array, n: number, d: number): Float64Array {
  const { out, ss } = centred(X, n, d);
  if (!(ss > 0)) throw new RangeError('procrustes: a configuration has all points equal');
  const s = 1 / Math.sqrt(ss);
  for (let e = 0; e < n * d; e++) out[e] *= s;
  return out;
}

/**
 * Unchecked: standardizes A and B (row-major n×d) and fits B to A by rotation/reflection and scale.
 * Returns the standardized A, the fitted B and the disparity Σ (Â − B̃)² (in [0, 1]).
 */
export function procrustesRaw(
  A: Float64Array, B: Float64Array, n: number, d: number,
): { a: Float64Array; b: Float64Array; disparity: number } {
  const a = standardize(A, n, d);
  const b = standardize(B, n, d);
  // M = bᵀa (d×d) = U S Vᵀ; the best orthogonal Q for b·Q ≈ a is U Vᵀ, the scale Σ S
  const M = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < d; p++) {
      const bp = b[i * d + p];
      for (let q = 0; q < d; q++) M[p * d + q] += bp * a[i * d + q];
    }
  }
  const s = new Float64Array(d), U = new Float64Array(d * d), V = new Float64Array(d * d);
  svdRaw(d, d, M, s, U, V);
  const Q = new Float64Array(d * d);
  let scale = 0;
  for (let k = 0; k < d; k++) scale += s[k];
  for (let p = 0; p < d; p++) {
    for (let q = 0; q < d; q++) {
      let v = 0;
      for (let k = 0; k < d; k++) v += U[p * d + k] * V[q * d + k];
      Q[p * d + q] = v * scale;
    }
  }
  const out = new Float64Array(n * d);
  let disparity = 0;
  for (let i = 0; i < n; i++) {
    for (let q = 0; q < d; q++) {
      let v = 0;
      for (let p = 0; p < d; p++) v += b[i * d + p] * Q[p * d + q];
      out[i * d + q] = v;
      const e = a[i * d + q] - v;
      disparity += e * e;
    }
  }
  return { a, b: out, disparity };
}
