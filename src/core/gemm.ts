/**
 * General matrix multiply on row-major float arrays: C = alpha·op(A)·op(B) + beta·C.
 *
 * The unchecked kernel packs op(A) into panels of 4 rows and op(B) into panels of 4 columns (float64,
 * k-major, zero-padded at the edges) in module-level scratch buffers that grow on demand and are
 * reused, then runs a 4×4 register-blocked micro-kernel whose 16 accumulators live in locals. The
 * whole inner dimension k is accumulated in float64 before C is touched, so every entry of C is
 * rounded to its storage type once: C_ij = fl(beta·C_ij + alpha·Σ_p op(A)_ip·op(B)_pj). A long inner
 * dimension (k > 4096, with C at most 2^18 entries) is summed in chunks of 4096, each chunk's sum
 * in float64 and the chunk sums in order (gemmLongInner), on every backend alike.
 */
import { checkTypedAllocation } from './alloc.js';
import { A_BUDGET, B_BUDGET, MC_MAX, MR, NC_MAX, NR } from './gemm-blocking.js';
import { assertRank, formatShape, readTensor, type FloatArray } from './errors.js';
import { readProductOptions } from './blas-options.js';
import { MATMUL_KEYS } from './option-keys.js';
import { gemvRaw } from './gemv.js';
import type { Tensor } from './tensor.js';
import { gemmWasmRaw } from './wasm/gemm-driver.js';
import { gemmWasm } from './wasm/loader.js';

/** Which kernel {@link gemmRaw} uses; see {@link setGemmBackend}. */
export type GemmBackend = 'js' | 'wasm' | 'auto';

let backend: GemmBackend = 'auto';
/**
 * In 'auto' mode, products with m·n·k below this go to the JS kernel (measured: below it the copies
 * into and out of wasm memory cost about what the SIMD kernel saves).
 */
const WASM_MIN_WORK = 200;
/** Inner dimensions above this are cut into chunks of this length (see gemmLongInner). */
const K_SPLIT = 4096;
/** …when C has at most this many entries (the two float64 scratch blocks stay small). */
const SPLIT_MAX_MN = 1 << 18;

/**
 * Selects the gemm kernel (for Float32Array and Float64Array operands alike): `'wasm'` always uses
 * the WebAssembly SIMD kernel, `'js'` always the pure-JS kernel, `'auto'` (the default) uses wasm
 * when it is available and the product is large enough to amortise copying the operands into wasm
 * memory. Both kernels accumulate in float64 with the same summation order and rounding, so they
 * give bit-identical results; only speed differs. Vector shapes (m = 1 or n = 1) always use gemvRaw.
 * Throws an Error for `'wasm'` where WebAssembly SIMD is unavailable ('auto' then falls back silently).
 *
 * @example
 * ```ts
 * setGemmBackend('js');    // e.g. to compare timings
 * setGemmBackend('auto');  // back to the default
 * ```
 */
export function setGemmBackend(which: GemmBackend): void {
  if (which !== 'js' && which !== 'wasm' && which !== 'auto') {
    const msg = `setGemmBackend: which: backend must be 'js', 'wasm' or 'auto', got ${String(which)}`;
    throw typeof which === 'string' ? new RangeError(msg) : new TypeError(msg);
  }
  if (which === 'wasm' && !gemmWasmAvailable()) {
    throw new Error("setGemmBackend: 'wasm' requested but WebAssembly SIMD is not available in this runtime");
  }
  backend = which;
}

/**
 * The current gemm backend setting ('auto' unless changed by {@link setGemmBackend}).
 *
 * @example
 * ```ts
 * getGemmBackend(); // 'auto'
 * ```
 */
export function getGemmBackend(): GemmBackend {
  return backend;
}

/**
 * True when the WebAssembly SIMD gemm kernel can run here (instantiates it on the first call).
 *
 * @example
 * ```ts
 * if (gemmWasmAvailable()) setGemmBackend('wasm');
 * ```
 */
