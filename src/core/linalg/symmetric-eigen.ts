/**
 * Eigenvalues and eigenvectors of a real symmetric matrix in float64: Householder reduction to
 * tridiagonal form, then the implicit QL algorithm with Wilkinson-like shifts (EISPACK's tred2 and
 * tql2, as in JAMA), on column-major working storage so that every inner loop is contiguous.
 */
import { checkOptionKeys, kindOf, readOptions } from '../options.js';
import { SYMMETRIC_EIGEN_KEYS } from '../option-keys.js';
import { formatShape } from '../errors.js';
import { hypot2, scalePow2 } from './hypot.js';
import type { Matrix64, MatrixInput } from './matrix64.js';
import { assertSquare, readMatrix } from './read-matrix.js';
import { wasmKernels, wasmTridiagonalWorkspace } from '../wasm64/kernels-wasm.js';

const EPS = 2 ** -52;
/** QL iterations allowed per eigenvalue before giving up (LAPACK's dsteqr allows 30 on average). */
const MAX_ITER = 60;

/**
 * Householder tridiagonalisation (tred2). `v` is the n×n symmetric matrix in column-major order
 * (only entries v[c*n + r] with r ≥ c are read). On return `d` holds the diagonal, `e[1..n-1]` the
 * sub-diagonal (e[0] = 0) and, when `accumulate`, `v` the orthogonal transformation.
 */
function tred2(
  n: number, v: Float64Array, d: Float64Array, e: Float64Array, accumulate: boolean, tick?: () => void, passes?: TridiagonalPasses,
): void {
  const last = (n - 1);
  for (let j = 0; j < n; j++) d[j] = v[j * n + last];
  for (let i = n - 1; i > 0; i--) {
    tick?.();
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = v[j * n + i - 1];
        v[j * n + i] = 0;
        v[i * n + j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      // e = A·u over the leading i×i block (lower triangle, two columns at a time)
      if (passes !== undefined) passes.symv(i);
      else symvPass(n, i, v, d, e);
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      // rank-2 update V −= d·eᵀ + e·dᵀ (lower triangle), two columns at a time
      if (passes !== undefined) passes.rank2(i);
      else rank2Pass(n, i, v, d, e);
    }
    d[i] = h;
  }

  if (!accumulate) {
    for (let i = 0; i < n; i++) d[i] = v[i * n + i];
    e[0] = 0;
    return;
  }
  accumulateTred2(n, v, d, e);
}

/** The two O(i²) passes of step i of {@link tred2}, when they run elsewhere (WebAssembly). */
interface TridiagonalPasses {
  symv(i: number): void;
  rank2(i: number): void;
}

/** tred2's e = A·u over the leading i×i block of v (lower triangle), u = d[0..i) stored in column i. */
function symvPass(n: number, i: number, v: Float64Array, d: Float64Array, e: Float64Array): void {
  const ci = i * n;
  let f: number, g: number;
  let j = 0;
  for (; j + 1 < i; j += 2) {
    const c0 = j * n, c1 = c0 + n;
    const f0 = d[j], f1 = d[j + 1];
    v[ci + j] = f0; // V(j, i) = f
    v[ci + j + 1] = f1;
    const a10 = v[c0 + j + 1];
    let g0 = e[j] + v[c0 + j] * f0 + a10 * f1;
    e[j + 1] += a10 * f0;
    let g1 = e[j + 1] + v[c1 + j + 1] * f1;
    for (let k = j + 2; k < i; k++) {
      const x0 = v[c0 + k], x1 = v[c1 + k], dk = d[k];
      g0 += x0 * dk;
      g1 += x1 * dk;
      e[k] += x0 * f0 + x1 * f1;
    }
    e[j] = g0;
    e[j + 1] = g1;
  }
  for (; j < i; j++) {
    const cj = j * n;
    f = d[j];
    v[ci + j] = f;
    g = e[j] + v[cj + j] * f;
    for (let k = j + 1; k < i; k++) {
      const vkj = v[cj + k];
      g += vkj * d[k];
      e[k] += vkj * f;
    }
    e[j] = g;
  }
}

