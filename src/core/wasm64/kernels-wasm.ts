/**
 * WebAssembly SIMD (f64x2) versions of the Lyapunov kernels in ../kernels.ts, same contracts. The
 * operands are copied into the module's memory (one memcpy each way), the work runs in wasm — a
 * whole Householder factorization or formation of Q per call (two reflectors × four columns per
 * pass), the frame product (4 rows × 2 columns), the RNN's wRec·h — and the result is copied back.
 * The RNN's recurrent weights stay resident across calls. A leaf module: imports only the loader.
 */
import { activeWasm, ensureMemory } from './loader.js';

import type { LyapunovWasmExports } from './loader.js';

/**
 * The wasm exports when the wasm backend is active for a problem of dimension n, else undefined
 * (`'auto'` keeps dimensions below 16 on the JS kernels, where the copies would cost more than the
 * SIMD gains; `'wasm'` forces every size).
 */
export function wasmKernels(n: number): LyapunovWasmExports | undefined {
  return activeWasm(n);
}

let factoredWithWasm = false;

/**
 * Whether the estimator keeps a large frame factored (J applied as J·H_0···H_{k-1}) with the wasm
 * kernels at every n (by default only from n = 112 on, where it is faster). @internal
 */
export function wasmFactoredFrame(): boolean {
  return factoredWithWasm;
}

/** Sets {@link wasmFactoredFrame} (benchmarks and tests). @internal */
export function setWasmFactoredFrame(on: boolean): void {
  factoredWithWasm = on;
}

// memory layout (in doubles): [0, 2) unused (pointer 0 means "none"), then two resident slots
// (slot 0: a matrix as given; slot 1: an n×n matrix with its row pairs interleaved, for gemv), then
// per-call scratch. When a slot must grow, both are invalidated and re-copied on next use.
const RESIDENT = 2;
const slotKey: (Float64Array | undefined)[] = [undefined, undefined];
const slotLen = [0, 0];
const slotCap = [0, 0];
let F: Float64Array = new Float64Array(0);

const even = (x: number): number => (x + 1) & ~1;

/** Scratch of `doubles` float64s after the resident slots; returns its start (index into F). */
function scratch(ex: LyapunovWasmExports, doubles: number): number {
  const base = RESIDENT + slotCap[0] + slotCap[1];
  F = ensureMemory(ex, (base + doubles) * 8);
  return base;
}

/** Start of resident slot `slot` holding `len` doubles (re-laid out, and both invalidated, if too small). */
function slot(ex: LyapunovWasmExports, which: number, len: number): number {
  if (even(len) > slotCap[which]) {
    slotCap[which] = even(len);
    slotKey[0] = slotKey[1] = undefined;
  }
  F = ensureMemory(ex, (RESIDENT + slotCap[0] + slotCap[1]) * 8);
  return which === 0 ? RESIDENT : RESIDENT + slotCap[0];
}

/**
 * Makes `a` (never modified by its owner) resident: copied into wasm memory once, reused while the
 * same array is passed again. Returns its start index in F.
 */
function resident(ex: LyapunovWasmExports, a: Float64Array, len: number): number {
  const at = slot(ex, 0, len);
  if (slotKey[0] === a && slotLen[0] === len) return at;
  F.set(len === a.length ? a : a.subarray(0, len), at);
  slotKey[0] = a;
  slotLen[0] = len;
  return at;
}

/** The row-pair-interleaved copy of the immutable row-major n×n `w` (slot 1). */
function residentInterleaved(ex: LyapunovWasmExports, w: Float64Array, n: number): number {
  const at = slot(ex, 1, n * n);
  if (slotKey[1] === w && slotLen[1] === n * n) return at;
  const f = F;
  let o = at;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    for (let l = 0; l < n; l++) {
      f[o++] = w[i * n + l];
      f[o++] = w[(i + 1) * n + l];
    }
  }
  if (i < n) for (let l = 0; l < n; l++) f[o++] = w[i * n + l];
  slotKey[1] = w;
  slotLen[1] = n * n;
  return at;
}

