/**
 * Validation helpers shared by every folder: the public wrappers call these at the boundary, then
 * hand checked data to unchecked inner loops.
 *
 * Conventions: `TypeError` for a wrong kind of value, `RangeError` for a wrong shape or value; every
 * message names the argument and gives the expected and the actual shape or value.
 */
import type { Tensor } from './tensor.js';
import { assertDims, kindName } from './dims.js';

/** Any typed array of floats the kernels accept. */
export type FloatArray = Float32Array | Float64Array;

/**
 * Formats a shape as `[2,3]` for error messages.
 *
 * @example
 * ```ts
 * formatShape([2, 3]) // '[2,3]'
 * ```
 */
export function formatShape(shape: readonly number[]): string {
  if (!Array.isArray(shape)) throw new TypeError(`formatShape: shape: expected an array of dimensions, got ${kindName(shape)}`);
  return `[${shape.join(',')}]`;
}



/**
 * Throws a TypeError unless `t` is a Tensor (`{ shape: number[], data: Float32Array }`) of consistent size.
 *
 * @example
 * ```ts
 * assertTensor(x, 'myFn: x') // TypeError unless x is { shape, data: Float32Array } of matching size
 * ```
 */
export function assertTensor(t: unknown, name: string): asserts t is Tensor {
  readTensor(t, name);
}

/**
 * Validates `t` as {@link assertTensor} does and returns a snapshot `{ shape, data }` whose `shape`
 * is a private copy and whose properties were each read exactly once, so a getter that changes after
 * validation cannot feed a computation different values. Use the snapshot, not `t`, afterwards.
 *
 * @example
 * ```ts
 * const x = readTensor(input, 'myFn: x'); // x.shape, x.data: read once, validated
 * ```
 */
export function readTensor(t: unknown, name: string): Tensor {
  if (t === null || typeof t !== 'object') {
    throw new TypeError(`${name}: expected a Tensor { shape, data: Float32Array }, got ${t === null ? 'null' : typeof t}`);
  }
  const { shape: rawShape, data } = t as { shape?: unknown; data?: unknown };
  if (!Array.isArray(rawShape)) {
    throw new TypeError(`${name}: expected a Tensor with an array 'shape', got ${typeof rawShape}`);
  }
  if (!(data instanceof Float32Array)) {
    const kind = data === undefined ? 'undefined' : data === null ? 'null' : (data as object).constructor?.name ?? typeof data;
    throw new TypeError(`${name}: expected a Tensor with Float32Array 'data', got ${kind}`);
  }
  const shape = rawShape.slice() as number[];
  let size = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new RangeError(`${name}: shape ${formatShape(shape)} must hold non-negative integers`);
    }
    size *= d;
  }
  if (size !== data.length) {
    throw new RangeError(
      `${name}: shape ${formatShape(shape)} holds ${size} elements but data has length ${data.length}`,
    );
  }
  return { shape, data };
}

/**
 * Throws a RangeError unless the tensor has the given rank.
 *
 * @example
 * ```ts
 * assertRank(w, 2, 'myFn: w', 'matrix') // RangeError: expected a rank-2 tensor matrix, got shape [3]
 * ```
 */
export function assertRank(t: Tensor, rank: number, name: string, what = ''): void {
  if (typeof rank !== 'number') throw new TypeError(`${name}: assertRank: rank must be a number, got ${kindName(rank)}`);
  assertTensor(t, name);
  if (t.shape.length !== rank) {
    throw new RangeError(
      `${name}: expected a rank-${rank} tensor${what ? ` ${what}` : ''}, got shape ${formatShape(t.shape)}`,
    );
  }
}

/**
 * Throws a RangeError unless `shape` matches `expected`; entries of `expected` that are `-1` match
 * any size. `what` names the dimensions, e.g. `'[H,I]'`.
 *
 * @example
 * ```ts
 * assertShape(w.shape, [H, -1], 'myFn: w', '[H,I]') // -1 matches any size
 * ```
 */
export function assertShape(
  shape: readonly number[],
  expected: readonly number[],
  name: string,
  what = '',
): void {
  assertDims(shape, `${name}: shape`);
  assertDims(expected, `${name}: expected`, true);
  let ok = shape.length === expected.length;
  for (let i = 0; ok && i < expected.length; i++) {
    if (expected[i] !== -1 && expected[i] !== shape[i]) ok = false;
  }
  if (!ok) {
    const exp = expected.map((d) => (d === -1 ? '*' : String(d))).join(',');
    throw new RangeError(
      `${name}: expected shape [${exp}]${what ? ` ${what}` : ''}, got ${formatShape(shape)}`,
    );
  }
}

/**
 * Index of the first non-finite entry, or -1.
 *
 * @example
 * ```ts
 * firstNonFinite([1, NaN, 2]) // 1
 * ```
 */
