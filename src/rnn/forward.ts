/**
 * The forward pass of a vanilla RNN over a batch of sequences.
 */
import { rnnForwardKernel, statesBatchFirst } from '../autodiff/rnn-op.js';
import { gemmRaw } from '../core/gemm.js';
import { argmaxRows } from '../core/reduce.js';
import { formatShape } from '../core/errors.js';
import { toTensor, type TensorInput } from '../core/input.js';
import type { Tensor } from '../core/tensor.js';
import type { AnyRnn, RecurrentRnn } from './types.js';
import { gatedForward } from './gated/forward.js';
import { isGated } from './gated/validate.js';
import { assertH0, assertInputs, assertRnn } from './validate.js';
import { markStateRecording } from './recording.js';

/** Result of {@link rnnForward}. */
export interface RnnForwardResult {
  /** Hidden states h_1..h_T, `[B,T,H]`. */
  states: Tensor;
  /** Readouts y_t = wOut·h_t + bOut, `[B,T,O]` (`[B,T,0]` for a model without a readout). */
  outputs: Tensor;
  /** LSTM only: the cell states c_1..c_T, `[B,T,H]`. */
  cells?: Tensor;
}

/**
 * Runs the RNN over inputs `x [B,T,I]` (or one sequence `[T,I]`, read as `[1,T,I]`) from `h0`
 * (per-sequence `[B,H]`, `[H]` shared by the batch, or zeros) and returns every hidden state and
 * readout, batch-first (`[1,T,H]` for a `[T,I]` input). Inputs and parameters are validated (shapes,
 * NaN) first. A model without a readout ({@link RecurrentRnn}: params `{ wIn, wRec, b }`) gives its
 * states and empty outputs `[B,T,0]`.
 * For a GRU or an LSTM (`cell: 'gru' | 'lstm'`) the cell follows PyTorch's equations; an LSTM's
 * `h0` is `[B,H]`/`[H]` (c starts at 0) or the full state `[B,2H]`/`[2H]` = [h; c], and its cell
 * states are returned as `cells`.
 *
 * `states` is batch-first [B,T,H]: for M-PHATE (`mPhate`/`mmPhate`, which read [slices, units,
 * features]) rearrange it with `multisliceFromStates` (they refuse these arrays as they are).
 *
 * @example
 * ```ts
 * const rnn = initRnn({ inputSize: 3, hiddenSize: 64, outputSize: 3, seed: 1 });
 * const { states, outputs } = rnnForward(rnn, x);   // [B,T,64], [B,T,3]
 * ```
 */
export function rnnForward(rnn: AnyRnn | RecurrentRnn, x: TensorInput, h0?: TensorInput | null): RnnForwardResult {
  return forwardFor(rnn, x, h0, 'rnnForward', 'optional');
}

/** The forward pass with messages naming `caller`; `readout: 'required'` refuses a model without one. */
export function forwardFor(rnn: AnyRnn | RecurrentRnn, xIn: TensorInput, h0In: TensorInput | null | undefined, caller: string, readout: 'required' | 'optional'): RnnForwardResult {
  assertNotOptions(h0In, caller);
  const h0 = h0In === null || h0In === undefined ? undefined : toTensor(h0In, `${caller}: h0`);
  if (isGated(rnn)) {
    const r = gatedForward(rnn, toTensor(xIn, `${caller}: x`), h0, caller);
    markStateRecording(r.states.data);
    if (r.cells !== undefined) markStateRecording(r.cells.data);
    return r;
  }
  const s = assertRnn(rnn, `${caller}: rnn`, readout);
  let x = toTensor(xIn, `${caller}: x`);
  if (x.shape.length === 2) x = { shape: [1, x.shape[0], x.shape[1]], data: x.data };
  const [B, T] = assertInputs(x, s, `${caller}: x`);
  if (h0 !== undefined) assertH0(h0, B, s.H, `${caller}: h0`);
  const { I, H, O } = s;
  const p = rnn.params;
  const xT = new Float32Array(T * B * I);
  const hs = new Float32Array((T + 1) * B * H);
  rnnForwardKernel(B, T, I, H, rnn.activation, x.data, p.wIn.data, p.wRec.data, p.b.data, h0 === undefined ? null : h0.data, xT, hs, null);
  const states = new Float32Array(B * T * H);
  statesBatchFirst(B, T, H, hs, states);
  const outputs = new Float32Array(B * T * O);
  if (p.wOut !== undefined && p.bOut !== undefined && O > 0) {
    gemmRaw(false, true, B * T, O, H, 1, states, H, p.wOut.data, H, 0, outputs, O);
    const bo = p.bOut.data;
    for (let r = 0; r < B * T; r++) for (let o = 0; o < O; o++) outputs[r * O + o] += bo[o];
  }
  markStateRecording(states); // batch-first [B,T,H]: mPhate/mmPhate refuse it read as [slices, units, features]
  return { states: { shape: [B, T, H], data: states }, outputs: { shape: [B, T, O], data: outputs } };
}

