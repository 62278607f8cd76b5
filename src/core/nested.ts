/**
 * Nested number arrays as tensors: the shape inferred from the first element at each depth, ragged
 * input refused. Shared by `tensor` and the input normaliser (input.ts). @internal
 */
import type { NestedArray } from './tensor.js';
import { beyondFloat32Error } from './float32-range.js';

/** The shape of nested arrays, read from the first element at each depth (TypeError for a non-array, non-number). */
export function inferShape(values: NestedArray, name: string): number[] {
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

/** Copies nested arrays of `shape` into `out` from `pos`; a finite number beyond float32's range is a RangeError naming its path. */
export function flattenInto(values: NestedArray, shape: number[], depth: number, out: Float32Array, pos: number, name: string, path: string): number {
  if (depth === shape.length) {
    if (typeof values !== 'number') {
      throw new TypeError(`${name}${path}: expected a number at depth ${depth}, got ${Array.isArray(values) ? 'array' : typeof values}`);
    }
    out[pos] = values;
    if (!Number.isFinite(out[pos]) && Number.isFinite(values)) throw beyondFloat32Error(`${name}${path}`, values);
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
