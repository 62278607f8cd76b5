/**
 * The training loss of a vanilla RNN and its gradients: cross-entropy on the readout of the last
 * step (classification), or mean squared error of the readout at every step (regression). The
 * recurrence runs as the fused `ad.rnn` op, so forward and BPTT are one tape node.
 */
import * as ad from '../autodiff/ad.js';
import { assertLabels, type Labels } from '../autodiff/ops.js';
import type { Var } from '../autodiff/tape.js';
import { createDifferentiator, type VarTree } from '../autodiff/value-and-grad.js';
import { assertTensor, formatShape } from '../core/errors.js';
import { checkOptionKeys, readOptions, suggestOption } from '../core/options.js';
import { RNN_LOSS_KEYS } from './option-keys.js';
import { toTensor, type TensorInput } from '../core/input.js';
import type { Tensor } from '../core/tensor.js';
import type { Activation, AnyRnn, GatedRnn, GatedRnnParams, Rnn, RnnParams } from './types.js';
import { gatedRnnOp } from './gated/op.js';
import { assertGatedH0, assertGatedParams, assertGatedRnn, isGated } from './gated/validate.js';
import { assertH0, assertInputs, assertParams, assertRnn, assertTargets, resolveLoss, type RnnSizes } from './validate.js';

/** A batch of sequences: inputs `[B,T,I]` with class labels (length B) or targets `[B,T,O]`. */
export interface RnnBatch {
  /** Inputs, batch-first `[B,T,I]`. */
  x: Tensor;
  /** Class of each sequence, read from the last step (cross-entropy). */
  labels?: Labels;
  /** Targets at every step `[B,T,O]` (mse). */
  targets?: Tensor;
  /** Initial state `[B,H]` or `[H]`; zeros when omitted. */
  h0?: Tensor;
}

/**
 * A batch as {@link rnnLoss} accepts it: the fields of {@link RnnBatch}, each tensor in any form of
 * {@link TensorInput} (nested arrays, `{ shape, data }` with any numeric typed array, ndarray views).
 */
export interface RnnBatchInput {
  x: TensorInput;
  /** Class labels, or readIdx's `{ shape: [B], data }` of them. */
  labels?: Labels | { readonly shape: readonly number[]; readonly data: Labels };
  targets?: TensorInput;
  h0?: TensorInput;
}

/** The two losses. */
export type RnnLossKind = 'cross-entropy' | 'mse';

/** Options of {@link rnnLoss}. */
export interface RnnLossOptions {
  /** Default: 'cross-entropy' when the batch has labels, else 'mse'. */
  loss?: RnnLossKind;
  /** Tensors to write the gradients into (shapes of the parameters); fresh ones when omitted. */
  grads?: RnnParams | GatedRnnParams;
}

/** Result of {@link rnnLoss}. */
export interface RnnLossResult<P = RnnParams> {
  /** Mean loss over the batch (cross-entropy) or over every step, unit and sequence (mse). */
  loss: number;
  /** d loss / d params (GatedRnnParams for a GRU or an LSTM). */
  grads: P;
  /** Fraction of sequences whose last-step argmax equals the label (cross-entropy only); NaN when the loss is not finite. */
  accuracy?: number;
}

/** Counters the graph fills in while it runs. */
export interface LossStats {
  correct: number;
}

/** Internal: a batch that has passed validation. */
export interface CheckedBatch {
  x: Tensor;
  labels?: Labels;
  targets?: Tensor;
  h0?: Tensor;
}

/** Counts the sequences whose last-step logits `[B,O]` have their argmax at the label (the first maximum wins); shared with the gated loss. @internal */
export function countCorrect(logits: { shape: readonly number[]; data: ArrayLike<number> }, labels: ArrayLike<number>, stats: LossStats): void {
  const [B, O] = logits.shape;
  const z = logits.data;
  let correct = 0;
  for (let bb = 0; bb < B; bb++) {
    let arg = 0;
    for (let o = 1; o < O; o++) if (z[bb * O + o] > z[bb * O + arg]) arg = o;
    if (arg === labels[bb]) correct++;
  }
  stats.correct = correct;
}

