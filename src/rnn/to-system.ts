/**
 * The one adapter between models and analyses: every function that takes `systemOrRnn`
 * (`lyapunovSpectrum`, `covariantLyapunovVectors`, `findFixedPoints`, `detectLimitCycle`, …) resolves
 * its argument here, so a DynamicalSystem passes through checked, and an RNN of any cell (vanilla,
 * GRU, LSTM) is adapted by `rnnSystem` with the same rules and with errors naming the caller.
 * Imports core and the RNN's own adapters only: lyapunov and geometry may import it.
 */
import { assertInteger, formatShape } from '../core/errors.js';
import { toTensor, type TensorInput } from '../core/input.js';
import { checkView, forEachRow } from '../core/ndarray-view.js';
import { kindOf } from '../core/options.js';
import { isDynamicalSystem, type DynamicalSystem } from '../core/system.js';
import type { Tensor } from '../core/tensor.js';
import { checkRnnForSystem, rnnSystemFor, type RnnSystem } from './system.js';
import type { AnyRnn } from './types.js';

export { checkRnnForSystem } from './system.js';

/**
 * A constant input for an Rnn: a Float64Array, Float32Array or number array of length I, or `[I]` or
 * `[1,I]` in any {@link TensorInput} form (a Tensor, `{ shape, data }`, an ndarray view, nested rows).
 */
export type ConstantInput = Tensor | Float64Array | Float32Array | readonly number[] | TensorInput;

/** What an RNN needs besides its parameters to become a map (a DynamicalSystem needs neither). */
export interface ToSystemOptions {
  /** One input sequence `[1,T,I]` or `[T,I]` (any {@link TensorInput} form): step t reads x_t. */
  inputs?: unknown;
  /** A constant input (autonomous map); zeros when omitted. */
  input?: unknown;
}

/**
 * True when `v` is shaped like an Rnn (an object with a `params` object). The full check of the
 * cell, activation and parameter shapes is {@link checkRnnForSystem}'s, so a malformed Rnn gets a
 * message about the field that is wrong, not "expected a DynamicalSystem or an Rnn". @internal
 */
export function isRnnLike(v: unknown): v is AnyRnn {
  if (v === null || typeof v !== 'object') return false;
  const p = (v as { params?: unknown }).params;
  return p !== null && typeof p === 'object';
}

/**
 * Reads a constant input of length `I` as a Float64Array (`name` names the argument): a flat
 * Float64Array, Float32Array or number[], or a shaped `[I]` or `[1,I]` in any form core's toTensor
 * takes (a Tensor, `{ shape, data }` with any numeric data, an ndarray view through its strides,
 * nested rows). Float64 values (Float64Array or number[] data, a float64 view, nested numbers) stay
 * float64. @internal
 */
export function readConstantInput(input: unknown, I: number, name: string): Float64Array {
  let data: ArrayLike<number>;
  if (input instanceof Float64Array || input instanceof Float32Array || (Array.isArray(input) && !isRow(input[0]))) {
    data = input as ArrayLike<number>;
  } else if (input !== null && typeof input === 'object') {
    data = shapedConstant(input, I, name);
  } else {
    throw new TypeError(`${name}: expected a Tensor [I], a Float64Array or a number array, got ${kindOf(input)}`);
  }
  if (data.length !== I) throw new RangeError(`${name}: expected a constant input of length ${I}, got ${data.length}`);
  const out = new Float64Array(I);
  for (let i = 0; i < I; i++) {
    const v = data[i];
    if (typeof v !== 'number') throw new TypeError(`${name}: expected numbers, found ${kindOf(v)} at index ${i}`);
    if (!Number.isFinite(v)) throw new RangeError(`${name}: expected finite values, found ${v} at index ${i}`);
    out[i] = v;
  }
  return out;
}

/** An array or typed array (a row of nested input). */
function isRow(v: unknown): boolean {
  return Array.isArray(v) || ArrayBuffer.isView(v);
}

