/**
 * WebAssembly SIMD (f64x2) versions of the float64 kernels in ../linalg/householder.ts and
 * ../linalg/colmajor.ts, same contracts, on whichever build of f64.wat the backend chose (the
 * multiply-then-add build or its fused multiply-add variant; see ./loader.ts). The operands are copied into the module's memory (one
 * memcpy each way), the work runs in wasm — a whole Householder factorization or formation of Q per
 * call (two reflectors × four columns per pass), the product diag(d)·A·Q (4 rows × 2 columns), a
 * gemv over a resident matrix, a SMACOF pass, CSR × dense products — and the result is copied back
 * (the tridiagonalization works on views of the module's memory instead, see
 * {@link wasmTridiagonalWorkspace}). Matrices that their owner never
 * modifies (an RNN's recurrent weights) stay resident across calls. A leaf module: imports only the
 * loader.
 */
import { activeWasm, activeWasmForBytes, ensureMemory } from './loader.js';

import type { F64WasmExports } from './loader.js';

/**
 * The wasm exports when the wasm backend is active for a problem of dimension n, else undefined
 * (`'auto'` keeps dimensions below 16 on the JS kernels, where the copies would cost more than the
 * SIMD gains; `'wasm'` forces every size).
 */
export function wasmKernels(n: number): F64WasmExports | undefined {
  return activeWasm(n);
}

/** The wasm exports when the wasm backend is active for operands of `bytes` bytes (≤ 1 GiB), else undefined. */
export function wasmKernelsForBytes(bytes: number): F64WasmExports | undefined {
  return activeWasmForBytes(bytes);
}

// memory layout (in doubles), in each build's instance: [0, 2) unused (pointer 0 means "none"),
// then two resident slots (slot 0: a matrix as given; slot 1: an n×n matrix with its row pairs
// interleaved, for gemv), then per-call scratch. When a slot must grow, both are invalidated and
// re-copied on next use. Every entry point calls `slot` or `scratch` first, which point F at the
// memory of the instance it was given.
const RESIDENT = 2;

/** The resident slots of one instance (each build has its own memory). */
interface Slots {
  key: (Float64Array | undefined)[];
  len: number[];
  cap: number[];
}
const slotsOf = new Map<F64WasmExports, Slots>();
let lastEx: F64WasmExports | undefined;
let S: Slots = { key: [undefined, undefined], len: [0, 0], cap: [0, 0] };
let F: Float64Array = new Float64Array(0);
/** Bumped whenever scratch or a slot is handed out (which may overwrite scratch or grow memory). */
let generation = 0;

function slotsFor(ex: F64WasmExports): Slots {
  if (ex !== lastEx) {
    let s = slotsOf.get(ex);
    if (s === undefined) slotsOf.set(ex, (s = { key: [undefined, undefined], len: [0, 0], cap: [0, 0] }));
    S = s;
    lastEx = ex;
  }
  return S;
}

const even = (x: number): number => (x + 1) & ~1;

/** Scratch of `doubles` float64s after the resident slots; returns its start (index into F). */
function scratch(ex: F64WasmExports, doubles: number): number {
  generation++;
  const s = slotsFor(ex);
  const base = RESIDENT + s.cap[0] + s.cap[1];
  F = ensureMemory(ex, (base + doubles) * 8);
  return base;
}

/** Start of resident slot `slot` holding `len` doubles (re-laid out, and both invalidated, if too small). */
function slot(ex: F64WasmExports, which: number, len: number): number {
  generation++;
  const s = slotsFor(ex);
  if (even(len) > s.cap[which]) {
    s.cap[which] = even(len);
    s.key[0] = s.key[1] = undefined;
  }
  F = ensureMemory(ex, (RESIDENT + s.cap[0] + s.cap[1]) * 8);
  return which === 0 ? RESIDENT : RESIDENT + s.cap[0];
}

/**
 * Makes `a` (never modified by its owner) resident: copied into wasm memory once, reused while the
 * same array is passed again. Returns its start index in F.
 */
function resident(ex: F64WasmExports, a: Float64Array, len: number): number {
  const at = slot(ex, 0, len);
  if (S.key[0] === a && S.len[0] === len) return at;
  F.set(len === a.length ? a : a.subarray(0, len), at);
  S.key[0] = a;
  S.len[0] = len;
  return at;
}

