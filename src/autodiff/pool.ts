/**
 * A pool of typed-array buffers reused across calls of a differentiated function: every buffer a
 * call takes is handed back in one go when the call ends, so repeated calls with the same shapes
 * allocate nothing after the first.
 */
import type { FloatArray } from '../core/errors.js';

/** Element type of the values and gradients on a tape. */
export type DType = 'float32' | 'float64';

/** Buffers by length, reused in the order they were taken (so repeated calls get the same ones). */
export class BufferPool {
  private readonly free32 = new Map<number, Float32Array[]>();
  private readonly free64 = new Map<number, Float64Array[]>();
  private readonly used32: Float32Array[] = [];
  private readonly used64: Float64Array[] = [];

  /** A buffer of length `n` and the given type; zero-filled when `zero` is true, else arbitrary. */
  take(dtype: DType, n: number, zero: boolean): FloatArray {
    if (dtype === 'float32') {
      const list = this.free32.get(n);
      let buf = list !== undefined && list.length > 0 ? list.pop()! : undefined;
      if (buf === undefined) buf = new Float32Array(n);
      else if (zero) buf.fill(0);
      this.used32.push(buf);
      return buf;
    }
    const list = this.free64.get(n);
    let buf = list !== undefined && list.length > 0 ? list.pop()! : undefined;
    if (buf === undefined) buf = new Float64Array(n);
    else if (zero) buf.fill(0);
    this.used64.push(buf);
    return buf;
  }

  /** Returns every buffer taken since the last release to the pool. */
  releaseAll(): void {
    // push in reverse so that pop() hands them out again in the same order
    for (let i = this.used32.length - 1; i >= 0; i--) {
      const b = this.used32[i];
      let list = this.free32.get(b.length);
      if (list === undefined) this.free32.set(b.length, (list = []));
      list.push(b);
    }
    for (let i = this.used64.length - 1; i >= 0; i--) {
      const b = this.used64[i];
      let list = this.free64.get(b.length);
      if (list === undefined) this.free64.set(b.length, (list = []));
      list.push(b);
    }
    this.used32.length = 0;
    this.used64.length = 0;
  }
}
