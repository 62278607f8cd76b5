/**
 * Eigenvalues of a general real square matrix in float64: optional balancing (EISPACK balanc),
 * Householder reduction to upper Hessenberg form, then Francis double-shift QR iteration without
 * accumulating transformations (EISPACK hqr). Row-major working storage.
 */
import { checkOptionKeys, readOptions } from '../options.js';
import { EIGENVALUES_KEYS } from '../option-keys.js';
import { scalePow2 } from './hypot.js';
import type { MatrixInput } from './matrix64.js';
import { assertSquare, readMatrix } from './read-matrix.js';

const EPS = 2 ** -52;

/** Cumulative row/column scale factors allowed by {@link balance} (LAPACK dgebal guards the same way). */
const BAL_MIN = 2 ** -64, BAL_MAX = 2 ** 64;

/**
 * Balances the row-major n×n matrix in place by exact powers of 2 (a diagonal similarity, so the
 * eigenvalues are unchanged): EISPACK balanc, with the cumulative factor of each index kept within
 * 2^±64 so that no entry is pushed into underflow, and a bound on the number of sweeps.
 */
function balance(n: number, h: Float64Array): void {
  const RADIX = 2, SQRDX = 4;
  const d = new Float64Array(n).fill(1);
  let done = false;
  for (let sweep = 0; !done && sweep < 100; sweep++) {
    done = true;
    for (let i = 0; i < n; i++) {
      let r = 0, c = 0;
      const oi = i * n;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        c += Math.abs(h[j * n + i]);
        r += Math.abs(h[oi + j]);
      }
      if (c !== 0 && r !== 0) {
        let g = r / RADIX;
        let f = 1;
        const s = c + r;
        while (c < g && d[i] * f < BAL_MAX) {
          f *= RADIX;
          c *= SQRDX;
        }
        g = r * RADIX;
        while (c > g && d[i] * f > BAL_MIN) {
          f /= RADIX;
          c /= SQRDX;
        }
        if ((c + r) / f < 0.95 * s) {
          done = false;
          d[i] *= f;
          g = 1 / f;
          for (let j = 0; j < n; j++) h[oi + j] *= g;
          for (let j = 0; j < n; j++) h[j * n + i] *= f;
        }
      }
    }
  }
}

/**
 * Reduces the row-major n×n matrix `h` to upper Hessenberg form in place by Householder similarities
 * (EISPACK orthes); entries below the sub-diagonal are set to zero. `ort` and `w` are scratch of length n.
 */
function hessenberg(n: number, h: Float64Array, ort: Float64Array, w: Float64Array, tick?: () => void): void {
  const high = n - 1;
  for (let m = 1; m < high; m++) {
    tick?.();
    let scale = 0;
    for (let i = m; i <= high; i++) scale += Math.abs(h[i * n + m - 1]);
    if (scale === 0) continue;
    let hs = 0;
    for (let i = high; i >= m; i--) {
      const x = h[i * n + m - 1] / scale;
      ort[i] = x;
      hs += x * x;
    }
    let g = Math.sqrt(hs);
    if (ort[m] > 0) g = -g;
    hs -= ort[m] * g;
    ort[m] -= g;
    const inv = 1 / hs;
    // left: H = (I − u·uᵀ/hs)·H on rows m..high, columns m..n-1: w = Hᵀu/hs, then H −= u·wᵀ,
    // as row-contiguous passes over four rows at a time
    for (let j = m; j < n; j++) w[j] = 0;
    let i = m;
    for (; i + 3 <= high; i += 4) {
      const u0 = ort[i], u1 = ort[i + 1], u2 = ort[i + 2], u3 = ort[i + 3];
      const r0 = i * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
      for (let j = m; j < n; j++) w[j] += u0 * h[r0 + j] + u1 * h[r1 + j] + u2 * h[r2 + j] + u3 * h[r3 + j];
    }
    for (; i <= high; i++) {
      const u = ort[i], oi = i * n;
      for (let j = m; j < n; j++) w[j] += u * h[oi + j];
    }
    for (let j = m; j < n; j++) w[j] *= inv;
    for (i = m; i + 3 <= high; i += 4) {
      const u0 = ort[i], u1 = ort[i + 1], u2 = ort[i + 2], u3 = ort[i + 3];
      const r0 = i * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
      for (let j = m; j < n; j++) {
        const wj = w[j];
        h[r0 + j] -= u0 * wj;
        h[r1 + j] -= u1 * wj;
        h[r2 + j] -= u2 * wj;
        h[r3 + j] -= u3 * wj;
      }
    }
    for (; i <= high; i++) {
      const u = ort[i], oi = i * n;
      for (let j = m; j < n; j++) h[oi + j] -= u * w[j];
    }
    // right: H = H·(I − u·uᵀ/hs) on rows 0..high, columns m..high, four rows at a time
    for (i = 0; i + 3 <= high; i += 4) {
      const r0 = i * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
      let f0 = 0, f1 = 0, f2 = 0, f3 = 0;
      for (let j = m; j <= high; j++) {
        const u = ort[j];
        f0 += u * h[r0 + j];
        f1 += u * h[r1 + j];
        f2 += u * h[r2 + j];
        f3 += u * h[r3 + j];
      }
      f0 *= inv; f1 *= inv; f2 *= inv; f3 *= inv;
      for (let j = m; j <= high; j++) {
        const u = ort[j];
        h[r0 + j] -= f0 * u;
        h[r1 + j] -= f1 * u;
        h[r2 + j] -= f2 * u;
        h[r3 + j] -= f3 * u;
      }
    }
    for (; i <= high; i++) {
      const oi = i * n;
      let f = 0;
      for (let j = m; j <= high; j++) f += ort[j] * h[oi + j];
      f *= inv;
      for (let j = m; j <= high; j++) h[oi + j] -= f * ort[j];
    }
    h[m * n + m - 1] = scale * g;
    for (let i = m + 1; i <= high; i++) h[i * n + m - 1] = 0;
  }
}

