/**
 * Small scalar helpers shared by the eigen and SVD solvers.
 * @internal
 */

/**
 * √(a² + b²) without overflow or destructive underflow; several times faster than `Math.hypot` in V8,
 * which matters in the O(n²) rotation loops of the eigen and SVD solvers.
 * @internal
 */
export function hypot2(a: number, b: number): number {
  a = a < 0 ? -a : a;
  b = b < 0 ? -b : b;
  if (a < b) {
    const t = a;
    a = b;
    b = t;
  }
  if (a === 0) return 0;
  const r = b / a;
  return a * Math.sqrt(1 + r * r);
}

/** x[0..len-1] *= 2^e (exact unless it under/overflows), in steps of at most 2^±512 so that every factor is representable. @internal */
export function scalePow2(x: Float64Array, len: number, e: number): void {
  while (e !== 0) {
    const step = e > 512 ? 512 : e < -512 ? -512 : e;
    const f = 2 ** step;
    for (let i = 0; i < len; i++) x[i] *= f;
    e -= step;
  }
}
