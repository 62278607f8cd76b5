/**
 * The fused vanilla-RNN op: h_t = φ(wIn·x_t + wRec·h_{t−1} + b) over a batch-first input `[B,T,I]`,
 * forward and backward (BPTT) as one tape node.
 *
 * Layout: the input is copied time-major (`xT [T·B, I]`), the states are kept time-major with h0 in
 * front (`hs [(T+1)·B, H]`), so the input projection of every step is one gemm, each step adds one
 * `[B,H]·wRecᵀ` gemm, and in the backward pass dWrec and dWin are one gemm each over all T·B rows.
 * φ' is stored during the forward pass, computed from the pre-activation (see activation-kernels).
 * All buffers come from the tape's pool, so nothing is allocated per step or, after the first call
 * with given shapes, per call.
 */
import { formatShape, type FloatArray } from '../core/errors.js';
import { checkOptionKeys, readChoice, readOptions } from '../core/options.js';
import { AD_RNN_KEYS } from './option-keys.js';
import { gemmRaw } from '../core/gemm.js';
import { activateInPlace, RNN_ACTIVATIONS, type RnnActivation } from './activation-kernels.js';
import { F32_FMA, F32_MUL_ADD, type F32Module } from '../core/wasm/f32-loader.js';
import { getKernel, registerKernel } from '../core/wasm/registry.js';
import { rnnFastApplies, rnnFastBackward, rnnFastForward } from './rnn-fast.js';
import { lift, newVar, tapeOf, type Tape, type Var, type VarLike } from './tape.js';

/**
 * Unchecked forward kernel. Writes `xT` (time-major copy of `x`), `hs` (h0 then h_1..h_T, time-major,
 * length (T+1)·B·H) and, when `d` is given, φ'(a_t) for every step (length T·B·H). `h0` is null
 * (zeros), length B·H, or length H (shared by the batch).
 */
export function rnnForwardKernel(
  B: number, T: number, I: number, H: number, act: RnnActivation,
  x: FloatArray, wIn: FloatArray, wRec: FloatArray, b: FloatArray, h0: FloatArray | null,
  xT: FloatArray, hs: FloatArray, d: FloatArray | null,
): void {
  const BH = B * H;
  for (let bb = 0; bb < B; bb++) {
    for (let t = 0; t < T; t++) {
      const src = (bb * T + t) * I, dst = (t * B + bb) * I;
      for (let i = 0; i < I; i++) xT[dst + i] = x[src + i];
    }
  }
  if (h0 === null) hs.fill(0, 0, BH);
  else if (h0.length === BH) for (let i = 0; i < BH; i++) hs[i] = h0[i];
  else for (let bb = 0; bb < B; bb++) for (let j = 0; j < H; j++) hs[bb * H + j] = h0[j];
  if (T === 0) return;
  // input projections of all steps at once: a_t = x_t·wInᵀ + b
  const pre = hs.subarray(BH, BH + T * BH);
  gemmRaw(false, true, T * B, H, I, 1, xT, I, wIn, I, 0, pre, H);
  const rows = T * B;
  for (let r = 0; r < rows; r++) {
    const o = r * H;
    for (let j = 0; j < H; j++) pre[o + j] += b[j];
  }
  for (let t = 0; t < T; t++) {
    const prev = hs.subarray(t * BH, (t + 1) * BH);
    const cur = hs.subarray((t + 1) * BH, (t + 2) * BH);
    gemmRaw(false, true, B, H, H, 1, prev, H, wRec, H, 1, cur, H);
    activateInPlace(act, hs, (t + 1) * BH, d, t * BH, BH);
  }
}

/** Copies the time-major states h_1..h_T out of `hs` into batch-first `out [B,T,H]`. */
export function statesBatchFirst(B: number, T: number, H: number, hs: FloatArray, out: FloatArray): void {
  const BH = B * H;
  for (let t = 0; t < T; t++) {
    for (let bb = 0; bb < B; bb++) {
      const src = (t + 1) * BH + bb * H, dst = (bb * T + t) * H;
      for (let j = 0; j < H; j++) out[dst + j] = hs[src + j];
    }
  }
}

/** Gradient destinations of {@link rnnBackwardKernel}; null entries are skipped. All accumulate (+=). */
export interface RnnGradTargets {
  wIn: FloatArray | null;
  wRec: FloatArray | null;
  b: FloatArray | null;
  /** Length B·H, or H when h0 was shared by the batch. */
  h0: FloatArray | null;
  /** Batch-first [B,T,I]. */
  x: FloatArray | null;
}

