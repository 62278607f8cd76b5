/**
 * Thin singular value decomposition in float64 by Golub–Kahan–Reinsch: Householder
 * bidiagonalisation, then implicit-shift QR on the bidiagonal (LINPACK dsvdc, as in JAMA), on
 * column-major working storage so that every inner loop is contiguous. Wide matrices are handled
 * through their transpose.
 */
import { checkOptionKeys, readOptions } from '../options.js';
import { SVD_KEYS } from '../option-keys.js';
import { hypot2, scalePow2 } from './hypot.js';
import type { Matrix64, MatrixInput } from './matrix64.js';
import { readMatrix } from './read-matrix.js';

const EPS = 2 ** -52;
const TINY = 2 ** -966;
/** Householder vectors with a norm below this are normalised after an exact rescaling by UPSCALE. */
const SAFMIN = 2 ** -969;
const UPSCALE = 2 ** 600;

/**
 * Golub–Kahan–Reinsch on the column-major m×n `a` (m ≥ n ≥ 1, destroyed). Writes s (length n,
 * descending, ≥ 0), U (m×n column-major) and V (n×n column-major) when not null.
 */
function gkr(
  m: number, n: number, a: Float64Array, s: Float64Array,
  U: Float64Array | null, V: Float64Array | null, e: Float64Array, work: Float64Array,
): void {
  const wantu = U !== null, wantv = V !== null;
  const nu = n;
  const nct = Math.min(m - 1, n);
  const nrt = Math.max(0, Math.min(n - 2, m));
  const kmax = Math.max(nct, nrt);
  for (let k = 0; k < kmax; k++) {
    const ck = k * m;
    if (k < nct) {
      // the k-th column transformation; s[k] = k-th diagonal
      let sk = 0;
      for (let i = k; i < m; i++) sk = hypot2(sk, a[ck + i]);
      if (sk !== 0) {
        let back = 1;
        if (sk < SAFMIN) {
          // a (sub)normal-tiny column: normalise it at full precision after an exact rescaling
          for (let i = k; i < m; i++) a[ck + i] *= UPSCALE;
          sk = 0;
          for (let i = k; i < m; i++) sk = hypot2(sk, a[ck + i]);
          back = 1 / UPSCALE;
        }
        if (a[ck + k] < 0) sk = -sk;
        for (let i = k; i < m; i++) a[ck + i] /= sk;
        a[ck + k] += 1;
        sk *= back;
      }
      s[k] = -sk;
    }
    const applyCol = k < nct && s[k] !== 0;
    let j = k + 1;
    if (applyCol) {
      const akk = a[ck + k];
      for (; j + 1 < n; j += 2) {
        const c0 = j * m, c1 = c0 + m;
        let t0 = 0, t1 = 0;
        for (let i = k; i < m; i++) {
          const x = a[ck + i];
          t0 += x * a[c0 + i];
          t1 += x * a[c1 + i];
        }
        t0 = -t0 / akk;
        t1 = -t1 / akk;
        for (let i = k; i < m; i++) {
          const x = a[ck + i];
          a[c0 + i] += t0 * x;
          a[c1 + i] += t1 * x;
        }
        e[j] = a[c0 + k];
        e[j + 1] = a[c1 + k];
      }
      for (; j < n; j++) {
        const cj = j * m;
        let t = 0;
        for (let i = k; i < m; i++) t += a[ck + i] * a[cj + i];
        t = -t / akk;
        for (let i = k; i < m; i++) a[cj + i] += t * a[ck + i];
        e[j] = a[cj + k];
      }
    } else {
      for (; j < n; j++) e[j] = a[j * m + k];
    }
    if (wantu && k < nct) {
      for (let i = k; i < m; i++) U![ck + i] = a[ck + i];
    }
    if (k < nrt) {
      // the k-th row transformation; e[k] = k-th super-diagonal
      let ek = 0;
      for (let i = k + 1; i < n; i++) ek = hypot2(ek, e[i]);
      if (ek !== 0) {
        let back = 1;
        if (ek < SAFMIN) {
          for (let i = k + 1; i < n; i++) e[i] *= UPSCALE;
          ek = 0;
          for (let i = k + 1; i < n; i++) ek = hypot2(ek, e[i]);
          back = 1 / UPSCALE;
        }
        if (e[k + 1] < 0) ek = -ek;
        for (let i = k + 1; i < n; i++) e[i] /= ek;
        e[k + 1] += 1;
        ek *= back;
      }
      ek = -ek;
      e[k] = ek;
      if (k + 1 < m && ek !== 0) {
        // work = A[k+1.., k+1..]·e, then A −= work·eᵀ/e[k+1]; four columns per pass
        for (let i = k + 1; i < m; i++) work[i] = 0;
        let jj = k + 1;
        for (; jj + 3 < n; jj += 4) {
          const e0 = e[jj], e1 = e[jj + 1], e2 = e[jj + 2], e3 = e[jj + 3];
          const c0 = jj * m, c1 = c0 + m, c2 = c1 + m, c3 = c2 + m;
          for (let i = k + 1; i < m; i++) work[i] += e0 * a[c0 + i] + e1 * a[c1 + i] + e2 * a[c2 + i] + e3 * a[c3 + i];
        }
        for (; jj < n; jj++) {
          const ej = e[jj], cj = jj * m;
          for (let i = k + 1; i < m; i++) work[i] += ej * a[cj + i];
        }
        const ek1 = e[k + 1];
        for (jj = k + 1; jj + 3 < n; jj += 4) {
          const t0 = -e[jj] / ek1, t1 = -e[jj + 1] / ek1, t2 = -e[jj + 2] / ek1, t3 = -e[jj + 3] / ek1;
          const c0 = jj * m, c1 = c0 + m, c2 = c1 + m, c3 = c2 + m;
          for (let i = k + 1; i < m; i++) {
            const wi = work[i];
            a[c0 + i] += t0 * wi;
            a[c1 + i] += t1 * wi;
            a[c2 + i] += t2 * wi;
            a[c3 + i] += t3 * wi;
          }
        }
        for (; jj < n; jj++) {
          const t = -e[jj] / ek1, cj = jj * m;
          for (let i = k + 1; i < m; i++) a[cj + i] += t * work[i];
        }
      }
      if (wantv) {
        for (let i = k + 1; i < n; i++) V![k * n + i] = e[i];
      }
    }
  }

  // the final bidiagonal of order p
  let p = Math.min(n, m + 1);
  if (nct < n) s[nct] = a[nct * m + nct];
  if (m < p) s[p - 1] = 0;
  if (nrt + 1 < p) e[nrt] = a[(p - 1) * m + nrt];
  e[p - 1] = 0;

  if (wantu) {
    const u = U!;
    for (let j = nct; j < nu; j++) {
      u.fill(0, j * m, j * m + m);
      u[j * m + j] = 1;
    }
    for (let k = nct - 1; k >= 0; k--) {
      const ck = k * m;
      if (s[k] !== 0) {
        reflectColumns(u, m, ck, k, m, k + 1, nu, u[ck + k]);
        for (let i = k; i < m; i++) u[ck + i] = -u[ck + i];
        u[ck + k] = 1 + u[ck + k];
        for (let i = 0; i < k; i++) u[ck + i] = 0;
      } else {
        u.fill(0, ck, ck + m);
        u[ck + k] = 1;
      }
    }
  }

  if (wantv) {
    const v = V!;
    for (let k = n - 1; k >= 0; k--) {
      const ck = k * n;
      if (k < nrt && e[k] !== 0) {
        reflectColumns(v, n, ck, k + 1, n, k + 1, nu, v[ck + k + 1]);
      }
      v.fill(0, ck, ck + n);
      v[ck + k] = 1;
    }
  }

  // main iteration loop for the singular values
  const csV = new Float64Array(n), snV = new Float64Array(n), csU = new Float64Array(n), snU = new Float64Array(n);
  const pp = p - 1;
  let iter = 0;
  const maxIter = 75 * Math.max(n, 10);
  while (p > 0) {
    let k: number;
    let kase: number;
    // kase 1: s[p-1] and e[k-1] negligible, k < p; kase 2: s[k] negligible, k < p;
    // kase 3: e[k-1] negligible, k < p, s[k..p-1] not negligible (QR step); kase 4: e[p-2] negligible (convergence)
    for (k = p - 2; k >= -1; k--) {
      if (k === -1) break;
      if (Math.abs(e[k]) <= TINY + EPS * (Math.abs(s[k]) + Math.abs(s[k + 1]))) {
        e[k] = 0;
        break;
      }
    }
    if (k === p - 2) {
      kase = 4;
    } else {
      let ks: number;
      for (ks = p - 1; ks >= k; ks--) {
        if (ks === k) break;
        const t = (ks !== p ? Math.abs(e[ks]) : 0) + (ks !== k + 1 ? Math.abs(e[ks - 1]) : 0);
        if (Math.abs(s[ks]) <= TINY + EPS * t) {
          s[ks] = 0;
          break;
        }
      }
      if (ks === k) {
        kase = 3;
      } else if (ks === p - 1) {
        kase = 1;
      } else {
        kase = 2;
        k = ks;
      }
    }
    k++;

    switch (kase) {
      case 1: {
        // deflate negligible s[p-1]
        let f = e[p - 2];
        e[p - 2] = 0;
        for (let j = p - 2; j >= k; j--) {
          const t = hypot2(s[j], f);
          const cs = s[j] / t, sn = f / t;
          s[j] = t;
          if (j !== k) {
            f = -sn * e[j - 1];
            e[j - 1] = cs * e[j - 1];
          }
          if (wantv) rotate(V!, n, j * n, (p - 1) * n, cs, sn);
        }
        break;
      }
      case 2: {
        // split at negligible s[k]
        let f = e[k - 1];
        e[k - 1] = 0;
        for (let j = k; j < p; j++) {
          const t = hypot2(s[j], f);
          const cs = s[j] / t, sn = f / t;
          s[j] = t;
          f = -sn * e[j];
          e[j] = cs * e[j];
          if (wantu) rotate(U!, m, j * m, (k - 1) * m, cs, sn);
        }
        break;
      }
      case 3: {
        if (++iter > maxIter) {
          throw new Error(`svd: the bidiagonal QR iteration did not converge after ${maxIter} iterations`);
        }
        // the shift
        const scale = Math.max(Math.abs(s[p - 1]), Math.abs(s[p - 2]), Math.abs(e[p - 2]), Math.abs(s[k]), Math.abs(e[k]));
        const sp = s[p - 1] / scale;
        const spm1 = s[p - 2] / scale;
        const epm1 = e[p - 2] / scale;
        const sk = s[k] / scale;
        const ek = e[k] / scale;
        const b = ((spm1 + sp) * (spm1 - sp) + epm1 * epm1) / 2;
        const c = sp * epm1 * (sp * epm1);
        let shift = 0;
        if (b !== 0 || c !== 0) {
          shift = Math.sqrt(b * b + c);
          if (b < 0) shift = -shift;
          shift = c / (b + shift);
        }
        let f = (sk + sp) * (sk - sp) + shift;
        let g = sk * ek;
        // chase zeros
        for (let j = k; j < p - 1; j++) {
          let t = hypot2(f, g);
          let cs = f / t, sn = g / t;
          if (j !== k) e[j - 1] = t;
          f = cs * s[j] + sn * e[j];
          e[j] = cs * e[j] - sn * s[j];
          g = sn * s[j + 1];
          s[j + 1] = cs * s[j + 1];
          csV[j] = cs;
          snV[j] = sn;
          t = hypot2(f, g);
          cs = f / t;
          sn = g / t;
          s[j] = t;
          f = cs * e[j] + sn * s[j + 1];
          s[j + 1] = -sn * e[j] + cs * s[j + 1];
          g = sn * e[j + 1];
          e[j + 1] = cs * e[j + 1];
          csU[j] = cs; // j < m − 1 always holds here, as m ≥ n
          snU[j] = sn;
        }
        e[p - 2] = f;
        // the chase's rotations, applied to V and U as two chains (see rotateChain)
        if (wantv) rotateChain(V!, n, k, p - 1, csV, snV);
        if (wantu) rotateChain(U!, m, k, p - 1, csU, snU);
        break;
      }
      default: {
        // convergence: make the singular value non-negative, then move it into order
        if (s[k] <= 0) {
          s[k] = s[k] < 0 ? -s[k] : 0;
          if (wantv) {
            const v = V!;
            for (let i = 0; i <= pp; i++) v[k * n + i] = -v[k * n + i];
          }
        }
        while (k < pp) {
          if (s[k] >= s[k + 1]) break;
          const t = s[k];
          s[k] = s[k + 1];
          s[k + 1] = t;
          if (wantv && k < n - 1) swapCols(V!, n, k);
          if (wantu && k < m - 1) swapCols(U!, m, k);
          k++;
        }
        iter = 0;
        p--;
      }
    }
  }
}

