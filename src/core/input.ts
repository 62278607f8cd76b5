/**
 * The one input normaliser of the library: every public entry point that takes data (a batch of
 * sequences, an initial state, a matrix) turns what the user has into a validated Tensor here, so
 * every folder accepts the same forms and reports a bad one in the same words.
 */
import { checkTypedAllocation } from './alloc.js';
import { assertFinite, formatShape, readTensor } from './errors.js';
import { flattenInto, inferShape } from './nested.js';
import { beyondFloat32Error, toFloat32Checked } from './float32-range.js';
import { ndarrayToTensor } from './ndarray-view.js';
import { checkOptionKeys, kindOf, readOptions } from './options.js';
import { TO_TENSOR_KEYS } from './option-keys.js';
import type { NestedArray, Tensor } from './tensor.js';

/**
 * What {@link toTensor} accepts: a Tensor, `{ shape, data }` with any numeric typed array or a
 * `number[]` as data, an ndarray-style view `{ data, shape, stride, offset }`, nested arrays of
 * numbers (or an array of typed-array rows), or a flat typed array / `number[]` (rank 1).
 */
export type TensorInput =
  | Tensor
  | { readonly shape: readonly number[]; readonly data: ArrayLike<number> }
  | { readonly data: ArrayLike<number>; readonly shape: readonly number[]; readonly stride: readonly number[]; readonly offset: number }
  | NestedArray
  | ArrayLike<number>
  | readonly ArrayLike<number>[];

/** Options of {@link toTensor}. */
export interface ToTensorOptions {
  /** Accepted ranks (one or several); any rank when omitted. */
  rank?: number | readonly number[];
  /** What the dimensions mean, for messages (e.g. '[B,T,I]'). */
  dims?: string;
  /** Refuse NaN and ±Infinity (RangeError naming the first one); default false. */
  finite?: boolean;
}

const NUMERIC_VIEWS = [Float32Array, Float64Array, Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array];

function isNumericTypedArray(v: unknown): v is ArrayLike<number> {
  return NUMERIC_VIEWS.some((C) => v instanceof C);
}

/**
 * Validates `value` and returns it as a Tensor, with every message naming `name` (the caller and the
 * argument, e.g. `'rnnForward: x'`): TypeError for a wrong kind (a number, a string, null, a BigInt
 * array, a non-number entry), RangeError for a bad shape (negative or fractional dimensions, data of
 * the wrong length, ragged nested arrays, a rank not in `rank`) or, with `finite`, NaN/±Infinity.
 * A Tensor with Float32Array data is returned without copying (as a snapshot whose shape is a
 * private copy, so a getter that changes later cannot feed other values); every other form is
 * copied into float32, where a finite value beyond float32's range (e.g. 1e39) is a RangeError naming
 * its index rather than a silent Infinity (NaN and ±Infinity given as such are kept, and refused
 * with `finite`).
 *
 * @example
 * ```ts
 * toTensor([[1, 2], [3, 4]], 'myFn: x');                                   // shape [2,2]
 * toTensor({ shape: [2, 3], data: new Float64Array(6) }, 'myFn: x');        // float64 → float32
 * toTensor({ shape: [1, 784], data: new Uint8Array(784) }, 'myFn: x');      // readIdx output
 * toTensor(x, 'myFn: x', { rank: 3, dims: '[B,T,I]', finite: true });      // a checked batch
 * ```
 */
export function toTensor(value: unknown, name: string, options: ToTensorOptions = {}): Tensor {
  const opts = readOptions(options, 'toTensor');
  checkOptionKeys(opts, TO_TENSOR_KEYS, 'toTensor');
  const t = convert(value, name);
  if (opts.rank !== undefined) {
    const ranks: readonly number[] = typeof opts.rank === 'number' ? [opts.rank] : opts.rank;
    if (!ranks.includes(t.shape.length)) {
      const want = ranks.map((r) => `rank ${r}`).join(' or ');
      throw new RangeError(`${name}: expected ${want}${opts.dims ? ` ${opts.dims}` : ''}, got shape ${formatShape(t.shape)}`);
    }
  }
  if (opts.finite) assertFinite(t.data, name);
  return t;
}

