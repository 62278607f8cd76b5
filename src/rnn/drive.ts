/**
 * The input side of the RNN adapters (vanilla and gated): one sequence `inputs` or one constant
 * `input`, read once from own properties and checked the same way for every cell. @internal
 */
import { firstNonFinite, formatShape } from '../core/errors.js';
import { toTensor, type TensorInput } from '../core/input.js';
import { checkView, forEachRow } from '../core/ndarray-view.js';
import { kindOf } from '../core/options.js';
import type { Tensor } from '../core/tensor.js';

/**
 * A constant input for an Rnn: a Float64Array, Float32Array or number array of length I, or `[I]` or
 * `[1,I]` in any {@link TensorInput} form (a Tensor, `{ shape, data }`, an ndarray view, nested rows).
 */
export type ConstantInput = Tensor | Float64Array | Float32Array | readonly number[] | TensorInput;

/** The drive of an adapted RNN: a sequence (`seq`, `length` steps of I values) or a constant input. */
export interface Drive {
  /** The sequence, flat T×I; undefined for an autonomous system. */
  readonly seq: Float32Array | undefined;
  /** Number of steps T of the sequence; undefined for an autonomous system. */
  readonly length: number | undefined;
  /** The constant input (zeros unless given); unused with a sequence. */
  readonly constant: Float64Array;
}

/**
 * Reads `opts.inputs` ([1,T,I] or [T,I]) or `opts.input` (length I) for an RNN of input width `ni`;
 * `opts` undefined or null means neither (the library's options rule, as in `readOwnOptions`), and
 * any other non-object is a TypeError naming `opts`. @internal
 */
export function readDrive(opts: unknown, ni: number, name: string): Drive {
  if (opts !== null && opts !== undefined && (typeof opts !== 'object' || Array.isArray(opts))) {
    throw new TypeError(`${name}: opts must be an object of options, got ${Array.isArray(opts) ? 'an array' : typeof opts}`);
  }
  // own properties only, each read once
  const own = (key: 'inputs' | 'input'): unknown =>
    opts !== null && opts !== undefined && Object.prototype.hasOwnProperty.call(opts, key) ? (opts as Record<string, unknown>)[key] : undefined;
  const inputs = own('inputs');
  const input = own('input');
  if (inputs !== undefined && input !== undefined) {
    throw new RangeError(`${name}: give either inputs (a sequence) or input (a constant), not both`);
  }
  if (inputs !== undefined) {
    const { seq, length } = readSequence(inputs, ni, name);
    return { seq, length, constant: new Float64Array(ni) };
  }
  return { seq: undefined, length: undefined, constant: input === undefined ? new Float64Array(ni) : readConstantInput(input, ni, `${name}: input`) };
}

function readSequence(inputs: unknown, ni: number, name: string): { seq: Float32Array; length: number } {
  if (inputs === null || typeof inputs !== 'object') throw new TypeError(`${name}: inputs must be a Tensor [1,T,I] or [T,I], got ${inputs === null ? 'null' : typeof inputs}`);
  // read as core's toTensor reads it (lyapunovSpectrum's inputs likewise): any TensorInput form, an
  // ndarray view through its strides (its buffer alone was read in storage order), float64 → float32
  const x = toTensor(inputs, `${name}: inputs`);
  const s = x.shape.slice();
  const ok = (s.length === 3 && s[0] === 1) || s.length === 2;
  if (!ok || s[s.length - 1] !== ni) {
    throw new RangeError(`${name}: inputs must be [1,T,I] or [T,I] with I = ${ni} (the RNN's input size), got ${formatShape(s)}`);
  }
  const length = s[s.length - 2];
  if (length < 1) throw new RangeError(`${name}: inputs must hold at least one time step, got ${formatShape(s)}`);
  const bad = firstNonFinite(x.data);
  if (bad >= 0) throw new RangeError(`${name}: inputs has ${x.data[bad]} at flat index ${bad}`);
  return { seq: x.data, length };
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
