/**
 * Unchecked forward and BPTT kernels of the gated cells, in PyTorch's equations and gate order.
 *
 * LSTM (gates i, f, g, o; G = 4): a = W_ih·x + b_ih + W_hh·h + b_hh, i = σ(a_i), f = σ(a_f),
 * g = tanh(a_g), o = σ(a_o), c' = f⊙c + i⊙g, h' = o⊙tanh(c').
 * GRU (gates r, z, n; G = 3): r = σ(a_r), z = σ(a_z), n = tanh(W_in·x + b_in + r⊙(W_hn·h + b_hn)),
 * h' = (1 − z)⊙n + z⊙h.
 *
 * Layout (as the vanilla op): inputs copied time-major (`xT [T·B, I]`), states time-major with the
 * initial state in front (`hs [(T+1)·B, H]`), so the input projections of all steps are one gemm,
 * each step adds one `[B,H]·wRecᵀ` gemm, and the weight gradients are one gemm each over all T·B
 * rows. The caller fills `hs[0 : B·H]` (and `cs[0 : B·H]` for an LSTM) with the initial state.
 * Nothing is allocated here: every buffer is passed in.
 */
import type { FloatArray } from '../../core/errors.js';
import { gemmRaw } from '../../core/gemm.js';

/** Logistic sigmoid, without overflow for large |a|. */
export function sigmoid(a: number): number {
  if (a >= 0) return 1 / (1 + Math.exp(-a));
  const e = Math.exp(a);
  return e / (1 + e);
}

/** Copies batch-first `x [B,T,I]` time-major into `xT [T·B, I]`. */
export function toTimeMajor(B: number, T: number, I: number, x: FloatArray, xT: FloatArray): void {
  for (let bb = 0; bb < B; bb++) {
    for (let t = 0; t < T; t++) {
      const src = (bb * T + t) * I, dst = (t * B + bb) * I;
      for (let i = 0; i < I; i++) xT[dst + i] = x[src + i];
    }
  }
}

/** rows × n matrix m (row-major) += bias (length n), twice (two biases) when `b2` is given. */
function addBias(rows: number, n: number, m: FloatArray, b1: FloatArray, b2: FloatArray | null): void {
  for (let r = 0; r < rows; r++) {
    const o = r * n;
    if (b2 === null) for (let j = 0; j < n; j++) m[o + j] += b1[j];
    else for (let j = 0; j < n; j++) m[o + j] += b1[j] + b2[j];
  }
}

/**
 * The input side of every step at once: xT = x time-major, out [T·B, G] = xT·wInᵀ + b1 (+ b2).
 */
function inputProjections(B: number, T: number, I: number, G: number, x: FloatArray, xT: FloatArray, wIn: FloatArray, out: FloatArray, b1: FloatArray, b2: FloatArray | null): void {
  toTimeMajor(B, T, I, x, xT);
  gemmRaw(false, true, T * B, G, I, 1, xT, I, wIn, I, 0, out, G);
  addBias(T * B, G, out, b1, b2);
}

/** Scratch and saved values of the LSTM: gates [T·B, 4H] (activated i, f, g, o), hs and cs [(T+1)·B·H], tc [T·B·H] = tanh(c). */
export interface LstmBuffers {
  xT: FloatArray;
  gates: FloatArray;
  hs: FloatArray;
  cs: FloatArray;
  tc: FloatArray;
}

/** LSTM forward over all steps; hs[0:BH] and cs[0:BH] hold the initial state. */
export function lstmForwardKernel(
  B: number, T: number, I: number, H: number, x: FloatArray,
  wIn: FloatArray, wRec: FloatArray, bIn: FloatArray, bRec: FloatArray, buf: LstmBuffers,
): void {
  const { xT, gates, hs, cs, tc } = buf;
  const BH = B * H, G = 4 * H;
  if (T === 0) return;
  inputProjections(B, T, I, G, x, xT, wIn, gates, bIn, bRec);
  for (let t = 0; t < T; t++) {
    const ga = gates.subarray(t * B * G, (t + 1) * B * G);
    gemmRaw(false, true, B, G, H, 1, hs.subarray(t * BH, (t + 1) * BH), H, wRec, H, 1, ga, G);
    const prev = t * BH, cur = (t + 1) * BH;
    for (let bb = 0; bb < B; bb++) {
      const go = bb * G, so = bb * H;
      for (let j = 0; j < H; j++) {
        const i = sigmoid(ga[go + j]);
        const f = sigmoid(ga[go + H + j]);
        const g = Math.tanh(ga[go + 2 * H + j]);
        const o = sigmoid(ga[go + 3 * H + j]);
        ga[go + j] = i;
        ga[go + H + j] = f;
        ga[go + 2 * H + j] = g;
        ga[go + 3 * H + j] = o;
        const c = f * cs[prev + so + j] + i * g;
        cs[cur + so + j] = c;
        const th = Math.tanh(cs[cur + so + j]);
        tc[prev + so + j] = th;
        hs[cur + so + j] = o * th;
      }
    }
  }
}

