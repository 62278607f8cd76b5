/**
 * Boundary checks shared by the RNN functions: parameter shapes and values, input batches, labels,
 * targets and initial states. Every message names the argument and gives expected and actual shapes.
 */
import { assertActivation } from '../autodiff/rnn-op.js';
import { assertTensor, formatShape } from '../core/errors.js';
import { readChoice } from '../core/options.js';
import type { Tensor } from '../core/tensor.js';
import type { AnyRnn, RecurrentRnn, Rnn, RnnParams } from './types.js';
import { assertGatedRnn, isGated } from './gated/validate.js';
import { assertFiniteAt } from './finite.js';

export { assertFiniteAt, unravel } from './finite.js';

/** Sizes of an RNN: inputs I, hidden units H, outputs O. */
export interface RnnSizes {
  I: number;
  H: number;
  O: number;
  /** False for a model without a readout (O = 0). */
  readout?: boolean;
}

const KEYS = ['wIn', 'wRec', 'b', 'wOut', 'bOut'] as const;
const RECURRENT = ['wIn', 'wRec', 'b'] as const;

/**
 * Checks the parameter shapes for consistency (and values for finiteness unless `finite` is false).
 * With `readout: 'optional'`, params without both wOut and bOut (a {@link RecurrentRnn}) are accepted
 * with O = 0 and `readout: false`; otherwise a missing readout is a TypeError saying what needs one.
 */
export function assertParams(p: unknown, name: string, finite = true, readout: 'required' | 'optional' = 'required'): RnnSizes {
  if (p === null || typeof p !== 'object') throw new TypeError(`${name}: expected RnnParams { wIn, wRec, b, wOut, bOut }, got ${p === null ? 'null' : typeof p}`);
  const params = p as Record<string, unknown>;
  const hasReadout = params.wOut !== undefined || params.bOut !== undefined;
  if (!hasReadout && readout === 'required') {
    throw new TypeError(`${name}: this model has no readout (wOut, bOut are absent), so it has no outputs to score; it runs in rnnForward, rnnSystem and the spectra, but a loss, accuracy or prediction needs wOut [O,H] and bOut [O]`);
  }
  for (const k of hasReadout ? KEYS : RECURRENT) assertTensor(params[k], `${name}.${k}`);
  const { wIn, wRec, b, wOut, bOut } = params as unknown as RnnParams;
  if (wRec.shape.length !== 2 || wRec.shape[0] !== wRec.shape[1]) {
    throw new RangeError(`${name}.wRec: expected shape [H,H], got ${formatShape(wRec.shape)}`);
  }
  const H = wRec.shape[0];
  if (wIn.shape.length !== 2 || wIn.shape[0] !== H) {
    throw new RangeError(`${name}.wIn: expected shape [${H},I] ([H,I], H = ${H} from wRec), got ${formatShape(wIn.shape)}`);
  }
  const I = wIn.shape[1];
  if (b.shape.length !== 1 || b.shape[0] !== H) throw new RangeError(`${name}.b: expected shape [${H}] ([H]), got ${formatShape(b.shape)}`);
  let O = 0;
  if (hasReadout) {
    if (wOut.shape.length !== 2 || wOut.shape[1] !== H) {
      throw new RangeError(`${name}.wOut: expected shape [O,${H}] ([O,H]), got ${formatShape(wOut.shape)}`);
    }
    O = wOut.shape[0];
    if (bOut.shape.length !== 1 || bOut.shape[0] !== O) throw new RangeError(`${name}.bOut: expected shape [${O}] ([O]), got ${formatShape(bOut.shape)}`);
  }
  if (finite) for (const k of hasReadout ? KEYS : RECURRENT) assertFiniteAt((params as unknown as RnnParams)[k], `${name}.${k}`);
  return { I, H, O, readout: hasReadout };
}

/**
 * Checks an Rnn `{ activation, params }` and returns its sizes. A model without a readout passes only
 * with `readout: 'optional'` (the forward pass); loss, accuracy and prediction leave the default.
 */