/**
 * For columns j in [j0, j1) of the column-major `w` (leading dimension ld): t = −(h·x_j)/pivot,
 * x_j += t·h over rows [r0, r1), where h is the column at offset `hOff`; four columns per pass.
 */
function reflectColumns(
  w: Float64Array, ld: number, hOff: number, r0: number, r1: number, j0: number, j1: number, pivot: number,
): void {
  let j = j0;
  for (; j + 3 < j1; j += 4) {
    const c0 = j * ld, c1 = c0 + ld, c2 = c1 + ld, c3 = c2 + ld;
    let t0 = 0, t1 = 0, t2 = 0, t3 = 0;
    for (let i = r0; i < r1; i++) {
      const h = w[hOff + i];
      t0 += h * w[c0 + i];
      t1 += h * w[c1 + i];
      t2 += h * w[c2 + i];
      t3 += h * w[c3 + i];
    }
    t0 = -t0 / pivot; t1 = -t1 / pivot; t2 = -t2 / pivot; t3 = -t3 / pivot;
    for (let i = r0; i < r1; i++) {
      const h = w[hOff + i];
      w[c0 + i] += t0 * h;
      w[c1 + i] += t1 * h;
      w[c2 + i] += t2 * h;
      w[c3 + i] += t3 * h;
    }
  }
  for (; j < j1; j++) {
    const cj = j * ld;
    let t = 0;
    for (let i = r0; i < r1; i++) t += w[hOff + i] * w[cj + i];
    t = -t / pivot;
    for (let i = r0; i < r1; i++) w[cj + i] += t * w[hOff + i];
  }
}