/** Scratch of {@link rnnBackwardKernel}: dA (T·B·H), carry (B·H), bias accumulator (H, float64), dxT (T·B·I, only if x grad). */
export interface RnnBackwardScratch {
  dA: FloatArray;
  carry: FloatArray;
  acc: Float64Array;
  dxT: FloatArray | null;
}

/**
 * Unchecked BPTT. `dStates` is the gradient of the loss with respect to the batch-first states
 * `[B,T,H]`; `xT`, `hs`, `d` are what {@link rnnForwardKernel} left (d null for 'identity').
 */
export function rnnBackwardKernel(
  B: number, T: number, I: number, H: number,
  xT: FloatArray, hs: FloatArray, d: FloatArray | null,
  wIn: FloatArray, wRec: FloatArray,
  dStates: FloatArray, g: RnnGradTargets, s: RnnBackwardScratch,
): void {
  const BH = B * H;
  const { dA, carry } = s;
  for (let t = 0; t < T; t++) {
    for (let bb = 0; bb < B; bb++) {
      const src = (bb * T + t) * H, dst = t * BH + bb * H;
      for (let j = 0; j < H; j++) dA[dst + j] = dStates[src + j];
    }
  }
  carry.fill(0, 0, BH);
  for (let t = T - 1; t >= 0; t--) {
    const o = t * BH;
    if (t < T - 1) for (let i = 0; i < BH; i++) dA[o + i] += carry[i];
    if (d !== null) for (let i = 0; i < BH; i++) dA[o + i] *= d[o + i];
    if (t > 0 || g.h0 !== null) {
      // dL/dh_{t-1} through the recurrence: dA_t · wRec
      gemmRaw(false, false, B, H, H, 1, dA.subarray(o, o + BH), H, wRec, H, 0, carry, H);
    }
  }
  const rows = T * B;
  if (rows === 0) return;
  if (g.wRec !== null) gemmRaw(true, false, H, H, rows, 1, dA, H, hs, H, 1, g.wRec, H);
  if (g.wIn !== null) gemmRaw(true, false, H, I, rows, 1, dA, H, xT, I, 1, g.wIn, I);
  if (g.b !== null) {
    const acc = s.acc;
    acc.fill(0, 0, H);
    for (let r = 0; r < rows; r++) {
      const o = r * H;
      for (let j = 0; j < H; j++) acc[j] += dA[o + j];
    }
    for (let j = 0; j < H; j++) g.b[j] += acc[j];
  }
  if (g.h0 !== null) {
    if (g.h0.length === BH) for (let i = 0; i < BH; i++) g.h0[i] += carry[i];
    else {
      const acc = s.acc;
      acc.fill(0, 0, H);
      for (let bb = 0; bb < B; bb++) for (let j = 0; j < H; j++) acc[j] += carry[bb * H + j];
      for (let j = 0; j < H; j++) g.h0[j] += acc[j];
    }
  }
  if (g.x !== null && s.dxT !== null && I > 0) {
    const dxT = s.dxT;
    gemmRaw(false, false, rows, I, H, 1, dA, H, wIn, I, 0, dxT, I);
    for (let t = 0; t < T; t++) {
      for (let bb = 0; bb < B; bb++) {
        const src = (t * B + bb) * I, dst = (bb * T + t) * I;
        for (let i = 0; i < I; i++) g.x[dst + i] += dxT[src + i];
      }
    }
  }
}

/**
 * One backend of the 'rnnRecurrence' kernel: writes the batch-first states into `states` and, when
 * `withGrad`, returns the BPTT closure (accumulating into the targets).
 */
type RnnRecurrence = (
  B: number, T: number, I: number, H: number, act: RnnActivation,
  x: Var, wIn: Var, wRec: Var, b: Var, h0: Var | null, states: FloatArray, tape: Tape | null, withGrad: boolean,
) => RnnBackward | null;

/**
 * A BPTT closure. With `liveStep` ≥ 0 (only when `oneStep` is set), `dStates` is written in that
 * time slot only and its other slots stand for zeros (unwritten, see Tape.gradOfStep).
 */
type RnnBackward = ((dStates: FloatArray, g: RnnGradTargets, liveStep: number) => void) & { oneStep?: boolean };