export function assertRnn(rnn: unknown, name: string, readout: 'required' | 'optional' = 'required'): RnnSizes {
  if (rnn === null || typeof rnn !== 'object') throw new TypeError(`${name}: expected an Rnn { activation, params }, got ${rnn === null ? 'null' : typeof rnn}`);
  if (isGated(rnn)) return { ...assertGatedRnn(rnn, name), readout: true };
  assertCell((rnn as AnyRnn).cell, name);
  assertActivation((rnn as Rnn).activation, `${name}.activation`);
  return assertParams((rnn as Rnn).params, `${name}.params`, true, readout);
}

const CELLS = ['rnn', 'gru', 'lstm'] as const;

/** Throws unless `cell` is undefined, 'rnn', 'gru' or 'lstm' (core's readChoice: TypeError for another kind, RangeError for another string). */
export function assertCell(cell: unknown, name: string): void {
  if (cell !== undefined) readChoice(cell, CELLS, undefined, `${name}.cell`, "'rnn', 'gru' or 'lstm'");
}

/** Checks an input batch `[B,T,I]` (finite, I matching) and returns [B, T]. */
export function assertInputs(x: unknown, s: RnnSizes, name: string, minT = 0): [number, number] {
  assertTensor(x, name);
  if (x.shape.length !== 3 || x.shape[2] !== s.I) {
    throw new RangeError(`${name}: expected shape [B,T,${s.I}] ([B,T,I] with I = inputSize ${s.I}, wIn is [${s.H},${s.I}]), got ${formatShape(x.shape)}`);
  }
  if (x.shape[1] < minT) throw new RangeError(`${name}: expected at least ${minT} time step(s), got shape ${formatShape(x.shape)}`);
  assertFiniteAt(x, name, '[b,t,i]');
  return [x.shape[0], x.shape[1]];
}

/** Checks an initial state: [B,H] or [H]. */
export function assertH0(h0: unknown, B: number, H: number, name: string): asserts h0 is Tensor {
  assertTensor(h0, name);
  const ok = (h0.shape.length === 2 && h0.shape[0] === B && h0.shape[1] === H) || (h0.shape.length === 1 && h0.shape[0] === H);
  if (!ok) throw new RangeError(`${name}: expected shape [${B},${H}] ([B,H]) or [${H}] ([H]), got ${formatShape(h0.shape)}`);
  assertFiniteAt(h0, name);
}

/** Checks targets [B,T,O]. */
export function assertTargets(t: unknown, B: number, T: number, O: number, name: string): asserts t is Tensor {
  assertTensor(t, name);
  const s = t.shape;
  if (s.length !== 3 || s[0] !== B || s[1] !== T || s[2] !== O) {
    throw new RangeError(`${name}: expected shape [${B},${T},${O}] ([B,T,O] with O = outputSize ${O}), got ${formatShape(s)}`);
  }
  assertFiniteAt(t, name, '[b,t,o]');
}

/** Which loss a batch gets: the explicit option, else cross-entropy with labels and mse with targets. */
export function resolveLoss(
  loss: unknown, hasLabels: boolean, hasTargets: boolean, name: string,
): 'cross-entropy' | 'mse' {
  if (loss === undefined) {
    if (hasLabels) return 'cross-entropy';
    if (hasTargets) return 'mse';
    throw new TypeError(`${name}: expected 'labels' (for cross-entropy) or 'targets' (for mse), got neither`);
  }
  if (loss !== 'cross-entropy' && loss !== 'mse') throw new (typeof loss === 'string' ? RangeError : TypeError)(`${name}: loss must be 'cross-entropy' or 'mse', got '${String(loss)}'`);
  if (loss === 'cross-entropy' && !hasLabels) throw new TypeError(`${name}: loss 'cross-entropy' needs 'labels' (Int32Array or number[], one per sequence)`);
  if (loss === 'mse' && !hasTargets) throw new TypeError(`${name}: loss 'mse' needs 'targets' (a Tensor [B,T,O])`);
  return loss;
}
