/** Dense products shared by the covariant vectors and the exponent gradients. @internal */

/** z (col-major m×k) = A (row-major m×n) · q (col-major n×k, column stride `ldq`, default n). @internal */
export function matTimesColMajor(m: number, n: number, k: number, a: Float64Array, q: Float64Array, z: Float64Array, ldq = n): void {
  for (let c = 0; c < k; c++) {
    const o = c * ldq, oz = c * m;
    for (let i = 0; i < m; i++) {
      let s = 0;
      const r = i * n;
      for (let l = 0; l < n; l++) s += a[r + l] * q[o + l];
      z[oz + i] = s;
    }
  }
}
