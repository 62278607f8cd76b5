/**
 * The fused gated-cell op on the tape: states `[B,T,H]` of a GRU or an LSTM, forward and BPTT as one
 * node. Gradients flow to wIn, wRec, bIn and bRec; the inputs and the initial state are constants.
 *
 * It runs on the backend chosen for the kernel 'gatedRecurrence' (see `setKernelBackend`):
 * 'wasm-f32' (default where WebAssembly SIMD is available; float32 data only): float32 SIMD gemm with
 * float32 accumulation, as PyTorch's CPU kernels (fast.ts); 'js': the float64-accumulating gemm of
 * core/gemm (kernels.ts), the same result on every platform. Buffers of the 'js' backend come from
 * the tape's pool: nothing is allocated per step, nor per call once shapes repeat.
 */
import type { FloatArray } from '../../core/errors.js';
import type { Tensor } from '../../core/tensor.js';
import { getKernel, registerKernel } from '../../core/wasm/registry.js';
import { statesBatchFirst } from '../../autodiff/rnn-op.js';
import { lift, newVar, tapeOf, type Tape, type Var, type VarLike } from '../../autodiff/tape.js';
import type { F32Module } from '../../core/wasm/f32-loader.js';
import { GATED_F32, GATED_F32_FMA, gatedFastApplies, gatedFastBackward, gatedFastForward } from './fast.js';
import { gruBackwardKernel, gruForwardKernel, lstmBackwardKernel, lstmForwardKernel, type GatedGrads, type GruBuffers, type LstmBuffers } from './kernels.js';
import { fillInitialState } from './validate.js';

/** The recurrent parameters of a gated cell (extra fields are ignored). */
export interface GatedOpParams {
  wIn: VarLike;
  wRec: VarLike;
  bIn: VarLike;
  bRec: VarLike;
}

/**
 * One backend of 'gatedRecurrence': writes the batch-first states (and an LSTM's cells into
 * `cellsOut` when given) and, when `withGrad`, returns the BPTT closure (accumulating into `g`).
 */
type GatedRecurrence = (
  cell: 'gru' | 'lstm', B: number, T: number, I: number, H: number,
  x: FloatArray, wIn: FloatArray, wRec: FloatArray, bIn: FloatArray, bRec: FloatArray, h0: Tensor | undefined,
  states: FloatArray, cellsOut: FloatArray | null, tape: Tape | null, withGrad: boolean,
) => ((dStates: FloatArray, g: GatedGrads) => void) | null;

const recurrenceJs: GatedRecurrence = (cell, B, T, I, H, x, wIn, wRec, bIn, bRec, h0, states, cellsOut, tape, withGrad) => {
  const alloc = (n: number): FloatArray => (tape !== null ? tape.alloc(n) : new Float32Array(n));
  const G = (cell === 'lstm' ? 4 : 3) * H;
  const xT = alloc(T * B * I);
  const hs = alloc((T + 1) * B * H);
  if (cell === 'lstm') {
    const buf: LstmBuffers = { xT, gates: alloc(T * B * G), hs, cs: alloc((T + 1) * B * H), tc: alloc(T * B * H) };
    fillInitialState(B, H, h0, hs, buf.cs);
    lstmForwardKernel(B, T, I, H, x, wIn, wRec, bIn, bRec, buf);
    statesBatchFirst(B, T, H, hs, states);
    if (cellsOut !== null) statesBatchFirst(B, T, H, buf.cs, cellsOut);
    if (!withGrad || tape === null) return null;
    return (dStates, g) => {
      const s = { dA: tape.alloc(T * B * G), carryH: tape.alloc(B * H), carryC: tape.alloc(B * H), acc: tape.alloc64(G) };
      lstmBackwardKernel(B, T, I, H, wRec, buf, dStates, g, s);
    };
  }
  const buf: GruBuffers = { xT, gx: alloc(T * B * G), gates: alloc(T * B * G), ghn: alloc(T * B * H), hs, gh: alloc(B * G) };
  fillInitialState(B, H, h0, hs, null);
  gruForwardKernel(B, T, I, H, x, wIn, wRec, bIn, bRec, buf);
  statesBatchFirst(B, T, H, hs, states);
  if (!withGrad || tape === null) return null;
  return (dStates, g) => {
    const s = { dGx: tape.alloc(T * B * G), dGh: tape.alloc(T * B * G), carry: tape.alloc(B * H), acc: tape.alloc64(G) };
    gruBackwardKernel(B, T, I, H, wRec, buf, dStates, g, s);
  };
};

