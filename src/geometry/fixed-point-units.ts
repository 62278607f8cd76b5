/**
 * Distances in units of a power of two, for findFixedPoints and detectLimitCycle when the states are
 * far from scale 1: each difference is scaled before it is squared (exact: a difference that is
 * subnormal is exact, and so is its scaling), so no square of 1e-170 underflows to 0. With inv = 1
 * they are the distance kernels themselves, bit for bit. Unchecked. @internal
 */
import type { FloatArray } from '../core/errors.js';
import { distanceRaw, squaredDistanceRaw } from './distance.js';

/** Σ_p ((a[ao + p] − b[bo + p])·inv)² over d coordinates, summed in order: squaredDistanceRaw's bits when inv = 1. @internal */
export function unitSquaredDistance(a: FloatArray, ao: number, b: FloatArray, bo: number, d: number, inv: number): number {
  if (inv === 1) return squaredDistanceRaw(a, ao, b, bo, d);
  let s = 0;
  for (let p = 0; p < d; p++) {
    const t = (a[ao + p] - b[bo + p]) * inv;
    s += t * t;
  }
  return s;
}

/**
 * ‖a − b‖·inv over d coordinates, overflow-safe as distanceRaw (whose bits it gives when inv = 1);
 * `buf` (length ≥ d) is scratch and `zeros` holds d zeros. @internal
 */
export function unitDistance(a: FloatArray, ao: number, b: FloatArray, bo: number, d: number, inv: number, buf: Float64Array, zeros: Float64Array): number {
  if (inv === 1) return distanceRaw(a, ao, b, bo, d);
  for (let p = 0; p < d; p++) buf[p] = (a[ao + p] - b[bo + p]) * inv;
  return distanceRaw(buf, 0, zeros, 0, d);
}
