/**
 * Linear stability of a fixed point or periodic orbit of a map from the eigenvalues of its Jacobian
 * (or monodromy matrix): |λ| < 1 contracting, |λ| > 1 expanding.
 */
import { eigenvaluesRaw } from '../core/linalg/eigenvalues.js';

/** Stability class of a fixed point of a map. */
export type Stability = 'stable' | 'saddle' | 'unstable';

/** Eigenvalues sorted by modulus (largest first) and the stability they imply. */
export interface MapStability {
  readonly eigenvalues: { readonly re: Float64Array; readonly im: Float64Array };
  readonly stability: Stability;
  readonly unstableModes: number;
}

/**
 * Eigenvalues of the row-major n×n matrix `m` (not modified), sorted by modulus descending. Throws a
 * RangeError naming `name` when `m` has a non-finite entry. `tick` is a progress point inside the
 * decomposition (called every Householder step and QR iteration).
 */
export function mapEigenvalues(m: Float64Array, n: number, name: string, tick?: () => void): { re: Float64Array; im: Float64Array } {
  for (let i = 0; i < n * n; i++) {
    const v = m[i];
    if (v - v !== 0) throw new RangeError(`${name}: expected finite values, found ${v} at [${Math.floor(i / n)},${i % n}]`);
  }
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  eigenvaluesRaw(n, m, re, im, { tick });
  return { re, im };
}

/**
 * Classifies a fixed point of a map from its Jacobian `j` (row-major n×n): 'stable' when every
 * |λ| < 1, 'unstable' when every |λ| > 1, otherwise 'saddle' (including marginal |λ| = 1 modes,
 * which count as neither unstable nor contracting); `unstableModes` counts |λ| > 1.
 */
export function classifyMap(j: Float64Array, n: number, name: string, tick?: () => void): MapStability {
  const ev = mapEigenvalues(j, n, name, tick);
  let unstable = 0;
  let stable = 0;
  for (let i = 0; i < n; i++) {
    const mod = Math.hypot(ev.re[i], ev.im[i]);
    if (mod > 1) unstable++;
    else if (mod < 1) stable++;
  }
  const stability: Stability = stable === n ? 'stable' : unstable === n ? 'unstable' : 'saddle';
  return { eigenvalues: ev, stability, unstableModes: unstable };
}