/**
 * out[i] = Σ_l w[i·n + l]·x[l] for the immutable row-major n×n `w` (kept resident, rows interleaved
 * in pairs), each sum in order l = 0, 1, …: bit-identical to the plain loop.
 */
export function wasmGemvResident(ex: LyapunovWasmExports, n: number, w: Float64Array, x: Float64Array, out: Float64Array): void {
  const wb = residentInterleaved(ex, w, n);
  const xb = scratch(ex, 2 * even(n));
  const ob = xb + even(n);
  copyIn(x, n, xb);
  ex.gemvPairs(n, wb * 8, xb * 8, ob * 8);
  copyOut(out, n, ob);
}

function copyIn(src: Float64Array, len: number, at: number): void {
  F.set(src.length === len ? src : src.subarray(0, len), at);
}

function copyOut(dst: Float64Array, len: number, at: number): void {
  dst.set(F.subarray(at, at + len));
}

/**
 * out (column-major n×k) = diag(d)·A·Q (d omitted: no diagonal) for A row-major n×n and Q
 * column-major n×k. `aResident`: A is immutable (kept in wasm memory across calls).
 */
export function wasmMatMulDiag(
  ex: LyapunovWasmExports,
  n: number,
  k: number,
  a: Float64Array,
  aResident: boolean,
  q: Float64Array,
  out: Float64Array,
  d: Float64Array | undefined,
): void {
  const nn = n * n;
  const nk = n * k;
  let ab = aResident ? resident(ex, a, nn) : -1;
  const sa = ab < 0 ? even(nn) : 0;
  const base = scratch(ex, sa + 2 * even(nk) + even(n));
  if (ab < 0) {
    ab = base;
    copyIn(a, nn, ab);
  }
  const qb = base + sa;
  const ob = qb + even(nk);
  const db = ob + even(nk);
  copyIn(q, nk, qb);
  if (d !== undefined) copyIn(d, n, db);
  ex.gemmTN(n, n, k, ab * 8, n, qb * 8, n, ob * 8, n, d !== undefined ? db * 8 : 0);
  copyOut(out, nk, ob);
}

// JS control flow of the QR on wasm memory: used by the blocked variant only (the unblocked QR runs
// its control flow inside wasm: qrFactorRange / qrFormRange in lyapunov.wat)

/** Reflector for column j (see makeReflector in ../kernels.ts), on the matrix at F[zb ..]. */
function makeReflector(ex: LyapunovWasmExports, n: number, zb: number, tau: Float64Array, rdiag: Float64Array, j: number): void {
  const z = F;
  const cj = zb + j * n;
  const alpha = z[cj + j];
  const tail = (cj + j + 1) * 8;
  const ss = ex.dot(tail, tail, n - j - 1);
  let norm: number;
  if (ss > 1e-280 && ss < 1e280) {
    norm = Math.sqrt(alpha * alpha + ss);
  } else {
    let scale = 0;
    for (let i = cj + j + 1; i < cj + n; i++) {
      const v = Math.abs(z[i]);
      if (v > scale || v !== v) scale = v;
    }
    if (scale === 0) {
      tau[j] = 0;
      rdiag[j] = alpha;
      z[cj + j] = 1;
      return;
    }
    let s = 0;
    for (let i = cj + j + 1; i < cj + n; i++) {
      const v = z[i] / scale;
      s += v * v;
    }
    norm = Math.hypot(alpha, scale * Math.sqrt(s));
  }
  const beta = alpha >= 0 ? -norm : norm;
  tau[j] = (beta - alpha) / beta;
  ex.scal(tail, n - j - 1, 1 / (alpha - beta));
  rdiag[j] = beta;
  z[cj + j] = 1;
}

function formColumn(ex: LyapunovWasmExports, n: number, zb: number, t: number, j: number): void {
  const cj = zb + j * n;
  ex.scal((cj + j + 1) * 8, n - j - 1, -t);
  F[cj + j] = 1 - t;
  F.fill(0, cj, cj + j);
}

