/**
 * Classical (Torgerson) multidimensional scaling: B = −½ J D⁽²⁾ J with J the centring matrix; the
 * coordinates are the leading eigenvectors of B scaled by the square roots of their eigenvalues.
 * Recovers any Euclidean configuration exactly up to rotation, reflection and translation.
 */
import { gemmRaw } from '../../core/gemm.js';
import { scaleByPowerOfTwo, toPointMatrix } from '../points.js';
import { topEigenpairs } from './eigs.js';
import { CLASSICAL_MDS_KEYS } from './option-keys.js';
import { intOption, ownOptions, resolveLongRun } from './options.js';

/**
 * Unchecked: classical MDS of the m×m distance matrix D into `dims` coordinates (row-major m×dims).
 * `scaling: 'torgerson'` (default) takes the largest eigenvalues λ_j of B and scales the axes by √λ_j
 * (recovers Euclidean configurations); `'phate'` is PHATE's `mds.classic`, a PCA of the double-centred
 * squared distances −2B: the axes with the largest |λ_j|, each scaled by 2|λ_j|.
 */
export function classicalMdsRaw(
  D: Float64Array, m: number, dims: number, rng: () => number, scaling: 'torgerson' | 'phate' = 'torgerson',
): Float64Array {
  const B = new Float64Array(m * m);
  const rowMean = new Float64Array(m);
  let grand = 0;
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < m; j++) {
      const v = D[i * m + j] * D[i * m + j];
      B[i * m + j] = v;
      s += v;
    }
    rowMean[i] = s / m;
    grand += s;
  }
  grand /= m * m;
  // D is symmetric, so column means equal row means
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) B[i * m + j] = -0.5 * (B[i * m + j] - rowMean[i] - rowMean[j] + grand);
  }
  const k = Math.min(dims, m);
  const { values, vectors } = topEigenpairs(
    (X, b, out) => gemmRaw(false, false, m, b, m, 1, B, m, X, b, 0, out, b),
    m, k, rng, { which: scaling === 'phate' ? 'magnitude' : 'algebraic', tol: 1e-9, maxIter: 60 },
  );
  const Y = new Float64Array(m * dims);
  for (let j = 0; j < k; j++) {
    const s = scaling === 'phate' ? 2 * Math.abs(values[j]) : Math.sqrt(Math.max(values[j], 0));
    // sign rule: the largest-magnitude entry of each axis is positive (deterministic output)
    let big = 0, sign = 1;
    for (let i = 0; i < m; i++) {
      const v = vectors[i * k + j];
      if (Math.abs(v) > big) { big = Math.abs(v); sign = v < 0 ? -1 : 1; }
    }
    for (let i = 0; i < m; i++) Y[i * dims + j] = sign * s * vectors[i * k + j];
  }
  return Y;
}

/**
 * Classical MDS of a distance matrix: coordinates whose Euclidean distances reproduce `distances`
 * exactly when they are Euclidean in `dims` dimensions (otherwise the best rank-`dims` fit of the
 * double-centred squared distances).
 *
 * @param distances - an n×n symmetric matrix with zero diagonal (nested arrays, a Tensor, or a flat
 *   Float64Array with `dim: n`); symmetric means |d_ij − d_ji| ≤ 1e-8·max(d_ij, d_ji, s), s the
 *   largest distance rounded down to a power of two, so the test is the same in any units.
 * @example
 * ```ts
 * const { embedding } = classicalMds([[0, 3, 4], [3, 0, 5], [4, 5, 0]], { dims: 2 });
 * // a right triangle with legs 3 and 4, up to rotation and reflection
 * ```
 */
export function classicalMds(
  distances: Parameters<typeof toPointMatrix>[0],
  options: { dims?: number; dim?: number; seed?: number | string; rng?: () => number } = {},
): { embedding: Float64Array; shape: readonly [number, number] } {
  const opts = ownOptions(options, 'classicalMds', CLASSICAL_MDS_KEYS);
  const M = toPointMatrix(distances, 'classicalMds: distances', { dim: opts.dim });
  if (M.n !== M.d) throw new RangeError(`classicalMds: distances must be square, got ${M.n}×${M.d}`);
  const n = M.n;
  for (let i = 0; i < n; i++) {
    if (M.data[i * n + i] !== 0) throw new RangeError(`classicalMds: distances[${i}][${i}] must be 0, got ${M.data[i * n + i]}`);
    for (let j = 0; j < n; j++) {
      if (M.data[i * n + j] < 0) throw new RangeError(`classicalMds: distances must be non-negative, got ${M.data[i * n + j]} at [${i},${j}]`);
    }
  }
  // exact power-of-two rescaling of the copy (the coordinates scale with the distances): squared
  // distances neither overflow above ~1e154 nor underflow below ~1e-154; the bits are unchanged otherwise
  const scale = scaleByPowerOfTwo(M.data);
  // symmetric to 1e-8 relative to the pair, or to the matrix's scale (its largest entry is now in
  // [1, 2)) for entries far below it: the same test in any units
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = M.data[i * n + j], b = M.data[j * n + i];
      if (Math.abs(a - b) > 1e-8 * Math.max(Math.abs(a), Math.abs(b), 1)) {
        throw new RangeError(`classicalMds: distances must be symmetric (to 1e-8 of the largest distance), [${i},${j}] = ${a * scale} but [${j},${i}] = ${b * scale}`);
      }
    }
  }
  const dims = intOption(opts.dims, 2, 'classicalMds: dims', 1, n);
  const { rng } = resolveLongRun(opts, 'classicalMds');
  const embedding = classicalMdsRaw(M.data, n, dims, rng);
  if (scale !== 1) for (let e = 0; e < embedding.length; e++) embedding[e] *= scale;
  return { embedding, shape: [n, dims] as const };
}
