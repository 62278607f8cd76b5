/**
 * The fused gated-cell op on the tape: states `[B,T,H]` of a GRU or an LSTM, forward and BPTT as one
 * node. Gradients flow to wIn, wRec, bIn and bRec; the inputs and the initial state are constants.
 * Buffers come from the tape's pool: nothing is allocated per step, nor per call once shapes repeat.
 */
import type { FloatArray } from '../../core/errors.js';
import type { Tensor } from '../../core/tensor.js';
import { lift, newVar, tapeOf, type Var, type VarLike } from '../../autodiff/tape.js';
import { gruBackwardKernel, gruForwardKernel, lstmBackwardKernel, lstmForwardKernel, type GruBuffers, type LstmBuffers } from './kernels.js';
import { fillInitialState } from './validate.js';

/** The recurrent parameters of a gated cell (extra fields are ignored). */
export interface GatedOpParams {
  wIn: VarLike;
  wRec: VarLike;
  bIn: VarLike;
  bRec: VarLike;
}

/** Copies time-major hs[BH:] into batch-first out [B,T,H]. */
export function statesOut(B: number, T: number, H: number, hs: FloatArray, out: FloatArray): void {
  const BH = B * H;
  for (let t = 0; t < T; t++) {
    for (let bb = 0; bb < B; bb++) {
      const src = (t + 1) * BH + bb * H, dst = (bb * T + t) * H;
      for (let j = 0; j < H; j++) out[dst + j] = hs[src + j];
    }
  }
}

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
  const H = wRec.shape[1], G = wRec.shape[0], I = wIn.shape[1];
  const [B, T] = x.shape;
  const requiresGrad = wIn.requiresGrad || wRec.requiresGrad || bIn.requiresGrad || bRec.requiresGrad;
  const alloc = (n: number): FloatArray => (tape !== null ? tape.alloc(n) : new Float32Array(n));
  const xT = alloc(T * B * I);
  const hs = alloc((T + 1) * B * H);
  const out = newVar(tape, [B, T, H], requiresGrad);
  if (cell === 'lstm') {
    const buf: LstmBuffers = { xT, gates: alloc(T * B * G), hs, cs: alloc((T + 1) * B * H), tc: alloc(T * B * H) };
    fillInitialState(B, H, h0, hs, buf.cs);
    lstmForwardKernel(B, T, I, H, x.data, wIn.data, wRec.data, bIn.data, bRec.data, buf);
    statesOut(B, T, H, hs, out.data);
    if (cellsOut !== null) statesOut(B, T, H, buf.cs, cellsOut);
    if (out.requiresGrad) {
      const tp = tape!;
      tp.record(out, () => {
        const s = { dA: tp.alloc(T * B * G), carryH: tp.alloc(B * H), carryC: tp.alloc(B * H), acc: tp.alloc64(G) };
        const g = { wIn: tp.gradOf(wIn), wRec: tp.gradOf(wRec), bIn: tp.gradOf(bIn), bRec: tp.gradOf(bRec) };
        lstmBackwardKernel(B, T, I, H, wRec.data, buf, out.grad!, g, s);
      });
    }
    return out;
  }
  const buf: GruBuffers = { xT, gx: alloc(T * B * G), gates: alloc(T * B * G), ghn: alloc(T * B * H), hs, gh: alloc(B * G) };
  fillInitialState(B, H, h0, hs, null);
  gruForwardKernel(B, T, I, H, x.data, wIn.data, wRec.data, bIn.data, bRec.data, buf);
  statesOut(B, T, H, hs, out.data);
  if (out.requiresGrad) {
    const tp = tape!;
    tp.record(out, () => {
      const s = { dGx: tp.alloc(T * B * G), dGh: tp.alloc(T * B * G), carry: tp.alloc(B * H), acc: tp.alloc64(G) };
      const g = { wIn: tp.gradOf(wIn), wRec: tp.gradOf(wRec), bIn: tp.gradOf(bIn), bRec: tp.gradOf(bRec) };
      gruBackwardKernel(B, T, I, H, wRec.data, buf, out.grad!, g, s);
    });
  }
  return out;
}