export function gemmWasmAvailable(): boolean {
  return gemmWasm() !== undefined;
}


let packA = new Float64Array(0);
/** Float64 partial sums of gemmLongInner (its chunk products go through gemmRaw, which never re-enters it). */
let longAcc = new Float64Array(0);
let longPart = new Float64Array(0);
let packB = new Float64Array(0);
/** Edge tile: the micro-kernel stores its 16 accumulators here when the tile is cut by the matrix edge. */
const edge = new Float64Array(MR * NR);

function roundUp(x: number, q: number): number {
  return Math.ceil(x / q) * q;
}

/**
 * Unchecked kernel. Row-major storage with leading dimensions `lda`, `ldb`, `ldc`; op(A) is m×k,
 * op(B) is k×n, C is m×n. `a`, `b`, `c` may each be a Float32Array or a Float64Array; products are
 * accumulated in float64 and each C entry is rounded to its storage type once. When the product is
 * large enough (and WebAssembly SIMD is available), the work goes to a WebAssembly SIMD kernel with the
 * same blocking, summation order and rounding (bit-identical results; see {@link setGemmBackend}).
 *
 * `c` must not overlap `a` or `b` (use {@link matmul}, which handles that). BLAS conventions: when
 * beta is 0, C is overwritten (NaN in the old C does not propagate); when alpha is 0 or k is 0,
 * A and B are not read and C is only scaled by beta.
 *
 * @example
 * ```ts
 * // C (2×2) = A (2×3) · Bᵀ with B stored 2×3
 * const a = new Float32Array([1, 2, 3, 4, 5, 6]);
 * const b = new Float32Array([1, 0, 0, 0, 1, 0]);
 * const c = new Float32Array(4);
 * gemmRaw(false, true, 2, 2, 3, 1, a, 3, b, 3, 0, c, 2); // c = [1, 2, 4, 5]
 * ```
 */
