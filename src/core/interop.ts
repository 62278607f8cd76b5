/**
 * Interop with ndarray-style strided views `{ data, shape, stride, offset }` (the layout of the
 * `ndarray` package, scijs, and many WebGL/image libraries), with no runtime dependency: element
 * (i₀, …, i_{r−1}) of a view lives at `data[offset + Σ_d i_d·stride[d]]`.
 */
import { assertTensor, formatShape } from './errors.js';
import { assertDims } from './dims.js';
import { sharesMemory } from './gemm.js';
import type { Tensor } from './tensor.js';
import { checkView, forEachRow, ndarrayToTensor, type NdarrayView } from './ndarray-view.js';

export type { NdarrayView } from './ndarray-view.js';


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
  return ndarrayToTensor(view, 'fromNdarray: view');
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
