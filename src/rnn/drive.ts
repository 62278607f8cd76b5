/**
 * The input side of the RNN adapters (vanilla and gated): one sequence `inputs` or one constant
 * `input`, read once from own properties and checked the same way for every cell. @internal
 */
import { firstNonFinite, formatShape } from '../core/errors.js';
import { toTensor } from '../core/input.js';

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
  return { seq: undefined, length: undefined, constant: input === undefined ? new Float64Array(ni) : readConstant(input, ni, name) };
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

function readConstant(input: unknown, ni: number, name: string): Float64Array {
  if (!(input instanceof Float64Array || input instanceof Float32Array || Array.isArray(input))) {
    throw new TypeError(`${name}: input must be a Float64Array or number[] of length I = ${ni}`);
  }
  const c = Float64Array.from(input as ArrayLike<number>); // read once
  if (c.length !== ni) throw new RangeError(`${name}: input must have length I = ${ni}, got ${c.length}`);
  const bad = firstNonFinite(c);
  if (bad >= 0) throw new RangeError(`${name}: input has ${c[bad]} at index ${bad}`);
  return c;
}