export function gemmRaw(
  transA: boolean, transB: boolean,
  m: number, n: number, k: number,
  alpha: number,
  a: FloatArray, lda: number,
  b: FloatArray, ldb: number,
  beta: number,
  c: FloatArray, ldc: number,
): void {
  if (m <= 0 || n <= 0) return;
  if (alpha === 0 || k <= 0) {
    scaleMatrix(m, n, beta, c, ldc);
    return;
  }
  // Vector shapes: the packed kernel would waste 3/4 of its work on padding.
  if (n === 1) {
    // C[:,0] = alpha·op(A)·op(B)[:,0] + beta·C[:,0]; op(B)[:,0] has stride ldb (B k×1) or 1 (B 1×k).
    if (!transA) gemvRaw(false, m, k, alpha, a, lda, b, transB ? 1 : ldb, beta, c, ldc);
    else gemvRaw(true, k, m, alpha, a, lda, b, transB ? 1 : ldb, beta, c, ldc);
    return;
  }
  if (m === 1) {
    // C[0,:]ᵀ = alpha·op(B)ᵀ·op(A)[0,:]ᵀ + beta·C[0,:]ᵀ
    const incx = transA ? lda : 1;
    if (!transB) gemvRaw(true, k, n, alpha, b, ldb, a, incx, beta, c, 1);
    else gemvRaw(false, n, k, alpha, b, ldb, a, incx, beta, c, 1);
    return;
  }

  if (k > K_SPLIT && m * n <= SPLIT_MAX_MN) {
    gemmLongInner(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    return;
  }

  if (
    backend !== 'js' &&
    (backend === 'wasm' || m * n * k >= WASM_MIN_WORK) &&
    gemmWasmRaw(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
  ) {
    return;
  }

  const mc0 = Math.min(roundUp(m, MR), Math.max(MR, Math.min(MC_MAX, Math.floor(A_BUDGET / k / MR) * MR)));
  const nc0 = Math.min(roundUp(n, NR), Math.max(NR, Math.min(NC_MAX, Math.floor(B_BUDGET / k / NR) * NR)));
  if (packA.length < mc0 * k) packA = new Float64Array(mc0 * k);
  if (packB.length < nc0 * k) packB = new Float64Array(nc0 * k);
  const ap = packA;
  const bp = packB;

  for (let jc = 0; jc < n; jc += nc0) {
    const nc = Math.min(nc0, n - jc);
    packPanelsB(transB, k, nc, b, ldb, jc, bp);
    for (let ic = 0; ic < m; ic += mc0) {
      const mc = Math.min(mc0, m - ic);
      packPanelsA(transA, k, mc, a, lda, ic, ap);
      // Full 4×4 tiles of this column panel in one call; tiles cut by the matrix edge go through
      // the edge kernel, which stages its accumulators in a float64 tile.
      const mFull = mc - (mc % MR);
      for (let j0 = 0; j0 < nc; j0 += NR) {
        const nr = Math.min(NR, nc - j0);
        const ib = j0 * k;
        const ci = ic * ldc + jc + j0;
        if (nr === NR && mFull > 0) kernelPanel(k, mFull, ap, bp, ib, c, ci, ldc, alpha, beta);
        for (let i0 = nr === NR ? mFull : 0; i0 < mc; i0 += MR) {
          const mr = Math.min(MR, mc - i0);
          kernelEdge(k, ap, i0 * k, bp, ib);
          for (let ii = 0; ii < mr; ii++) {
            const row = ci + (i0 + ii) * ldc;
            for (let jj = 0; jj < nr; jj++) {
              const v = alpha * edge[ii * NR + jj];
              c[row + jj] = beta === 0 ? v : v + beta * c[row + jj];
            }
          }
        }
      }
    }
  }
}

/**
 * Products with a long inner dimension (k > K_SPLIT), such as the Gram matrix QᵀW of a tall frame:
 * the packed kernels keep whole k-panels, which at k in the tens of thousands no longer fit any
 * cache, and the WebAssembly driver's operand copies stop fitting its memory bound. They are cut
 * into chunks of K_SPLIT along k; each chunk's product (itself bit-identical on both kernels) lands
 * in a float64 scratch, the chunks are summed in order in float64, and C is rounded once:
 * C = fl(beta·C + alpha·(S_1 + S_2 + …)). The same on every backend.
 */
function gemmLongInner(
  transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
  a: FloatArray, lda: number, b: FloatArray, ldb: number, beta: number, c: FloatArray, ldc: number,
): void {
  if (longAcc.length < m * n) {
    longAcc = new Float64Array(m * n);
    longPart = new Float64Array(m * n);
  }
  const acc = longAcc, part = longPart;
  for (let p0 = 0; p0 < k; p0 += K_SPLIT) {
    const kc = Math.min(K_SPLIT, k - p0);
    // op(A)[:, p0:p0+kc] and op(B)[p0:p0+kc, :] as views starting at their first element
    const ac = a.subarray(transA ? p0 * lda : p0);
    const bc = b.subarray(transB ? p0 : p0 * ldb);
    gemmRaw(transA, transB, m, n, kc, 1, ac, lda, bc, ldb, 0, p0 === 0 ? acc : part, n);
    if (p0 > 0) for (let e = 0; e < m * n; e++) acc[e] += part[e];
  }
  for (let i = 0; i < m; i++) {
    const ci = i * ldc;
    for (let j = 0; j < n; j++) {
      const v = alpha * acc[i * n + j];
      c[ci + j] = beta === 0 ? v : v + beta * c[ci + j];
    }
  }
}

/** C = beta·C (beta 0 writes zeros). */
function scaleMatrix(m: number, n: number, beta: number, c: FloatArray, ldc: number): void {
  if (beta === 1) return;
  for (let i = 0; i < m; i++) {
    const ci = i * ldc;
    if (beta === 0) c.fill(0, ci, ci + n);
    else for (let j = 0; j < n; j++) c[ci + j] *= beta;
  }
}

/**
 * Packs columns jc..jc+nc of op(B) (k×n) into panels of NR columns: panel q holds, for p = 0..k-1,
 * the NR values op(B)[p, jc+q·NR .. +NR], zero-padded past the edge.
 */
function packPanelsB(transB: boolean, k: number, nc: number, b: FloatArray, ldb: number, jc: number, bp: Float64Array): void {
  let q = 0;
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const nr = Math.min(NR, nc - j0);
    const j = jc + j0;
    if (nr === NR) {
      if (!transB) {
        for (let p = 0, s = j; p < k; p++, s += ldb, q += NR) {
          bp[q] = b[s]; bp[q + 1] = b[s + 1]; bp[q + 2] = b[s + 2]; bp[q + 3] = b[s + 3];
        }
      } else {
        const r0 = j * ldb, r1 = r0 + ldb, r2 = r1 + ldb, r3 = r2 + ldb;
        for (let p = 0; p < k; p++, q += NR) {
          bp[q] = b[r0 + p]; bp[q + 1] = b[r1 + p]; bp[q + 2] = b[r2 + p]; bp[q + 3] = b[r3 + p];
        }
      }
    } else {
      for (let p = 0; p < k; p++, q += NR) {
        for (let jj = 0; jj < NR; jj++) {
          bp[q + jj] = jj < nr ? (transB ? b[(j + jj) * ldb + p] : b[p * ldb + j + jj]) : 0;
        }
      }
    }
  }
}

/**
 * Packs rows ic..ic+mc of op(A) (m×k) into panels of MR rows: panel q holds, for p = 0..k-1, the MR
 * values op(A)[ic+q·MR .. +MR, p], zero-padded past the edge.
 */
function packPanelsA(transA: boolean, k: number, mc: number, a: FloatArray, lda: number, ic: number, ap: Float64Array): void {
  let q = 0;
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const mr = Math.min(MR, mc - i0);
    const i = ic + i0;
    if (mr === MR) {
      if (!transA) {
        const r0 = i * lda, r1 = r0 + lda, r2 = r1 + lda, r3 = r2 + lda;
        for (let p = 0; p < k; p++, q += MR) {
          ap[q] = a[r0 + p]; ap[q + 1] = a[r1 + p]; ap[q + 2] = a[r2 + p]; ap[q + 3] = a[r3 + p];
        }
      } else {
        for (let p = 0, s = i; p < k; p++, s += lda, q += MR) {
          ap[q] = a[s]; ap[q + 1] = a[s + 1]; ap[q + 2] = a[s + 2]; ap[q + 3] = a[s + 3];
        }
      }
    } else {
      for (let p = 0; p < k; p++, q += MR) {
        for (let ii = 0; ii < MR; ii++) {
          ap[q + ii] = ii < mr ? (transA ? a[p * lda + i + ii] : a[(i + ii) * lda + p]) : 0;
        }
      }
    }
  }
}