/**
 * Applies the rotations j = k, …, last−1 in order, rotation j mixing columns j and j+1 of the
 * column-major `w` (leading dimension len) as in {@link rotate}: x_j ← c·x_j + s·x_{j+1},
 * x_{j+1} ← c·x_{j+1} − s·x_j. Row by row this is a chain in which each entry is read and written
 * once; four rows at a time keep the chain's running values in registers.
 */
function rotateChain(w: Float64Array, len: number, k: number, last: number, cs: Float64Array, sn: Float64Array): void {
  const ok = k * len, ol = last * len;
  let r = 0;
  for (; r + 3 < len; r += 4) {
    let y0 = w[ok + r], y1 = w[ok + r + 1], y2 = w[ok + r + 2], y3 = w[ok + r + 3];
    for (let j = k; j < last; j++) {
      const c = cs[j], s = sn[j];
      const o0 = j * len + r, o1 = o0 + len;
      const x0 = w[o1], x1 = w[o1 + 1], x2 = w[o1 + 2], x3 = w[o1 + 3];
      w[o0] = c * y0 + s * x0;
      w[o0 + 1] = c * y1 + s * x1;
      w[o0 + 2] = c * y2 + s * x2;
      w[o0 + 3] = c * y3 + s * x3;
      y0 = c * x0 - s * y0;
      y1 = c * x1 - s * y1;
      y2 = c * x2 - s * y2;
      y3 = c * x3 - s * y3;
    }
    w[ol + r] = y0;
    w[ol + r + 1] = y1;
    w[ol + r + 2] = y2;
    w[ol + r + 3] = y3;
  }
  for (; r < len; r++) {
    let y = w[ok + r];
    for (let j = k; j < last; j++) {
      const c = cs[j], s = sn[j];
      const x = w[(j + 1) * len + r];
      w[j * len + r] = c * y + s * x;
      y = c * x - s * y;
    }
    w[ol + r] = y;
  }
}

