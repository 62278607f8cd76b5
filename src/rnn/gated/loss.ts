/**
 * The training loss of a GRU or an LSTM (called by `rnnLoss`, `train` and `evaluate` for gated
 * cells): the fused gated op, then the same readout and losses as the vanilla cell.
 */
import * as ad from '../../autodiff/ad.js';
import type { Var } from '../../autodiff/tape.js';
import type { VarTree } from '../../autodiff/value-and-grad.js';
import { formatShape } from '../../core/errors.js';
import type { Tensor } from '../../core/tensor.js';
import type { CheckedBatch, LossStats, RnnBatch, RnnLossKind, RnnLossOptions } from '../loss.js';
import { checkBatch, countCorrect, lossDifferentiator } from '../loss.js';
import type { GatedRnn, GatedRnnParams } from '../types.js';
import { gatedRnnOp } from './op.js';
import { assertGatedH0, assertGatedParams, assertGatedRnn } from './validate.js';

/** The parameters in the canonical order wIn, wRec, bIn, bRec, wOut, bOut. */
export function orderedGatedParams(p: GatedRnnParams): GatedRnnParams {
  return { wIn: p.wIn, wRec: p.wRec, bIn: p.bIn, bRec: p.bRec, wOut: p.wOut, bOut: p.bOut };
}

/** The loss graph of a gated cell (the activation argument is unused: the cell fixes it). */
export function gatedLossGraph(cell: 'gru' | 'lstm') {
  return (p: VarTree<GatedRnnParams>, batch: CheckedBatch, _act: unknown, kind: RnnLossKind, stats: LossStats | null): Var => {
    const states = gatedRnnOp(cell, batch.x, p, batch.h0);
    const [B, T, H] = states.shape;
    if (kind === 'cross-entropy') {
      const logits = ad.add(ad.matmul(ad.timeStep(states, T - 1), p.wOut, { transB: true }), p.bOut);
      if (stats !== null) countCorrect(logits, batch.labels!, stats);
      return ad.softmaxCrossEntropy(logits, batch.labels!);
    }
    const y = ad.add(ad.matmul(ad.reshape(states, [B * T, H]), p.wOut, { transB: true }), p.bOut);
    const t = batch.targets!;
    return ad.mse(y, { shape: [B * T, t.shape[2]], data: t.data });
  };
}

/** `rnnLoss` for a gated cell. @internal */
export function gatedRnnLoss(rnn: GatedRnn, batch: RnnBatch, opts: RnnLossOptions & { grads?: unknown }): { loss: number; grads: GatedRnnParams; accuracy?: number } {
  const s = assertGatedRnn(rnn, 'rnnLoss: rnn');
  const sizes = { I: s.I, H: s.H, O: s.O };
  const h0 = batch !== null && typeof batch === 'object' ? batch.h0 : undefined;
  const { kind, B } = checkBatch(h0 === undefined ? batch : { ...batch, h0: undefined }, sizes, opts.loss, 'rnnLoss: batch');
  if (h0 !== undefined) assertGatedH0(h0, B, s.H, rnn.cell, 'rnnLoss: batch.h0');
  let out: Tensor[] | undefined;
  if (opts.grads !== undefined) {
    const g = opts.grads as GatedRnnParams;
    const gs = assertGatedParams(g, rnn.cell, 'rnnLoss: opts.grads', false);
    if (gs.I !== s.I || gs.H !== s.H || gs.O !== s.O) {
      throw new RangeError(`rnnLoss: opts.grads must have the parameter shapes (wIn ${formatShape(rnn.params.wIn.shape)}, wOut ${formatShape(rnn.params.wOut.shape)}), got wIn ${formatShape(g.wIn.shape)}, wOut ${formatShape(g.wOut.shape)}`);
    }
    out = [g.wIn, g.wRec, g.bIn, g.bRec, g.wOut, g.bOut];
  }
  const checked: CheckedBatch = { x: batch.x };
  if (batch.labels !== undefined) checked.labels = batch.labels;
  if (batch.targets !== undefined) checked.targets = batch.targets;
  if (h0 !== undefined) checked.h0 = h0;
  const stats: LossStats = { correct: 0 };
  const { value, grads } = lossDifferentiator(rnn).call(orderedGatedParams(rnn.params), [checked, rnn.activation, kind, stats], out);
  const res: { loss: number; grads: GatedRnnParams; accuracy?: number } = {
    loss: value,
    grads: { wIn: grads[0], wRec: grads[1], bIn: grads[2], bRec: grads[3], wOut: grads[4], bOut: grads[5] },
  };
  if (kind === 'cross-entropy') res.accuracy = B > 0 ? stats.correct / B : 0;
  return res;
}
