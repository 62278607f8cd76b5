/**
 * A Lyapunov frame's product in float32: out (column-major n×k, float64) = diag(d)·W·Q for a float32
 * n×n matrix W (row-major) and the float64 frame Q (column-major n×k), on the float32 SIMD gemm of
 * f32.wat. Q is rounded to float32 and every sum accumulates in float32, as PyTorch's float32 CPU
 * kernels do; the estimator keeps its QR in float64 and, with this product, a frame condition
 * bound small enough that the rounding stays far below the exponents' standard errors (see
 * lyapunovSpectrum's `productPrecision`).
 *
 * Layout in the module's memory (its own instances, so nobody else's operands are overwritten):
 * Wᵀ padded to np×np (np = n rounded up to 4; resident while the same W is passed), then Qᵀ as
 * kp×np (kp = k rounded up to 4), the result Zᵀ = Qᵀ·Wᵀ, kp×np, and d (np); padded entries are zero.
 * A leaf module: imports only the loader.
 */
import { createF32Module, F32_FMA_WASM_BASE64, F32_WASM_BASE64, type F32Module } from './f32-loader.js';

/** This product's own instances of the two float32 builds. */
const MUL_ADD: F32Module = createF32Module(F32_WASM_BASE64);
const FMA: F32Module = createF32Module(F32_FMA_WASM_BASE64);

/** Largest n for which the resident Wᵀ and the frame buffers are kept (64 MiB of wasm memory). */
const MAX_N = 4096;

interface State {
  w: Float32Array | undefined;
  n: number;
  k: number;
  bytes: number;
}
const states = new Map<F32Module, State>();

const up4 = (x: number): number => (x + 3) & ~3;

/** True when the float32 product can run in this engine (WebAssembly SIMD), with `fma` the fused build (relaxed SIMD). */
export function f32FrameProductAvailable(fma: boolean): boolean {
  return (fma ? FMA : MUL_ADD).wasm() !== undefined;
}

/**
 * The smallest row scale d_i a float32 frame product is given (2⁻⁶⁰, a tanh unit at |a| ≈ 21):
 * below it d_i·(W·Q) leaves float32's normal range (past 1e-45 an exact zero, which the spectrum
 * reads as a rank-deficient Jacobian: −∞), so the caller takes that step in float64.
 */
export const FLOAT32_MIN_ROW_SCALE = 2 ** -60;

/**
 * out[j·n + i] = f32(d[i])·Σ_l W[i·n + l]·f32(q[j·n + l]) (d omitted: no diagonal) in float32 arithmetic;
 * `fma` picks the fused multiply-add build. Returns false (out untouched) where the build is
 * unavailable or n exceeds 4096. `w` must not change while it is passed again (it is kept resident).
 */
export function f32FrameProduct(
  fma: boolean, n: number, k: number, w: Float32Array, q: Float64Array, d: Float64Array | undefined, out: Float64Array,
): boolean {
  const mod = fma ? FMA : MUL_ADD;
  const ex = mod.wasm();
  if (ex === undefined || n > MAX_N || n < 1 || k < 1) return false;
  const np = up4(n), kp = up4(k);
  const wb = 0, ab = 4 * np * np, cb = ab + 4 * kp * np, db = cb + 4 * kp * np, bytes = db + 4 * np;
  let s = states.get(mod);
  if (s === undefined) states.set(mod, (s = { w: undefined, n: 0, k: 0, bytes: 0 }));
  const m = mod.memory(bytes);
  if (m === undefined) return false;
  if (s.n !== n || s.k !== k) {
    m.fill(0, 0, bytes >> 2); // padding stays zero: the copies below only write real entries
    s.w = undefined;
    s.n = n;
    s.k = k;
  }
  if (s.w !== w) {
    for (let i = 0; i < n; i++) for (let l = 0; l < n; l++) m[l * np + i] = w[i * n + l]; // Wᵀ, row-major np×np
    s.w = w;
  }
  // typed-array copies convert natively (float64 → float32 rounds to nearest, float32 → float64 is exact)
  const a = ab >> 2;
  if (n === np) m.set(q.length === n * k ? q : q.subarray(0, n * k), a);
  else for (let j = 0; j < k; j++) m.set(q.subarray(j * n, j * n + n), a + j * np);
  // Zᵀ (kp×np) = Qᵀ (kp×n, rows the frame's columns) · Wᵀ (n×np)
  ex.gemm(kp, np, n, ab, np, 1, wb, np, cb, np, 0);
  if (d !== undefined) {
    // the row scaling diag(d) in float32 too, as PyTorch's d[:, None] * (W @ Q): d rounded once
    m.set(d.length === n ? d : d.subarray(0, n), db >> 2);
    for (let j = 0; j < k; j++) ex.addmul(cb + 4 * j * np, 0, db, np);
  }
  const c = cb >> 2;
  if (n === np) out.set(m.subarray(c, c + n * k));
  else for (let j = 0; j < k; j++) out.set(m.subarray(c + j * np, c + j * np + n), j * n);
  return true;
}