/**
 * The 4×4 micro-kernel, run down one column panel of op(B) (NR columns) for the first `mFull` rows
 * of the packed block of op(A): for each 4-row panel, acc = Σ_p Apanel[p,0..3]ᵀ·Bpanel[p,0..3], then
 * C[0..3, 0..3] = alpha·acc + beta·C (beta 0 overwrites). Keeping the loop over row panels inside
 * the kernel saves a call per tile, which matters when k is small.
 */
function kernelPanel(
  k: number, mFull: number, ap: Float64Array, bp: Float64Array, ib0: number,
  c: FloatArray, ci: number, ldc: number, alpha: number, beta: number,
): void {
  const step = MR * k;
  const stop = mFull * k;
  for (let ia = 0; ia < stop; ia += step, ci += MR * ldc) {
    let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
    let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
    let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
    let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
    const end = ia + step;
    for (let pa = ia, pb = ib0; pa < end; pa += MR, pb += NR) {
      const a0 = ap[pa], a1 = ap[pa + 1], a2 = ap[pa + 2], a3 = ap[pa + 3];
      const b0 = bp[pb], b1 = bp[pb + 1], b2 = bp[pb + 2], b3 = bp[pb + 3];
      c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
      c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
      c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
      c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
    }
    const r0 = ci, r1 = ci + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
    if (beta === 0) {
      c[r0] = alpha * c00; c[r0 + 1] = alpha * c01; c[r0 + 2] = alpha * c02; c[r0 + 3] = alpha * c03;
      c[r1] = alpha * c10; c[r1 + 1] = alpha * c11; c[r1 + 2] = alpha * c12; c[r1 + 3] = alpha * c13;
      c[r2] = alpha * c20; c[r2 + 1] = alpha * c21; c[r2 + 2] = alpha * c22; c[r2 + 3] = alpha * c23;
      c[r3] = alpha * c30; c[r3 + 1] = alpha * c31; c[r3 + 2] = alpha * c32; c[r3 + 3] = alpha * c33;
    } else {
      c[r0] = alpha * c00 + beta * c[r0]; c[r0 + 1] = alpha * c01 + beta * c[r0 + 1];
      c[r0 + 2] = alpha * c02 + beta * c[r0 + 2]; c[r0 + 3] = alpha * c03 + beta * c[r0 + 3];
      c[r1] = alpha * c10 + beta * c[r1]; c[r1 + 1] = alpha * c11 + beta * c[r1 + 1];
      c[r1 + 2] = alpha * c12 + beta * c[r1 + 2]; c[r1 + 3] = alpha * c13 + beta * c[r1 + 3];
      c[r2] = alpha * c20 + beta * c[r2]; c[r2 + 1] = alpha * c21 + beta * c[r2 + 1];
      c[r2 + 2] = alpha * c22 + beta * c[r2 + 2]; c[r2 + 3] = alpha * c23 + beta * c[r2 + 3];
      c[r3] = alpha * c30 + beta * c[r3]; c[r3 + 1] = alpha * c31 + beta * c[r3 + 1];
      c[r3 + 2] = alpha * c32 + beta * c[r3 + 2]; c[r3 + 3] = alpha * c33 + beta * c[r3 + 3];
    }
  }
}

