/**
 * Interop with ndarray-style strided views `{ data, shape, stride, offset }` (the layout of the
 * `ndarray` package, scijs, and many WebGL/image libraries), with no runtime dependency: element
 * (i₀, …, i_{r−1}) of a view lives at `data[offset + Σ_d i_d·stride[d]]`.
 */
import { assertTensor, formatShape } from './errors.js';
import { assertDims } from './dims.js';
import { sharesMemory } from './gemm.js';
import type { Tensor } from './tensor.js';

/** A strided view, structurally compatible with an `ndarray` object. */
export interface NdarrayView<D extends ArrayLike<number> = ArrayLike<number>> {
  readonly data: D;
  readonly shape: readonly number[];
  readonly stride: readonly number[];
  readonly offset: number;
}

interface CheckedView {
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
function checkView(view: unknown, name: string): CheckedView {
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
function forEachRow(v: CheckedView, inner: (base: number, count: number, step: number, pos: number) => void): void {
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

/**
 * Copies an ndarray-style view (any strides: transposed, stepped, negative, with an offset) into a new
 * contiguous row-major Tensor. Values are converted to float32.
 *
 * @example
 * ```ts
 * import ndarray from 'ndarray';
 * const v = ndarray(new Float64Array([1, 2, 3, 4, 5, 6]), [2, 3]);
 * const t = fromNdarray(v.transpose(1, 0));   // shape [3,2]: [[1,4],[2,5],[3,6]]
 * ```
 */
export function fromNdarray(view: NdarrayView): Tensor {
  const v = checkView(view, 'fromNdarray: view');
  const out = new Float32Array(v.size);
  const src = v.data;
  const plain = Array.isArray(src);
  forEachRow(v, (base, count, step, pos) => {
    for (let i = 0, p = base; i < count; i++, p += step) {
      const x = src[p];
      if (plain && typeof x !== 'number') {
        throw new TypeError(`fromNdarray: view: data[${p}] must be a number, got ${kindOf(x)}`);
      }
      out[pos + i] = x;
    }
  });
  return { shape: v.shape, data: out };
}

/**
 * Row-major strides of a shape: stride[d] = Π_{e>d} shape[e].
 *
 * @example
 * ```ts
 * rowMajorStrides([2, 3, 4]); // [12, 4, 1]
 * ```
 */
export function rowMajorStrides(shape: readonly number[]): number[] {
  assertDims(shape, 'rowMajorStrides: shape');
  const stride = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    stride[d] = s;
    s *= shape[d];
  }
  return stride;
}

/**
 * An ndarray-style view of a tensor, sharing its data (no copy; use `clone` first for an independent
 * copy). Wrap it with the `ndarray` package as `ndarray(v.data, v.shape, v.stride, v.offset)`.
 *
 * @example
 * ```ts
 * import ndarray from 'ndarray';
 * const v = toNdarray(tensor([[1, 2], [3, 4]]));
 * const nd = ndarray(v.data, v.shape, v.stride, v.offset);
 * nd.get(1, 0); // 3
 * ```
 */
export function toNdarray(t: Tensor): { data: Float32Array; shape: number[]; stride: number[]; offset: number } {
  assertTensor(t, 'toNdarray: t');
  return { data: t.data, shape: [...t.shape], stride: rowMajorStrides(t.shape), offset: 0 };
}

/**
 * Writes a tensor into an existing ndarray-style view of the same shape (any strides), converting to
 * the view's element type, and returns the view. Correct when the view's data overlap the tensor's.
 *
 * @example
 * ```ts
 * import ndarray from 'ndarray';
 * const img = ndarray(new Float64Array(6), [2, 3]);
 * writeToNdarray(tensor([[1, 2], [3, 4], [5, 6]]), img.transpose(1, 0)); // img = [[1,3,5],[2,4,6]]
 * ```
 */
export function writeToNdarray<V extends NdarrayView>(t: Tensor, view: V): V {
  assertTensor(t, 'writeToNdarray: t');
  const v = checkView(view, 'writeToNdarray: view');
  if (v.shape.length !== t.shape.length || v.shape.some((d, i) => d !== t.shape[i])) {
    throw new RangeError(
      `writeToNdarray: view shape ${formatShape(v.shape)} must equal the shape of t ${formatShape(t.shape)}`,
    );
  }
  const dst = v.data as unknown as { [i: number]: number };
  const src = ArrayBuffer.isView(v.data) && sharesMemory(v.data as ArrayBufferView, t.data) ? t.data.slice() : t.data;
  forEachRow(v, (base, count, step, pos) => {
    for (let i = 0, p = base; i < count; i++, p += step) dst[p] = src[pos + i];
  });
  return view;
}