/** Gradient destinations (accumulated, +=) of the gated BPTT kernels. */
export interface GatedGrads {
  wIn: FloatArray;
  wRec: FloatArray;
  bIn: FloatArray;
  bRec: FloatArray;
}

/** Scratch of the LSTM backward: dA [T·B, 4H], carryH, carryC [B·H], acc (4H, float64). */
export interface LstmBackwardScratch {
  dA: FloatArray;
  carryH: FloatArray;
  carryC: FloatArray;
  acc: Float64Array;
}

/** Column sums of a rows × n matrix, accumulated in float64, added to each target. */
function colSumsInto(rows: number, n: number, m: FloatArray, acc: Float64Array, t1: FloatArray, t2: FloatArray | null): void {
  acc.fill(0, 0, n);
  for (let r = 0; r < rows; r++) {
    const o = r * n;
    for (let j = 0; j < n; j++) acc[j] += m[o + j];
  }
  for (let j = 0; j < n; j++) t1[j] += acc[j];
  if (t2 !== null) for (let j = 0; j < n; j++) t2[j] += acc[j];
}

/**
 * The weight gradients over all T·B rows: wRec += dRecᵀ·hs (the states before each step), wIn +=
 * dInᵀ·xT, and the bias sums (LSTM: one sum of dA into both biases; GRU: bIn from dIn, bRec from dRec).
 */
function weightGrads(rows: number, G: number, H: number, I: number, dRec: FloatArray, dIn: FloatArray, hs: FloatArray, xT: FloatArray, g: GatedGrads, acc: Float64Array): void {
  gemmRaw(true, false, G, H, rows, 1, dRec, G, hs, H, 1, g.wRec, H);
  gemmRaw(true, false, G, I, rows, 1, dIn, G, xT, I, 1, g.wIn, I);
  if (dRec === dIn) colSumsInto(rows, G, dIn, acc, g.bIn, g.bRec);
  else {
    colSumsInto(rows, G, dIn, acc, g.bIn, null);
    colSumsInto(rows, G, dRec, acc, g.bRec, null);
  }
}

/**
 * LSTM BPTT. `dStates` is dL/dh for the batch-first states `[B,T,H]`; `buf` is what
 * {@link lstmForwardKernel} left.
 */
export function lstmBackwardKernel(
  B: number, T: number, I: number, H: number, wRec: FloatArray,
  buf: LstmBuffers, dStates: FloatArray, g: GatedGrads, s: LstmBackwardScratch,
): void {
  const { xT, gates, hs, cs, tc } = buf;
  const { dA, carryH, carryC } = s;
  const BH = B * H, G = 4 * H;
  if (T === 0) return;
  carryH.fill(0, 0, BH);
  carryC.fill(0, 0, BH);
  for (let t = T - 1; t >= 0; t--) {
    const go0 = t * B * G, prev = t * BH;
    for (let bb = 0; bb < B; bb++) {
      const go = go0 + bb * G, so = bb * H, ds = (bb * T + t) * H;
      for (let j = 0; j < H; j++) {
        const dh = dStates[ds + j] + carryH[so + j];
        const i = gates[go + j], f = gates[go + H + j], gg = gates[go + 2 * H + j], o = gates[go + 3 * H + j];
        const th = tc[prev + so + j];
        const dc = carryC[so + j] + dh * o * (1 - th * th);
        dA[go + j] = dc * gg * i * (1 - i);
        dA[go + H + j] = dc * cs[prev + so + j] * f * (1 - f);
        dA[go + 2 * H + j] = dc * i * (1 - gg * gg);
        dA[go + 3 * H + j] = dh * th * o * (1 - o);
        carryC[so + j] = dc * f;
      }
    }
    if (t > 0) gemmRaw(false, false, B, H, G, 1, dA.subarray(go0, go0 + B * G), G, wRec, H, 0, carryH, H);
  }
  weightGrads(T * B, G, H, I, dA, dA, hs, xT, g, s.acc);
}

