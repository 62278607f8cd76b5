/**
 * The one home of Householder reflectors (unchecked float64 kernels on column-major storage, column
 * j of an m-row matrix at `a[j*m ..]`): building reflector j from column j as LAPACK's dlarfg does,
 * with one underflow/scaling policy, and applying one reflector or a fused pair of them to a block
 * of columns. `householder.ts` (the public QR) and the Lyapunov estimator's frame QR
 * (src/lyapunov/kernels.ts) are built on these; the WebAssembly mirror (core/wasm64/f64.wat,
 * `$makeReflector`, `$applyReflector`, `$applyPair`) follows the same policy and order of sums.
 *
 * Scaling policy: the tail's sum of squares is taken unscaled in one pass and recomputed scaled by
 * its largest entry only when it under- or overflows (≤ 2^-968 or not finite); ‖column‖ =
 * hypot(α, ‖tail‖); a column whose norm is below LAPACK's safe minimum / ε (2^-969) is rescaled by
 * 2^600 (exact) so that the reflector keeps full precision, and only R_jj is scaled back. NaN
 * propagates. Reflectors are applied to four columns per pass, and two reflectors at once, so each
 * pass over a column serves both.
 *
 * Internal (not part of the public API): callers validate.
 */

/** Below this sum of squares the unscaled norm may have lost accuracy to underflow (2^-968). */
const SMALL_SS = 2 ** -968;
/** LAPACK's safe minimum divided by ε: columns with a smaller norm are rescaled first. */
const SAFMIN = 2 ** -969;
const UPSCALE = 2 ** 600;

/**
 * Applies the reflector H = I − τ·v·vᵀ (v = [1; a[vOff+1 .. vOff+len-1]]) from the left to columns
 * `c0 .. c1-1` of the column-major array `x` with leading dimension `ldx`, rows `r .. r+len-1`.
 */
export function applyReflector(
  a: Float64Array, vOff: number, len: number, t: number,
  x: Float64Array, ldx: number, r: number, c0: number, c1: number,
): void {
  let c = c0;
  for (; c + 3 < c1; c += 4) {
    const o0 = c * ldx + r, o1 = o0 + ldx, o2 = o1 + ldx, o3 = o2 + ldx;
    let w0 = x[o0], w1 = x[o1], w2 = x[o2], w3 = x[o3];
    for (let i = 1; i < len; i++) {
      const v = a[vOff + i];
      w0 += v * x[o0 + i];
      w1 += v * x[o1 + i];
      w2 += v * x[o2 + i];
      w3 += v * x[o3 + i];
    }
    w0 *= t; w1 *= t; w2 *= t; w3 *= t;
    x[o0] -= w0; x[o1] -= w1; x[o2] -= w2; x[o3] -= w3;
    for (let i = 1; i < len; i++) {
      const v = a[vOff + i];
      x[o0 + i] -= w0 * v;
      x[o1 + i] -= w1 * v;
      x[o2 + i] -= w2 * v;
      x[o3 + i] -= w3 * v;
    }
  }
  for (; c < c1; c++) {
    const o = c * ldx + r;
    let w0 = x[o], w1 = 0;
    let i = 1;
    for (; i + 1 < len; i += 2) {
      w0 += a[vOff + i] * x[o + i];
      w1 += a[vOff + i + 1] * x[o + i + 1];
    }
    if (i < len) w0 += a[vOff + i] * x[o + i];
    const w = (w0 + w1) * t;
    x[o] -= w;
    for (let k = 1; k < len; k++) x[o + k] -= w * a[vOff + k];
  }
}

/**
 * Applies two consecutive reflectors H_j = I − τ1·v1·v1ᵀ and H_{j+1} = I − τ2·v2·v2ᵀ in one fused
 * pass pair over each column (two dot products, then one combined update), halving the memory
 * traffic of applying them one at a time. Rows are relative to row r = j: v1 = [1; a[o1+1 ..]]
 * (length len), v2 = [0; 1; a[o2+1 ..]]; `s12` = v2ᵀ·v1. `forward` applies H_{j+1}·H_j (as in Qᵀ·x,
 * the factorization order), otherwise H_j·H_{j+1} (as in Q·x, forming Q). Needs len ≥ 2.
 */