function sign(a: number, b: number): number {
  return b >= 0 ? Math.abs(a) : -Math.abs(a);
}

/**
 * Francis double-shift QR on the row-major upper Hessenberg `h` (destroyed), eigenvalues only
 * (EISPACK hqr). Pairs are written to consecutive slots, (x, −y) then (x, +y).
 */
function hqr(n: number, h: Float64Array, re: Float64Array, im: Float64Array, tick?: () => void): void {
  const maxIts = 30 * Math.max(10, n);
  let anorm = 0;
  for (let i = 0; i < n; i++) {
    for (let j = Math.max(i - 1, 0); j < n; j++) anorm += Math.abs(h[i * n + j]);
  }
  const floor = EPS * anorm;
  let nn = n - 1;
  let t = 0;
  let p = 0, q = 0, r = 0, s = 0, w = 0, x = 0, y = 0, z = 0;
  while (nn >= 0) {
    let its = 0;
    let l: number;
    do {
      tick?.();
      // look for a single small sub-diagonal element
      for (l = nn; l >= 1; l--) {
        s = Math.abs(h[(l - 1) * n + l - 1]) + Math.abs(h[l * n + l]);
        // negligible relative to its diagonal neighbours (EISPACK), or below ε²·‖H‖, which keeps
        // strongly graded matrices (tiny diagonal next to ordinary entries) from stagnating while
        // staying far inside the ε·‖H‖ backward error
        if (s < floor) s = floor;
        if (Math.abs(h[l * n + l - 1]) + s === s) {
          h[l * n + l - 1] = 0;
          break;
        }
      }
      x = h[nn * n + nn];
      if (l === nn) {
        // one root found
        re[nn] = x + t;
        im[nn] = 0;
        nn--;
      } else {
        y = h[(nn - 1) * n + nn - 1];
        w = h[nn * n + nn - 1] * h[(nn - 1) * n + nn];
        if (l === nn - 1) {
          // two roots found
          p = 0.5 * (y - x);
          q = p * p + w;
          z = Math.sqrt(Math.abs(q));
          x += t;
          if (q >= 0) {
            z = p + sign(z, p);
            re[nn - 1] = re[nn] = x + z;
            if (z !== 0) re[nn] = x - w / z;
            im[nn - 1] = im[nn] = 0;
          } else {
            re[nn - 1] = re[nn] = x + p;
            im[nn - 1] = -z;
            im[nn] = z;
          }
          nn -= 2;
        } else {
          if (its === maxIts) {
            throw new Error(`eigenvalues: the QR iteration did not converge after ${maxIts} iterations (${nn + 1} of ${n} eigenvalues left)`);
          }
          if (its > 0 && its % 10 === 0) {
            // exceptional shift
            t += x;
            for (let i = 0; i <= nn; i++) h[i * n + i] -= x;
            s = Math.abs(h[nn * n + nn - 1]) + Math.abs(h[(nn - 1) * n + nn - 2]);
            y = x = 0.75 * s;
            w = -0.4375 * s * s;
          }
          ++its;
          // form the shift and look for two consecutive small sub-diagonal elements
          let m: number;
          for (m = nn - 2; m >= l; m--) {
            z = h[m * n + m];
            r = x - z;
            s = y - z;
            p = (r * s - w) / h[(m + 1) * n + m] + h[m * n + m + 1];
            q = h[(m + 1) * n + m + 1] - z - r - s;
            r = h[(m + 2) * n + m + 1];
            s = Math.abs(p) + Math.abs(q) + Math.abs(r);
            p /= s;
            q /= s;
            r /= s;
            if (m === l) break;
            const u = Math.abs(h[m * n + m - 1]) * (Math.abs(q) + Math.abs(r));
            const v = Math.abs(p) * (Math.abs(h[(m - 1) * n + m - 1]) + Math.abs(z) + Math.abs(h[(m + 1) * n + m + 1]));
            if (u + v === v) break;
          }
          for (let i = m + 2; i <= nn; i++) {
            h[i * n + i - 2] = 0;
            if (i !== m + 2) h[i * n + i - 3] = 0;
          }
          // double QR step on rows l..nn and columns m..nn
          for (let k = m; k <= nn - 1; k++) {
            if (k !== m) {
              p = h[k * n + k - 1];
              q = h[(k + 1) * n + k - 1];
              r = 0;
              if (k !== nn - 1) r = h[(k + 2) * n + k - 1];
              x = Math.abs(p) + Math.abs(q) + Math.abs(r);
              if (x !== 0) {
                p /= x;
                q /= x;
                r /= x;
              }
            }
            s = sign(Math.sqrt(p * p + q * q + r * r), p);
            if (s !== 0) {
              if (k === m) {
                if (l !== m) h[k * n + k - 1] = -h[k * n + k - 1];
              } else {
                h[k * n + k - 1] = -s * x;
              }
              p += s;
              x = p / s;
              y = q / s;
              z = r / s;
              q /= p;
              r /= p;
              const o0 = k * n, o1 = o0 + n, o2 = o1 + n;
              if (k !== nn - 1) {
                for (let j = k; j <= nn; j++) {
                  const pp = h[o0 + j] + q * h[o1 + j] + r * h[o2 + j];
                  h[o2 + j] -= pp * z;
                  h[o1 + j] -= pp * y;
                  h[o0 + j] -= pp * x;
                }
              } else {
                for (let j = k; j <= nn; j++) {
                  const pp = h[o0 + j] + q * h[o1 + j];
                  h[o1 + j] -= pp * y;
                  h[o0 + j] -= pp * x;
                }
              }
              const mmin = nn < k + 3 ? nn : k + 3;
              if (k !== nn - 1) {
                for (let i = l; i <= mmin; i++) {
                  const oi = i * n + k;
                  const pp = x * h[oi] + y * h[oi + 1] + z * h[oi + 2];
                  h[oi + 2] -= pp * r;
                  h[oi + 1] -= pp * q;
                  h[oi] -= pp;
                }
              } else {
                for (let i = l; i <= mmin; i++) {
                  const oi = i * n + k;
                  const pp = x * h[oi] + y * h[oi + 1];
                  h[oi + 1] -= pp * q;
                  h[oi] -= pp;
                }
              }
            }
          }
        }
      }
    } while (l < nn - 1);
  }
}

