/**
 * The forward pass of a GRU or an LSTM over a batch (called by `rnnForward` for gated cells).
 */
import { gemmRaw } from '../../core/gemm.js';
import { formatShape } from '../../core/errors.js';
import type { Tensor } from '../../core/tensor.js';
import type { GatedRnn } from '../types.js';
import { assertInputs } from '../validate.js';
import { gatedRnnOp } from './op.js';
import { assertGatedH0, assertGatedRnn } from './validate.js';

/** Result of `rnnForward` for a gated cell: the vanilla fields plus an LSTM's cell states. */
export interface GatedForwardResult {
  /** Hidden states h_1..h_T, `[B,T,H]`. */
  states: Tensor;
  /** Readouts y_t = wOut·h_t + bOut, `[B,T,O]`. */
  outputs: Tensor;
  /** LSTM only: cell states c_1..c_T, `[B,T,H]`. */
  cells?: Tensor;
}

/** Validated forward pass of a gated cell. @internal */
export function gatedForward(rnn: GatedRnn, x: Tensor, h0: Tensor | undefined, name: string): GatedForwardResult {
  const s = assertGatedRnn(rnn, `${name}: rnn`);
  const [B, T] = assertInputs(x, { I: s.I, H: s.H, O: s.O }, `${name}: x`);
  if (h0 !== undefined) assertGatedH0(h0, B, s.H, rnn.cell, `${name}: h0`);
  if (B * T * s.H * s.G > 2 ** 31) throw new RangeError(`${name}: x ${formatShape(x.shape)} needs ${B * T * s.H * s.G} gate values, more than fit in one array`);
  const { H, O } = s;
  const p = rnn.params;
  const cells = rnn.cell === 'lstm' ? new Float32Array(B * T * H) : null;
  const st = gatedRnnOp(rnn.cell, x, p, h0, cells);
  const states = st.data as Float32Array;
  const outputs = new Float32Array(B * T * O);
  gemmRaw(false, true, B * T, O, H, 1, states, H, p.wOut.data, H, 0, outputs, O);
  const bo = p.bOut.data;
  for (let r = 0; r < B * T; r++) for (let o = 0; o < O; o++) outputs[r * O + o] += bo[o];
  const res: GatedForwardResult = { states: { shape: [B, T, H], data: states }, outputs: { shape: [B, T, O], data: outputs } };
  if (cells !== null) res.cells = { shape: [B, T, H], data: cells };
  return res;
}
