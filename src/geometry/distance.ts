/**
 * The distance kernels of the geometry folder, unchecked: the squared Euclidean distance between
 * two rows and the 4×4 block of dot products that the Gram matrix (PCA) and the tiled kNN share.
 * Each sum runs in index order, so callers that switched to these kernels kept their bits.
 */
import type { FloatArray } from '../core/errors.js';
import { binaryExponent } from './points.js';

/** Σ_p (a[ao + p] − b[bo + p])² for p = 0 … d−1, summed in order. Unchecked. */
export function squaredDistanceRaw(a: FloatArray, ao: number, b: FloatArray, bo: number, d: number): number {
  let s = 0;
  for (let p = 0; p < d; p++) {
    const t = a[ao + p] - b[bo + p];
    s += t * t;
  }
  return s;
}

/**
 * ‖a − b‖ over d coordinates: √(squaredDistanceRaw) with the same bits, unless the squares
 * overflowed (a distance ≳ 1.3e154), then the same sum in units of a power of two (exact), so the
 * result is +Infinity only when the distance itself exceeds the double range. Unchecked.
 */
export function distanceRaw(a: FloatArray, ao: number, b: FloatArray, bo: number, d: number): number {
  const s = squaredDistanceRaw(a, ao, b, bo, d);
  if (s !== Infinity) return Math.sqrt(s);
  let m = 0;
  for (let p = 0; p < d; p++) m = Math.max(m, Math.abs(a[ao + p] - b[bo + p]));
  if (!(m <= Number.MAX_VALUE)) return m; // a difference overflowed (Infinity) or was NaN
  const c = 2 ** -binaryExponent(m);
  let t = 0;
  for (let p = 0; p < d; p++) {
    const u = (a[ao + p] - b[bo + p]) * c;
    t += u * u;
  }
  return Math.sqrt(t) / c;
}

/**
 * out[4r + c] = Σ_p x[a + r·stride + p] · x[b + c·stride + p] for r, c in 0..3 and p = 0 … len−1
 * (summed in order): the dot products of four rows starting at `a` with four rows starting at `b`,
 * rows `stride` apart, sixteen accumulators in registers. Unchecked.
 */
export function dotBlock4x4Raw(x: Float64Array, a: number, b: number, stride: number, len: number, out: Float64Array): void {
  const a0 = a, a1 = a0 + stride, a2 = a1 + stride, a3 = a2 + stride;
  const b0 = b, b1 = b0 + stride, b2 = b1 + stride, b3 = b2 + stride;
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0; p < len; p++) {
    const y0 = x[b0 + p], y1 = x[b1 + p], y2 = x[b2 + p], y3 = x[b3 + p];
    const x0 = x[a0 + p];
    c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
    const x1 = x[a1 + p];
    c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
    const x2 = x[a2 + p];
    c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
    const x3 = x[a3 + p];
    c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
  }
  out[0] = c00; out[1] = c01; out[2] = c02; out[3] = c03;
  out[4] = c10; out[5] = c11; out[6] = c12; out[7] = c13;
  out[8] = c20; out[9] = c21; out[10] = c22; out[11] = c23;
  out[12] = c30; out[13] = c31; out[14] = c32; out[15] = c33;
}