/** Saved values of the GRU: gx [T·B, 3H] (input projections + b_ih), gates [T·B, 3H] (activated r, z, n), ghn [T·B, H] = W_hn·h + b_hn, hs [(T+1)·B·H], gh [B, 3H] scratch. */
export interface GruBuffers {
  xT: FloatArray;
  gx: FloatArray;
  gates: FloatArray;
  ghn: FloatArray;
  hs: FloatArray;
  gh: FloatArray;
}

/** GRU forward over all steps; hs[0:BH] holds the initial state. */
export function gruForwardKernel(
  B: number, T: number, I: number, H: number, x: FloatArray,
  wIn: FloatArray, wRec: FloatArray, bIn: FloatArray, bRec: FloatArray, buf: GruBuffers,
): void {
  const { xT, gx, gates, ghn, hs, gh } = buf;
  const BH = B * H, G = 3 * H;
  if (T === 0) return;
  inputProjections(B, T, I, G, x, xT, wIn, gx, bIn, null);
  for (let t = 0; t < T; t++) {
    gemmRaw(false, true, B, G, H, 1, hs.subarray(t * BH, (t + 1) * BH), H, wRec, H, 0, gh, G);
    const prev = t * BH, cur = (t + 1) * BH, go0 = t * B * G;
    for (let bb = 0; bb < B; bb++) {
      const go = go0 + bb * G, hb = bb * G, so = bb * H;
      for (let j = 0; j < H; j++) {
        const r = sigmoid(gx[go + j] + gh[hb + j] + bRec[j]);
        const z = sigmoid(gx[go + H + j] + gh[hb + H + j] + bRec[H + j]);
        const hn = gh[hb + 2 * H + j] + bRec[2 * H + j];
        const n = Math.tanh(gx[go + 2 * H + j] + r * hn);
        gates[go + j] = r;
        gates[go + H + j] = z;
        gates[go + 2 * H + j] = n;
        ghn[prev + so + j] = hn;
        hs[cur + so + j] = (1 - z) * n + z * hs[prev + so + j];
      }
    }
  }
}

/** Scratch of the GRU backward: dGx, dGh [T·B, 3H] (pre-activation gradients on the input and recurrent sides), carry [B·H], acc (3H, float64). */
export interface GruBackwardScratch {
  dGx: FloatArray;
  dGh: FloatArray;
  carry: FloatArray;
  acc: Float64Array;
}

/** GRU BPTT; `dStates` is dL/dh for the batch-first states `[B,T,H]`. */
export function gruBackwardKernel(
  B: number, T: number, I: number, H: number, wRec: FloatArray,
  buf: GruBuffers, dStates: FloatArray, g: GatedGrads, s: GruBackwardScratch,
): void {
  const { xT, gates, ghn, hs } = buf;
  const { dGx, dGh, carry } = s;
  const BH = B * H, G = 3 * H;
  if (T === 0) return;
  carry.fill(0, 0, BH);
  for (let t = T - 1; t >= 0; t--) {
    const go0 = t * B * G, prev = t * BH;
    for (let bb = 0; bb < B; bb++) {
      const go = go0 + bb * G, so = bb * H, ds = (bb * T + t) * H;
      for (let j = 0; j < H; j++) {
        const dh = dStates[ds + j] + carry[so + j];
        const r = gates[go + j], z = gates[go + H + j], n = gates[go + 2 * H + j];
        const dan = dh * (1 - z) * (1 - n * n);
        const dar = dan * ghn[prev + so + j] * r * (1 - r);
        const daz = dh * (hs[prev + so + j] - n) * z * (1 - z);
        dGx[go + j] = dar;
        dGx[go + H + j] = daz;
        dGx[go + 2 * H + j] = dan;
        dGh[go + j] = dar;
        dGh[go + H + j] = daz;
        dGh[go + 2 * H + j] = dan * r;
        carry[so + j] = dh * z;
      }
    }
    if (t > 0) gemmRaw(false, false, B, H, G, 1, dGh.subarray(go0, go0 + B * G), G, wRec, H, 1, carry, H);
  }
  weightGrads(T * B, G, H, I, dGh, dGx, hs, xT, g, s.acc);
}
