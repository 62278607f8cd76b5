/**
 * Accepts either a {@link DynamicalSystem} or an Rnn (adapted with a constant input) for the
 * fixed-point finder and the limit-cycle detector.
 */
import { isDynamicalSystem, type DynamicalSystem } from '../core/system.js';
import type { Tensor } from '../core/tensor.js';
import { checkRnnForSystem, rnnSystem } from '../rnn/system.js';
import type { AnyRnn as Rnn } from '../rnn/types.js';

/** A constant input for an Rnn: a Tensor `[I]` or `[1,I]`, a typed array or a number array of length I. */
export type ConstantInput = Tensor | Float64Array | Float32Array | readonly number[];

function isRnnLike(v: unknown): v is Rnn {
  return v !== null && typeof v === 'object' && 'params' in v && 'activation' in v;
}

/** Reads a constant input of length `I` as a Float64Array. */
export function readConstantInput(input: ConstantInput, I: number, name: string): Float64Array {
  let data: ArrayLike<number>;
  if (input instanceof Float64Array || input instanceof Float32Array || Array.isArray(input)) {
    data = input as ArrayLike<number>;
  } else if (input !== null && typeof input === 'object' && 'data' in input && 'shape' in input) {
    const t = input as Tensor;
    const ok = (t.shape.length === 1 && t.shape[0] === I) || (t.shape.length === 2 && t.shape[0] === 1 && t.shape[1] === I);
    if (!ok) throw new RangeError(`${name}: expected a constant input of shape [${I}] or [1,${I}], got [${t.shape.join(',')}]`);
    data = t.data;
  } else {
    throw new TypeError(`${name}: expected a Tensor [I], a Float64Array or a number array, got ${input === null ? 'null' : typeof input}`);
  }
  if (data.length !== I) throw new RangeError(`${name}: expected a constant input of length ${I}, got ${data.length}`);
  const out = Float64Array.from(data);
  for (let i = 0; i < I; i++) {
    if (!Number.isFinite(out[i]!)) throw new RangeError(`${name}: expected finite values, found ${out[i]} at index ${i}`);
  }
  return out;
}

/**
 * Returns the system to analyse. An Rnn is adapted with `rnnSystem` as the autonomous map
 * h ← φ(wRec·h + wIn·u + b) with the constant input `u` (zeros when omitted).
 */
export function resolveSystem(systemOrRnn: unknown, input: ConstantInput | undefined, name: string): DynamicalSystem {
  if (isDynamicalSystem(systemOrRnn)) {
    if (input !== undefined) {
      throw new TypeError(`${name}: 'input' applies to an Rnn; a DynamicalSystem already defines its map`);
    }
    if (!Number.isInteger(systemOrRnn.dim) || systemOrRnn.dim < 1) {
      throw new RangeError(`${name}: system.dim must be a positive integer, got ${systemOrRnn.dim}`);
    }
    return systemOrRnn;
  }
  if (isRnnLike(systemOrRnn)) {
    const [, I] = checkRnnForSystem(systemOrRnn, name);
    const u = input === undefined ? undefined : readConstantInput(input, I, `${name}: input`);
    return rnnSystem(systemOrRnn, u === undefined ? {} : { input: u });
  }
  throw new TypeError(`${name}: systemOrRnn must be a DynamicalSystem { dim, step, jacobian } or an Rnn { activation, params }, got ${systemOrRnn === null ? 'null' : typeof systemOrRnn}`);
}