/**
 * Sorts eigenvalues in place: by modulus descending, ties by real part descending; a complex
 * conjugate pair stays adjacent, positive imaginary part first. Expects pairs in consecutive slots.
 */
function sortEigenvalues(n: number, re: Float64Array, im: Float64Array): void {
  const items: { re: number; im: number; mod: number }[] = [];
  for (let i = 0; i < n; i++) {
    if (im[i] !== 0 && i + 1 < n) {
      const y = Math.abs(im[i]);
      items.push({ re: re[i], im: y, mod: Math.hypot(re[i], y) });
      i++;
    } else {
      items.push({ re: re[i], im: 0, mod: Math.abs(re[i]) });
    }
  }
  items.sort((a, b) => b.mod - a.mod || b.re - a.re || b.im - a.im);
  let k = 0;
  for (const it of items) {
    re[k] = it.re;
    im[k++] = it.im;
    if (it.im !== 0) {
      re[k] = it.re;
      im[k++] = -it.im;
    }
  }
}

/**
 * Unchecked kernel: eigenvalues of the general n×n matrix `a` (row-major float64, not modified),
 * written to `re` and `im` (length n each) sorted by modulus descending (ties by real part
 * descending), conjugate pairs adjacent with the positive imaginary part first. Conjugate pairs are
 * exact conjugates. `work`, if given, is scratch of length ≥ n² + 2n (allocated otherwise).
 * Throws RangeError on a non-finite entry and Error if the QR iteration fails to converge.
 *
 * @example
 * ```ts
 * const re = new Float64Array(2), im = new Float64Array(2);
 * eigenvaluesRaw(2, new Float64Array([0, -1, 1, 0]), re, im); // re = [0, 0], im = [1, -1]
 * ```
 */