/**
 * `rnnForward(rnn, x, { h0 })` (the options style of `train`'s data or `lyapunovSpectrum`) passes an
 * object where h0 itself belongs; it was refused as "h0: expected a Tensor with an array 'shape',
 * got undefined", which does not say what to change.
 */
function assertNotOptions(h0: unknown, caller: string): void {
  if (h0 === null || typeof h0 !== 'object' || 'shape' in h0 || !Object.prototype.hasOwnProperty.call(h0, 'h0')) return;
  throw new TypeError(`${caller}: the third argument is h0 itself ([B,H] or [H]), not an options object: got { h0 }; call ${caller}(rnn, x, h0)`);
}

/**
 * The hidden states at step `t` of `states [B,T,H]` (from {@link rnnForward}), as a new `[B,H]`
 * tensor; negative `t` counts from the end (−1 is the last step).
 *
 * @example
 * ```ts
 * const { states } = rnnForward(rnn, x);
 * const last = statesAt(states, -1);   // [B,H]
 * const h5 = statesAt(states, 5);      // after the 6th input
 * ```
 */
export function statesAt(states: TensorInput, t: number): Tensor {
  const st = toTensor(states, 'statesAt: states');
  if (st.shape.length !== 3) throw new RangeError(`statesAt: states must be [B,T,H], got shape ${formatShape(st.shape)}`);
  const [B, T, H] = st.shape;
  if (typeof t !== 'number') throw new TypeError(`statesAt: t must be an integer, got ${typeof t}`);
  if (!Number.isInteger(t) || t < -T || t >= T) throw new RangeError(`statesAt: t must be an integer in [${-T}, ${T - 1}] (T = ${T}), got ${t}`);
  const step = t < 0 ? T + t : t;
  const out = new Float32Array(B * H);
  for (let b = 0; b < B; b++) out.set(st.data.subarray((b * T + step) * H, (b * T + step + 1) * H), b * H);
  return { shape: [B, H], data: out };
}

/**
 * The predicted class of each sequence: the argmax of the readout at the last step (as the
 * cross-entropy loss classifies). `x` is `[B,T,I]` or one sequence `[T,I]`.
 *
 * @example
 * ```ts
 * const classes = predict(rnn, testX);   // Int32Array of length B
 * ```
 */
export function predict(rnn: AnyRnn, x: TensorInput, h0?: TensorInput | null): Int32Array {
  const { outputs } = forwardFor(rnn, x, h0, 'predict', 'required');
  const [B, T, O] = outputs.shape;
  if (T === 0) throw new RangeError('predict: x must have at least one time step');
  const last = new Float32Array(B * O);
  for (let b = 0; b < B; b++) last.set(outputs.data.subarray((b * T + T - 1) * O, (b * T + T) * O), b * O);
  return argmaxRows({ shape: [B, O], data: last });
}