/** The row-pair-interleaved copy of the immutable row-major m×n `w` (slot 1). */
function residentInterleaved(ex: F64WasmExports, w: Float64Array, m: number, n: number): number {
  const len = m * n;
  const at = slot(ex, 1, len);
  if (S.key[1] === w && S.len[1] === len) return at;
  const f = F;
  let o = at;
  let i = 0;
  for (; i + 1 < m; i += 2) {
    for (let l = 0; l < n; l++) {
      f[o++] = w[i * n + l];
      f[o++] = w[(i + 1) * n + l];
    }
  }
  if (i < m) for (let l = 0; l < n; l++) f[o++] = w[i * n + l];
  S.key[1] = w;
  S.len[1] = len;
  return at;
}

/**
 * out[i] = Σ_l w[i·n + l]·x[l] (i < m, l < n) for the immutable row-major m×n `w` (kept resident,
 * rows interleaved in pairs), each sum in order l = 0, 1, …: bit-identical to the plain loop.
 */
export function wasmGemvResident(ex: F64WasmExports, m: number, n: number, w: Float64Array, x: Float64Array, out: Float64Array): void {
  const wb = residentInterleaved(ex, w, m, n);
  const xb = scratch(ex, even(n) + even(m));
  const ob = xb + even(n);
  copyIn(x, n, xb);
  ex.gemvPairs(m, n, wb * 8, xb * 8, ob * 8);
  copyOut(out, m, ob);
}

/**
 * The product of a gated cell's Jacobian with a frame: out (column-major rows×k) = J·Q_h, where Q_h
 * is the first n rows of the column-major frame `q` (leading dimension `ldq`, k columns) and J
 * (rows×n, rows = n or 2n) is formed in wasm memory from the n×n blocks W_g = w[g·n·n …] of the
 * immutable `w` (kept resident, `wLen` doubles): row r < n is Σ_{g < terms0} c0[g·n + r]·W_g[r, :]
 * (plus `diag[r]` on the diagonal when given) and, when terms1 > 0, row n + r is
 * Σ_{g < terms1} c1[g·n + r]·W_g[r, :].
 */
export function wasmGatedProduct(
  ex: F64WasmExports, n: number, w: Float64Array, wLen: number, terms0: number, c0: Float64Array, terms1: number, c1: Float64Array,
  diag: Float64Array | undefined, q: Float64Array, ldq: number, k: number, out: Float64Array,
): void {
  const rows = terms1 > 0 ? 2 * n : n;
  const wb = resident(ex, w, wLen);
  const jl = even(rows * n), cl = even((terms0 + terms1) * n), ql = even(ldq * k), ol = even(rows * k);
  const jb = scratch(ex, jl + cl + ql + ol);
  const cb = jb + jl, qb = cb + cl, ob = qb + ql;
  copyIn(c0, terms0 * n, cb);
  if (terms1 > 0) copyIn(c1, terms1 * n, cb + terms0 * n);
  copyIn(q, ldq * k, qb);
  ex.combineRows(n, n, terms0, wb * 8, n * n, cb * 8, jb * 8);
  if (terms1 > 0) ex.combineRows(n, n, terms1, wb * 8, n * n, (cb + terms0 * n) * 8, (jb + n * n) * 8);
  if (diag !== undefined) for (let r = 0; r < n; r++) F[jb + r * n + r] += diag[r];
  ex.gemmTN(n, rows, k, jb * 8, n, qb * 8, ldq, ob * 8, rows, 0);
  copyOut(out, rows * k, ob);
}

function copyIn(src: Float64Array, len: number, at: number): void {
  F.set(src.length === len ? src : src.subarray(0, len), at);
}

function copyOut(dst: Float64Array, len: number, at: number): void {
  dst.set(F.subarray(at, at + len));
}

/** out[j] = the squared norm of column j of the column-major n×k `a` (colNormsSq: the JS loop's bits). */
export function wasmColumnNormsSq(ex: F64WasmExports, n: number, k: number, a: Float64Array, out: Float64Array): void {
  const nk = n * k;
  const ab = scratch(ex, even(nk) + even(k));
  const ob = ab + even(nk);
  copyIn(a, nk, ab);
  ex.colNormsSq(n, k, ab * 8, ob * 8);
  copyOut(out, k, ob);
}

