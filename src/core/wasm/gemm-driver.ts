/**
 * Gemm through the WebAssembly SIMD kernel, for Float32Array or Float64Array operands (each of A, B
 * and C independently): copies op(A)'s and op(B)'s storage into the module's memory (one memcpy
 * each), packs blocks of them to float64 panels in wasm (float32 promoted exactly), runs the 4×4
 * f64x2 micro-kernel per block and copies C back. The summation order (p = 0..k-1 per entry, float64,
 * separate multiply and add) and the rounding are those of the pure-JS kernel in ../gemm.ts, so the
 * two give bit-identical results. Unlike the JS kernel, the inner dimension is also blocked (KC):
 * the float64 partial sums of a block of C are stored exactly between inner blocks, which keeps the
 * packed panels in cache for large k without changing any result.
 *
 * The module's memory is shared by all calls; it grows only when a call needs more than any
 * earlier one, so in steady state there is no allocation per call.
 */
import type { FloatArray } from '../errors.js';
import { A_BUDGET, B_BUDGET, MC_MAX, MR, NC_MAX, NR } from '../gemm-blocking.js';
import { gemmWasm, type GemmWasmExports } from './loader.js';

/** Inner-dimension block: packed panels of 4×KC doubles (8 KiB) stay in L1. */
const KC = 256;
const PAGE = 65536;
/**
 * Largest wasm memory footprint of one product (32 MiB): larger products are split into blocks of
 * rows or columns of C, so the module's memory (which is never shrunk) stays bounded.
 */
const MAX_BYTES = 1 << 25;
/** Rows shorter than this are copied element by element (a subarray per row costs more). */
const ROW_COPY_MIN = 48;

let f32: Float32Array = new Float32Array(0);
let f64: Float64Array = new Float64Array(0);

function roundUp(x: number, q: number): number {
  return Math.ceil(x / q) * q;
}

/** Ensures the memory holds `bytes`, refreshing the views after growth; false when it cannot grow. */
function view(w: GemmWasmExports, bytes: number): boolean {
  const mem = w.mem;
  if (mem.buffer.byteLength < bytes) {
    try {
      mem.grow(Math.ceil((bytes - mem.buffer.byteLength) / PAGE));
    } catch {
      return false;
    }
  }
  if (f32.buffer !== mem.buffer) {
    f32 = new Float32Array(mem.buffer);
    f64 = new Float64Array(mem.buffer);
  }
  return true;
}

/** Bytes per element. */
function esize(x: FloatArray): number {
  return x instanceof Float64Array ? 8 : 4;
}

/** The view of wasm memory with the element type of x. */
function mview(x: FloatArray): Float32Array | Float64Array {
  return x instanceof Float64Array ? f64 : f32;
}

/**
 * C = alpha·op(A)·op(B) + beta·C with the wasm kernel; each of a, b, c may be a Float32Array or a
 * Float64Array. Preconditions (as checked by gemmRaw before dispatching): m, n ≥ 1, k ≥ 1,
 * alpha ≠ 0. Since A and B are copied before C is written, c may even overlap a or b (C_old is read
 * before anything is written). Returns false (having changed nothing) when the module is
 * unavailable or its memory cannot grow.
 *
 * @example
 * ```ts
 * const a = new Float32Array([1, 2, 3, 4]), c = new Float32Array(4);
 * gemmWasmRaw(false, false, 2, 2, 2, 1, a, 2, a, 2, 0, c, 2); // true; c = [7, 10, 15, 22]
 * ```
 */
