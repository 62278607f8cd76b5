/**
 * The 'wasm-f32' backend of the gated recurrence (GRU and LSTM): every matrix product — the input
 * projection and the recurrent product of each step, the carry of BPTT and the weight gradients — runs
 * on the float32 SIMD gemm of core/wasm/f32.wat (float32 accumulation, as PyTorch's CPU kernels), on
 * weights packed in column blocks of 8 and gradients in row slabs, keeping each sum's order; the
 * element-wise part of each step (gate activations on act's σ and tanh, within 2 and 1 ulp, and the
 * cell/state update; in BPTT the gate derivatives) on its f32x4 gate kernels, one call per step over
 * all rows. JS only moves data in and out of the module's memory. Same equations and gate order as
 * kernels.ts.
 *
 * The module is instantiated a second time for the gated cells, so its memory (the arena) is never
 * shared with the vanilla cell's fast path. Sizes are padded — batch to a multiple of 4 rows, H and
 * I to multiples of 4, each gate's block of columns to Hp — and every padded entry that reaches a
 * real one is zero, so the results are those of the unpadded problem. A forward pass records a
 * generation number; a backward pass whose arena was used since by another call recomputes its
 * forward pass first (same kernels, same bits).
 */
import type { FloatArray } from '../../core/errors.js';
import { createF32Module, F32_FMA_WASM_BASE64, F32_WASM_BASE64, takeArena, type F32Arena, type F32Module, type F32WasmExports } from '../../core/wasm/f32-loader.js';
import type { GatedGrads } from './kernels.js';

/** Largest arena (bytes) the fast path takes; larger problems use the 'js' backend. */
const MAX_BYTES = 1 << 30;
/**
 * Rows per slab of the weight-gradient products (keeps a slab of both operands in cache; 64 measured
 * ~8% faster than 128 at sequential-MNIST shapes; the order of accumulation, hence the bits, is the same).
 */
const KC = 64;

/**
 * The gated cells' own instances of the two float32 builds (multiply-then-add, and fused
 * multiply-add where the engine has relaxed SIMD), so that their arenas never share memory with the
 * vanilla cell's fast path.
 */
export const GATED_F32: F32Module = createF32Module(F32_WASM_BASE64);
export const GATED_F32_FMA: F32Module = createF32Module(F32_FMA_WASM_BASE64);

/** The gated cells' multiply-then-add instance of the float32 kernels (undefined without WebAssembly SIMD). */
export function gatedWasm(): F32WasmExports | undefined {
  return GATED_F32.wasm();
}

const up4 = (x: number) => (x + 3) & ~3;

/** Byte offsets of one problem's buffers. */
interface Layout {
  lstm: boolean; B: number; T: number; I: number; H: number; G: number; Bp: number; Ip: number; Hp: number; GHp: number;
  wInT: number; wRecT: number; wRec: number; bias: number; bRec: number;
  xT: number; hs: number; cs: number; tc: number; gx: number; gates: number; gh: number; ghn: number;
  dS: number; dA: number; dGh: number; carry: number; carryC: number; gWrec: number; gWin: number; gb: number; gb2: number; bytes: number;
}

function makeLayout(lstm: boolean, B: number, T: number, I: number, H: number): Layout {
  const G = lstm ? 4 : 3;
  const Bp = up4(B), Ip = up4(I), Hp = up4(H), GHp = G * Hp;
  let off = 0;
  const take = (floats: number) => {
    const o = off;
    off += 4 * up4(floats);
    return o;
  };
  const R = T * Bp;
  const l: Layout = {
    lstm, B, T, I, H, G, Bp, Ip, Hp, GHp,
    wInT: take(Ip * GHp), wRecT: take(Hp * GHp), wRec: take(GHp * Hp), bias: take(GHp), bRec: take(GHp),
    xT: take(R * Ip), hs: take((T + 1) * Bp * Hp), cs: lstm ? take((T + 1) * Bp * Hp) : 0, tc: lstm ? take(R * Hp) : 0,
    gx: lstm ? 0 : take(R * GHp), gates: take(R * GHp), gh: lstm ? 0 : take(Bp * GHp), ghn: lstm ? 0 : take(R * Hp),
    dS: take(R * Hp), dA: take(R * GHp), dGh: lstm ? 0 : take(R * GHp), carry: take(Bp * Hp), carryC: lstm ? take(Bp * Hp) : 0,
    gWrec: take(GHp * Hp), gWin: take(GHp * Ip), gb: take(GHp), gb2: take(GHp), bytes: 0,
  };
  l.bytes = off;
  return l;
}