/** Unblocked factorization of columns lo..hi-1 (reflectors applied within that range only). */
function factorRange(ex: LyapunovWasmExports, n: number, lo: number, hi: number, zb: number, tau: Float64Array, rdiag: Float64Array): void {
  const zB = zb * 8;
  let j = lo;
  while (j < hi) {
    makeReflector(ex, n, zb, tau, rdiag, j);
    if (j + 1 < hi) {
      if (tau[j] !== 0) ex.applyReflector(n, zB, j, tau[j], zB, j + 1, j + 2);
      makeReflector(ex, n, zb, tau, rdiag, j + 1);
      if (j + 2 < hi) ex.applyPair(n, zB, j, tau[j], tau[j + 1], zB, j + 2, hi, 1);
      j += 2;
    } else {
      j += 1;
    }
  }
}

/** Unblocked dorg2r on columns lo..hi-1 (their reflectors, applied within that range only). */
function formRange(ex: LyapunovWasmExports, n: number, lo: number, hi: number, zb: number, tau: Float64Array): void {
  const zB = zb * 8;
  formColumn(ex, n, zb, tau[hi - 1], hi - 1);
  let i = hi - 2;
  for (; i >= lo + 1; i -= 2) {
    const p = i - 1;
    if (p + 2 < hi) ex.applyPair(n, zB, p, tau[p], tau[p + 1], zB, p + 2, hi, 0);
    formColumn(ex, n, zb, tau[p + 1], p + 1);
    if (tau[p] !== 0) ex.applyReflector(n, zB, p, tau[p], zB, p + 1, p + 2);
    formColumn(ex, n, zb, tau[p], p);
  }
  if (i === lo) {
    if (hi > lo + 1 && tau[lo] !== 0) ex.applyReflector(n, zB, lo, tau[lo], zB, lo + 1, hi);
    formColumn(ex, n, zb, tau[lo], lo);
  }
}

/** Reflectors per block of the blocked (compact-WY) QR; k below 2·NB uses the unblocked kernels. */
const NB = 8;
let blockedMin = Infinity; // measured slower than the unblocked pair kernels at n ≤ 200 (see docs/lyapunov.md)

/** Smallest k that uses the blocked QR (default: never); for benchmarks and tests. @internal */
export function setWasmQrBlockedMin(k: number): void {
  blockedMin = k;
}
let tAll = new Float64Array(0); // T factor of block b at b·NB·NB, column-major NB×NB

/** V (L×jb column-major at F[vb ..], L = n − j0): the block's reflectors with explicit zeros and unit diagonal. */
function buildV(n: number, j0: number, jb: number, zb: number, vb: number): void {
  const f = F;
  const len = n - j0;
  for (let r = 0; r < jb; r++) {
    const o = vb + r * len;
    const src = zb + (j0 + r) * n + j0;
    for (let l = 0; l < r; l++) f[o + l] = 0;
    f[o + r] = 1;
    for (let l = r + 1; l < len; l++) f[o + l] = f[src + l];
  }
}

/** dlarft (forward, columnwise): H_j0···H_{j0+jb-1} = I − V·T·Vᵀ; T stored at tAll[t0 ..]. */
function buildT(ex: LyapunovWasmExports, len: number, jb: number, vb: number, tau: Float64Array, j0: number, t0: number): void {
  const T = tAll;
  for (let i = 0; i < jb; i++) {
    const ti = tau[j0 + i];
    const ci = t0 + i * NB;
    T[ci + i] = ti;
    if (i === 0) continue;
    // s_r = v_rᵀ v_i (v_i is zero above row i)
    const vi = (vb + i * len + i) * 8;
    for (let r = 0; r < i; r++) T[ci + r] = ex.dot((vb + r * len + i) * 8, vi, len - i);
    // T[0:i, i] = −τ_i · T[0:i, 0:i] · s (upper triangular, in place top-down)
    for (let r = 0; r < i; r++) {
      let acc = 0;
      for (let c = r; c < i; c++) acc += T[t0 + c * NB + r] * T[ci + c];
      T[ci + r] = -ti * acc;
    }
  }
}