function convert(value: unknown, name: string): Tensor {
  if (value === null || typeof value !== 'object') {
    throw new TypeError(`${name}: expected a Tensor { shape, data }, nested arrays of numbers or a typed array, got ${kindOf(value)}`);
  }
  if (Array.isArray(value)) {
    const first = value[0] as unknown;
    if (value.length > 0 && ArrayBuffer.isView(first)) return rowsToTensor(value, name);
    const shape = inferShape(value as NestedArray, name);
    let size = 1;
    for (const d of shape) size *= d;
    checkTypedAllocation(size, 4, name, `a tensor of shape ${formatShape(shape)}`);
    const data = new Float32Array(size);
    flattenInto(value as NestedArray, shape, 0, data, 0, name, '');
    return { shape, data };
  }
  if (ArrayBuffer.isView(value)) {
    if (!isNumericTypedArray(value)) throw new TypeError(`${name}: expected a numeric typed array, got ${kindOf(value)}`);
    return { shape: [value.length], data: toFloat32Checked(value, name) };
  }
  // each property read once (a getter read twice could pass the checks with one value and feed another)
  const o = value as { shape?: unknown; data?: unknown; stride?: unknown; offset?: unknown };
  const data = o.data;
  const rawShape = o.shape;
  const stride = o.stride;
  // a strided view first: its Float32Array data may be transposed or stepped
  if (stride !== undefined) return ndarrayToTensor({ data, shape: rawShape, stride, offset: o.offset }, name);
  if (data instanceof Float32Array) return readTensor({ shape: rawShape, data }, name);
  if (!Array.isArray(rawShape)) throw new TypeError(`${name}: expected a Tensor with an array 'shape', got ${kindOf(rawShape)}`);
  if (!isNumericTypedArray(data) && !Array.isArray(data)) {
    throw new TypeError(`${name}: expected 'data' to be a numeric typed array or a number[], got ${kindOf(data)}`);
  }
  const shape = rawShape.slice() as unknown[];
  let size = 1;
  for (const d of shape) {
    if (typeof d !== 'number') throw new TypeError(`${name}: shape entries must be numbers, got ${kindOf(d)} in ${formatShape(shape as number[])}`);
    if (!Number.isInteger(d) || d < 0) throw new RangeError(`${name}: shape ${formatShape(shape as number[])} must hold non-negative integers`);
    size *= d;
  }
  const src = data as ArrayLike<number>;
  const n = src.length;
  if (size !== n) throw new RangeError(`${name}: shape ${formatShape(shape as number[])} holds ${size} elements but data has length ${n}`);
  if (src instanceof Float64Array) return { shape: shape as number[], data: toFloat32Checked(src, `${name}: data`) };
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const v = src[i];
    if (typeof v !== 'number') throw new TypeError(`${name}: data[${i}] must be a number, got ${kindOf(v)}`);
    out[i] = v;
    if (!Number.isFinite(out[i]) && Number.isFinite(v)) throw beyondFloat32Error(`${name}: data[${i}]`, v);
  }
  return { shape: shape as number[], data: out };
}

/** An array of typed-array rows as a [n, d] tensor (ragged rows are a RangeError). */
function rowsToTensor(rows: readonly unknown[], name: string): Tensor {
  const n = rows.length;
  const d = (rows[0] as ArrayLike<number>).length;
  checkTypedAllocation(n * d, 4, name, `a tensor of shape [${n},${d}]`);
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    if (!isNumericTypedArray(r) && !Array.isArray(r)) throw new TypeError(`${name}[${i}]: expected a row of numbers, got ${kindOf(r)}`);
    if (r.length !== d) throw new RangeError(`${name}[${i}]: ragged rows, expected length ${d}, got ${r.length}`);
    for (let j = 0; j < d; j++) {
      const v = r[j];
      if (typeof v !== 'number') throw new TypeError(`${name}[${i}][${j}]: expected a number, got ${kindOf(v)}`);
      out[i * d + j] = v;
      if (!Number.isFinite(out[i * d + j]) && Number.isFinite(v)) throw beyondFloat32Error(`${name}[${i}][${j}]`, v);
    }
  }
  return { shape: [n, d], data: out };
}