export function eigenvaluesRaw(
  n: number, a: Float64Array, re: Float64Array, im: Float64Array,
  opts: { balance?: boolean; work?: Float64Array; tick?: () => void } = {},
): void {
  const nn = n * n;
  const work = opts.work !== undefined && opts.work.length >= nn + 2 * n ? opts.work : new Float64Array(nn + 2 * n);
  const h = work.subarray(0, nn);
  let amax = 0;
  for (let i = 0; i < nn; i++) {
    const x = a[i];
    if (x - x !== 0) throw new RangeError(`eigenvaluesRaw: expected finite values, found ${x} at [${Math.floor(i / n)},${i % n}]`);
    h[i] = x;
    const ax = x < 0 ? -x : x;
    if (ax > amax) amax = ax;
  }
  // scale by an exact power of two so that max |a_ij| is in [0.5, 1): the shift formulas square
  // entries, which would underflow (or overflow) for matrices of tiny (or huge) scale
  const e = amax > 0 ? Math.floor(Math.log2(amax)) + 1 : 0;
  if (e !== 0) scalePow2(h, nn, -e);
  if (opts.balance ?? true) balance(n, h);
  // tick: an optional progress point (each Householder step and each QR iteration; never changes results)
  hessenberg(n, h, work.subarray(nn, nn + n), work.subarray(nn + n, nn + 2 * n), opts.tick);
  hqr(n, h, re, im, opts.tick);
  if (e !== 0) {
    scalePow2(re, n, e);
    scalePow2(im, n, e);
  }
  sortEigenvalues(n, re, im);
}

/** Options of {@link eigenvalues}. */
export interface EigenvaluesOptions {
  /** Balance the matrix first (exact diagonal similarity by powers of 2; improves accuracy for badly scaled matrices). Default true. */
  balance?: boolean;
}

/**
 * Eigenvalues of a general real square matrix, computed in float64 (balancing, Householder
 * reduction to Hessenberg form, Francis double-shift QR: EISPACK balanc/orthes/hqr).
 *
 * Returns `{ re, im }` (Float64Array each, length n) sorted by modulus |λ| descending, ties by real
 * part descending; a complex conjugate pair is adjacent with the positive imaginary part first, and
 * its two entries are exact conjugates. Real eigenvalues have `im` exactly 0. Repeated eigenvalues
 * are returned once per multiplicity (defective ones with the usual O(ε^{1/k}) perturbation).
 * Accepts a rank-2 Tensor, a `{ rows, cols, data }` matrix or nested arrays; the input is not
 * modified. Throws TypeError for a wrong kind, RangeError for a non-square or empty matrix or a
 * NaN/Infinity entry.
 *
 * @example
 * ```ts
 * const { re, im } = eigenvalues([[0, -2], [2, 0]]); // re = [0, 0], im = [2, -2]
 * const stable = re.every((x, i) => Math.hypot(x, im[i]) < 1);
 * ```
 */
export function eigenvalues(a: MatrixInput, options: EigenvaluesOptions = {}): { re: Float64Array; im: Float64Array } {
  const opts = readOptions(options, 'eigenvalues');
  checkOptionKeys(opts, EIGENVALUES_KEYS, 'eigenvalues');
  const bal = opts.balance ?? true;
  if (typeof bal !== 'boolean') throw new TypeError(`eigenvalues: expected opts.balance to be a boolean, got ${typeof bal}`);
  const A = readMatrix(a, 'eigenvalues: a', 'row');
  assertSquare(A, 'eigenvalues: a');
  const n = A.rows;
  const re = new Float64Array(n), im = new Float64Array(n);
  const work = new Float64Array(n * n + 2 * n);
  eigenvaluesRaw(n, A.data, re, im, { balance: bal, work });
  return { re, im };
}