/** C ← (I − V·op(T)·Vᵀ)·C on columns c0..k-1, rows j0..n-1 of the matrix at zb; op(T) = Tᵀ when `transT`. */
function applyBlock(
  ex: LyapunovWasmExports,
  n: number,
  k: number,
  j0: number,
  jb: number,
  c0: number,
  zb: number,
  vb: number,
  wb: number,
  t0: number,
  transT: boolean,
): void {
  const len = n - j0;
  const m = k - c0;
  const cB = (zb + c0 * n + j0) * 8;
  ex.gemmTN(len, jb, m, vb * 8, len, cB, n, wb * 8, jb, 0); // W = Vᵀ·C (jb×m, ld jb)
  const f = F;
  const T = tAll;
  for (let c = 0; c < m; c++) {
    const w = wb + c * jb;
    if (transT) {
      for (let i = jb - 1; i >= 0; i--) {
        let acc = 0;
        for (let r = 0; r <= i; r++) acc += T[t0 + i * NB + r] * f[w + r];
        f[w + i] = acc;
      }
    } else {
      for (let i = 0; i < jb; i++) {
        let acc = 0;
        for (let r = i; r < jb; r++) acc += T[t0 + r * NB + i] * f[w + r];
        f[w + i] = acc;
      }
    }
  }
  ex.gemmNNsub(len, jb, m, vb * 8, len, wb * 8, jb, cB, n); // C −= V·W
}

/** Blocked (compact-WY) factorization; V and W scratch at F[vb ..] (n·NB) and F[wb ..] (NB·k). */
function factorAt(ex: LyapunovWasmExports, n: number, k: number, zb: number, tau: Float64Array, rdiag: Float64Array, vb: number, wb: number): void {
  if (k < blockedMin) {
    factorRange(ex, n, 0, k, zb, tau, rdiag);
    return;
  }
  const blocks = Math.ceil(k / NB);
  if (tAll.length < blocks * NB * NB) tAll = new Float64Array(blocks * NB * NB);
  for (let j0 = 0; j0 < k; j0 += NB) {
    const jb = Math.min(NB, k - j0);
    factorRange(ex, n, j0, j0 + jb, zb, tau, rdiag);
    if (j0 + jb < k) {
      const t0 = (j0 / NB) * NB * NB;
      buildV(n, j0, jb, zb, vb);
      buildT(ex, n - j0, jb, vb, tau, j0, t0);
      applyBlock(ex, n, k, j0, jb, j0 + jb, zb, vb, wb, t0, true);
    }
  }
}

/** Blocked dorgqr after {@link factorAt} (which left the T factors in tAll). */
function formQAt(ex: LyapunovWasmExports, n: number, k: number, zb: number, tau: Float64Array, vb: number, wb: number): void {
  if (k < blockedMin) {
    formRange(ex, n, 0, k, zb, tau);
    return;
  }
  let j0 = Math.floor((k - 1) / NB) * NB;
  formRange(ex, n, j0, k, zb, tau);
  for (j0 -= NB; j0 >= 0; j0 -= NB) {
    const t0 = (j0 / NB) * NB * NB;
    buildV(n, j0, NB, zb, vb);
    applyBlock(ex, n, k, j0, NB, j0 + NB, zb, vb, wb, t0, false);
    formRange(ex, n, j0, j0 + NB, zb, tau);
  }
}

function fixSignsAt(ex: LyapunovWasmExports, n: number, k: number, zb: number, rdiag: Float64Array): void {
  for (let c = 0; c < k; c++) if (rdiag[c] < 0) ex.scal((zb + c * n) * 8, n, -1);
}