/** The 'js' backend: float64 accumulation; the composite of matmul, add and tanh to rounding (not bit for bit). */
const recurrenceJs: RnnRecurrence = (B, T, I, H, act, x, wIn, wRec, b, h0, states, tape, withGrad) => {
  const alloc = (n: number): FloatArray => (tape !== null ? tape.alloc(n) : new Float32Array(n));
  const xT = alloc(T * B * I);
  const hs = alloc((T + 1) * B * H);
  const d = withGrad && act !== 'identity' ? alloc(T * B * H) : null;
  rnnForwardKernel(B, T, I, H, act, x.data, wIn.data, wRec.data, b.data, h0 === null ? null : h0.data, xT, hs, d);
  statesBatchFirst(B, T, H, hs, states);
  if (!withGrad || tape === null) return null;
  return (dStates, targets) => {
    const scratch: RnnBackwardScratch = {
      dA: tape.alloc(T * B * H),
      carry: tape.alloc(B * H),
      acc: tape.alloc64(H),
      dxT: targets.x !== null ? tape.alloc(T * B * I) : null,
    };
    rnnBackwardKernel(B, T, I, H, xT, hs, d, wIn.data, wRec.data, dStates, targets, scratch);
  };
};

/**
 * The WebAssembly float32 backends (see rnn-fast.ts): float32 SIMD in the memory of one build of
 * the f32 kernels, for float32 data and tanh; anything else (float64 tape, relu, identity, empty
 * sizes) runs the 'js' backend.
 */
function recurrenceWasm(mod: F32Module): RnnRecurrence {
  return (B, T, I, H, act, x, wIn, wRec, b, h0, states, tape, withGrad) => {
    if (B > 0 && T > 0 && I > 0 && H > 0 && rnnFastApplies(mod, act, x.data, wIn.data, wRec.data, b.data, h0 === null ? null : h0.data, states)) {
      const handle = rnnFastForward(mod, B, T, I, H, x.data, wIn.data, wRec.data, b.data, h0 === null ? null : h0.data, states, withGrad);
      if (handle !== null) {
        if (!withGrad) return null;
        const bw: RnnBackward = (dStates, targets, liveStep) => {
          if (!rnnFastBackward(handle, dStates, targets, liveStep)) throw new Error('rnn: the WebAssembly memory of the float32 backend could not be grown for the backward pass');
        };
        bw.oneStep = true;
        return bw;
      }
    }
    return recurrenceJs(B, T, I, H, act, x, wIn, wRec, b, h0, states, tape, withGrad);
  };
}

registerKernel<RnnRecurrence>('rnnRecurrence', 'js', 1, () => true, recurrenceJs);
registerKernel<RnnRecurrence>('rnnRecurrence', 'wasm-f32', 2, () => F32_MUL_ADD.wasm() !== undefined, recurrenceWasm(F32_MUL_ADD));
registerKernel<RnnRecurrence>('rnnRecurrence', 'wasm-f32-fma', 3, () => F32_FMA.wasm() !== undefined, recurrenceWasm(F32_FMA));

/** The recurrent parameters the fused op reads (extra fields, e.g. a readout, are ignored). */
export interface RnnOpParams {
  /** Input weights [H,I]. */
  wIn: VarLike;
  /** Recurrent weights [H,H]. */
  wRec: VarLike;
  /** Bias [H]. */
  b: VarLike;
}

/** Options of {@link rnn}. */
export interface RnnOpOptions {
  /** φ (default 'tanh'). */
  activation?: RnnActivation;
  /** Initial state [B,H] or [H] (shared by the batch); zeros when omitted. */
  h0?: VarLike;
}

/** Throws unless `act` is one of 'tanh', 'relu', 'identity'. */
export function assertActivation(act: unknown, name: string): asserts act is RnnActivation {
  // core's reader of choices: another kind is named by kindOf (null, Object, array), not typeof
  readChoice(act, RNN_ACTIVATIONS, undefined, name, "'tanh', 'relu' or 'identity'");
}