export function applyReflectorPair(
  a: Float64Array, o1: number, o2: number, len: number, t1: number, t2: number, s12: number,
  x: Float64Array, ldx: number, r: number, c0: number, c1: number, forward: boolean,
): void {
  const v11 = a[o1 + 1];
  let c = c0;
  for (; c + 3 < c1; c += 4) {
    const p0 = c * ldx + r, p1 = p0 + ldx, p2 = p1 + ldx, p3 = p2 + ldx;
    // rows r and r+1
    let d10 = x[p0] + v11 * x[p0 + 1], d11 = x[p1] + v11 * x[p1 + 1];
    let d12 = x[p2] + v11 * x[p2 + 1], d13 = x[p3] + v11 * x[p3 + 1];
    let d20 = x[p0 + 1], d21 = x[p1 + 1], d22 = x[p2 + 1], d23 = x[p3 + 1];
    for (let i = 2; i < len; i++) {
      const u = a[o1 + i], w = a[o2 + i - 1];
      const x0 = x[p0 + i], x1 = x[p1 + i], x2 = x[p2 + i], x3 = x[p3 + i];
      d10 += u * x0; d20 += w * x0;
      d11 += u * x1; d21 += w * x1;
      d12 += u * x2; d22 += w * x2;
      d13 += u * x3; d23 += w * x3;
    }
    if (forward) {
      d10 *= t1; d11 *= t1; d12 *= t1; d13 *= t1;
      d20 = t2 * (d20 - d10 * s12); d21 = t2 * (d21 - d11 * s12);
      d22 = t2 * (d22 - d12 * s12); d23 = t2 * (d23 - d13 * s12);
    } else {
      d20 *= t2; d21 *= t2; d22 *= t2; d23 *= t2;
      d10 = t1 * (d10 - d20 * s12); d11 = t1 * (d11 - d21 * s12);
      d12 = t1 * (d12 - d22 * s12); d13 = t1 * (d13 - d23 * s12);
    }
    x[p0] -= d10; x[p1] -= d11; x[p2] -= d12; x[p3] -= d13;
    x[p0 + 1] -= d10 * v11 + d20; x[p1 + 1] -= d11 * v11 + d21;
    x[p2 + 1] -= d12 * v11 + d22; x[p3 + 1] -= d13 * v11 + d23;
    for (let i = 2; i < len; i++) {
      const u = a[o1 + i], w = a[o2 + i - 1];
      x[p0 + i] -= d10 * u + d20 * w;
      x[p1 + i] -= d11 * u + d21 * w;
      x[p2 + i] -= d12 * u + d22 * w;
      x[p3 + i] -= d13 * u + d23 * w;
    }
  }
  for (; c < c1; c++) {
    const p = c * ldx + r;
    let d1 = x[p] + v11 * x[p + 1], d2 = x[p + 1];
    for (let i = 2; i < len; i++) {
      const xi = x[p + i];
      d1 += a[o1 + i] * xi;
      d2 += a[o2 + i - 1] * xi;
    }
    if (forward) {
      d1 *= t1;
      d2 = t2 * (d2 - d1 * s12);
    } else {
      d2 *= t2;
      d1 = t1 * (d1 - d2 * s12);
    }
    x[p] -= d1;
    x[p + 1] -= d1 * v11 + d2;
    for (let i = 2; i < len; i++) x[p + i] -= d1 * a[o1 + i] + d2 * a[o2 + i - 1];
  }
}

/** v2ᵀ·v1 for the reflector pair of {@link applyReflectorPair}. */
export function pairOverlap(a: Float64Array, o1: number, o2: number, len: number): number {
  let s = a[o1 + 1];
  for (let i = 2; i < len; i++) s += a[o2 + i - 1] * a[o1 + i];
  return s;
}

/** Generates reflector j from column j of the column-major m-row `a` (dlarfg); R_jj goes to a[j*m + j]. */
export function makeReflector(m: number, a: Float64Array, tau: Float64Array, j: number): void {
  const cj = j * m;
  let tailNorm = columnTailNorm(a, cj, j + 1, m);
  if (tailNorm === 0) {
    tau[j] = 0; // already upper triangular in this column
    return;
  }
  let alpha = a[cj + j];
  let norm = Math.hypot(alpha, tailNorm);
  let unscale = 1;
  if (norm < SAFMIN) {
    // tiny column (LAPACK dlarfg): rescale by an exact power of two so that 1/(alpha − beta)
    // and the reflector are computed at full precision; only R_jj needs scaling back
    for (let i = j; i < m; i++) a[cj + i] *= UPSCALE;
    unscale = 1 / UPSCALE;
    alpha = a[cj + j];
    tailNorm = columnTailNorm(a, cj, j + 1, m);
    norm = Math.hypot(alpha, tailNorm);
  }
  const beta = alpha >= 0 ? -norm : norm;
  tau[j] = (beta - alpha) / beta;
  const inv = 1 / (alpha - beta);
  for (let i = j + 1; i < m; i++) a[cj + i] *= inv;
  a[cj + j] = beta * unscale;
}

/** ‖a[off+i0 .. off+m-1]‖₂: one unscaled pass, rescaled only on overflow or underflow. */
function columnTailNorm(a: Float64Array, off: number, i0: number, m: number): number {
  let ss = 0;
  for (let i = i0; i < m; i++) {
    const v = a[off + i];
    ss += v * v;
  }
  if (ss > SMALL_SS && ss < Infinity) return Math.sqrt(ss);
  let scale = 0;
  for (let i = i0; i < m; i++) {
    const v = Math.abs(a[off + i]);
    if (v > scale || v !== v) scale = v; // NaN wins: it propagates instead of reading as a zero column
  }
  if (scale === 0) return 0;
  let s2 = 0;
  for (let i = i0; i < m; i++) {
    const v = a[off + i] / scale;
    s2 += v * v;
  }
  return scale * Math.sqrt(s2);
}