export function firstNonFinite(data: ArrayLike<number>): number {
  if (data === null || typeof data !== 'object') throw new TypeError(`firstNonFinite: data: expected an array or typed array of numbers, got ${kindName(data)}`);
  // one monomorphic scan per float type (4× faster than the generic loop on a Float32Array)
  if (data instanceof Float32Array) return scanFloat32(data);
  if (data instanceof Float64Array) return scanFloat64(data);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v !== v || v === Infinity || v === -Infinity) return i;
  }
  return -1;
}

// v·0 is ±0 for finite v and NaN for NaN and ±Infinity, so a block of 8 is finite iff its sum of
// v·0 is 0; the first block that is not is searched entry by entry (v − v is NaN exactly there).
function scanFloat32(a: Float32Array): number {
  const n = a.length;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    if (a[i] * 0 + a[i + 1] * 0 + a[i + 2] * 0 + a[i + 3] * 0 + a[i + 4] * 0 + a[i + 5] * 0 + a[i + 6] * 0 + a[i + 7] * 0 !== 0) break;
  }
  for (; i < n; i++) if (a[i] - a[i] !== 0) return i;
  return -1;
}

function scanFloat64(a: Float64Array): number {
  const n = a.length;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    if (a[i] * 0 + a[i + 1] * 0 + a[i + 2] * 0 + a[i + 3] * 0 + a[i + 4] * 0 + a[i + 5] * 0 + a[i + 6] * 0 + a[i + 7] * 0 !== 0) break;
  }
  for (; i < n; i++) if (a[i] - a[i] !== 0) return i;
  return -1;
}

/**
 * Throws a RangeError naming the argument and the first offending index if `data` has NaN or ±Infinity.
 *
 * @example
 * ```ts
 * assertFinite(x.data, 'myFn: x') // RangeError: expected finite values, found NaN at flat index 4
 * ```
 */
export function assertFinite(data: ArrayLike<number>, name: string): void {
  if (data === null || typeof data !== 'object') throw new TypeError(`${name}: data: expected an array or typed array of numbers, got ${kindName(data)}`);
  const i = firstNonFinite(data);
  if (i >= 0) {
    throw new RangeError(`${name}: expected finite values, found ${data[i]} at flat index ${i}`);
  }
}

/**
 * Throws a RangeError unless `v` is an integer in [min, max].
 *
 * @example
 * ```ts
 * assertInteger(k, 'myFn: k', 1, dim) // RangeError unless k is an integer in [1, dim]
 * ```
 */
export function assertInteger(v: unknown, name: string, min = -Infinity, max = Infinity): asserts v is number {
  if (typeof v !== 'number') throw new TypeError(`${name}: expected an integer, got ${typeof v}`);
  if (!Number.isInteger(v) || v < min || v > max) {
    const range = max === Infinity ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new RangeError(`${name}: expected an integer ${range}, got ${v}`);
  }
}

/**
 * Throws unless `v` is a finite number in [min, max].
 *
 * @example
 * ```ts
 * assertNumber(lr, 'myFn: lr', 0) // RangeError unless lr is a finite number ≥ 0
 * ```
 */
export function assertNumber(v: unknown, name: string, min = -Infinity, max = Infinity): asserts v is number {
  if (typeof v !== 'number') throw new TypeError(`${name}: expected a number, got ${typeof v}`);
  if (!Number.isFinite(v) || v < min || v > max) {
    throw new RangeError(`${name}: expected a finite number in [${min}, ${max}], got ${v}`);
  }
}

/**
 * Throws a TypeError unless `rng` is a function returning numbers in [0,1).
 *
 * @example
 * ```ts
 * assertRng(opts.rng) // TypeError unless rng is a function
 * ```
 */
export function assertRng(rng: unknown, name = 'rng'): asserts rng is () => number {
  if (typeof rng !== 'function') throw new TypeError(`${name}: expected a function () => number in [0,1), got ${rng === null ? 'null' : typeof rng}`);
}

/**
 * The fields of an `AbortSignal` that long computations read. Declared here so the library builds
 * without the DOM lib; a real `AbortSignal` (browser or Node) satisfies it.
 */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
}

/**
 * Throws the signal's reason (or an AbortError) if `signal` has been aborted.
 *
 * @example
 * ```ts
 * throwIfAborted(opts.signal, 'myFn') // throws the signal's reason once aborted
 * ```
 */
export function throwIfAborted(signal: AbortSignalLike | undefined, what: string): void {
  if (signal !== undefined && (signal === null || typeof signal !== 'object')) {
    throw new TypeError(`${what}: signal: expected an AbortSignal, got ${kindName(signal)} (checked by throwIfAborted)`);
  }
  if (signal?.aborted) {
    const reason = signal.reason;
    if (reason instanceof Error) throw reason;
    const err = new Error(`${what}: aborted`);
    err.name = 'AbortError';
    throw err;
  }
}
