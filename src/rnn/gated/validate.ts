/**
 * Boundary checks of the gated cells: the parameter shapes of a GRU (G = 3) or an LSTM (G = 4),
 * finite values, and initial states ([h] or, for an LSTM, [h; c]).
 */
import { assertTensor, formatShape } from '../../core/errors.js';
import type { Tensor } from '../../core/tensor.js';
import type { GatedRnn, GatedRnnParams } from '../types.js';
import { assertFiniteAt } from '../finite.js';

/** Sizes of a gated RNN. */
export interface GatedSizes {
  I: number;
  H: number;
  O: number;
  /** Number of gates: 3 (GRU) or 4 (LSTM). */
  G: number;
}

/** True when `rnn` declares a gated cell ('gru' or 'lstm'). */
export function isGated(rnn: unknown): rnn is GatedRnn {
  if (rnn === null || typeof rnn !== 'object') return false;
  const c = (rnn as { cell?: unknown }).cell;
  return c === 'gru' || c === 'lstm';
}

/** Number of gates of a cell. */
export function gatesOf(cell: 'gru' | 'lstm'): number {
  return cell === 'lstm' ? 4 : 3;
}

const KEYS = ['wIn', 'wRec', 'bIn', 'bRec', 'wOut', 'bOut'] as const;

/** Checks the parameters of a gated cell; returns the sizes. */
export function assertGatedParams(p: unknown, cell: 'gru' | 'lstm', name: string, finite = true): GatedSizes {
  if (p === null || typeof p !== 'object') {
    throw new TypeError(`${name}: expected GatedRnnParams { wIn, wRec, bIn, bRec, wOut, bOut }, got ${p === null ? 'null' : typeof p}`);
  }
  const params = p as Record<string, unknown>;
  for (const k of KEYS) assertTensor(params[k], `${name}.${k}`);
  const { wIn, wRec, bIn, bRec, wOut, bOut } = params as unknown as GatedRnnParams;
  const G = gatesOf(cell);
  const gn = cell === 'lstm' ? '4 (LSTM gates i, f, g, o)' : '3 (GRU gates r, z, n)';
  if (wRec.shape.length !== 2 || wRec.shape[0] !== G * wRec.shape[1] || wRec.shape[1] < 1) {
    throw new RangeError(`${name}.wRec: expected shape [G·H,H] with G = ${gn}, got ${formatShape(wRec.shape)}`);
  }
  const H = wRec.shape[1];
  if (wIn.shape.length !== 2 || wIn.shape[0] !== G * H) {
    throw new RangeError(`${name}.wIn: expected shape [${G * H},I] ([G·H,I], H = ${H} from wRec), got ${formatShape(wIn.shape)}`);
  }
  const I = wIn.shape[1];
  for (const [k, t] of [['bIn', bIn], ['bRec', bRec]] as const) {
    if (t.shape.length !== 1 || t.shape[0] !== G * H) throw new RangeError(`${name}.${k}: expected shape [${G * H}] ([G·H]), got ${formatShape(t.shape)}`);
  }
  if (wOut.shape.length !== 2 || wOut.shape[1] !== H) {
    throw new RangeError(`${name}.wOut: expected shape [O,${H}] ([O,H]), got ${formatShape(wOut.shape)}`);
  }
  const O = wOut.shape[0];
  if (bOut.shape.length !== 1 || bOut.shape[0] !== O) throw new RangeError(`${name}.bOut: expected shape [${O}] ([O]), got ${formatShape(bOut.shape)}`);
  if (finite) for (const k of KEYS) assertFiniteAt((params as unknown as GatedRnnParams)[k], `${name}.${k}`);
  return { I, H, O, G };
}

/** Checks a GatedRnn `{ cell, activation: 'tanh', params }`; returns its sizes. */
export function assertGatedRnn(rnn: GatedRnn, name: string): GatedSizes {
  if (rnn.activation !== 'tanh') {
    throw new RangeError(`${name}.activation: a ${rnn.cell.toUpperCase()} uses 'tanh' (PyTorch's cell), got '${String(rnn.activation)}'`);
  }
  return assertGatedParams(rnn.params, rnn.cell, `${name}.params`);
}

/**
 * Checks an initial state of a gated cell: `[B,H]` or `[H]` (h; an LSTM's c starts at 0), or for an
 * LSTM `[B,2H]` or `[2H]` (the full state [h; c]).
 */
export function assertGatedH0(h0: unknown, B: number, H: number, cell: 'gru' | 'lstm', name: string): asserts h0 is Tensor {
  assertTensor(h0, name);
  const s = h0.shape;
  const last = s[s.length - 1];
  const widthOk = last === H || (cell === 'lstm' && last === 2 * H);
  const ok = widthOk && ((s.length === 2 && s[0] === B) || s.length === 1);
  if (!ok) {
    const want = cell === 'lstm' ? `[${B},${H}] or [${H}] (h), or [${B},${2 * H}] or [${2 * H}] ([h; c])` : `[${B},${H}] ([B,H]) or [${H}] ([H])`;
    throw new RangeError(`${name}: expected shape ${want}, got ${formatShape(s)}`);
  }
  assertFiniteAt(h0, name);
}

/** Writes the initial h (and c) of every sequence into hs[0:BH] (and cs[0:BH]) from a checked h0. */
export function fillInitialState(B: number, H: number, h0: Tensor | undefined, hs: Float32Array | Float64Array, cs: Float32Array | Float64Array | null): void {
  const BH = B * H;
  hs.fill(0, 0, BH);
  if (cs !== null) cs.fill(0, 0, BH);
  if (h0 === undefined) return;
  const w = h0.shape[h0.shape.length - 1];
  const shared = h0.shape.length === 1;
  for (let bb = 0; bb < B; bb++) {
    const o = shared ? 0 : bb * w;
    for (let j = 0; j < H; j++) hs[bb * H + j] = h0.data[o + j];
    if (cs !== null && w === 2 * H) for (let j = 0; j < H; j++) cs[bb * H + j] = h0.data[o + H + j];
  }
}
