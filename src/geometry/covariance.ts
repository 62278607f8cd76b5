/**
 * Column means and centred second-moment matrices in float64, the shared first step of PCA and the
 * participation ratio.
 */
import { dotBlock4x4Raw } from './distance.js';

/** Column means of the row-major n×d matrix `x`. */
export function columnMeans(x: Float64Array, n: number, d: number, out: Float64Array = new Float64Array(d)): Float64Array {
  out.fill(0);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let p = 0; p < d; p++) out[p] += x[o + p];
  }
  for (let p = 0; p < d; p++) out[p] /= n;
  // second pass corrects the rounding of the first (mean of the residuals)
  const corr = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let p = 0; p < d; p++) corr[p] += x[o + p] - out[p];
  }
  for (let p = 0; p < d; p++) out[p] += corr[p] / n;
  return out;
}

/** Subtracts `mean` from every row of `x` in place. */
export function subtractRows(x: Float64Array, n: number, d: number, mean: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let p = 0; p < d; p++) x[o + p] -= mean[p];
  }
}

/**
 * out (d×d, row-major, full symmetric) = xᵀx for row-major n×d `x`. Transposes `x` in chunks of rows
 * and accumulates the upper triangle with a 4×4 register-blocked dot-product kernel, then mirrors it.
 * `scratch` (length ≥ ⌈d/4⌉·4·256) avoids an allocation; `tick(rowsDone, n)` is called after each
 * chunk of 256 rows (a progress point).
 */
export function gramColumns(
  x: Float64Array, n: number, d: number, out: Float64Array = new Float64Array(d * d), scratch?: Float64Array, tick?: (done: number, total: number) => void,
): Float64Array {
  out.fill(0);
  const dPad = (d + 3) & ~3;
  const CH = 256; // rows per chunk
  // chunk of xᵀ: dPad rows of length CH (zero padded)
  const xt = scratch !== undefined && scratch.length >= dPad * CH ? scratch : new Float64Array(dPad * CH);
  const blk = new Float64Array(16);
  for (let r0 = 0; r0 < n; r0 += CH) {
    const len = Math.min(CH, n - r0);
    if (len < CH) xt.fill(0);
    for (let r = 0; r < len; r++) {
      const o = (r0 + r) * d;
      for (let p = 0; p < d; p++) xt[p * CH + r] = x[o + p];
    }
    for (let i = 0; i < dPad; i += 4) {
      for (let j = i; j < dPad; j += 4) {
        dotBlock4x4Raw(xt, i * CH, j * CH, CH, len, blk);
        for (let r = 0; r < 4; r++) addBlock(out, d, i + r, j, blk[4 * r], blk[4 * r + 1], blk[4 * r + 2], blk[4 * r + 3]);
      }
    }
    tick?.(r0 + len, n);
  }
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) out[i * d + j] = out[j * d + i];
  return out;
}

function addBlock(out: Float64Array, d: number, i: number, j: number, c0: number, c1: number, c2: number, c3: number): void {
  if (i >= d) return;
  const o = i * d + j;
  if (j < d) out[o] += c0;
  if (j + 1 < d) out[o + 1] += c1;
  if (j + 2 < d) out[o + 2] += c2;
  if (j + 3 < d) out[o + 3] += c3;
}

/** out (n×n) = x xᵀ for row-major n×d `x` (the Gram matrix of the rows). */
export function gramRows(x: Float64Array, n: number, d: number, out: Float64Array = new Float64Array(n * n)): Float64Array {
  for (let i = 0; i < n; i++) {
    const oi = i * d;
    for (let j = i; j < n; j++) {
      const oj = j * d;
      let s = 0;
      for (let p = 0; p < d; p++) s += x[oi + p] * x[oj + p];
      out[i * n + j] = s;
      out[j * n + i] = s;
    }
  }
  return out;
}