type ArenaState = F32Arena<Layout>;

const arenas = new Map<F32Module, ArenaState>();

function arena(mod: F32Module, lstm: boolean, B: number, T: number, I: number, H: number): { w: F32WasmExports; l: Layout; m: Float32Array; s: ArenaState } | null {
  return takeArena(mod, arenas, (l) => l.lstm === lstm && l.B === B && l.T === T && l.I === I && l.H === H, () => makeLayout(lstm, B, T, I, H), MAX_BYTES);
}

/** The inputs of one forward pass, kept for its backward pass. */
export interface GatedFastTape {
  mod: F32Module;
  generation: number;
  lstm: boolean; B: number; T: number; I: number; H: number;
  x: FloatArray; wIn: FloatArray; wRec: FloatArray; bIn: FloatArray; bRec: FloatArray;
  /** The initial h (and c) already unpacked: hs0, cs0 of length B·H (cs0 null for a GRU). */
  hs0: FloatArray; cs0: FloatArray | null;
  /** hs0 is all zeros: the products with h_{−1} (step 0's W_hh·h and its share of dW_hh) are skipped. */
  h0Zero: boolean;
}

/** True when the fast path can run this problem (float32 arrays, WebAssembly SIMD, non-empty sizes). */
export function gatedFastApplies(mod: F32Module, B: number, T: number, I: number, H: number, ...arrays: FloatArray[]): boolean {
  if (B < 1 || T < 1 || I < 1 || H < 1 || mod.wasm() === undefined) return false;
  for (const a of arrays) if (!(a instanceof Float32Array)) return false;
  return true;
}

function forwardInArena(w: F32WasmExports, l: Layout, m: Float32Array, s: ArenaState, tp: GatedFastTape): void {
  const { lstm, B, T, I, H, G, Bp, Ip, Hp, GHp } = l;
  const { x, wIn, wRec, bIn, bRec, hs0, cs0 } = tp;
  const wInT = l.wInT >> 2, wRecT = l.wRecT >> 2, wRecP = l.wRec >> 2, bias = l.bias >> 2, bR = l.bRec >> 2;
  // the weights as gemm's B operands: W_ihᵀ [I, GHp] row-major; packed in column blocks of 8 (see
  // gemmPacked), W_hhᵀ [H, GHp] (forward) and W_hh [GHp, Hp] (BPTT's carry)
  for (let g = 0; g < G; g++) {
    for (let j = 0; j < H; j++) {
      const row = g * H + j, col = g * Hp + j, c8 = col & ~7, wb = Math.min(8, GHp - c8), cl = col & 7;
      for (let i = 0; i < I; i++) m[wInT + i * GHp + col] = wIn[row * I + i];
      for (let k = 0; k < H; k++) {
        const v = wRec[row * H + k], k8 = k & ~7;
        m[wRecT + c8 * H + k * wb + cl] = v;
        m[wRecP + k8 * GHp + col * Math.min(8, Hp - k8) + (k & 7)] = v;
      }
      // LSTM: both biases in front (as PyTorch adds them); GRU: b_ih in front, b_hh with W_hh·h
      m[bias + col] = lstm ? bIn[row] + bRec[row] : bIn[row];
      m[bR + col] = bRec[row];
    }
  }
  const xT = l.xT >> 2;
  for (let bb = 0; bb < B; bb++) {
    for (let t = 0; t < T; t++) m.set(x.subarray((bb * T + t) * I, (bb * T + t + 1) * I), xT + (t * Bp + bb) * Ip);
  }
  const hs = l.hs >> 2, cs = l.cs >> 2;
  for (let bb = 0; bb < B; bb++) {
    m.set(hs0.subarray(bb * H, (bb + 1) * H), hs + bb * Hp);
    if (cs0 !== null) m.set(cs0.subarray(bb * H, (bb + 1) * H), cs + bb * Hp);
  }
  const SH = 4 * Bp * Hp, SG = 4 * Bp * GHp, SX = 4 * Bp * Ip; // bytes per step block
  for (let t = 0; t < T; t++) {
    // front bias + input projection of step t, then + W_hh·h (LSTM; a GRU's goes to gh with b_hh), while
    // the step's block is in cache; the same order of accumulation as one product over all steps
    const pre = (lstm ? l.gates : l.gx) + t * SG;
    w.rows(pre, Bp, GHp, GHp, l.bias);
    w.gemm(Bp, GHp, I, l.xT + t * SX, Ip, 1, l.wInT, GHp, pre, GHp, 1);
    // the element-wise part over the B real rows (padded columns stay zero: σ(0)·0 + σ(0)·tanh(0) = 0)
    if (lstm) {
      if (t > 0 || !tp.h0Zero) gemmPacked(w, Bp, GHp, H, l.hs + t * SH, Hp, 1, l.wRecT, pre, GHp, 1);
      w.lstmfwd(pre, l.cs + t * SH, l.cs + (t + 1) * SH, l.tc + t * SH, l.hs + (t + 1) * SH, B, Hp);
    } else {
      w.rows(l.gh, Bp, GHp, GHp, l.bRec);
      if (t > 0 || !tp.h0Zero) gemmPacked(w, Bp, GHp, H, l.hs + t * SH, Hp, 1, l.wRecT, l.gh, GHp, 1);
      w.grufwd(pre, l.gh, l.gates + t * SG, l.ghn + t * SH, l.hs + t * SH, l.hs + (t + 1) * SH, B, Hp);
    }
  }
  s.generation++;
}