export function gemmWasmRaw(
  transA: boolean, transB: boolean,
  m: number, n: number, k: number,
  alpha: number,
  a: FloatArray, lda: number,
  b: FloatArray, ldb: number,
  beta: number,
  c: FloatArray, ldc: number,
): boolean {
  const w = gemmWasm();
  if (w === undefined) return false;
  const rsA = transA ? 1 : lda, csA = transA ? lda : 1;
  const rsB = transB ? ldb : 1, csB = transB ? 1 : ldb;
  if (a.length < (m - 1) * rsA + (k - 1) * csA + 1 || b.length < (n - 1) * rsB + (k - 1) * csB + 1 || c.length < (m - 1) * ldc + n) {
    return false; // arrays shorter than the operands they describe: leave them to the JS kernel's semantics
  }
  const es = esize(a) + 16 * esize(b) + 256 * esize(c);
  if (footprint(es, transA, transB, m, n, k, lda, ldb) <= MAX_BYTES) return run(w, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  // Splitting goes down to blocks of at most MR rows and NR columns at worst (the footprint grows
  // with m and n), so if such a block fits, and the memory holds MAX_BYTES, no block can fail
  // after others have already written C.
  if (footprint(es, transA, transB, Math.min(m, MR), Math.min(n, NR), k, lda, ldb) > MAX_BYTES) return false;
  if (!view(w, MAX_BYTES)) return false;
  return split(w, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

/**
 * Splits C into row or column blocks (each a complete product over the whole inner dimension, so
 * no result changes) until one block's footprint in wasm memory is at most MAX_BYTES. The first
 * block is the largest, so once it fits and has run, the others need no further growth.
 */
function split(
  w: GemmWasmExports, transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
  a: FloatArray, lda: number, b: FloatArray, ldb: number, beta: number, c: FloatArray, ldc: number,
): boolean {
  if (footprint(esize(a) + 16 * esize(b) + 256 * esize(c), transA, transB, m, n, k, lda, ldb) <= MAX_BYTES) return run(w, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  if (m >= n && m > MR) {
    const m1 = roundUp(Math.ceil(m / 2), MR);
    if (!split(w, transA, transB, m1, n, k, alpha, a, lda, b, ldb, beta, c, ldc)) return false;
    return split(w, transA, transB, m - m1, n, k, alpha, a.subarray(transA ? m1 : m1 * lda), lda, b, ldb, beta, c.subarray(m1 * ldc), ldc);
  }
  if (n > NR) {
    const n1 = roundUp(Math.ceil(n / 2), NR);
    if (!split(w, transA, transB, m, n1, k, alpha, a, lda, b, ldb, beta, c, ldc)) return false;
    return split(w, transA, transB, m, n - n1, k, alpha, a, lda, b.subarray(transB ? n1 * ldb : n1), ldb, beta, c.subarray(n1), ldc);
  }
  return false;
}

/** Bytes of wasm memory a product needs (see the layout in run); es = ea + 16·eb + 256·ec (element sizes). */
function footprint(es: number, transA: boolean, transB: boolean, m: number, n: number, k: number, lda: number, ldb: number): number {
  const rsA = transA ? 1 : lda, csA = transA ? lda : 1;
  const rsB = transB ? ldb : 1, csB = transB ? 1 : ldb;
  return layout(es & 15, (es >> 4) & 15, es >> 8, (m - 1) * rsA + (k - 1) * csA + 1, (n - 1) * rsB + (k - 1) * csB + 1, m, n, k).total;
}

function layout(ea: number, eb: number, ec: number, spanA: number, spanB: number, m: number, n: number, k: number) {
  const mPad = roundUp(m, MR), nPad = roundUp(n, NR);
  const kc0 = Math.min(k, KC);
  const mc0 = Math.min(mPad, Math.max(MR, Math.min(MC_MAX, Math.floor(A_BUDGET / kc0 / MR) * MR)));
  const nc0 = Math.min(nPad, Math.max(NR, Math.min(NC_MAX, Math.floor(B_BUDGET / kc0 / NR) * NR)));
  // bytes, 16-aligned: A | B | C staging (mPad×nPad, C's type) | packed A | packed B |
  // float64 partial sums of one column block of C (mPad×nc0, only when k > KC)
  const offA = 0;
  const offB = roundUp(offA + ea * spanA, 16);
  const offC = roundUp(offB + eb * spanB, 16);
  const offPA = roundUp(offC + ec * mPad * nPad, 16);
  const offPB = offPA + 8 * mc0 * kc0;
  const offAcc = offPB + 8 * nc0 * kc0;
  const total = offAcc + (k > kc0 ? 8 * mPad * nc0 : 0);
  return { mPad, nPad, kc0, mc0, nc0, offA, offB, offC, offPA, offPB, offAcc, total };
}

function run(
  w: GemmWasmExports, transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
  a: FloatArray, lda: number, b: FloatArray, ldb: number, beta: number, c: FloatArray, ldc: number,
): boolean {
  // op(A)[i,p] = a[i·rsA + p·csA]; op(B)[p,j] = b[j·rsB + p·csB]
  const rsA = transA ? 1 : lda, csA = transA ? lda : 1;
  const rsB = transB ? ldb : 1, csB = transB ? 1 : ldb;
  const spanA = (m - 1) * rsA + (k - 1) * csA + 1;
  const spanB = (n - 1) * rsB + (k - 1) * csB + 1;
  const ea = esize(a), eb = esize(b), ec = esize(c);
  const { mPad, nPad, kc0, mc0, nc0, offA, offB, offC, offPA, offPB, offAcc, total } = layout(ea, eb, ec, spanA, spanB, m, n, k);
  if (!view(w, total)) return false;

  mview(a).set(spanA === a.length ? a : a.subarray(0, spanA), offA / ea);
  mview(b).set(spanB === b.length ? b : b.subarray(0, spanB), offB / eb);
  const mem = mview(c);
  const cBase = offC / ec;
  const dense = ldc === n && nPad === n;
  if (beta !== 0) {
    if (dense) mem.set(c.subarray(0, m * n), cBase);
    else if (n < ROW_COPY_MIN) {
      for (let i = 0; i < m; i++) for (let j = 0, s = i * ldc, d = cBase + i * nPad; j < n; j++) mem[d + j] = c[s + j];
    } else for (let i = 0; i < m; i++) mem.set(c.subarray(i * ldc, i * ldc + n), cBase + i * nPad);
  }
  const packA = ea === 8 ? w.pack64 : w.pack, packB = eb === 8 ? w.pack64 : w.pack;
  const c64 = ec === 8 ? 1 : 0;

  for (let jc = 0; jc < n; jc += nc0) {
    const ncPad = roundUp(Math.min(nc0, n - jc), NR);
    for (let pc = 0; pc < k; pc += kc0) {
      const kc = Math.min(kc0, k - pc);
      const mode = (pc > 0 ? 1 : 0) | (pc + kc === k ? 2 : 0);
      packB(offB + eb * pc * csB, rsB, csB, n, kc, jc, ncPad, offPB);
      for (let ic = 0; ic < m; ic += mc0) {
        const mcPad = roundUp(Math.min(mc0, m - ic), MR);
        packA(offA + ea * pc * csA, rsA, csA, m, kc, ic, mcPad, offPA);
        w.kernel(kc, mcPad, ncPad, offPA, offPB, offC + ec * (ic * nPad + jc), nPad, alpha, beta, offAcc + 8 * ic * nc0, nc0, mode, c64);
      }
    }
  }

  if (dense) c.set(mem.subarray(cBase, cBase + m * n));
  else if (n < ROW_COPY_MIN) {
    for (let i = 0; i < m; i++) for (let j = 0, d = i * ldc, s = cBase + i * nPad; j < n; j++) c[d + j] = mem[s + j];
  } else for (let i = 0; i < m; i++) c.set(mem.subarray(cBase + i * nPad, cBase + i * nPad + n), i * ldc);
  return true;
}
