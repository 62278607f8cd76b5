/**
 * The forward pass of a vanilla RNN over a batch of sequences.
 */
import { rnnForwardKernel, statesBatchFirst } from '../autodiff/rnn-op.js';
import { gemmRaw } from '../core/gemm.js';
import type { Tensor } from '../core/tensor.js';
import type { AnyRnn } from './types.js';
import { gatedForward } from './gated/forward.js';
import { isGated } from './gated/validate.js';
import { assertH0, assertInputs, assertRnn } from './validate.js';

/** Result of {@link rnnForward}. */
export interface RnnForwardResult {
  /** Hidden states h_1..h_T, `[B,T,H]`. */
  states: Tensor;
  /** Readouts y_t = wOut·h_t + bOut, `[B,T,O]`. */
  outputs: Tensor;
  /** LSTM only: the cell states c_1..c_T, `[B,T,H]`. */
  cells?: Tensor;
}

/**
 * Runs the RNN over inputs `x [B,T,I]` from `h0` (`[B,H]`, `[H]` shared by the batch, or zeros) and
 * returns every hidden state and readout. Inputs and parameters are validated (shapes, NaN) first.
 * For a GRU or an LSTM (`cell: 'gru' | 'lstm'`) the cell follows PyTorch's equations; an LSTM's
 * `h0` is `[B,H]`/`[H]` (c starts at 0) or the full state `[B,2H]`/`[2H]` = [h; c], and its cell
 * states are returned as `cells`.
 *
 * @example
 * ```ts
 * const rnn = initRnn({ inputSize: 3, hiddenSize: 64, outputSize: 3, seed: 1 });
 * const { states, outputs } = rnnForward(rnn, x);   // [B,T,64], [B,T,3]
 * ```
 */
export function rnnForward(rnn: AnyRnn, x: Tensor, h0?: Tensor): RnnForwardResult {
  if (isGated(rnn)) return gatedForward(rnn, x, h0, 'rnnForward');
  const s = assertRnn(rnn, 'rnnForward: rnn');
  const [B, T] = assertInputs(x, s, 'rnnForward: x');
  if (h0 !== undefined) assertH0(h0, B, s.H, 'rnnForward: h0');
  const { I, H, O } = s;
  const p = rnn.params;
  const xT = new Float32Array(T * B * I);
  const hs = new Float32Array((T + 1) * B * H);
  rnnForwardKernel(B, T, I, H, rnn.activation, x.data, p.wIn.data, p.wRec.data, p.b.data, h0 === undefined ? null : h0.data, xT, hs, null);
  const states = new Float32Array(B * T * H);
  statesBatchFirst(B, T, H, hs, states);
  const outputs = new Float32Array(B * T * O);
  gemmRaw(false, true, B * T, O, H, 1, states, H, p.wOut.data, H, 0, outputs, O);
  const bo = p.bOut.data;
  for (let r = 0; r < B * T; r++) for (let o = 0; o < O; o++) outputs[r * O + o] += bo[o];
  return { states: { shape: [B, T, H], data: states }, outputs: { shape: [B, T, O], data: outputs } };
}
