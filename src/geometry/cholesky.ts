/**
 * Dense float64 Cholesky factorization and solve for the small symmetric positive-definite systems of
 * the Levenberg–Marquardt steps (row-major, unchecked).
 */

/**
 * In place: the lower triangle of `a` (n×n, row-major, symmetric) becomes L with A = L·Lᵀ. Returns
 * false (leaving `a` partly overwritten) when A is not numerically positive definite.
 */
export function choleskyInPlace(a: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let s = a[rj + j];
    for (let k = 0; k < j; k++) s -= a[rj + k] * a[rj + k];
    if (!(s > 0)) return false;
    const ljj = Math.sqrt(s);
    a[rj + j] = ljj;
    const inv = 1 / ljj;
    // rows below, four at a time sharing the loads of row j
    let i = j + 1;
    for (; i + 4 <= n; i += 4) {
      const r0 = i * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
      let t0 = a[r0 + j], t1 = a[r1 + j], t2 = a[r2 + j], t3 = a[r3 + j];
      for (let k = 0; k < j; k++) {
        const l = a[rj + k];
        t0 -= a[r0 + k] * l;
        t1 -= a[r1 + k] * l;
        t2 -= a[r2 + k] * l;
        t3 -= a[r3 + k] * l;
      }
      a[r0 + j] = t0 * inv;
      a[r1 + j] = t1 * inv;
      a[r2 + j] = t2 * inv;
      a[r3 + j] = t3 * inv;
    }
    for (; i < n; i++) {
      const ri = i * n;
      let t = a[ri + j];
      for (let k = 0; k < j; k++) t -= a[ri + k] * a[rj + k];
      a[ri + j] = t * inv;
    }
  }
  return true;
}

/** Solves L·Lᵀ·x = b given the factor from {@link choleskyInPlace}; `x` may alias `b`. */
export function choleskySolve(l: Float64Array, n: number, b: Float64Array, x: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[ri + k] * x[k];
    x[i] = s / l[ri + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * x[k];
    x[i] = s / l[i * n + i];
  }
}