/**
 * C [+]= op(A)·B with B (k×n) packed in column blocks of 8: block j0/8 holds columns j0…j0+wb−1
 * (wb = 8, or 4 for a last block) row after row, wb floats a row, from float j0·k of `bp`. One gemm
 * per block, over all rows of A: the block (k·32 bytes) stays in L1 and is read sequentially; the same
 * sums in the same order as one call on the unpacked B.
 */
function gemmPacked(w: F32WasmExports, m: number, n: number, k: number, a: number, ra: number, ca: number, bp: number, c: number, ldc: number, beta: number): void {
  for (let j0 = 0; j0 < n; j0 += 8) {
    const wb = Math.min(8, n - j0);
    w.gemm(m, wb, k, a, ra, ca, bp + 4 * j0 * k, wb, c + 4 * j0, ldc, beta);
  }
}

/** Copies time-major padded states out of the arena into batch-first `out [B,T,H]`. */
function copyOut(m: Float32Array, base: number, l: Layout, out: FloatArray): void {
  const { B, T, H, Bp, Hp } = l;
  for (let t = 0; t < T; t++) {
    for (let bb = 0; bb < B; bb++) {
      const src = base + ((t + 1) * Bp + bb) * Hp;
      out.set(m.subarray(src, src + H), (bb * T + t) * H);
    }
  }
}

/**
 * Forward pass: writes the batch-first states (and an LSTM's cells when `cellsOut` is given); returns
 * the handle for {@link gatedFastBackward}, or null (nothing written) when the arena cannot be had.
 */
export function gatedFastForward(
  mod: F32Module, cell: 'gru' | 'lstm', B: number, T: number, I: number, H: number,
  x: FloatArray, wIn: FloatArray, wRec: FloatArray, bIn: FloatArray, bRec: FloatArray, hs0: FloatArray, cs0: FloatArray | null,
  statesOut: FloatArray, cellsOut: FloatArray | null,
): GatedFastTape | null {
  const lstm = cell === 'lstm';
  const a = arena(mod, lstm, B, T, I, H);
  if (a === null) return null;
  let h0Zero = true;
  for (let i = 0; i < hs0.length && h0Zero; i++) h0Zero = hs0[i] === 0;
  const tp: GatedFastTape = { mod, generation: 0, lstm, B, T, I, H, x, wIn, wRec, bIn, bRec, hs0, cs0, h0Zero };
  forwardInArena(a.w, a.l, a.m, a.s, tp);
  tp.generation = a.s.generation;
  copyOut(a.m, a.l.hs >> 2, a.l, statesOut);
  if (lstm && cellsOut !== null) copyOut(a.m, a.l.cs >> 2, a.l, cellsOut);
  return tp;
}

/** dst[r·cols + c] += m[src + r'·ld + c] over the real rows of each gate block. */
function addGateRows(dst: FloatArray, m: Float32Array, src: number, G: number, H: number, Hp: number, cols: number, ld: number): void {
  for (let g = 0; g < G; g++) {
    for (let j = 0; j < H; j++) {
      const s = src + (g * Hp + j) * ld, d = (g * H + j) * cols;
      for (let c = 0; c < cols; c++) dst[d + c] += m[s + c];
    }
  }
}

/** dst[r·cols + c] += m[src + c·ld + r'] (the transposed layout) over the real rows of each gate block. */
function addGateCols(dst: FloatArray, m: Float32Array, src: number, G: number, H: number, Hp: number, cols: number, ld: number): void {
  for (let g = 0; g < G; g++) {
    for (let j = 0; j < H; j++) {
      const s = src + g * Hp + j, d = (g * H + j) * cols;
      for (let c = 0; c < cols; c++) dst[d + c] += m[s + c * ld];
    }
  }
}

