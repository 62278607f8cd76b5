/**
 * The 'wasm-f32' backend of the fused vanilla-RNN recurrence: forward and BPTT run in the memory of
 * the float32 WebAssembly module (core/wasm/f32.wat) — float32 SIMD gemm with float32 accumulation,
 * as PyTorch's CPU kernels, and a vectorised tanh within 1 ulp (its derivative within 3).
 *
 * Everything stays in wasm memory from the input projection to the last gradient gemm: the weights
 * are copied in once per call (transposed and zero-padded), the inputs once, the states once out;
 * no step copies anything. Sizes are padded (batch to a multiple of 4 rows, H and I to multiples of
 * 4 columns) and the padding is zero in every operand that reaches a real entry, so the results are
 * those of the unpadded problem.
 *
 * The arena is shared: a forward pass records a generation number, and a backward pass whose
 * arena was since used by another call recomputes its forward pass first (same kernels, same bits).
 */
import type { FloatArray } from '../core/errors.js';
import { takeArena, type F32Arena, type F32Module, type F32WasmExports } from '../core/wasm/f32-loader.js';

/** Byte offsets of one problem's buffers in the module's memory. */
interface Layout {
  B: number; T: number; I: number; H: number; Bp: number; Ip: number; Hp: number;
  wInT: number; wRecT: number; wRec: number; wIn: number; bias: number;
  xT: number; hs: number; d: number; dA: number; carry: number;
  gWrec: number; gWin: number; gb: number; dxT: number; bytes: number;
}

/** Largest arena (bytes) the fast path takes; larger problems use the 'js' backend. */
const MAX_BYTES = 1 << 30;

/** Rows per slab of the weight-gradient products. */
const KC = 128;

const up4 = (x: number) => (x + 3) & ~3;


function makeLayout(B: number, T: number, I: number, H: number): Layout {
  const Bp = up4(B), Ip = up4(I), Hp = up4(H);
  let off = 0;
  const take = (floats: number) => {
    const o = off;
    off += 4 * up4(floats);
    return o;
  };
  const l = {
    B, T, I, H, Bp, Ip, Hp,
    wInT: take(Ip * Hp), wRecT: take(Hp * Hp), wRec: take(Hp * Hp), wIn: take(Hp * Ip), bias: take(Hp),
    xT: take(T * Bp * Ip), hs: take((T + 1) * Bp * Hp), d: take(T * Bp * Hp), dA: take(T * Bp * Hp), carry: take(Bp * Hp),
    gWrec: take(Hp * Hp), gWin: take(Hp * Ip), gb: take(Hp), dxT: take(T * Bp * Ip), bytes: 0,
  };
  l.bytes = off;
  return l;
}

type ArenaState = F32Arena<Layout>;

const arenas = new Map<F32Module, ArenaState>();

/** The arena for these sizes in this instance (zeroed when the sizes change), or null when it cannot be had. */
function arena(mod: F32Module, B: number, T: number, I: number, H: number): { w: F32WasmExports; l: Layout; m: Float32Array; s: ArenaState } | null {
  return takeArena(mod, arenas, (l) => l.B === B && l.T === T && l.I === I && l.H === H, () => makeLayout(B, T, I, H), MAX_BYTES);
}

/** True when the fast path can run this problem (float32 data, tanh, WebAssembly SIMD). */
export function rnnFastApplies(mod: F32Module, act: string, ...arrays: (FloatArray | null)[]): boolean {
  if (act !== 'tanh' || mod.wasm() === undefined) return false;
  for (const a of arrays) if (a !== null && !(a instanceof Float32Array)) return false;
  return true;
}

/** Copies the weights, inputs and h0 in and runs the recurrence; d (φ') is stored when withD. */
function forwardInArena(
  w: F32WasmExports, l: Layout, m: Float32Array, s: ArenaState,
  x: FloatArray, wIn: FloatArray, wRec: FloatArray, b: FloatArray, h0: FloatArray | null, withD: boolean,
): void {
  const { B, T, I, H, Bp, Ip, Hp } = l;
  const wInT = l.wInT >> 2, wRecT = l.wRecT >> 2, wRecP = l.wRec >> 2, wInP = l.wIn >> 2, bias = l.bias >> 2;
  for (let h = 0; h < H; h++) {
    for (let i = 0; i < I; i++) {
      const v = wIn[h * I + i];
      m[wInT + i * Hp + h] = v;
      m[wInP + h * Ip + i] = v;
    }
    for (let j = 0; j < H; j++) {
      const v = wRec[h * H + j];
      m[wRecT + j * Hp + h] = v;
      m[wRecP + h * Hp + j] = v;
    }
    m[bias + h] = b[h];
  }
  const xT = l.xT >> 2;
  for (let bb = 0; bb < B; bb++) {
    for (let t = 0; t < T; t++) m.set(x.subarray((bb * T + t) * I, (bb * T + t + 1) * I), xT + (t * Bp + bb) * Ip);
  }
  const hs = l.hs >> 2;
  if (h0 === null) m.fill(0, hs, hs + B * Hp);
  else if (h0.length === B * H) for (let bb = 0; bb < B; bb++) m.set(h0.subarray(bb * H, (bb + 1) * H), hs + bb * Hp);
  else for (let bb = 0; bb < B; bb++) m.set(h0.subarray(0, H), hs + bb * Hp);
  if (T === 0) return;
  const BH = 4 * Bp * Hp; // bytes per step block
  w.rows(l.hs + BH, T * Bp, Hp, Hp, l.bias);
  w.gemm(T * Bp, Hp, I, l.xT, Ip, 1, l.wInT, Hp, l.hs + BH, Hp, 1);
  for (let t = 0; t < T; t++) {
    // without h0 the first step's W·h0 is 0 (its products would only add zeros: skipped)
    if (t > 0 || h0 !== null) w.gemm(Bp, Hp, H, l.hs + t * BH, Hp, 1, l.wRecT, Hp, l.hs + (t + 1) * BH, Hp, 1);
    w.act(0, l.hs + (t + 1) * BH, Bp * Hp, withD ? l.d + t * BH : 0);
  }
  s.generation++;
}