/** tred2's rank-2 update V −= d·eᵀ + e·dᵀ of step i (lower triangle), then d[j] = V(i − 1, j), V(i, j) = 0. */
function rank2Pass(n: number, i: number, v: Float64Array, d: Float64Array, e: Float64Array): void {
  let f: number, g: number;
  let j = 0;
  for (; j + 1 < i; j += 2) {
    const c0 = j * n, c1 = c0 + n;
    const f0 = d[j], g0 = e[j], f1 = d[j + 1], g1 = e[j + 1];
    v[c0 + j] -= f0 * e[j] + g0 * d[j];
    for (let k = j + 1; k < i; k++) {
      const ek = e[k], dk = d[k];
      v[c0 + k] -= f0 * ek + g0 * dk;
      v[c1 + k] -= f1 * ek + g1 * dk;
    }
    d[j] = v[c0 + i - 1];
    v[c0 + i] = 0;
    d[j + 1] = v[c1 + i - 1];
    v[c1 + i] = 0;
  }
  for (; j < i; j++) {
    const cj = j * n;
    f = d[j];
    g = e[j];
    for (let k = j; k < i; k++) v[cj + k] -= f * e[k] + g * d[k];
    d[j] = v[cj + i - 1];
    v[cj + i] = 0;
  }
}

/**
 * tred2 with its two O(i²) passes in WebAssembly where the float64 kernels run there (f64x2 along the
 * rows: 3–4× the JS loops), on a copy of v in the module's memory, copied back at the end; else in JS.
 * The rank-2 pass gives the JS loop's bits, the A·u pass sums in another order (rounding-level
 * differences). A progress tick may call other kernels, which can overwrite that scratch: the run is
 * then redone from the start in JS, on v, which the wasm run never touches.
 */
function tridiagonalize(n: number, v: Float64Array, d: Float64Array, e: Float64Array, accumulate: boolean, tick?: () => void): void {
  const ex = n >= 32 ? wasmKernels(n) : undefined;
  if (ex !== undefined) {
    const ws = wasmTridiagonalWorkspace(ex, n);
    ws.v.set(v.subarray(0, n * n));
    const guarded = tick === undefined ? undefined : (): void => {
      tick();
      if (!ws.valid()) throw CLOBBERED;
    };
    let done = false;
    try {
      tred2(n, ws.v, ws.d, ws.e, accumulate, guarded, ws);
      done = true;
    } catch (err) {
      if (err !== CLOBBERED) throw err;
    }
    if (done) {
      v.set(ws.v);
      d.set(ws.d);
      e.set(ws.e);
      return;
    }
  }
  tred2(n, v, d, e, accumulate, tick);
}

/** Thrown through tred2 when a progress tick invalidated the wasm workspace (never escapes). */
const CLOBBERED: unique symbol = Symbol('tridiagonal workspace overwritten');

/** The accumulation half of tred2: turns the stored Householder vectors in `v` into the orthogonal Q. */
function accumulateTred2(n: number, v: Float64Array, d: Float64Array, e: Float64Array): void {
  const last = n - 1;
  for (let i = 0; i < n - 1; i++) {
    const ci = i * n, ci1 = (i + 1) * n;
    v[ci + last] = v[ci + i];
    v[ci + i] = 1;
    const h = d[i + 1];
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = v[ci1 + k] / h;
      let j = 0;
      for (; j + 3 <= i; j += 4) {
        const c0 = j * n, c1 = c0 + n, c2 = c1 + n, c3 = c2 + n;
        let g0 = 0, g1 = 0, g2 = 0, g3 = 0;
        for (let k = 0; k <= i; k++) {
          const u = v[ci1 + k];
          g0 += u * v[c0 + k];
          g1 += u * v[c1 + k];
          g2 += u * v[c2 + k];
          g3 += u * v[c3 + k];
        }
        for (let k = 0; k <= i; k++) {
          const dk = d[k];
          v[c0 + k] -= g0 * dk;
          v[c1 + k] -= g1 * dk;
          v[c2 + k] -= g2 * dk;
          v[c3 + k] -= g3 * dk;
        }
      }
      for (; j <= i; j++) {
        const cj = j * n;
        let g = 0;
        for (let k = 0; k <= i; k++) g += v[ci1 + k] * v[cj + k];
        for (let k = 0; k <= i; k++) v[cj + k] -= g * d[k];
      }
    }
    for (let k = 0; k <= i; k++) v[ci1 + k] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = v[j * n + last];
    v[j * n + last] = 0;
  }
  v[last * n + last] = 1;
  e[0] = 0;
}

