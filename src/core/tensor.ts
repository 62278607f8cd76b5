/**
 * The library's array type: a row-major, contiguous Float32Array with a shape, as plain data.
 */
import { assertFinite, assertTensor, formatShape } from './errors.js';
import { assertDims, product, resolveShape } from './dims.js';
import { checkHeapAllocation, checkTypedAllocation } from './alloc.js';
import { checkOptionKeys, kindOf, readOptions, type KnownOptions } from './options.js';
import { RANDN_KEYS, RANDU_KEYS } from './option-keys.js';
import { flattenInto, inferShape } from './nested.js';
import { gaussian, resolveRng } from './rng.js';
import { beyondFloat32Error, float32AtLeast, float32InRange, toFloat32Checked } from './float32-range.js';

/** A row-major contiguous array of float32 values. */
export interface Tensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** Nested arrays of numbers of any depth. */
export type NestedArray = number | readonly NestedArray[];

/**
 * Product of the dimensions.
 *
 * @example
 * ```ts
 * sizeOf([2, 3, 4]) // 24
 * ```
 */
export function sizeOf(shape: readonly number[]): number {
  assertDims(shape, 'sizeOf: shape');
  return product(shape);
}


/**
 * Validates a shape argument and returns a private copy (each entry read once): TypeError for a
 * wrong kind, RangeError for a non-integer or negative dimension or a size that cannot be allocated.
 */
function checkShape(shape: unknown, name: string, bytesPerElement = 4): number[] {
  if (!Array.isArray(shape)) throw new TypeError(`${name}: expected an array of dimensions, got ${kindOf(shape)}`);
  const s = shape.slice() as unknown[];
  let size = 1;
  for (const d of s) {
    if (typeof d !== 'number') throw new TypeError(`${name}: dimensions must be numbers, got ${kindOf(d)} in [${s.map(String).join(',')}]`);
    if (!Number.isInteger(d) || d < 0) {
      throw new RangeError(`${name}: dimensions must be non-negative integers, got ${formatShape(s as number[])}`);
    }
    size *= d;
  }
  checkTypedAllocation(size, bytesPerElement, name, `a tensor of shape ${formatShape(s as number[])}`);
  return s as number[];
}

/**
 * Creates a tensor from nested arrays (shape inferred, ragged input rejected) or from a flat array or
 * typed array with an explicit shape. The data are copied into float32: a finite value beyond
 * float32's range (|x| ≥ 2^128 − 2^103 ≈ 3.4028235e38, e.g. 1e39) is a RangeError naming its index,
 * not a silent Infinity; NaN and ±Infinity given as such are stored as given.
 *
 * @example
 * ```ts
 * const a = tensor([[1, 2], [3, 4]]);            // shape [2,2]
 * const b = tensor(new Float64Array(6), [2, 3]); // shape [2,3]
 * ```
 */
export function tensor(values: NestedArray | ArrayLike<number>, shape?: readonly number[]): Tensor {
  if (shape !== undefined) {
    shape = checkShape(shape, 'tensor: shape');
    const n = sizeOf(shape);
    let flat: ArrayLike<number>;
    if (Array.isArray(values) && values.some((v) => Array.isArray(v))) {
      const inferred = inferShape(values as NestedArray, 'tensor: values');
      const tmp = new Float32Array(sizeOf(inferred));
      flattenInto(values as NestedArray, inferred, 0, tmp, 0, 'tensor: values', '');
      flat = tmp;
    } else if (typeof values === 'number') {
      flat = [values];
    } else {
      flat = values as ArrayLike<number>;
    }
    if (flat.length !== n) {
      throw new RangeError(`tensor: shape ${formatShape(shape)} needs ${n} values, got ${flat.length}`);
    }
    // a Float64Array holds only numbers: the checked copy, whose common case is one cheap pass
    if (flat instanceof Float64Array) return { shape: [...shape], data: toFloat32Checked(flat, 'tensor: values') };
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const v = flat[i];
      if (typeof v !== 'number') throw new TypeError(`tensor: values[${i}] must be a number, got ${typeof v}`);
      data[i] = v;
      if (!Number.isFinite(data[i]) && Number.isFinite(v)) throw beyondFloat32Error(`tensor: values[${i}]`, v);
    }
    return { shape: [...shape], data };
  }
  if (ArrayBuffer.isView(values)) {
    const arr = values as unknown as ArrayLike<number>;
    return { shape: [arr.length], data: toFloat32Checked(arr, 'tensor: values') };
  }
  const inferred = inferShape(values as NestedArray, 'tensor: values');
  const data = new Float32Array(sizeOf(inferred));
  flattenInto(values as NestedArray, inferred, 0, data, 0, 'tensor: values', '');
  return { shape: inferred, data };
}