/** x ← cs·x + sn·y, y ← −sn·x + cs·y for the length-len columns at offsets ox, oy. */
function rotate(w: Float64Array, len: number, ox: number, oy: number, cs: number, sn: number): void {
  for (let i = 0; i < len; i++) {
    const x = w[ox + i], y = w[oy + i];
    w[ox + i] = cs * x + sn * y;
    w[oy + i] = cs * y - sn * x;
  }
}

function swapCols(w: Float64Array, len: number, k: number): void {
  const o0 = k * len, o1 = o0 + len;
  for (let i = 0; i < len; i++) {
    const t = w[o1 + i];
    w[o1 + i] = w[o0 + i];
    w[o0 + i] = t;
  }
}

/**
 * Unchecked kernel: thin SVD of the m×n matrix `a` (row-major float64, not modified), k = min(m, n).
 * Writes the singular values (descending, ≥ 0) to `s` (length k) and, when not null, U (m×k) and
 * V (n×k) row-major with orthonormal columns, A = U·diag(s)·Vᵀ. Sign rule: the largest-magnitude
 * entry of each column of V is positive (U's column flips with it). Throws RangeError on a
 * non-finite entry and Error if the iteration fails to converge.
 *
 * @example
 * ```ts
 * const s = new Float64Array(2);
 * svdRaw(2, 2, new Float64Array([3, 0, 0, -4]), s, null, null); // s = [4, 3]
 * ```
 */
