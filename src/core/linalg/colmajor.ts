/**
 * Unchecked float64 products with a column-major right factor, shared by the RNN adapter's
 * Jacobian–frame product and the Lyapunov kernels' pure-JS path.
 */

/**
 * out (column-major n×k) = diag(d)·A·Q for A row-major n×n and Q column-major n×k (d omitted: A·Q):
 * dot products of A's rows with Q's columns (both contiguous), blocked 4 rows × 2 columns in
 * registers. Multiplying by an omitted d's implicit 1 is exact. `out` must not alias `q`.
 */
export function diagMatMulColMajorRaw(n: number, k: number, d: Float64Array | undefined, a: Float64Array, q: Float64Array, out: Float64Array): void {
  let j = 0;
  for (; j + 1 < k; j += 2) {
    const q0 = j * n;
    const q1 = q0 + n;
    let i = 0;
    for (; i + 3 < n; i += 4) {
      const r0 = i * n;
      const r1 = r0 + n;
      const r2 = r1 + n;
      const r3 = r2 + n;
      let s00 = 0, s10 = 0, s20 = 0, s30 = 0, s01 = 0, s11 = 0, s21 = 0, s31 = 0;
      for (let l = 0; l < n; l++) {
        const x0 = q[q0 + l];
        const x1 = q[q1 + l];
        const w0 = a[r0 + l];
        const w1 = a[r1 + l];
        const w2 = a[r2 + l];
        const w3 = a[r3 + l];
        s00 += w0 * x0;
        s10 += w1 * x0;
        s20 += w2 * x0;
        s30 += w3 * x0;
        s01 += w0 * x1;
        s11 += w1 * x1;
        s21 += w2 * x1;
        s31 += w3 * x1;
      }
      const d0 = d === undefined ? 1 : d[i], d1 = d === undefined ? 1 : d[i + 1];
      const d2 = d === undefined ? 1 : d[i + 2], d3 = d === undefined ? 1 : d[i + 3];
      out[q0 + i] = d0 * s00;
      out[q0 + i + 1] = d1 * s10;
      out[q0 + i + 2] = d2 * s20;
      out[q0 + i + 3] = d3 * s30;
      out[q1 + i] = d0 * s01;
      out[q1 + i + 1] = d1 * s11;
      out[q1 + i + 2] = d2 * s21;
      out[q1 + i + 3] = d3 * s31;
    }
    for (; i < n; i++) {
      const r0 = i * n;
      let s0 = 0, s1 = 0;
      for (let l = 0; l < n; l++) {
        const w0 = a[r0 + l];
        s0 += w0 * q[q0 + l];
        s1 += w0 * q[q1 + l];
      }
      const di = d === undefined ? 1 : d[i];
      out[q0 + i] = di * s0;
      out[q1 + i] = di * s1;
    }
  }
  for (; j < k; j++) {
    const q0 = j * n;
    for (let i = 0; i < n; i++) {
      const r0 = i * n;
      let s = 0;
      for (let l = 0; l < n; l++) s += a[r0 + l] * q[q0 + l];
      out[q0 + i] = (d === undefined ? 1 : d[i]) * s;
    }
  }
}
