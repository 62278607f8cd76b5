/**
 * Internal shape helpers (not re-exported): the checked dimension test behind `sizeOf`,
 * `rowMajorStrides` and `assertShape`, and the unchecked product for shapes already validated.
 */

/** 'null', 'array' or the `typeof` of a value, for error messages. */
export function kindName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/**
 * Throws unless `shape` is an array of non-negative integer dimensions whose product is a safe
 * integer: TypeError for a wrong kind (not an array, a non-number entry), RangeError for a negative
 * or fractional dimension or a product beyond 2^53.
 *
 * @example
 * ```ts
 * assertDims([2, 3], 'myFn: shape') // ok; [2, -1] is a RangeError
 * ```
 */
export function assertDims(shape: unknown, name: string, allowWildcard = false): asserts shape is number[] {
  if (!Array.isArray(shape)) throw new TypeError(`${name}: expected an array of dimensions, got ${kindName(shape)}`);
  let size = 1;
  for (let i = 0; i < shape.length; i++) {
    const d: unknown = shape[i];
    if (typeof d !== 'number') throw new TypeError(`${name}: dimensions must be numbers, got ${kindName(d)} at index ${i}`);
    if (allowWildcard && d === -1) continue;
    if (!Number.isInteger(d) || d < 0) throw new RangeError(`${name}: dimensions must be non-negative integers, got [${shape.map(String).join(',')}]`);
    size *= d;
  }
  if (!Number.isSafeInteger(size)) throw new RangeError(`${name}: shape [${shape.join(',')}] holds ${size} elements, more than 2^53`);
}

/** `sizeOf` without the checks, for shapes already validated (or checked by the caller after). */
export function product(shape: readonly number[]): number {
  let s = 1;
  for (const d of shape) s *= d;
  return s;
}

/**
 * The shape `shape` asks a view of `size` elements to take, with one `-1` entry inferred from the
 * size (as NumPy's reshape): TypeError for a wrong kind, RangeError for two `-1`, another negative or
 * a fractional entry, or a product other than `size`. `caller` names the function; `from` describes
 * the source shape in messages. Shared by `reshape` and `ad.reshape`.
 *
 * @example
 * ```ts
 * resolveShape([-1, 2], 6, 'reshape', '[2,3]') // [3, 2]
 * ```
 */
export function resolveShape(shape: unknown, size: number, caller: string, from: string): number[] {
  if (!Array.isArray(shape)) throw new TypeError(`${caller}: shape must be an array of dimensions, got ${kindName(shape)}`);
  const s = shape.slice() as unknown[];
  for (const d of s) {
    if (typeof d !== 'number') throw new TypeError(`${caller}: shape entries must be numbers, got ${kindName(d)}`);
  }
  const dims = s as number[];
  const asked = `[${dims.join(',')}]`;
  const free = dims.indexOf(-1);
  if (free >= 0) {
    if (dims.indexOf(-1, free + 1) >= 0) throw new RangeError(`${caller}: at most one dimension may be -1, got ${asked}`);
    const rest = product(dims.filter((_, i) => i !== free));
    dims[free] = rest === 0 ? 0 : size / rest;
  }
  if (dims.some((d) => !Number.isInteger(d) || d < 0) || product(dims) !== size) {
    throw new RangeError(`${caller}: cannot view shape ${from} (${size} elements) as ${asked}`);
  }
  return dims;
}
