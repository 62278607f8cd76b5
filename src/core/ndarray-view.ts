/**
 * Reading ndarray-style strided views `{ data, shape, stride, offset }`: validation, row-major
 * traversal and the copy into a Tensor, shared by interop.ts (fromNdarray, toNdarray,
 * writeToNdarray) and the input normaliser (input.ts). @internal
 */
import { formatShape } from './errors.js';
import type { Tensor } from './tensor.js';
import { beyondFloat32Error } from './float32-range.js';

/** A strided view, structurally compatible with an `ndarray` object. */
export interface NdarrayView<D extends ArrayLike<number> = ArrayLike<number>> {
  readonly data: D;
  readonly shape: readonly number[];
  readonly stride: readonly number[];
  readonly offset: number;
}

export interface CheckedView {
  data: ArrayLike<number>;
  shape: number[];
  stride: number[];
  offset: number;
  size: number;
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v !== 'object') return typeof v;
  return (v as object).constructor?.name ?? 'object';
}

/** Validates a view: kinds (TypeError), then integer shape/stride/offset and bounds (RangeError). */
export function checkView(view: unknown, name: string): CheckedView {
  if (view === null || typeof view !== 'object') {
    throw new TypeError(`${name}: expected an ndarray-style view { data, shape, stride, offset }, got ${kindOf(view)}`);
  }
  const { data, shape, stride, offset } = view as Record<string, unknown>;
  const isArrayLike =
    data !== null && typeof data === 'object' && typeof (data as { length?: unknown }).length === 'number' &&
    !(data instanceof BigInt64Array) && !(data instanceof BigUint64Array) && (Array.isArray(data) || ArrayBuffer.isView(data));
  if (!isArrayLike) {
    throw new TypeError(`${name}: 'data' must be an array or a numeric typed array, got ${kindOf(data)}`);
  }
  if (!Array.isArray(shape)) throw new TypeError(`${name}: 'shape' must be an array, got ${kindOf(shape)}`);
  if (!Array.isArray(stride)) throw new TypeError(`${name}: 'stride' must be an array, got ${kindOf(stride)}`);
  if (typeof offset !== 'number') throw new TypeError(`${name}: 'offset' must be a number, got ${kindOf(offset)}`);
  if (stride.length !== shape.length) {
    throw new RangeError(`${name}: shape ${formatShape(shape)} and stride ${formatShape(stride)} must have the same length`);
  }
  let size = 1;
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new RangeError(`${name}: shape ${formatShape(shape)} must hold non-negative integers`);
    size *= d;
  }
  for (const s of stride) {
    if (!Number.isInteger(s)) throw new RangeError(`${name}: stride ${formatShape(stride)} must hold integers`);
  }
  if (!Number.isInteger(offset)) throw new RangeError(`${name}: offset must be an integer, got ${offset}`);
  const len = (data as ArrayLike<number>).length;
  if (size > 0) {
    let lo = offset, hi = offset;
    for (let d = 0; d < shape.length; d++) {
      const span = (shape[d] - 1) * stride[d];
      if (span < 0) lo += span;
      else hi += span;
    }
    if (lo < 0 || hi >= len) {
      throw new RangeError(
        `${name}: shape ${formatShape(shape)}, stride ${formatShape(stride)}, offset ${offset} reach indices ${lo}..${hi}, outside data of length ${len}`,
      );
    }
  }
  return { data: data as ArrayLike<number>, shape: [...shape], stride: [...stride], offset, size };
}

/**
 * Visits the view's elements in row-major order, calling `inner(base, count, step, pos)` once per
 * innermost row: elements `base + i·step` for i < count, destined for flat positions pos + i.
 */
export function forEachRow(v: CheckedView, inner: (base: number, count: number, step: number, pos: number) => void): void {
  const r = v.shape.length;
  if (v.size === 0) return;
  if (r === 0) {
    inner(v.offset, 1, 0, 0);
    return;
  }
  const count = v.shape[r - 1], step = v.stride[r - 1];
  const idx = new Array<number>(r - 1).fill(0);
  let base = v.offset;
  for (let pos = 0; pos < v.size; pos += count) {
    inner(base, count, step, pos);
    // odometer over the outer dimensions
    for (let d = r - 2; d >= 0; d--) {
      idx[d]++;
      base += v.stride[d];
      if (idx[d] < v.shape[d]) break;
      base -= idx[d] * v.stride[d];
      idx[d] = 0;
    }
  }
}

/** An ndarray-style view copied into a contiguous row-major Tensor, messages naming `name`. */
export function ndarrayToTensor(view: unknown, name: string): Tensor {
  const v = checkView(view, name);
  const out = new Float32Array(v.size);
  const src = v.data;
  const plain = Array.isArray(src);
  forEachRow(v, (base, count, step, pos) => {
    for (let i = 0, p = base; i < count; i++, p += step) {
      const x = src[p];
      if (plain && typeof x !== 'number') {
        throw new TypeError(`${name}: data[${p}] must be a number, got ${kindOf(x)}`);
      }
      out[pos + i] = x;
      if (!Number.isFinite(out[pos + i]) && Number.isFinite(x)) throw beyondFloat32Error(`${name}: data[${p}]`, x);
    }
  });
  return { shape: v.shape, data: out };
}