/**
 * Householder QR steps on the column-major n×k `z` (see ../kernels.ts): `factor` (qrFactor: z ←
 * reflectors, tau, signed R diagonal in rdiag), then `form` (qrFormQ + qrFixSigns: z ← the
 * sign-fixed thin Q), in one round trip through wasm memory.
 */
export function wasmQr(
  ex: LyapunovWasmExports,
  n: number,
  k: number,
  z: Float64Array,
  tau: Float64Array,
  rdiag: Float64Array,
  factor: boolean,
  form: boolean,
  fixSigns: boolean,
): void {
  const nk = n * k;
  const zb = scratch(ex, even(nk) + even(n * NB) + even(NB * k) + 2 * even(k));
  const vb = zb + even(nk);
  const wb = vb + even(n * NB);
  copyIn(z, nk, zb);
  if (k < blockedMin) {
    // the whole factorization / formation in one wasm call each (tau, rdiag through wasm memory)
    const tb = wb + even(NB * k);
    const rb = tb + even(k);
    if (!factor) copyIn(tau, k, tb);
    if (factor) ex.qrFactorRange(n, zb * 8, 0, k, tb * 8, rb * 8);
    if (form) ex.qrFormRange(n, zb * 8, 0, k, tb * 8);
    if (factor) {
      tau.set(F.subarray(tb, tb + k));
      rdiag.set(F.subarray(rb, rb + k));
    }
    if (fixSigns) fixSignsAt(ex, n, k, zb, rdiag);
    copyOut(z, nk, zb);
    return;
  }
  if (factor) factorAt(ex, n, k, zb, tau, rdiag, vb, wb);
  else if (form && k >= blockedMin) {
    // qrFormQ alone (the factorization came from elsewhere): the block T factors are rebuilt here
    const blocks = Math.ceil(k / NB);
    if (tAll.length < blocks * NB * NB) tAll = new Float64Array(blocks * NB * NB);
    for (let j0 = 0; j0 + NB < k; j0 += NB) {
      buildV(n, j0, NB, zb, vb);
      buildT(ex, n - j0, NB, vb, tau, j0, (j0 / NB) * NB * NB);
    }
  }
  if (form) formQAt(ex, n, k, zb, tau, vb, wb);
  if (fixSigns) fixSignsAt(ex, n, k, zb, rdiag);
  copyOut(z, nk, zb);
}

/**
 * m ← m·Q (applyFactoredQRight in ../kernels.ts) for the row-major n×n `m` and the factored frame
 * (`z`, `tau`, signs of `rdiag`). With `outColMajor`, the first k columns of the result are written
 * there column-major instead (and `m` is left unchanged).
 */
export function wasmApplyFactoredQRight(
  ex: LyapunovWasmExports,
  n: number,
  k: number,
  z: Float64Array,
  tau: Float64Array,
  rdiag: Float64Array,
  m: Float64Array,
  outColMajor: Float64Array | undefined,
): void {
  const nk = n * k;
  const nn = n * n;
  const zb = scratch(ex, even(nk) + even(nn) + (outColMajor !== undefined ? even(nk) : 0));
  const mb = zb + even(nk);
  copyIn(z, nk, zb);
  copyIn(m, nn, mb);
  const zB = zb * 8;
  const mB = mb * 8;
  let j = 0;
  for (; j + 1 < k; j += 2) ex.applyPair(n, zB, j, tau[j], tau[j + 1], mB, 0, n, 1);
  if (j < k && tau[j] !== 0) ex.applyReflector(n, zB, j, tau[j], mB, 0, n);
  if (outColMajor !== undefined) {
    const ob = mb + even(nn);
    ex.transposeCols(n, k, mB, ob * 8);
    fixSignsAt(ex, n, k, ob, rdiag);
    copyOut(outColMajor, nk, ob);
    return;
  }
  const f = F;
  for (let c = 0; c < k; c++) {
    if (rdiag[c] < 0) for (let r = 0; r < n; r++) f[mb + r * n + c] = -f[mb + r * n + c];
  }
  copyOut(m, nn, mb);
}
