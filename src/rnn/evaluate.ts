/**
 * Loss and accuracy of an RNN over a whole data set, in batches, without gradients.
 */
import type { AbortSignalLike } from '../core/errors.js';
import { checkOptionKeys, progressPoint, readOptions } from '../core/options.js';
import { EVALUATE_KEYS } from './option-keys.js';
import { assertInteger, formatShape } from '../core/errors.js';
import type { TensorInput } from '../core/input.js';
import type { Labels } from '../autodiff/ops.js';
import { checkBatch, lossDifferentiator, normalizeBatch, orderedParams, type CheckedBatch, type LossStats, type RnnLossKind } from './loss.js';
import type { AnyRnn as Rnn } from './types.js';
import { assertRnn, type RnnSizes } from './validate.js';
import { assertGatedH0, isGated } from './gated/validate.js';

/** A data set of N sequences: inputs `[N,T,I]` with labels (length N) or targets `[N,T,O]`. */
export interface SequenceData {
  /** Inputs, batch-first `[N,T,I]` (a Tensor or any form of {@link TensorInput}). */
  x: TensorInput;
  /** Class of each sequence (cross-entropy on the last step), or readIdx's `{ shape: [N], data }` of them. */
  labels?: Labels | { readonly shape: readonly number[]; readonly data: Labels };
  /** Targets at every step `[N,T,O]` (mse). */
  targets?: TensorInput;
  /**
   * Initial states, as in {@link rnnForward}: `[N,H]` one per sequence (kept with its sequence when
   * batches are cut or shuffled) or `[H]` shared by all; zeros when omitted. An LSTM also takes the
   * full state `[N,2H]` / `[2H]` = [h; c].
   */
  h0?: TensorInput;
}

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** Sequences per forward pass (default 256). */
  batchSize?: number;
  /** Default: 'cross-entropy' with labels, else 'mse'. */
  loss?: RnnLossKind;
  /** Called at least every ~100 ms (and after the last batch) with `{ phase: 'evaluate', done, total }` in sequences. */
  onProgress?: (p: { phase?: string; done: number; total: number }) => void;
  /** Checked between batches; an aborted signal throws its reason. */
  signal?: AbortSignalLike;
}

/** Result of {@link evaluate}. */
export interface EvaluateResult {
  /** Mean loss over the data set (per sequence for cross-entropy, per element for mse). */
  loss: number;
  /** Fraction classified correctly from the last step (cross-entropy only); NaN when the loss is not finite. */
  accuracy?: number;
  /** Number of sequences. */
  count: number;
}

/** A view of rows [start, end) of a batch-first data set (no copy). */
export function sliceRows(data: CheckedBatch, start: number, end: number): CheckedBatch {
  const [, T, I] = data.x.shape;
  const out: CheckedBatch = { x: { shape: [end - start, T, I], data: data.x.data.subarray(start * T * I, end * T * I) } };
  if (data.labels !== undefined) {
    const l = data.labels;
    out.labels = l instanceof Int32Array ? l.subarray(start, end) : l.slice(start, end);
  }
  if (data.targets !== undefined) {
    const [, , O] = data.targets.shape;
    out.targets = { shape: [end - start, T, O], data: data.targets.data.subarray(start * T * O, end * T * O) };
  }
  if (data.h0 !== undefined) {
    const h0 = data.h0;
    if (h0.shape.length === 1) out.h0 = h0;
    else {
      const W = h0.shape[1];
      out.h0 = { shape: [end - start, W], data: h0.data.subarray(start * W, end * W) };
    }
  }
  return out;
}

/**
 * Validates a data set (`x` with labels or targets, and an optional `h0` of `[N,W]` or `[W]`, W = H
 * or, for an LSTM, 2H) and returns the loss kind, N and T. The vanilla and gated h0 rules are those of
 * rnnForward.
 */
export function checkData(rnn: Rnn, data: unknown, s: RnnSizes, loss: unknown, name: string): { kind: RnnLossKind; B: number; T: number; data: CheckedBatch } {
  const d = normalizeBatch(data, name);
  if (d === null || typeof d !== 'object') return { ...checkBatch(d, s, loss, name), data: d as CheckedBatch };
  const h0 = (d as { h0?: unknown }).h0;
  const gatedH0 = h0 !== undefined && isGated(rnn);
  const r = checkBatch(gatedH0 ? { ...(d as object), h0: undefined } : d, s, loss, name);
  if (gatedH0) assertGatedH0(h0, r.B, s.H, rnn.cell, `${name}.h0`);
  // sequences whose targets hold no values (T = 0 or no outputs) have no mean loss; no sequences at all
  // is a data set of count 0, reported as a NaN loss
  if (r.kind === 'mse' && r.B > 0 && r.T * s.O === 0) {
    throw new RangeError(`${name}.targets ${formatShape((d as CheckedBatch).targets!.shape)} hold no values; the mean loss is undefined`);
  }
  return { ...r, data: d as CheckedBatch };
}

/** Internal: evaluation of checked data. */
export function evaluateChecked(
  rnn: Rnn, data: CheckedBatch, kind: RnnLossKind, batchSize: number, tick?: (done: number) => void,
): EvaluateResult {
  const N = data.x.shape[0];
  const d = lossDifferentiator(rnn);
  const params = orderedParams(rnn.params);
  const stats: LossStats = { correct: 0 };
  let lossSum = 0, correct = 0;
  for (let start = 0; start < N; start += batchSize) {
    const end = Math.min(N, start + batchSize);
    const batch = sliceRows(data, start, end);
    stats.correct = 0;
    const v = d.value(params, [batch, rnn.activation, kind, stats]);
    lossSum += v * (end - start);
    correct += stats.correct;
    tick?.(end);
  }
  const res: EvaluateResult = { loss: N > 0 ? lossSum / N : NaN, count: N };
  // NaN logits (a forward pass that overflowed) have no class: no accuracy without a finite loss
  if (kind === 'cross-entropy') res.accuracy = N > 0 && Number.isFinite(lossSum) ? correct / N : NaN;
  return res;
}

/**
 * Mean loss (and accuracy, for labels) of the RNN over a data set, computed in batches of
 * `batchSize` sequences without recording gradients. Sequences start from `data.h0` (`[N,H]` per
 * sequence or `[H]` shared, as in rnnForward), else from zeros. `onProgress`
 * reports `{ phase: 'evaluate', done, total }` (sequences) at least every ~100 ms; `signal` is
 * checked between batches (a synchronous call sees an abort only there).
 *
 * @example
 * ```ts
 * const { loss, accuracy } = evaluate(rnn, { x: testX, labels: testLabels });
 * ```
 */
export function evaluate(rnn: Rnn, data: SequenceData, options: EvaluateOptions = {}): EvaluateResult {
  const s = assertRnn(rnn, 'evaluate: rnn');
  const opts = readOptions(options, 'evaluate');
  checkOptionKeys(opts, EVALUATE_KEYS, 'evaluate');
  const { kind, B, data: checked } = checkData(rnn, data, s, opts.loss, 'evaluate: data');
  const batchSize = opts.batchSize === undefined ? 256 : opts.batchSize;
  assertInteger(batchSize, 'evaluate: batchSize', 1);
  if (batchSize > 2 ** 31 - 1) throw new RangeError(`evaluate: batchSize: expected at most 2^31 - 1, got ${batchSize}`);
  const tick = progressPoint(opts.onProgress, opts.signal, 'evaluate', B, { phase: 'evaluate' });
  tick(0);
  return evaluateChecked(rnn, checked, kind, batchSize, tick);
}