/**
 * The fused vanilla RNN: states `[B,T,H]` with h_t = φ(wIn·x_t + wRec·h_{t−1} + b), forward and BPTT
 * as one tape node. Gradients flow to wIn, wRec, b, and to x and h0 when those are Vars. It runs on
 * the backend chosen for the kernel 'rnnRecurrence' (see `setKernelBackend`): by default, for
 * float32 data and tanh, 'wasm-f32' (float32 SIMD with float32 accumulation, as PyTorch); with
 * 'js' (and always for float64, relu and identity) it computes the same recurrence as one built from
 * `matmul`, `add`, `tanh` and `timeStep`, to rounding, not bit for bit: the pre-activation
 * wIn·x_t + b + wRec·h_{t−1} is rounded once rather than after each op, and the BPTT sums are ordered
 * differently (agreement about 1e-12 relative in float64, a few float32 roundings per value in float32).
 *
 * @example
 * ```ts
 * const { value, grads } = valueAndGrad((p) => {
 *   const states = ad.rnn(x, p);                       // [B,T,H]
 *   const logits = ad.add(ad.matmul(ad.timeStep(states, -1), p.wOut, { transB: true }), p.bOut);
 *   return ad.softmaxCrossEntropy(logits, labels);
 * })(params);
 * ```
 */
export function rnn(xIn: VarLike, params: RnnOpParams, opts: RnnOpOptions = {}): Var {
  if (params === null || typeof params !== 'object') throw new TypeError(`rnn: params must be an object { wIn, wRec, b }, got ${params === null ? 'null' : typeof params}`);
  const o = readOptions(opts, 'rnn');
  checkOptionKeys(o, AD_RNN_KEYS, 'rnn');
  const act = o.activation === undefined ? 'tanh' : o.activation;
  assertActivation(act, 'rnn: opts.activation');
  const tape = tapeOf('rnn', xIn, params.wIn, params.wRec, params.b, o.h0);
  const x = lift(xIn, tape, 'rnn: x');
  const wIn = lift(params.wIn, tape, 'rnn: wIn');
  const wRec = lift(params.wRec, tape, 'rnn: wRec');
  const b = lift(params.b, tape, 'rnn: b');
  if (wRec.shape.length !== 2 || wRec.shape[0] !== wRec.shape[1]) throw new RangeError(`rnn: wRec must have shape [H,H], got ${formatShape(wRec.shape)}`);
  const H = wRec.shape[0];
  if (wIn.shape.length !== 2 || wIn.shape[0] !== H) throw new RangeError(`rnn: wIn must have shape [H,I] with H = ${H} (from wRec), got ${formatShape(wIn.shape)}`);
  const I = wIn.shape[1];
  if (b.shape.length !== 1 || b.shape[0] !== H) throw new RangeError(`rnn: b must have shape [${H}] ([H]), got ${formatShape(b.shape)}`);
  if (x.shape.length !== 3 || x.shape[2] !== I) throw new RangeError(`rnn: x must have shape [B,T,${I}] ([B,T,I], I from wIn), got ${formatShape(x.shape)}`);
  const [B, T] = x.shape;
  let h0: Var | null = null;
  if (o.h0 !== undefined) {
    h0 = lift(o.h0, tape, 'rnn: opts.h0');
    const ok = (h0.shape.length === 2 && h0.shape[0] === B && h0.shape[1] === H) || (h0.shape.length === 1 && h0.shape[0] === H);
    if (!ok) throw new RangeError(`rnn: h0 must have shape [${B},${H}] ([B,H]) or [${H}] ([H]), got ${formatShape(h0.shape)}`);
  }
  const requiresGrad = x.requiresGrad || wIn.requiresGrad || wRec.requiresGrad || b.requiresGrad || (h0 !== null && h0.requiresGrad);
  const out = newVar(tape, [B, T, H], requiresGrad);
  const impl = getKernel<RnnRecurrence>('rnnRecurrence');
  const backward = impl(B, T, I, H, act, x, wIn, wRec, b, h0, out.data, tape, out.requiresGrad);
  if (out.requiresGrad) {
    const tp = tape!;
    tp.record(out, () => {
      // a one-step gradient of the states (the last step's readout) goes as it is to a backend that reads it so
      let live = tp.liveStep(out);
      if (live >= 0 && backward!.oneStep !== true) {
        tp.densify(out);
        live = -1;
      }
      backward!(out.grad!, {
        wIn: wIn.requiresGrad ? tp.gradOf(wIn) : null,
        wRec: wRec.requiresGrad ? tp.gradOf(wRec) : null,
        b: b.requiresGrad ? tp.gradOf(b) : null,
        h0: h0 !== null && h0.requiresGrad ? tp.gradOf(h0) : null,
        x: x.requiresGrad ? tp.gradOf(x) : null,
      }, live);
    }, true);
  }
  return out;
}
