/**
 * Column means and centred second-moment matrices in float64, the shared first step of PCA and the
 * participation ratio.
 */

/** Column means of the row-major n×d matrix `x`. */
export function columnMeans(x: Float64Array, n: number, d: number, out: Float64Array = new Float64Array(d)): Float64Array {
  out.fill(0);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let p = 0; p < d; p++) out[p]! += x[o + p]!;
  }
  for (let p = 0; p < d; p++) out[p]! /= n;
  // second pass corrects the rounding of the first (mean of the residuals)
  const corr = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let p = 0; p < d; p++) corr[p]! += x[o + p]! - out[p]!;
  }
  for (let p = 0; p < d; p++) out[p]! += corr[p]! / n;
  return out;
}

/** Subtracts `mean` from every row of `x` in place. */
export function subtractRows(x: Float64Array, n: number, d: number, mean: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let p = 0; p < d; p++) x[o + p]! -= mean[p]!;
  }
}

/**
 * out (d×d, row-major, full symmetric) = xᵀx for row-major n×d `x`. Transposes `x` in chunks of rows
 * and accumulates the upper triangle with a 4×4 register-blocked dot-product kernel, then mirrors it.
 * `scratch` (length ≥ ⌈d/4⌉·4·256) avoids an allocation.
 */
export function gramColumns(
  x: Float64Array, n: number, d: number, out: Float64Array = new Float64Array(d * d), scratch?: Float64Array,
): Float64Array {
  out.fill(0);
  const dPad = (d + 3) & ~3;
  const CH = 256; // rows per chunk
  // chunk of xᵀ: dPad rows of length CH (zero padded)
  const xt = scratch !== undefined && scratch.length >= dPad * CH ? scratch : new Float64Array(dPad * CH);
  for (let r0 = 0; r0 < n; r0 += CH) {
    const len = Math.min(CH, n - r0);
    if (len < CH) xt.fill(0);
    for (let r = 0; r < len; r++) {
      const o = (r0 + r) * d;
      for (let p = 0; p < d; p++) xt[p * CH + r] = x[o + p]!;
    }
    for (let i = 0; i < dPad; i += 4) {
      const a0 = i * CH, a1 = a0 + CH, a2 = a1 + CH, a3 = a2 + CH;
      for (let j = i; j < dPad; j += 4) {
        const b0 = j * CH, b1 = b0 + CH, b2 = b1 + CH, b3 = b2 + CH;
        let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (let p = 0; p < len; p++) {
          const y0 = xt[b0 + p]!, y1 = xt[b1 + p]!, y2 = xt[b2 + p]!, y3 = xt[b3 + p]!;
          const x0 = xt[a0 + p]!;
          c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
          const x1 = xt[a1 + p]!;
          c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
          const x2 = xt[a2 + p]!;
          c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
          const x3 = xt[a3 + p]!;
          c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
        }
        addBlock(out, d, i, j, c00, c01, c02, c03);
        addBlock(out, d, i + 1, j, c10, c11, c12, c13);
        addBlock(out, d, i + 2, j, c20, c21, c22, c23);
        addBlock(out, d, i + 3, j, c30, c31, c32, c33);
      }
    }
  }
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) out[i * d + j] = out[j * d + i]!;
  return out;
}

function addBlock(out: Float64Array, d: number, i: number, j: number, c0: number, c1: number, c2: number, c3: number): void {
  if (i >= d) return;
  const o = i * d + j;
  if (j < d) out[o]! += c0;
  if (j + 1 < d) out[o + 1]! += c1;
  if (j + 2 < d) out[o + 2]! += c2;
  if (j + 3 < d) out[o + 3]! += c3;
}

/** out (n×n) = x xᵀ for row-major n×d `x` (the Gram matrix of the rows). */
export function gramRows(x: Float64Array, n: number, d: number, out: Float64Array = new Float64Array(n * n)): Float64Array {
  for (let i = 0; i < n; i++) {
    const oi = i * d;
    for (let j = i; j < n; j++) {
      const oj = j * d;
      let s = 0;
      for (let p = 0; p < d; p++) s += x[oi + p]! * x[oj + p]!;
      out[i * n + j] = s;
      out[j * n + i] = s;
    }
  }
  return out;
}