/**
 * The same 4×4 product for one tile cut by the matrix edge: the raw accumulators go to the float64
 * `edge` tile (zero padding in the packs makes the extra rows/columns harmless), and the caller
 * writes back only the valid part. Kept separate so that each kernel stores to one array type.
 */
function kernelEdge(k: number, ap: Float64Array, ia: number, bp: Float64Array, ib: number): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  const end = ia + MR * k;
  for (; ia < end; ia += MR, ib += NR) {
    const a0 = ap[ia], a1 = ap[ia + 1], a2 = ap[ia + 2], a3 = ap[ia + 3];
    const b0 = bp[ib], b1 = bp[ib + 1], b2 = bp[ib + 2], b3 = bp[ib + 3];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  const e = edge;
  e[0] = c00; e[1] = c01; e[2] = c02; e[3] = c03;
  e[4] = c10; e[5] = c11; e[6] = c12; e[7] = c13;
  e[8] = c20; e[9] = c21; e[10] = c22; e[11] = c23;
  e[12] = c30; e[13] = c31; e[14] = c32; e[15] = c33;
}

/** Options of {@link matmul}. */
export interface MatmulOptions {
  /** Use Aᵀ. */
  transA?: boolean;
  /** Use Bᵀ. */
  transB?: boolean;
  /** Scale of the product (default 1). */
  alpha?: number;
  /** Scale of the existing `out` added to the product (default 0; needs `out`). */
  beta?: number;
  /** Destination of shape [m,n]; may alias `a` or `b`. */
  out?: Tensor;
}

/** Float64 staging area for products whose `out` overlaps an input (grown on demand, reused). */
let aliasScratch = new Float64Array(0);