/** Handle of a forward pass kept for its backward pass. */
export interface RnnFastTape {
  mod: F32Module;
  generation: number;
  x: FloatArray; wIn: FloatArray; wRec: FloatArray; b: FloatArray; h0: FloatArray | null;
  B: number; T: number; I: number; H: number;
}

/**
 * Forward: writes the batch-first states `[B,T,H]` into `states`; returns the handle for
 * {@link rnnFastBackward} (withD), or null when the arena cannot be had (nothing written then).
 */
export function rnnFastForward(
  mod: F32Module, B: number, T: number, I: number, H: number,
  x: FloatArray, wIn: FloatArray, wRec: FloatArray, b: FloatArray, h0: FloatArray | null,
  states: FloatArray, withD: boolean,
): RnnFastTape | null {
  const a = arena(mod, B, T, I, H);
  if (a === null) return null;
  const { w, l, m, s } = a;
  forwardInArena(w, l, m, s, x, wIn, wRec, b, h0, withD);
  const hs = l.hs >> 2;
  for (let t = 0; t < T; t++) {
    for (let bb = 0; bb < B; bb++) {
      const src = hs + ((t + 1) * l.Bp + bb) * l.Hp;
      states.set(m.subarray(src, src + H), (bb * T + t) * H);
    }
  }
  return { mod, generation: s.generation, x, wIn, wRec, b, h0, B, T, I, H };
}

/** Gradient destinations (accumulated into; null entries skipped). */
export interface RnnFastGrads {
  wIn: FloatArray | null; wRec: FloatArray | null; b: FloatArray | null; h0: FloatArray | null; x: FloatArray | null;
}

/**
 * BPTT for a forward pass made by {@link rnnFastForward} with withD; `dStates` is d loss / d states
 * (batch-first). With `liveStep` ≥ 0 only that time slot of `dStates` is read, the others being
 * zeros (so a loss on the last step copies one step in, not T). Returns false (nothing written)
 * when the arena cannot be had.
 */