/**
 * BPTT of a forward pass made by {@link gatedFastForward}; `dStates` is dL/dh for the batch-first
 * states. Accumulates into `g`. Returns false (nothing written) when the arena cannot be had.
 */
export function gatedFastBackward(tp: GatedFastTape, dStates: FloatArray, g: GatedGrads): boolean {
  const { lstm, B, T, I, H } = tp;
  const a = arena(tp.mod, lstm, B, T, I, H);
  if (a === null) return false;
  const { w, l } = a;
  let m = a.m;
  if (tp.generation !== a.s.generation) {
    forwardInArena(w, l, m, a.s, tp);
    tp.generation = a.s.generation;
  }
  const { G, Bp, Ip, Hp, GHp } = l;
  const SH = 4 * Bp * Hp, SG = 4 * Bp * GHp;
  // dL/dh time-major into the arena (its padded columns stay zero, so every padded gradient is zero)
  const dS = l.dS >> 2;
  for (let t = 0; t < T; t++) {
    for (let bb = 0; bb < B; bb++) m.set(dStates.subarray((bb * T + t) * H, (bb * T + t + 1) * H), dS + (t * Bp + bb) * Hp);
  }
  m.fill(0, l.carry >> 2, (l.carry >> 2) + Bp * Hp);
  if (lstm) m.fill(0, l.carryC >> 2, (l.carryC >> 2) + Bp * Hp);
  for (let t = T - 1; t >= 0; t--) {
    if (lstm) {
      w.lstmbwd(l.gates + t * SG, l.dS + t * SH, l.carry, l.carryC, l.cs + t * SH, l.tc + t * SH, l.dA + t * SG, B, Hp);
      if (t > 0) gemmPacked(w, Bp, Hp, GHp, l.dA + t * SG, GHp, 1, l.wRec, l.carry, Hp, 0);
    } else {
      w.grubwd(l.gates + t * SG, l.dS + t * SH, l.carry, l.ghn + t * SH, l.hs + t * SH, l.dA + t * SG, l.dGh + t * SG, B, Hp);
      if (t > 0) gemmPacked(w, Bp, Hp, GHp, l.dGh + t * SG, GHp, 1, l.wRec, l.carry, Hp, 1);
    }
  }
  const rows = T * Bp;
  const dRec = lstm ? l.dA : l.dGh; // gradient of the pre-activations on the recurrent side
  const rec0 = tp.h0Zero ? Bp : 0; // the rows of step 0 multiply h_{−1} = 0 in dW_hh
  if (rec0 >= rows) m.fill(0, l.gWrec >> 2, (l.gWrec >> 2) + GHp * Hp);
  for (let r0 = 0; r0 < rows; r0 += KC) {
    const kc = Math.min(KC, rows - r0), first = r0 === 0 ? 0 : 1, s0 = Math.max(r0, rec0);
    if (s0 < r0 + kc) w.gemm(GHp, Hp, r0 + kc - s0, dRec + 4 * s0 * GHp, 1, GHp, l.hs + 4 * s0 * Hp, Hp, l.gWrec, Hp, s0 === rec0 ? 0 : 1);
    // dW_ih transposed, [Ip, GHp]: the long side (G·H) along the register blocks' rows of 8
    w.gemm(Ip, GHp, kc, l.xT + 4 * r0 * Ip, 1, Ip, l.dA + 4 * r0 * GHp, GHp, l.gWin, GHp, first);
  }
  m = tp.mod.memory(l.bytes)!;
  m.fill(0, l.gb >> 2, (l.gb >> 2) + 2 * GHp);
  w.colsum(l.dA, rows, GHp, GHp, l.gb);
  if (!lstm) w.colsum(l.dGh, rows, GHp, GHp, l.gb2);
  m = tp.mod.memory(l.bytes)!;
  addGateRows(g.wRec, m, l.gWrec >> 2, G, H, Hp, H, Hp);
  addGateCols(g.wIn, m, l.gWin >> 2, G, H, Hp, I, GHp);
  const gb = l.gb >> 2, gb2 = lstm ? gb : l.gb2 >> 2;
  for (let gg = 0; gg < G; gg++) {
    for (let j = 0; j < H; j++) {
      g.bIn[gg * H + j] += m[gb + gg * Hp + j];
      g.bRec[gg * H + j] += m[gb2 + gg * Hp + j];
    }
  }
  return true;
}
