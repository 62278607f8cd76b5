/**
 * The library's array type: a row-major, contiguous Float32Array with a shape, as plain data.
 */
import { assertFinite, assertTensor, formatShape } from './errors.js';
import { gaussian, resolveRng } from './rng.js';

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
  let s = 1;
  for (const d of shape) s *= d;
  return s;
}

function checkShape(shape: readonly number[], name: string): void {
  if (!Array.isArray(shape)) throw new TypeError(`${name}: expected an array of dimensions, got ${typeof shape}`);
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new RangeError(`${name}: dimensions must be non-negative integers, got ${formatShape(shape)}`);
    }
  }
}

function inferShape(values: NestedArray, name: string): number[] {
  const shape: number[] = [];
  let v: NestedArray = values;
  while (Array.isArray(v)) {
    shape.push(v.length);
    if (v.length === 0) break;
    v = v[0] as NestedArray;
  }
  if (!Array.isArray(values) && typeof values !== 'number') {
    throw new TypeError(`${name}: expected a number, nested arrays of numbers or a typed array, got ${typeof values}`);
  }
  return shape;
}

function flattenInto(values: NestedArray, shape: number[], depth: number, out: Float32Array, pos: number, name: string, path: string): number {
  if (depth === shape.length) {
    if (typeof values !== 'number') {
      throw new TypeError(`${name}${path}: expected a number at depth ${depth}, got ${Array.isArray(values) ? 'array' : typeof values}`);
    }
    out[pos] = values;
    return pos + 1;
  }
  if (!Array.isArray(values)) {
    throw new RangeError(`${name}${path}: ragged array, expected an array of length ${shape[depth]} at depth ${depth}, got ${typeof values}`);
  }
  if (values.length !== shape[depth]) {
    throw new RangeError(`${name}${path}: ragged array, expected length ${shape[depth]} at depth ${depth}, got ${values.length}`);
  }
  for (let i = 0; i < values.length; i++) {
    pos = flattenInto(values[i] as NestedArray, shape, depth + 1, out, pos, name, `${path}[${i}]`);
  }
  return pos;
}

/**
 * Creates a tensor from nested arrays (shape inferred, ragged input rejected) or from a flat array or
 * typed array with an explicit shape. The data are copied.
 *
 * @example
 * ```ts
 * const a = tensor([[1, 2], [3, 4]]);            // shape [2,2]
 * const b = tensor(new Float64Array(6), [2, 3]); // shape [2,3]
 * ```
 */
export function tensor(values: NestedArray | ArrayLike<number>, shape?: readonly number[]): Tensor {
  if (shape !== undefined) {
    checkShape(shape, 'tensor: shape');
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
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const v = flat[i];
      if (typeof v !== 'number') throw new TypeError(`tensor: values[${i}] must be a number, got ${typeof v}`);
      data[i] = v;
    }
    return { shape: [...shape], data };
  }
  if (ArrayBuffer.isView(values)) {
    const arr = values as unknown as ArrayLike<number>;
    return { shape: [arr.length], data: Float32Array.from(arr) };
  }
  const inferred = inferShape(values as NestedArray, 'tensor: values');
  const data = new Float32Array(sizeOf(inferred));
  flattenInto(values as NestedArray, inferred, 0, data, 0, 'tensor: values', '');
  return { shape: inferred, data };
}

/** A tensor of zeros. @example `zeros([2, 3])` */
export function zeros(shape: readonly number[]): Tensor {
  checkShape(shape, 'zeros: shape');
  return { shape: [...shape], data: new Float32Array(sizeOf(shape)) };
}

/** A tensor of ones. @example `ones([3])` */
export function ones(shape: readonly number[]): Tensor {
  checkShape(shape, 'ones: shape');
  return { shape: [...shape], data: new Float32Array(sizeOf(shape)).fill(1) };
}

/** A tensor filled with `value`. @example `full([2, 2], 0.5)` */
export function full(shape: readonly number[], value: number): Tensor {
  checkShape(shape, 'full: shape');
  return { shape: [...shape], data: new Float32Array(sizeOf(shape)).fill(value) };
}

/** The n×m identity (m defaults to n). @example `eye(3)` */
export function eye(n: number, m: number = n): Tensor {
  checkShape([n, m], 'eye: size');
  const data = new Float32Array(n * m);
  for (let i = 0; i < Math.min(n, m); i++) data[i * m + i] = 1;
  return { shape: [n, m], data };
}

/**
 * Normal draws with the given mean and standard deviation, from `seed` or a supplied `rng`.
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
  checkShape(shape, 'randn: shape');
  const rng = resolveRng(opts);
  const mean = opts.mean ?? 0;
  const std = opts.std ?? 1;
  const data = new Float32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = mean + std * gaussian(rng);
  return { shape: [...shape], data };
}

/**
 * Uniform draws in [low, high).
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
  checkShape(shape, 'randu: shape');
  const rng = resolveRng(opts);
  const low = opts.low ?? 0;
  const high = opts.high ?? 1;
  const data = new Float32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = low + (high - low) * rng();
  return { shape: [...shape], data };
}

/** A deep copy. @example `const b = clone(a)` */
export function clone(t: Tensor): Tensor {
  assertTensor(t, 'clone: t');
  return { shape: [...t.shape], data: t.data.slice() };
}

/** The same data viewed with another shape of equal size (no copy). @example `reshape(t, [4, -1])` */
export function reshape(t: Tensor, shape: readonly number[]): Tensor {
  assertTensor(t, 'reshape: t');
  const s = [...shape];
  const free = s.indexOf(-1);
  if (free >= 0) {
    const rest = sizeOf(s.filter((_, i) => i !== free));
    s[free] = rest === 0 ? 0 : t.data.length / rest;
  }
  checkShape(s, 'reshape: shape');
  if (sizeOf(s) !== t.data.length) {
    throw new RangeError(`reshape: cannot view shape ${formatShape(t.shape)} as ${formatShape(shape)}`);
  }
  return { shape: s, data: t.data };
}

/** Converts a tensor to nested arrays. @example `toNested(eye(2)) // [[1,0],[0,1]]` */
export function toNested(t: Tensor): NestedArray {
  assertTensor(t, 'toNested: t');
  if (t.shape.length === 0) return t.data[0];
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
  assertFinite(t.data, name);
}