/** The WebAssembly float32 backends (see fast.ts), on one instance of one build of the kernels. */
function recurrenceWasm(mod: F32Module): GatedRecurrence {
  return (cell, B, T, I, H, x, wIn, wRec, bIn, bRec, h0, states, cellsOut, tape, withGrad) => {
  if (gatedFastApplies(mod, B, T, I, H, x, wIn, wRec, bIn, bRec, states)) {
    const lstm = cell === 'lstm';
    // the initial state is copied: the handle keeps it for a recomputed forward pass
    const hs0 = new Float32Array(B * H), cs0 = lstm ? new Float32Array(B * H) : null;
    fillInitialState(B, H, h0, hs0, cs0);
    const handle = gatedFastForward(mod, cell, B, T, I, H, x, wIn, wRec, bIn, bRec, hs0, cs0, states, cellsOut);
    if (handle !== null) {
      if (!withGrad) return null;
      return (dStates, g) => {
        if (!gatedFastBackward(handle, dStates, g)) throw new Error('gatedRnn: the WebAssembly memory of the float32 backend could not be grown for the backward pass');
      };
    }
  }
  return recurrenceJs(cell, B, T, I, H, x, wIn, wRec, bIn, bRec, h0, states, cellsOut, tape, withGrad);
  };
}

registerKernel<GatedRecurrence>('gatedRecurrence', 'js', 1, () => true, recurrenceJs);
registerKernel<GatedRecurrence>('gatedRecurrence', 'wasm-f32', 2, () => GATED_F32.wasm() !== undefined, recurrenceWasm(GATED_F32));
registerKernel<GatedRecurrence>('gatedRecurrence', 'wasm-f32-fma', 3, () => GATED_F32_FMA.wasm() !== undefined, recurrenceWasm(GATED_F32_FMA));

/**
 * Runs the cell over `x [B,T,I]` (already validated) and returns the states h as a Var; an LSTM's
 * cell states go to `cellsOut` (batch-first, length B·T·H) when given.
 */
export function gatedRnnOp(cell: 'gru' | 'lstm', xIn: Tensor, params: GatedOpParams, h0: Tensor | undefined, cellsOut: FloatArray | null = null): Var {
  const tape = tapeOf('gatedRnn', params.wIn, params.wRec, params.bIn, params.bRec);
  const x = lift(xIn, tape, 'gatedRnn: x');
  const wIn = lift(params.wIn, tape, 'gatedRnn: wIn');
  const wRec = lift(params.wRec, tape, 'gatedRnn: wRec');
  const bIn = lift(params.bIn, tape, 'gatedRnn: bIn');
  const bRec = lift(params.bRec, tape, 'gatedRnn: bRec');
  const H = wRec.shape[1], I = wIn.shape[1];
  const [B, T] = x.shape;
  const requiresGrad = wIn.requiresGrad || wRec.requiresGrad || bIn.requiresGrad || bRec.requiresGrad;
  const out = newVar(tape, [B, T, H], requiresGrad);
  const impl = getKernel<GatedRecurrence>('gatedRecurrence');
  const backward = impl(cell, B, T, I, H, x.data, wIn.data, wRec.data, bIn.data, bRec.data, h0, out.data, cellsOut, tape, out.requiresGrad);
  if (out.requiresGrad) {
    const tp = tape!;
    tp.record(out, () => {
      backward!(out.grad!, { wIn: tp.gradOf(wIn), wRec: tp.gradOf(wRec), bIn: tp.gradOf(bIn), bRec: tp.gradOf(bRec) });
    });
  }
  return out;
}