/** The readout and the loss of either cell's states `[B,T,H]` on the tape. */
function readoutLoss(states: Var, p: { wOut: Var; bOut: Var }, batch: CheckedBatch, kind: RnnLossKind, stats: LossStats | null): Var {
  const [B, T, H] = states.shape;
  if (kind === 'cross-entropy') {
    const logits = ad.add(ad.matmul(ad.timeStep(states, T - 1), p.wOut, { transB: true }), p.bOut);
    if (stats !== null) countCorrect(logits, batch.labels!, stats);
    return ad.softmaxCrossEntropy(logits, batch.labels!);
  }
  const y = ad.add(ad.matmul(ad.reshape(states, [B * T, H]), p.wOut, { transB: true }), p.bOut);
  const t = batch.targets!;
  return ad.mse(y, { shape: [B * T, t.shape[2]], data: t.data });
}

/** Builds the loss on the tape (parameters are Vars, the batch constants). */
export function lossGraph(p: VarTree<RnnParams>, batch: CheckedBatch, act: Activation, kind: RnnLossKind, stats: LossStats | null): Var {
  return readoutLoss(ad.rnn(batch.x, p, { activation: act, h0: batch.h0 }), p, batch, kind, stats);
}

/** The loss graph of a gated cell: the fused gated op, then the same readout (the activation argument is unused: the cell fixes it). */
function gatedLossGraph(cell: 'gru' | 'lstm') {
  return (p: VarTree<GatedRnnParams>, batch: CheckedBatch, _act: unknown, kind: RnnLossKind, stats: LossStats | null): Var =>
    readoutLoss(gatedRnnOp(cell, batch.x, p, batch.h0), p, batch, kind, stats);
}

type Differentiator = ReturnType<typeof createDifferentiator>;
const cache = new WeakMap<object, Differentiator>();

/** The pooled differentiator of the loss for this RNN object (buffers reused while shapes repeat). */
export function lossDifferentiator(rnn: object): Differentiator {
  let d = cache.get(rnn);
  if (d === undefined) {
    const graph = isGated(rnn) ? gatedLossGraph(rnn.cell) : lossGraph;
    d = createDifferentiator(graph as (p: unknown, ...args: unknown[]) => unknown);
    cache.set(rnn, d);
  }
  return d;
}

/**
 * The batch with its tensors (x, targets, h0) through the core input normaliser, so nested arrays,
 * `{ shape, data }` with any numeric typed array and ndarray views are accepted; labels and other
 * fields are kept. A non-object is returned as it is (checkBatch reports it). Other fields are
 * allowed (a data set may carry its own, as `sequentialMnist`'s `permutation`), except a near miss
 * of a field that is absent (`hidden`, `h_0`, `target`, `label`, `inputs`): that is a RangeError
 * naming the field it most likely means, where it used to be ignored (an `h0` under another name
 * evaluated from zeros without a word).
 */
export function normalizeBatch<B>(batch: B, name: string): B {
  if (batch === null || typeof batch !== 'object') return batch;
  const b = batch as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const fields = ['x', 'labels', 'targets', 'h0'];
  for (const k of Object.keys(b)) {
    if (fields.includes(k)) continue;
    const meant = BATCH_ALIASES[k.toLowerCase()] ?? suggestOption(k, fields);
    if (meant !== undefined && b[meant] === undefined) throw new RangeError(`${name}.${k}: unknown field (did you mean ${meant}?); the fields are x, labels or targets, and h0`);
  }
  for (const k of fields) {
    const v = b[k];
    if (v === undefined) continue;
    out[k] = k === 'labels' ? labelsOf(v) : toTensor(v, `${name}.${k}`);
  }
  return out as B;
}

/** Other names for a batch's fields (`suggestOption` maps hidden, initialState, h → h0). */
const BATCH_ALIASES: Record<string, string> = { inputs: 'x', input: 'x', ho: 'h0' };

