/**
 * Finiteness checks shared by the vanilla and gated validators: the first NaN/±Infinity of a tensor,
 * reported with its multi-index.
 */
import { firstNonFinite, formatShape } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';

/** Formats a flat index of a tensor as `[i,j,k]`. */
export function unravel(shape: readonly number[], flat: number): string {
  const idx: number[] = new Array(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    const n = shape[d] || 1;
    idx[d] = flat % n;
    flat = Math.floor(flat / n);
  }
  return `[${idx.join(',')}]`;
}

/** Throws a RangeError naming the position of the first NaN/±Infinity in `t`. */
export function assertFiniteAt(t: Tensor, name: string, dims = ''): void {
  const i = firstNonFinite(t.data);
  if (i >= 0) {
    throw new RangeError(
      `${name}: expected finite values, found ${t.data[i]} at ${unravel(t.shape, i)}${dims ? ` (${dims})` : ''} of shape ${formatShape(t.shape)}`,
    );
  }
}