/**
 * A shaped constant input `[I]` or `[1,I]`, checked by core's toTensor (each property read once; a
 * view keeps its strides), its values exact: float64 ones are not rounded through toTensor's float32.
 */
function shapedConstant(input: object, I: number, name: string): ArrayLike<number> {
  const rows = Array.isArray(input) ? (input as unknown[]) : undefined;
  const plain = rows === undefined && !ArrayBuffer.isView(input); // { shape, data } or a view (a typed array is read whole)
  const o = input as { shape?: unknown; data?: unknown; stride?: unknown; offset?: unknown };
  const data = plain ? o.data : undefined;
  const stride = plain ? o.stride : undefined;
  const snap = !plain ? input : stride === undefined ? { shape: o.shape, data } : { shape: o.shape, data, stride, offset: o.offset };
  const t = toTensor(snap, name);
  const s = t.shape;
  const ok = (s.length === 1 && s[0] === I) || (s.length === 2 && s[0] === 1 && s[1] === I);
  if (!ok) throw new RangeError(`${name}: expected a constant input of shape [${I}] or [1,${I}], got ${formatShape(s)}`);
  if (rows !== undefined) return rows[0] as ArrayLike<number>; // [[u_1 … u_I]]: the one row as given
  if (!plain) return t.data; // another typed array (Int8Array …): as toTensor reads it
  if (stride !== undefined) {
    if (!(data instanceof Float64Array || Array.isArray(data))) return t.data; // float32 (or integer) data: as toTensor reads it
    const v = checkView(snap, name); // valid: toTensor read it
    const out = new Float64Array(I);
    forEachRow(v, (base, count, step, pos) => {
      for (let i = 0, p = base; i < count; i++, p += step) out[pos + i] = (data as ArrayLike<number>)[p];
    });
    return out;
  }
  return data instanceof Float64Array || Array.isArray(data) ? (data as ArrayLike<number>) : t.data;
}

/**
 * Resolves `systemOrRnn` for the analysis `name`: a {@link DynamicalSystem} is returned as it is
 * (its `dim` checked; `inputs`/`input` refused, the system defines its own map), an Rnn of any cell
 * is checked and adapted by `rnnSystem`, driven by one sequence `inputs` or autonomous under the
 * constant `input` (zeros by default). Anything else is a TypeError naming `name`. @internal
 *
 * @example
 * ```ts no-run
 * const sys = toDynamicalSystem(rnn, { input: [0.5] }, 'findFixedPoints');
 * ```
 */
export function toDynamicalSystem(systemOrRnn: unknown, opts: ToSystemOptions, name: string): DynamicalSystem | RnnSystem {
  const { inputs, input } = opts;
  if (isDynamicalSystem(systemOrRnn)) {
    if (inputs !== undefined || input !== undefined) {
      throw new TypeError(`${name}: ${inputs !== undefined ? 'inputs' : 'input'} applies to an Rnn only; a DynamicalSystem defines its own map`);
    }
    assertInteger(systemOrRnn.dim, `${name}: system.dim`, 1);
    return systemOrRnn;
  }
  if (isRnnLike(systemOrRnn)) {
    const [, I] = checkRnnForSystem(systemOrRnn, name);
    if (inputs !== undefined && input !== undefined) {
      throw new RangeError(`${name}: give either inputs (a sequence) or input (a constant), not both`);
    }
    if (inputs !== undefined) return rnnSystemFor(systemOrRnn, { inputs: inputs as TensorInput }, name);
    const u = input === undefined ? undefined : readConstantInput(input, I, `${name}: input`);
    return rnnSystemFor(systemOrRnn, u === undefined ? {} : { input: u }, name);
  }
  throw new TypeError(
    `${name}: systemOrRnn must be a DynamicalSystem { dim, step, jacobian } or an Rnn { activation, params }, got ${systemOrRnn === null ? 'null' : typeof systemOrRnn}`,
  );
}