/** A tensor of zeros. @example `zeros([2, 3])` */
export function zeros(shape: readonly number[]): Tensor {
  const s = checkShape(shape, 'zeros: shape');
  return { shape: s, data: new Float32Array(sizeOf(s)) };
}

/** A tensor of ones. @example `ones([3])` */
export function ones(shape: readonly number[]): Tensor {
  const s = checkShape(shape, 'ones: shape');
  return { shape: s, data: new Float32Array(sizeOf(s)).fill(1) };
}

/** A tensor filled with `value` (a finite number within float32's range). @example `full([2, 2], 0.5)` */
export function full(shape: readonly number[], value: number): Tensor {
  const s = checkShape(shape, 'full: shape');
  checkFiniteNumber(value, 'full: value');
  if (!Number.isFinite(Math.fround(value))) throw beyondFloat32Error('full: value', value);
  return { shape: s, data: new Float32Array(sizeOf(s)).fill(value) };
}

/** The n×m identity (m defaults to n). @example `eye(3)` */
export function eye(n: number, m: number = n): Tensor {
  for (const [v, name] of [[n, 'eye: n'], [m, 'eye: m']] as const) {
    if (typeof v !== 'number') throw new TypeError(`${name}: expected a non-negative integer, got ${kindOf(v)}`);
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`${name}: expected a non-negative integer, got ${v}`);
  }
  checkTypedAllocation(n * m, 4, 'eye: n, m', `a ${n}×${m} identity`);
  const data = new Float32Array(n * m);
  for (let i = 0; i < Math.min(n, m); i++) data[i * m + i] = 1;
  return { shape: [n, m], data };
}

function checkFiniteNumber(v: unknown, name: string): asserts v is number {
  if (typeof v !== 'number') throw new TypeError(`${name}: expected a finite number, got ${kindOf(v)}`);
  if (!Number.isFinite(v)) throw new RangeError(`${name}: expected a finite number, got ${v}`);
}

/**
 * The shared prologue of randn and randu: the checked shape, two finite number options with their
 * defaults (read by the one options rule), the generator from `seed`/`rng`, and the output buffer.
 */
function randomArgs(
  caller: string, shape: readonly number[], opts: object | undefined, known: KnownOptions,
  [ka, da]: readonly [string, number], [kb, db]: readonly [string, number],
): { s: number[]; a: number; b: number; rng: () => number; data: Float32Array } {
  const s = checkShape(shape, `${caller}: shape`);
  const o = readOptions(opts as Record<string, unknown> | undefined, caller);
  checkOptionKeys(o, known, caller);
  const a = o[ka] ?? da, b = o[kb] ?? db;
  checkFiniteNumber(a, `${caller}: ${ka}`);
  checkFiniteNumber(b, `${caller}: ${kb}`);
  const rng = resolveRng(o, 0, caller);
  return { s, a, b, rng, data: new Float32Array(sizeOf(s)) };
}

/**
 * Normal draws with the given mean (default 0, finite) and standard deviation (default 1, finite and
 * ≥ 0), from `seed` or a supplied `rng` (values outside [0, 1) are a RangeError). A draw beyond
 * float32's range (a mean or std near 3.4e38) is a RangeError, not a silent Infinity.
 *
 * @example
 * ```ts
 * const w = randn([200, 200], { std: 1.5 / Math.sqrt(200), seed: 1 });
 * ```
 */