export function rnnFastBackward(tp: RnnFastTape, dStates: FloatArray, g: RnnFastGrads, liveStep = -1): boolean {
  const { B, T, I, H } = tp;
  const a = arena(tp.mod, B, T, I, H);
  if (a === null) return false;
  const { w, l, s } = a;
  let m = a.m;
  if (tp.generation !== s.generation) {
    forwardInArena(w, l, m, s, tp.x, tp.wIn, tp.wRec, tp.b, tp.h0, true);
    tp.generation = s.generation;
  }
  const { Bp, Ip, Hp } = l;
  if (T === 0) return true;
  if (liveStep < 0) {
    copyStatesGrad(m, l, dStates, 0, T);
    const BH = 4 * Bp * Hp;
    for (let t = T - 1; t >= 0; t--) {
      w.addmul(l.dA + t * BH, t < T - 1 ? l.carry : 0, l.d + t * BH, Bp * Hp);
      if (t > 0 || g.h0 !== null) w.gemm(Bp, Hp, H, l.dA + t * BH, Hp, 1, l.wRec, Hp, l.carry, Hp, 0);
    }
  } else bpttOneStep(w, l, m, dStates, liveStep, g.h0 !== null);
  const rows = T * Bp;
  // the weight gradients sum over all T·Bp rows: in slabs of KC rows, so that the slab of dA and of
  // the states or inputs stays in cache across the row blocks of the product. Without h0 the rows
  // of step 0 would add dA_0ᵀ·0 to gWrec: its sum starts at row rec0 = Bp (the same bits: the
  // accumulators start at +0 either way).
  const rec0 = tp.h0 === null ? Bp : 0;
  if (g.wRec !== null && rec0 >= rows) m.fill(0, l.gWrec >> 2, (l.gWrec >> 2) + Hp * Hp);
  for (let r0 = 0; r0 < rows; r0 += KC) {
    const kc = Math.min(KC, rows - r0), first = r0 === 0 ? 0 : 1;
    const s0 = Math.max(r0, rec0);
    if (g.wRec !== null && s0 < r0 + kc) {
      w.gemm(Hp, Hp, r0 + kc - s0, l.dA + 4 * s0 * Hp, 1, Hp, l.hs + 4 * s0 * Hp, Hp, l.gWrec, Hp, s0 === rec0 ? 0 : 1);
    }
    if (g.wIn !== null) w.gemm(Hp, Ip, kc, l.dA + 4 * r0 * Hp, 1, Hp, l.xT + 4 * r0 * Ip, Ip, l.gWin, Ip, first);
  }
  if (g.b !== null) {
    m = tp.mod.memory(l.bytes)!;
    m.fill(0, l.gb >> 2, (l.gb >> 2) + Hp);
    w.colsum(l.dA, rows, Hp, Hp, l.gb);
  }
  if (g.x !== null) w.gemm(rows, Ip, H, l.dA, Hp, 1, l.wIn, Ip, l.dxT, Ip, 0);
  m = tp.mod.memory(l.bytes)!;
  addPadded(g.wRec, m, l.gWrec >> 2, H, H, Hp);
  addPadded(g.wIn, m, l.gWin >> 2, H, I, Ip);
  addPadded(g.b, m, l.gb >> 2, 1, H, Hp);
  if (g.h0 !== null) {
    const c = l.carry >> 2;
    if (g.h0.length === B * H) for (let bb = 0; bb < B; bb++) for (let j = 0; j < H; j++) g.h0[bb * H + j] += m[c + bb * Hp + j];
    else {
      for (let j = 0; j < H; j++) {
        let s = 0;
        for (let bb = 0; bb < B; bb++) s += m[c + bb * Hp + j];
        g.h0[j] += s;
      }
    }
  }
  if (g.x !== null) {
    const dxT = l.dxT >> 2;
    for (let t = 0; t < T; t++) {
      for (let bb = 0; bb < B; bb++) {
        const src = dxT + (t * Bp + bb) * Ip, dst = (bb * T + t) * I;
        for (let i = 0; i < I; i++) g.x[dst + i] += m[src + i];
      }
    }
  }
  return true;
}

/**
 * d loss / d states of steps t0 ≤ t < t1, batch-first, into the time-major dA of the arena (its
 * padding rows and columns stay zero: dA is written only here, by addmul and by products of
 * zero-padded operands).
 */
function copyStatesGrad(m: Float32Array, l: Layout, dStates: FloatArray, t0: number, t1: number): void {
  const { B, T, H, Bp, Hp } = l;
  const dA = l.dA >> 2;
  for (let t = t0; t < t1; t++) {
    for (let bb = 0; bb < B; bb++) m.set(dStates.subarray((bb * T + t) * H, (bb * T + t + 1) * H), dA + (t * Bp + bb) * Hp);
  }
}

/**
 * The BPTT loop when only step s of d loss / d states is nonzero (a loss on one step): the same
 * bits as the general loop, without reading the zeros. Steps after s get dA = 0. Before s a step's
 * own gradient is zero, so the general loop's dA_t = (0 + carry)·φ' is carry·φ': the product
 * dA_{t+1}·wRec is written straight into dA_t (a product's sum starts at +0 and is never −0, so
 * 0 + carry = carry exactly).
 */
function bpttOneStep(w: F32WasmExports, l: Layout, m: Float32Array, dStates: FloatArray, s: number, withH0: boolean): void {
  const { T, H, Bp, Hp } = l;
  const BH = 4 * Bp * Hp, n = Bp * Hp;
  if (s < T - 1) {
    m.fill(0, (l.dA + (s + 1) * BH) >> 2, (l.dA + T * BH) >> 2);
    m.fill(0, l.carry >> 2, (l.carry >> 2) + n); // the general loop's carry into step s: W·0 = +0
  }
  copyStatesGrad(m, l, dStates, s, s + 1);
  w.addmul(l.dA + s * BH, s < T - 1 ? l.carry : 0, l.d + s * BH, n);
  for (let t = s; t > 0; t--) {
    w.gemm(Bp, Hp, H, l.dA + t * BH, Hp, 1, l.wRec, Hp, l.dA + (t - 1) * BH, Hp, 0);
    w.addmul(l.dA + (t - 1) * BH, 0, l.d + (t - 1) * BH, n);
  }
  if (withH0) w.gemm(Bp, Hp, H, l.dA, Hp, 1, l.wRec, Hp, l.carry, Hp, 0);
}

/** dst[r·cols + c] += m[src + r·ld + c]. */
function addPadded(dst: FloatArray | null, m: Float32Array, src: number, rows: number, cols: number, ld: number): void {
  if (dst === null) return;
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) dst[r * cols + c] += m[src + r * ld + c];
}