/**
 * Implicit QL on the symmetric tridiagonal (d, e) from {@link tred2} (tql2). When `v` is given its
 * columns are rotated along, so that they become the eigenvectors. Eigenvalues are left unsorted.
 */
function tql2(n: number, d: Float64Array, e: Float64Array, v: Float64Array | null, tick?: () => void): void {
  // rotations of the current sweep, applied to V after it in one blocked pass (see rotateSweep)
  const cs = v !== null ? new Float64Array(n) : null;
  const sn = v !== null ? new Float64Array(n) : null;
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  e[n - 1] = 0;
  let f = 0;
  // absolute deflation threshold ε·max(|d_i| + |e_i|) over the whole matrix (JAMA uses a running
  // maximum, which lets p = (d[l+1] − d[l]) / 2e[l] overflow when the leading entries are tiny)
  let tst1 = 0;
  for (let l = 0; l < n; l++) tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
  for (let l = 0; l < n; l++) {
    tick?.();
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]) <= EPS * tst1) break;
      m++;
    }
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > MAX_ITER) {
          throw new Error(`symmetricEigen: the QL iteration did not converge for eigenvalue ${l} of ${n} after ${MAX_ITER} iterations`);
        }
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = hypot2(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l] / (p + r);
        d[l + 1] = e[l] * (p + r);
        const dl1 = d[l + 1];
        let h = g - d[l];
        for (let i = l + 2; i < n; i++) d[i] -= h;
        f += h;
        p = d[m];
        let c = 1, c2 = 1, c3 = 1;
        const el1 = e[l + 1];
        let s = 0, s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = hypot2(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          if (cs !== null) {
            cs[i] = c;
            sn![i] = s;
          }
        }
        if (v !== null) rotateSweep(n, v, l, m, cs!, sn!);
        p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]) > EPS * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
}

/**
 * Applies the sweep's rotations G_{m−1}, …, G_l (G_i mixes columns i and i+1 of the column-major
 * n×n `v`: V_i ← c·V_i − s·V_{i+1}, V_{i+1} ← s·V_i + c·V_{i+1}) in order. Row by row the sequence is
 * a chain in which each entry is read and written once, so it runs over four rows at a time with
 * the chain's running values in registers: half the memory traffic of rotating column pairs.
 */
function rotateSweep(n: number, v: Float64Array, l: number, m: number, cs: Float64Array, sn: Float64Array): void {
  const om = m * n, ol = l * n;
  let k = 0;
  for (; k + 3 < n; k += 4) {
    let y0 = v[om + k], y1 = v[om + k + 1], y2 = v[om + k + 2], y3 = v[om + k + 3];
    for (let i = m - 1; i >= l; i--) {
      const c = cs[i], s = sn[i];
      const o0 = i * n + k, o1 = o0 + n;
      const x0 = v[o0], x1 = v[o0 + 1], x2 = v[o0 + 2], x3 = v[o0 + 3];
      v[o1] = s * x0 + c * y0;
      v[o1 + 1] = s * x1 + c * y1;
      v[o1 + 2] = s * x2 + c * y2;
      v[o1 + 3] = s * x3 + c * y3;
      y0 = c * x0 - s * y0;
      y1 = c * x1 - s * y1;
      y2 = c * x2 - s * y2;
      y3 = c * x3 - s * y3;
    }
    v[ol + k] = y0;
    v[ol + k + 1] = y1;
    v[ol + k + 2] = y2;
    v[ol + k + 3] = y3;
  }
  for (; k < n; k++) {
    let y = v[om + k];
    for (let i = m - 1; i >= l; i--) {
      const c = cs[i], s = sn[i];
      const x = v[i * n + k];
      v[(i + 1) * n + k] = s * x + c * y;
      y = c * x - s * y;
    }
    v[ol + k] = y;
  }
}