/** Labels as readIdx returns them (`{ shape: [N], data: Uint8Array }`) read as their data; any other value as it is. */
function labelsOf(v: unknown): unknown {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || ArrayBuffer.isView(v)) return v;
  const { shape, data } = v as { shape?: unknown; data?: unknown };
  if (Array.isArray(shape) && shape.length === 1 && ArrayBuffer.isView(data) && (data as unknown as ArrayLike<number>).length === shape[0]) return data;
  return v;
}

/** Validates a batch against the sizes; returns the loss kind and [B, T]. */
export function checkBatch(batch: unknown, s: RnnSizes, loss: unknown, name: string): { kind: RnnLossKind; B: number; T: number } {
  if (batch === null || typeof batch !== 'object') throw new TypeError(`${name}: expected { x, labels } or { x, targets }, got ${batch === null ? 'null' : typeof batch}`);
  const bt = batch as RnnBatch;
  const kind = resolveLoss(loss, bt.labels !== undefined, bt.targets !== undefined, name);
  const [B, T] = assertInputs(bt.x, s, `${name}.x`, kind === 'cross-entropy' ? 1 : 0);
  if (kind === 'cross-entropy') {
    const n = Array.isArray(bt.labels) || ArrayBuffer.isView(bt.labels) ? (bt.labels as ArrayLike<number>).length : B;
    if (n !== B && n === T) {
      // one label per step: x is time-first [T,B,I], read batch-first as T sequences of B steps
      throw new RangeError(`${name}.labels: expected ${B} labels (one per sequence of x ${formatShape(bt.x.shape)}, read batch-first [B,T,I]), got ${n}, which is x's T: if x is time-first [T,B,I] (PyTorch's batch_first=False), transpose it to [B,T,I]`);
    }
    assertLabels(bt.labels, B, s.O, `${name}.labels`);
  }
  else assertTargets(bt.targets, B, T, s.O, `${name}.targets`);
  if (bt.h0 !== undefined) assertH0(bt.h0, B, s.H, `${name}.h0`);
  return { kind, B, T };
}

/**
 * Loss and gradients of an RNN on one batch. With `labels` (cross-entropy): the readout of the last
 * step classifies each sequence, averaged over the batch, and `accuracy` is reported. With
 * `targets [B,T,O]` (mse): the mean over every step, output unit and sequence. Inputs are validated
 * first (shapes, label range, NaN; an empty batch, whose mean loss is undefined, is a RangeError); a
 * failed call changes nothing. Scratch buffers are reused across
 * calls on the same `rnn` object while shapes repeat.
 *
 * @example
 * ```ts
 * const rnn = initRnn({ inputSize: 28, hiddenSize: 200, outputSize: 10, seed: 1 });
 * const { loss, grads, accuracy } = rnnLoss(rnn, { x, labels }, { loss: 'cross-entropy' });
 * ```
 */