export function svdRaw(
  m: number, n: number, a: Float64Array, s: Float64Array, u: Float64Array | null, v: Float64Array | null,
): void {
  const mn = m * n;
  let amax = 0;
  for (let i = 0; i < mn; i++) {
    const x = a[i];
    if (x - x !== 0) throw new RangeError(`svdRaw: expected finite values, found ${x} at [${Math.floor(i / n)},${i % n}]`);
    const ax = x < 0 ? -x : x;
    if (ax > amax) amax = ax;
  }
  // exact power-of-two scaling to max |a_ij| in [0.5, 1), undone on s: keeps the Householder norms
  // of tiny (subnormal) or huge matrices at full precision
  const ex = amax > 0 ? Math.floor(Math.log2(amax)) + 1 : 0;
  const tall = m >= n;
  // column-major working matrix of shape M×N, M ≥ N: A itself (tall) or Aᵀ (wide, whose column-major
  // storage is A's row-major storage)
  const M = tall ? m : n, N = tall ? n : m;
  const w = new Float64Array(mn);
  if (tall) {
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) w[j * m + i] = a[i * n + j];
  } else {
    w.set(a.subarray(0, mn));
  }
  if (ex !== 0) scalePow2(w, mn, -ex);
  // A's V (needed whenever vectors are: the sign rule reads it) is the working V (tall) or U (wide);
  // A's U, needed only when asked for, is the working U (tall) or V (wide)
  const any = u !== null || v !== null;
  const needUw = tall ? u !== null : any;
  const needVw = tall ? any : u !== null;
  const Uw = needUw ? new Float64Array(M * N) : null;
  const Vw = needVw ? new Float64Array(N * N) : null;
  const sw = new Float64Array(N);
  gkr(M, N, w, sw, Uw, Vw, new Float64Array(N), new Float64Array(M));
  if (ex !== 0) scalePow2(sw, N, ex);
  s.set(sw);
  if (!any) return;
  // both column-major with k = N columns
  const vSrc = (tall ? Vw : Uw)!, vRows = n;
  const uSrc = tall ? Uw : Vw, uRows = m;
  const k = N;
  for (let j = 0; j < k; j++) {
    const ov = j * vRows;
    let big = 0, sign = 1;
    for (let i = 0; i < vRows; i++) {
      const x = vSrc[ov + i];
      const ax = x < 0 ? -x : x;
      if (ax > big) {
        big = ax;
        sign = x < 0 ? -1 : 1;
      }
    }
    if (v !== null) for (let i = 0; i < vRows; i++) v[i * k + j] = sign * vSrc[ov + i];
    if (u !== null && uSrc !== null) {
      const ou = j * uRows;
      for (let i = 0; i < uRows; i++) u[i * k + j] = sign * uSrc[ou + i];
    }
  }
}