/**
 * Unchecked kernel: eigen-decomposition of the symmetric n×n matrix `a` (row-major float64; it is
 * assumed symmetric and only its upper triangle, `a[i*n + j]` with j ≥ i, is read; `a` is not
 * modified). Writes the eigenvalues in descending order to `values` (length n) and, when `vectors`
 * is not null, the matching unit eigenvectors as the columns of the row-major n×n `vectors`
 * (column j pairs with `values[j]`; each column's largest-magnitude entry is made positive).
 * `work`, if given, is scratch of length ≥ n² + 2n (allocated otherwise). Throws RangeError on a
 * non-finite entry and Error if the QL iteration fails to converge.
 *
 * @example
 * ```ts
 * const values = new Float64Array(2), vectors = new Float64Array(4);
 * symmetricEigenRaw(2, new Float64Array([2, 1, 1, 2]), values, vectors); // values = [3, 1]
 * ```
 */
export function symmetricEigenRaw(
  n: number, a: Float64Array, values: Float64Array, vectors: Float64Array | null, work?: Float64Array, tick?: () => void,
): void {
  const nn = n * n;
  const w = work !== undefined && work.length >= nn + 2 * n ? work : new Float64Array(nn + 2 * n);
  const v = w.subarray(0, nn);
  const d = w.subarray(nn, nn + n);
  const e = w.subarray(nn + n, nn + 2 * n);
  // column-major working copy: V(r, c) = v[c*n + r]; reading a[c*n + r] gives Aᵀ = A, whose lower
  // triangle (r ≥ c) is a's upper triangle
  let amax = 0;
  for (let c = 0; c < n; c++) {
    for (let r = c; r < n; r++) {
      const x = a[c * n + r];
      if (x - x !== 0) throw new RangeError(`symmetricEigenRaw: expected finite values, found ${x} at [${c},${r}]`);
      v[c * n + r] = x;
      const ax = x < 0 ? -x : x;
      if (ax > amax) amax = ax;
    }
  }
  // exact power-of-two scaling to max |a_ij| in [0.5, 1), undone on the eigenvalues
  const ex = amax > 0 ? Math.floor(Math.log2(amax)) + 1 : 0;
  if (ex !== 0) scalePow2(v, nn, -ex);
  const wantV = vectors !== null;
  // tick: an optional progress point (each Householder step and each eigenvalue; never changes results)
  tridiagonalize(n, v, d, e, wantV, tick);
  tql2(n, d, e, wantV ? v : null, tick);
  if (ex !== 0) scalePow2(d, n, ex);
  // descending order by a stable sort of indices
  const order = new Array<number>(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((x, y) => d[y] - d[x] || x - y);
  for (let j = 0; j < n; j++) values[j] = d[order[j]];
  if (vectors === null) return;
  for (let j = 0; j < n; j++) {
    const o = order[j] * n;
    let big = 0, sign = 1;
    for (let r = 0; r < n; r++) {
      const x = v[o + r];
      const ax = x < 0 ? -x : x;
      if (ax > big) {
        big = ax;
        sign = x < 0 ? -1 : 1;
      }
    }
    for (let r = 0; r < n; r++) vectors[r * n + j] = sign * v[o + r];
  }
}

/** Options of {@link symmetricEigen}. */
export interface SymmetricEigenOptions {
  /** Compute eigenvectors (default true); values only is several times faster. */
  vectors?: boolean;
  /**
   * Largest |a_ij − a_ji| accepted, relative to max |a_ij|. Default √ε of the input's storage
   * (1.5e-8 for float64 data and nested arrays, 2.4e-4 for Float32 tensors). The matrix used is
   * (A + Aᵀ)/2.
   */
  symmetryTolerance?: number;
}

/** Result of {@link symmetricEigen}. */
export interface SymmetricEigenResult {
  /** eigenvalues, descending */
  values: Float64Array;
  /** n×n row-major; column j is the unit eigenvector of values[j], its largest-magnitude entry positive */
  vectors: Matrix64;
}

/**
 * Eigenvalues (descending) and orthonormal eigenvectors of a real symmetric matrix, in float64
 * (Householder tridiagonalisation + implicit QL, EISPACK tred2/tql2).
 *
 * Returns `values` (Float64Array, descending) and `vectors` (row-major n×n {@link Matrix64} whose
 * column j is the eigenvector of `values[j]`; signs fixed so each column's largest-magnitude entry
 * is positive), so that A·V = V·diag(values) and VᵀV = I. Accepts a rank-2 Tensor, a
 * `{ rows, cols, data }` matrix or nested arrays; the input is not modified.
 *
 * Throws TypeError for a wrong kind; RangeError for a non-square or empty matrix, a NaN/Infinity
 * entry, or an asymmetry max |a_ij − a_ji| above `symmetryTolerance`·max |a| (the message names the
 * entry). With `{ vectors: false }` only `values` is computed.
 *
 * @example
 * ```ts
 * const { values, vectors } = symmetricEigen([[2, 1], [1, 2]]);
 * // values = [3, 1]; vectors columns ≈ [0.707, 0.707] and [0.707, -0.707]
 * ```
 */
export function symmetricEigen(a: MatrixInput, opts?: SymmetricEigenOptions & { vectors?: true }): SymmetricEigenResult;
export function symmetricEigen(a: MatrixInput, opts: SymmetricEigenOptions & { vectors: false }): { values: Float64Array };
export function symmetricEigen(a: MatrixInput, opts?: SymmetricEigenOptions): SymmetricEigenResult | { values: Float64Array };
export function symmetricEigen(a: MatrixInput, options: SymmetricEigenOptions = {}): SymmetricEigenResult | { values: Float64Array } {
  const opts = readOptions(options, 'symmetricEigen');
  checkOptionKeys(opts, SYMMETRIC_EIGEN_KEYS, 'symmetricEigen');
  const wantV = opts.vectors ?? true;
  if (typeof wantV !== 'boolean') throw new TypeError(`symmetricEigen: expected opts.vectors to be a boolean, got ${typeof wantV}`);
  const A = readMatrix(a, 'symmetricEigen: a', 'row');
  assertSquare(A, 'symmetricEigen: a');
  const tol = opts.symmetryTolerance ?? Math.sqrt(A.eps);
  if (typeof tol !== 'number') {
    throw new TypeError(`symmetricEigen: expected opts.symmetryTolerance to be a number >= 0, got ${kindOf(tol)}`);
  }
  if (!(tol >= 0)) {
    throw new RangeError(`symmetricEigen: expected opts.symmetryTolerance to be a number >= 0, got ${tol}`);
  }
  const n = A.rows, x = A.data;
  let amax = 0, worst = 0, wi = 0, wj = 0;
  for (let i = 0; i < n * n; i++) {
    const ax = Math.abs(x[i]);
    if (ax > amax) amax = ax;
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const u = x[i * n + j], l = x[j * n + i];
      const diff = Math.abs(u - l);
      if (diff > worst) {
        worst = diff;
        wi = i;
        wj = j;
      }
      let mid = 0.5 * (u + l);
      // u + l overflows for entries above about 9e307: halve first (only then, so the bits elsewhere stay)
      if (mid - mid !== 0) mid = 0.5 * u + 0.5 * l;
      x[i * n + j] = mid;
      x[j * n + i] = mid;
    }
  }
  if (worst > tol * amax) {
    throw new RangeError(
      `symmetricEigen: a (${formatShape([n, n])}) is not symmetric: |a[${wi},${wj}] - a[${wj},${wi}]| = ${worst} ` +
        `exceeds symmetryTolerance·max|a| = ${tol * amax}`,
    );
  }
  const values = new Float64Array(n);
  if (!wantV) {
    symmetricEigenRaw(n, x, values, null);
    return { values };
  }
  const vectors = new Float64Array(n * n);
  symmetricEigenRaw(n, x, values, vectors);
  return { values, vectors: { rows: n, cols: n, data: vectors } };
}
