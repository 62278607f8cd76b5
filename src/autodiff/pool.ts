/**
 * A pool of typed-array buffers reused across calls of a differentiated function: every buffer a
 * call takes is handed back in one go when the call ends, so repeated calls with the same shapes
 * allocate nothing after the first.
 */
import type { FloatArray } from '../core/errors.js';

/** Element type of the values and gradients on a tape. */
export type DType = 'float32' | 'float64';

/** Buffers of one element type by length, and the ones taken since the last release. */
class TypedPool<A extends FloatArray> {
  private readonly free = new Map<number, A[]>();
  private readonly used: A[] = [];
  constructor(private readonly make: (n: number) => A) {}

  take(n: number, zero: boolean): A {
    const list = this.free.get(n);
    let buf = list !== undefined && list.length > 0 ? list.pop()! : undefined;
    if (buf === undefined) buf = this.make(n);
    else if (zero) buf.fill(0);
    this.used.push(buf);
    return buf;
  }

  releaseAll(): void {
    // push in reverse so that pop() hands them out again in the same order
    for (let i = this.used.length - 1; i >= 0; i--) {
      const b = this.used[i];
      let list = this.free.get(b.length);
      if (list === undefined) this.free.set(b.length, (list = []));
      list.push(b);
    }
    this.used.length = 0;
  }
}

/** Buffers by length, reused in the order they were taken (so repeated calls get the same ones). */
export class BufferPool {
  private readonly f32 = new TypedPool((n) => new Float32Array(n));
  private readonly f64 = new TypedPool((n) => new Float64Array(n));

  /** A buffer of length `n` and the given type; zero-filled when `zero` is true, else arbitrary. */
  take(dtype: DType, n: number, zero: boolean): FloatArray {
    return dtype === 'float32' ? this.f32.take(n, zero) : this.f64.take(n, zero);
  }

  /** Returns every buffer taken since the last release to the pool. */
  releaseAll(): void {
    this.f32.releaseAll();
    this.f64.releaseAll();
  }
}