export function rnnLoss(rnn: Rnn, batch: RnnBatchInput, opts?: RnnLossOptions): RnnLossResult;
export function rnnLoss(rnn: GatedRnn, batch: RnnBatchInput, opts?: RnnLossOptions): RnnLossResult<GatedRnnParams>;
export function rnnLoss(rnn: AnyRnn, batch: RnnBatchInput, opts?: RnnLossOptions): RnnLossResult<RnnParams | GatedRnnParams>;
export function rnnLoss(rnn: AnyRnn, batchIn: RnnBatchInput, options: RnnLossOptions = {}): RnnLossResult<RnnParams | GatedRnnParams> {
  const opts = readOptions(options, 'rnnLoss');
  checkOptionKeys(opts, RNN_LOSS_KEYS, 'rnnLoss');
  const batch = normalizeBatch(batchIn, 'rnnLoss: batch') as RnnBatch;
  const sizes = isGated(rnn) ? assertGatedRnn(rnn, 'rnnLoss: rnn') : assertRnn(rnn, 'rnnLoss: rnn');
  const { kind, B, T } = isGated(rnn) ? checkGatedBatch(rnn, sizes, batch, opts.loss) : checkBatch(batch, sizes, opts.loss, 'rnnLoss: batch');
  if (B === 0 || (kind === 'mse' && T * sizes.O === 0)) {
    const what = kind === 'mse' ? `batch.targets ${formatShape(batch.targets!.shape)}` : `batch.x ${formatShape(batch.x.shape)}`;
    throw new RangeError(`rnnLoss: ${what} holds no ${kind === 'mse' ? 'values' : 'sequences'}; the mean loss over an empty batch is undefined`);
  }
  const out = opts.grads === undefined ? undefined : gradTargets(rnn, sizes, opts.grads);
  const stats: LossStats = { correct: 0 };
  const params = orderedParams(rnn.params);
  const { value, grads } = lossDifferentiator(rnn).call(params, [checkedOf(batch), rnn.activation, kind, stats], out);
  const named = Object.fromEntries(Object.keys(params).map((k, i) => [k, grads[i]])) as unknown as RnnParams | GatedRnnParams;
  const result: RnnLossResult<RnnParams | GatedRnnParams> = { loss: value, grads: named };
  if (kind === 'cross-entropy') result.accuracy = B > 0 && Number.isFinite(value) ? stats.correct / B : B > 0 ? NaN : 0;
  return result;
}

/** checkBatch for a gated cell (its h0 is [B,H] for a GRU, [B,2H] for an LSTM: checked apart). */
function checkGatedBatch(rnn: GatedRnn, s: RnnSizes, batch: RnnBatch, loss: unknown): { kind: RnnLossKind; B: number; T: number } {
  const h0 = batch !== null && typeof batch === 'object' ? batch.h0 : undefined;
  const r = checkBatch(h0 === undefined ? batch : { ...batch, h0: undefined }, { I: s.I, H: s.H, O: s.O }, loss, 'rnnLoss: batch');
  if (h0 !== undefined) assertGatedH0(h0, r.B, s.H, rnn.cell, 'rnnLoss: batch.h0');
  return r;
}

/** The caller's gradient buffers (opts.grads), checked against the parameter shapes, in canonical order. */
function gradTargets(rnn: AnyRnn, s: RnnSizes, g: unknown): Tensor[] {
  const gs = isGated(rnn) ? assertGatedParams(g, rnn.cell, 'rnnLoss: opts.grads', false) : assertParams(g, 'rnnLoss: opts.grads', false);
  if (gs.I !== s.I || gs.H !== s.H || gs.O !== s.O) {
    const gp = g as { wIn: Tensor; wOut: Tensor };
    throw new RangeError(`rnnLoss: opts.grads must have the parameter shapes (wIn ${formatShape(rnn.params.wIn.shape)}, wOut ${formatShape(rnn.params.wOut.shape)}), got wIn ${formatShape(gp.wIn.shape)}, wOut ${formatShape(gp.wOut.shape)}`);
  }
  return Object.values(orderedParams(g as RnnParams | GatedRnnParams));
}

/** The parameters with keys in the canonical order wIn, wRec, b, wOut, bOut. */
export function orderedParams(p: RnnParams): RnnParams;
export function orderedParams(p: RnnParams | GatedRnnParams): RnnParams | GatedRnnParams;
export function orderedParams(p: RnnParams | GatedRnnParams): RnnParams | GatedRnnParams {
  if ('bIn' in p) return { wIn: p.wIn, wRec: p.wRec, bIn: p.bIn, bRec: p.bRec, wOut: p.wOut, bOut: p.bOut };
  return { wIn: p.wIn, wRec: p.wRec, b: p.b, wOut: p.wOut, bOut: p.bOut };
}

function checkedOf(b: RnnBatch): CheckedBatch {
  const c: CheckedBatch = { x: b.x };
  if (b.labels !== undefined) c.labels = b.labels;
  if (b.targets !== undefined) c.targets = b.targets;
  if (b.h0 !== undefined) c.h0 = b.h0;
  return c;
}

/** Internal: asserts a Tensor argument (re-exported for the training loop). */
export { assertTensor };