/**
 * Matrix product of rank-2 tensors: `out = alpha·op(a)·op(b) + beta·out`, accumulated in float64 and
 * rounded to float32 once per entry. `out` may alias `a` or `b` (the product is then staged in a
 * reused float64 buffer, with the same rounding).
 *
 * @example
 * ```ts
 * const c = matmul(tensor([[1, 2], [3, 4]]), tensor([[5], [6]]));   // [[17], [39]]
 * matmul(w, h, { transA: true, out: c });                          // c = wᵀ·h, reusing c
 * matmul(x, w, { transB: true, alpha: 0.5, beta: 1, out: y });     // y += 0.5·x·wᵀ
 * ```
 */
export function matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
  a = readTensor(a, 'matmul: a');
  b = readTensor(b, 'matmul: b');
  assertRank(a, 2, 'matmul: a', 'matrix');
  assertRank(b, 2, 'matmul: b', 'matrix');
  const opts = readProductOptions(options, 'matmul', ['transA', 'transB'], MATMUL_KEYS);
  const { transA, transB } = opts.flags;
  const { alpha, beta } = opts;
  const [ar, ac] = a.shape;
  const [br, bc] = b.shape;
  const m = transA ? ac : ar;
  const k = transA ? ar : ac;
  const kb = transB ? bc : br;
  const n = transB ? br : bc;
  if (k !== kb) {
    throw new RangeError(
      `matmul: inner dimensions differ: op(a) is ${m}×${k} (a ${formatShape(a.shape)}${transA ? ', transposed' : ''}) but op(b) is ${kb}×${n} (b ${formatShape(b.shape)}${transB ? ', transposed' : ''})`,
    );
  }
  let out = opts.out as Tensor | undefined;
  if (out !== undefined) {
    out = readTensor(out, 'matmul: out');
    if (out.shape.length !== 2 || out.shape[0] !== m || out.shape[1] !== n) {
      throw new RangeError(
        `matmul: out must have shape [${m},${n}] (op(a) ${m}×${k} times op(b) ${k}×${n}, a ${formatShape(a.shape)}, b ${formatShape(b.shape)}), got ${formatShape(out.shape)}`,
      );
    }
  } else {
    if (beta !== 0) throw new RangeError(`matmul: beta = ${beta} needs an 'out' to accumulate into`);
    checkTypedAllocation(m * n, 4, 'matmul: out', `the ${m}×${n} product`);
    out = { shape: [m, n], data: new Float32Array(m * n) };
  }
  const result = (opts.out as Tensor | undefined) ?? out;
  const c = out.data;
  if (sharesMemory(c, a.data) || sharesMemory(c, b.data)) {
    // Stage in float64: fl32(beta·c + alpha·acc) is then computed exactly as in the direct path.
    const len = m * n;
    if (aliasScratch.length < len) aliasScratch = new Float64Array(len);
    const t = aliasScratch;
    if (beta !== 0) for (let i = 0; i < len; i++) t[i] = c[i];
    gemmRaw(transA, transB, m, n, k, alpha, a.data, ac, b.data, bc, beta, t, n);
    for (let i = 0; i < len; i++) c[i] = t[i];
  } else {
    gemmRaw(transA, transB, m, n, k, alpha, a.data, ac, b.data, bc, beta, c, n);
  }
  return result;
}

/**
 * True when two typed arrays overlap in memory.
 *
 * @example
 * ```ts
 * const buf = new Float32Array(8);
 * sharesMemory(buf.subarray(0, 4), buf.subarray(3, 8)); // true
 * sharesMemory(buf.subarray(0, 4), buf.subarray(4, 8)); // false
 * ```
 */
export function sharesMemory(x: ArrayBufferView, y: ArrayBufferView): boolean {
  if (!ArrayBuffer.isView(x)) throw new TypeError(`sharesMemory: x: expected a typed array or DataView, got ${x === null ? 'null' : typeof x}`);
  if (!ArrayBuffer.isView(y)) throw new TypeError(`sharesMemory: y: expected a typed array or DataView, got ${y === null ? 'null' : typeof y}`);
  if (x.buffer !== y.buffer) return false;
  const x0 = x.byteOffset, x1 = x0 + x.byteLength;
  const y0 = y.byteOffset, y1 = y0 + y.byteLength;
  return x0 < y1 && y0 < x1;
}
