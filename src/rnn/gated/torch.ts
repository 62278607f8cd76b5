/**
 * PyTorch state dicts of nn.GRU / nn.LSTM (single layer, unidirectional) + nn.Linear, one to one with
 * GatedRnnParams (called by fromTorchStateDict / toTorchStateDict when weight_hh_l0 has 3H or 4H rows).
 */
import { formatShape } from '../../core/errors.js';
import type { Tensor } from '../../core/tensor.js';
import type { GatedRnn } from '../types.js';
import { assertGatedParams } from './validate.js';

/**
 * Builds a GatedRnn from already-converted tensors. `wOut`/`bOut` may be null (a bare nn.GRU /
 * nn.LSTM state dict): the readout is then the identity on h (O = H, bOut = 0).
 */
export function gatedFromTorch(
  wIn: Tensor, wRec: Tensor, bIh: Tensor | null, bHh: Tensor | null, wOut: Tensor | null, bOut: Tensor | null, prefix: string,
): GatedRnn {
  const H = wRec.shape[1];
  const G = wRec.shape[0] / H;
  const cell = G === 4 ? 'lstm' : 'gru';
  const zeros = (n: number): Tensor => ({ shape: [n], data: new Float32Array(n) });
  let wo = wOut;
  if (wo === null) {
    wo = { shape: [H, H], data: new Float32Array(H * H) };
    for (let i = 0; i < H; i++) wo.data[i * H + i] = 1;
  }
  const O = wo.shape[0];
  const f32 = (t: Tensor): Tensor => ({ shape: [...t.shape], data: t.data instanceof Float32Array ? t.data : Float32Array.from(t.data) });
  const params = {
    wIn: f32(wIn), wRec: f32(wRec), bIn: bIh ? f32(bIh) : zeros(G * H), bRec: bHh ? f32(bHh) : zeros(G * H),
    wOut: f32(wo), bOut: bOut ? f32(bOut) : zeros(O),
  };
  for (const [k, t] of [['bias_ih_l0', params.bIn], ['bias_hh_l0', params.bRec]] as const) {
    if (t.shape.length !== 1 || t.shape[0] !== G * H) throw new RangeError(`fromTorchStateDict: '${prefix}${k}' must have shape [${G * H}] ([${G}·H], H = ${H}), got ${formatShape(t.shape)}`);
  }
  assertGatedParams(params, cell, `fromTorchStateDict: (${prefix}*) ${cell.toUpperCase()}`);
  return { cell, activation: 'tanh', params };
}