/** Options of {@link svd}. */
export interface SvdOptions {
  /** Compute U and V (default true); singular values only is faster. */
  vectors?: boolean;
}

/** Result of {@link svd}. */
export interface SvdResult {
  /** m×k, orthonormal columns (row-major float64) */
  u: Matrix64;
  /** singular values, descending, ≥ 0 (length k = min(m, n)) */
  s: Float64Array;
  /** n×k, orthonormal columns (row-major float64); A = U·diag(s)·Vᵀ */
  v: Matrix64;
}

/**
 * Thin singular value decomposition A = U·diag(s)·Vᵀ of an m×n matrix, computed in float64
 * (Golub–Kahan–Reinsch: Householder bidiagonalisation and implicit-shift QR).
 *
 * Returns `s` (Float64Array, length k = min(m, n), descending, ≥ 0), `u` (m×k) and `v` (n×k) as
 * row-major {@link Matrix64} with orthonormal columns. Signs are fixed so that the largest-magnitude
 * entry of each column of V is positive (for PCA: the principal axes are the columns of V). Tall
 * and wide matrices both work. Accepts a rank-2 Tensor, a `{ rows, cols, data }` matrix or nested
 * arrays; the input is not modified. Throws TypeError for a wrong kind, RangeError for an empty
 * matrix or a NaN/Infinity entry. With `{ vectors: false }` only `s` is computed.
 *
 * @example
 * ```ts
 * const { u, s, v } = svd([[3, 0], [0, -4], [0, 0]]);
 * // s = [4, 3]; u is 3×2, v is 2×2
 * ```
 */
export function svd(a: MatrixInput, opts?: SvdOptions & { vectors?: true }): SvdResult;
export function svd(a: MatrixInput, opts: SvdOptions & { vectors: false }): { s: Float64Array };
export function svd(a: MatrixInput, opts?: SvdOptions): SvdResult | { s: Float64Array };
export function svd(a: MatrixInput, options: SvdOptions = {}): SvdResult | { s: Float64Array } {
  const opts = readOptions(options, 'svd');
  checkOptionKeys(opts, SVD_KEYS, 'svd');
  const wantV = opts.vectors ?? true;
  if (typeof wantV !== 'boolean') throw new TypeError(`svd: expected opts.vectors to be a boolean, got ${typeof wantV}`);
  const A = readMatrix(a, 'svd: a', 'row');
  const m = A.rows, n = A.cols, k = Math.min(m, n);
  const s = new Float64Array(k);
  if (!wantV) {
    svdRaw(m, n, A.data, s, null, null);
    return { s };
  }
  const u = new Float64Array(m * k), v = new Float64Array(n * k);
  svdRaw(m, n, A.data, s, u, v);
  return { u: { rows: m, cols: k, data: u }, s, v: { rows: n, cols: k, data: v } };
}