export function randn(
  shape: readonly number[],
  opts: { mean?: number; std?: number; seed?: number | string; rng?: () => number } = {},
): Tensor {
  const { s, a: mean, b: std, rng, data } = randomArgs('randn', shape, opts, RANDN_KEYS, ['mean', 0], ['std', 1]);
  if (std < 0) throw new RangeError(`randn: std must be >= 0, got ${std}`);
  for (let i = 0; i < data.length; i++) {
    const v = mean + std * gaussian(rng, 'randn');
    data[i] = v;
    if (!Number.isFinite(data[i])) throw beyondFloat32Error(`randn: the draw at index ${i} (mean ${mean}, std ${std})`, v);
  }
  return { shape: s, data };
}

/**
 * Uniform draws in [low, high) (defaults 0 and 1, finite and within float32's range, low ≤ high).
 * The range holds for the float32 values stored: a draw that float32 rounding would carry onto
 * `high` (u = 1 − 2^-53 gave exactly 1.0) or below a `low` that is not a float32 is the float32 next
 * inside the range; a range that holds no float32 (low < high closer than a float32 step) is a
 * RangeError. With low = high every draw is low (rounded to float32).
 *
 * @example
 * ```ts
 * const u = randu([3, 3], { low: -1, high: 1, seed: 7 });
 * ```
 */
export function randu(
  shape: readonly number[],
  opts: { low?: number; high?: number; seed?: number | string; rng?: () => number } = {},
): Tensor {
  const { s, a: low, b: high, rng, data } = randomArgs('randu', shape, opts, RANDU_KEYS, ['low', 0], ['high', 1]);
  if (low > high) throw new RangeError(`randu: low must be <= high, got low ${low} > high ${high}`);
  for (const [k, v] of [['low', low], ['high', high]] as const) if (!Number.isFinite(Math.fround(v))) throw beyondFloat32Error(`randu: ${k}`, v);
  if (low === high) {
    for (let i = 0; i < data.length; i++) {
      rng(); // one draw per entry, as before: a caller's generator advances as it did
      data[i] = low;
    }
    return { shape: s, data };
  }
  if (float32AtLeast(low) >= high) throw new RangeError(`randu: no float32 value lies in [low, high) = [${low}, ${high}); widen the range`);
  for (let i = 0; i < data.length; i++) data[i] = float32InRange(low + (high - low) * rng(), low, high);
  return { shape: s, data };
}

/** A deep copy. @example `const b = clone(a)` */
export function clone(t: Tensor): Tensor {
  assertTensor(t, 'clone: t');
  return { shape: [...t.shape], data: t.data.slice() };
}

/** The same data viewed with another shape of equal size (no copy); one entry may be -1. @example `reshape(t, [4, -1])` */
export function reshape(t: Tensor, shape: readonly number[]): Tensor {
  assertTensor(t, 'reshape: t');
  return { shape: resolveShape(shape, t.data.length, 'reshape', formatShape(t.shape)), data: t.data };
}

/** Converts a tensor to nested arrays. @example `toNested(eye(2)) // [[1,0],[0,1]]` */
export function toNested(t: Tensor): NestedArray {
  assertTensor(t, 'toNested: t');
  const shape = t.shape.slice();
  const size = t.data.length;
  let arrays = 0;
  for (let d = 0, prod = 1; d < shape.length; d++) {
    arrays += prod;
    prod *= shape[d];
  }
  checkHeapAllocation(size * 8 + arrays * 64, 'toNested: t', `nested arrays of shape ${formatShape(shape)}`);
  if (shape.length === 0) return t.data[0];
  t = { shape, data: t.data };
  const build = (depth: number, off: number): NestedArray => {
    const n = t.shape[depth];
    const stride = sizeOf(t.shape.slice(depth + 1));
    const out: NestedArray[] = new Array(n);
    for (let i = 0; i < n; i++) {
      out[i] = depth === t.shape.length - 1 ? t.data[off + i] : build(depth + 1, off + i * stride);
    }
    return out;
  };
  return build(0, 0);
}

/**
 * Throws a RangeError if the tensor holds NaN or ±Infinity.
 *
 * @example
 * ```ts
 * assertFiniteTensor(x, 'myFn: x') // RangeError naming the first NaN or ±Infinity
 * ```
 */
export function assertFiniteTensor(t: Tensor, name: string): void {
  assertTensor(t, name);
  assertFinite(t.data, name);
}