/**
 * out (column-major n×k) = diag(d)·A·Q (d omitted: no diagonal) for A row-major n×n and Q
 * column-major n×k. `aResident`: A is immutable (kept in wasm memory across calls).
 */
export function wasmMatMulDiag(
  ex: F64WasmExports,
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

function fixSignsAt(ex: F64WasmExports, n: number, k: number, zb: number, rdiag: Float64Array): void {
  for (let c = 0; c < k; c++) if (rdiag[c] < 0) ex.scal((zb + c * n) * 8, n, -1);
}

/**
 * Householder QR steps on the column-major n×k `z` (see ../kernels.ts): `factor` (qrFactor: z ←
 * reflectors, tau, signed R diagonal in rdiag), then `form` (qrFormQ + qrFixSigns: z ← the
 * sign-fixed thin Q), in one round trip through wasm memory.
 */
export function wasmQr(
  ex: F64WasmExports,
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
  // the whole factorization / formation in one wasm call each (tau, rdiag through wasm memory)
  const zb = scratch(ex, even(nk) + 2 * even(k));
  const tb = zb + even(nk);
  const rb = tb + even(k);
  copyIn(z, nk, zb);
  if (!factor) copyIn(tau, k, tb);
  if (factor) ex.qrFactorRange(n, zb * 8, 0, k, tb * 8, rb * 8);
  if (form) ex.qrFormRange(n, zb * 8, 0, k, tb * 8);
  if (factor) {
    tau.set(F.subarray(tb, tb + k));
    rdiag.set(F.subarray(rb, rb + k));
  }
  if (fixSigns) fixSignsAt(ex, n, k, zb, rdiag);
  copyOut(z, nk, zb);
}

/**
 * m ← m·Q (applyFactoredQRight in ../kernels.ts) for the row-major n×n `m` and the factored frame
 * (`z`, `tau`, signs of `rdiag`). With `outColMajor`, the first k columns of the result are written
 * there column-major instead (and `m` is left unchanged).
 */
export function wasmApplyFactoredQRight(
  ex: F64WasmExports,
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

/**
 * Working storage in wasm memory for a Householder tridiagonalization of an n×n matrix (column-major
 * `v`, then `d` and `e`, all views into the module's memory), with the two O(i²) passes of step i as
 * calls. The views are valid while `valid()`: any other kernel call in between (from a progress
 * callback, say) may overwrite this scratch or move the memory, and then `valid()` turns false.
 */
export interface WasmTridiagonalWorkspace {
  readonly v: Float64Array;
  readonly d: Float64Array;
  readonly e: Float64Array;
  /** e = A·u over the leading i×i block (u = d[0..i), e[0..i) zeroed first), u stored in column i. */
  symv(i: number): void;
  /** The rank-2 update of step i, then d[j] = v[j·n + i − 1], v[j·n + i] = 0. */
  rank2(i: number): void;
  valid(): boolean;
}

/** The workspace of {@link WasmTridiagonalWorkspace} for dimension n. */
export function wasmTridiagonalWorkspace(ex: F64WasmExports, n: number): WasmTridiagonalWorkspace {
  const nn = n * n;
  const vb = scratch(ex, even(nn) + 2 * even(n));
  const db = vb + even(nn), eb = db + even(n);
  const mem = F;
  const g = generation;
  const vp = vb * 8, dp = db * 8, ep = eb * 8;
  return {
    v: mem.subarray(vb, vb + nn),
    d: mem.subarray(db, db + n),
    e: mem.subarray(eb, eb + n),
    symv: (i) => ex.tridiagSymv(i, n, vp, dp, ep),
    rank2: (i) => ex.tridiagRank2(i, n, vp, dp, ep),
    valid: () => generation === g && mem.length > 0,
  };
}

/**
 * SMACOF passes in two dimensions (see the `guttman2` export) over a copy of the n×n distance matrix
 * D made in the module's memory on the first pass, and again whenever another kernel call has used
 * the scratch in between (an `onIter` callback may run any code).
 */
export interface WasmGuttman2 {
  /** acc, rsum ← the pass's sums (overwritten) for the row-major n×2 Y; returns the stress. */
  pass(Y: Float64Array, acc: Float64Array, rsum: Float64Array): number;
}

/** The passes of {@link WasmGuttman2} for D (row-major n×n, not modified while in use). */
export function wasmGuttman2(ex: F64WasmExports, D: Float64Array, n: number): WasmGuttman2 {
  let g = -1;
  let db = 0, yb = 0, ab = 0, rb = 0;
  return {
    pass(Y, acc, rsum) {
      if (g !== generation) {
        const nn = n * n;
        db = scratch(ex, even(nn) + 2 * even(2 * n) + even(n));
        yb = db + even(nn);
        ab = yb + even(2 * n);
        rb = ab + even(2 * n);
        copyIn(D, nn, db);
        g = generation;
      }
      copyIn(Y, 2 * n, yb);
      F.fill(0, ab, ab + 2 * n);
      F.fill(0, rb, rb + n);
      const stress = ex.guttman2(n, db * 8, yb * 8, ab * 8, rb * 8);
      copyOut(acc, 2 * n, ab);
      copyOut(rsum, n, rb);
      return stress;
    },
  };
}

/** Copies a CSR matrix into scratch at double index `at`; returns the byte offsets and the next free index. */
function csrIn(indptr: Int32Array, indices: Int32Array, values: Float64Array, rows: number, at: number): { ip: number; ix: number; vx: number; next: number } {
  const nnz = indptr[rows];
  const vx = at;
  F.set(values.subarray(0, nnz), vx);
  const ix = vx + even(nnz);
  new Int32Array(F.buffer, ix * 8, nnz).set(indices.subarray(0, nnz));
  const ip = ix + even((nnz + 1) >> 1);
  new Int32Array(F.buffer, ip * 8, rows + 1).set(indptr.subarray(0, rows + 1));
  return { ip: ip * 8, ix: ix * 8, vx: vx * 8, next: ip + even((rows + 2) >> 1) };
}

/** Doubles of scratch a CSR matrix with `rows` rows and `nnz` entries takes in {@link csrIn}. */
const csrDoubles = (rows: number, nnz: number): number => even(nnz) + even((nnz + 1) >> 1) + even((rows + 2) >> 1);

/**
 * out (rows×p) = A·B for A (rows×cols) in CSR and B (cols×p) dense row-major: the `csrMulDense`
 * export, the bits of the JS loop (src/geometry/embedding/sparse.ts, csrTimesDenseUnrolled).
 */
export function wasmCsrTimesDense(
  ex: F64WasmExports, rows: number, cols: number, indptr: Int32Array, indices: Int32Array, values: Float64Array,
  B: Float64Array, p: number, out: Float64Array,
): void {
  const base = scratch(ex, csrDoubles(rows, indptr[rows]) + even(cols * p) + even(rows * p));
  const a = csrIn(indptr, indices, values, rows, base);
  const bb = a.next, ob = bb + even(cols * p);
  copyIn(B, cols * p, bb);
  ex.csrMulDense(rows, p, a.ip, a.ix, a.vx, bb * 8, ob * 8);
  copyOut(out, rows * p, ob);
}

/**
 * out (m×c) = columns c0 … c0 + c − 1 of Aᵗ for a square A (m×m) in CSR: t products with the identity's
 * columns in the module's memory, A copied in once (csrPowerColumns' bits).
 */
export function wasmCsrPowerColumns(
  ex: F64WasmExports, m: number, indptr: Int32Array, indices: Int32Array, values: Float64Array, t: number, c0: number, c: number, out: Float64Array,
): void {
  const mc = m * c;
  const base = scratch(ex, csrDoubles(m, indptr[m]) + 2 * even(mc));
  const a = csrIn(indptr, indices, values, m, base);
  let x = a.next, y = x + even(mc);
  F.fill(0, x, x + mc);
  for (let q = 0; q < c; q++) F[x + (c0 + q) * c + q] = 1;
  for (let s = 0; s < t; s++) {
    ex.csrMulDense(m, c, a.ip, a.ix, a.vx, x * 8, y * 8);
    const tmp = x; x = y; y = tmp;
  }
  copyOut(out, mc, x);
}
