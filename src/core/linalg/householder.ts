/**
 * Unchecked float64 Householder QR kernels on column-major storage: column j of an m×n matrix is
 * `a[j*m .. j*m+m-1]`, so every reflection runs over contiguous memory. These are the inner loops
 * behind `qr` and the Lyapunov estimator; they allocate nothing and validate nothing.
 */

/**
 * Factors the column-major m×n matrix `a` (m ≥ n) in place, as LAPACK's dgeqr2 does: on return the
 * upper triangle holds R, the entries below the diagonal the Householder vectors (with implicit unit
 * leading entry), and `tau[j]` the reflector scales. R's diagonal may have either sign here.
 */
export function householderQrColMajor(m: number, n: number, a: Float64Array, tau: Float64Array): void {
  for (let j = 0; j < n; j++) {
    const cj = j * m;
    // norm of a[j+1..m-1, j], scaled against overflow and underflow
    let scale = 0;
    for (let i = j + 1; i < m; i++) {
      const v = Math.abs(a[cj + i]);
      if (v > scale) scale = v;
    }
    const alpha = a[cj + j];
    if (scale === 0) {
      tau[j] = 0; // already upper triangular in this column
      continue;
    }
    let ss = 0;
    for (let i = j + 1; i < m; i++) {
      const v = a[cj + i] / scale;
      ss += v * v;
    }
    const tailNorm = scale * Math.sqrt(ss);
    const norm = Math.hypot(alpha, tailNorm);
    const beta = alpha >= 0 ? -norm : norm;
    tau[j] = (beta - alpha) / beta;
    const inv = 1 / (alpha - beta);
    for (let i = j + 1; i < m; i++) a[cj + i] *= inv;
    a[cj + j] = beta;
    const t = tau[j];
    // apply H_j = I - tau v vᵀ to the remaining columns
    for (let c = j + 1; c < n; c++) {
      const cc = c * m;
      let w = a[cc + j];
      for (let i = j + 1; i < m; i++) w += a[cj + i] * a[cc + i];
      w *= t;
      a[cc + j] -= w;
      for (let i = j + 1; i < m; i++) a[cc + i] -= w * a[cj + i];
    }
  }
}

/**
 * Forms the thin Q (m×n, column-major, into `q`) from the output of {@link householderQrColMajor}.
 * `q` must not alias `a`.
 */
export function householderFormQColMajor(m: number, n: number, a: Float64Array, tau: Float64Array, q: Float64Array): void {
  q.fill(0, 0, m * n);
  for (let j = 0; j < n; j++) q[j * m + j] = 1;
  for (let j = n - 1; j >= 0; j--) {
    const t = tau[j];
    if (t === 0) continue;
    const cj = j * m;
    for (let c = j; c < n; c++) {
      const cc = c * m;
      let w = q[cc + j];
      for (let i = j + 1; i < m; i++) w += a[cj + i] * q[cc + i];
      w *= t;
      q[cc + j] -= w;
      for (let i = j + 1; i < m; i++) q[cc + i] -= w * a[cj + i];
    }
  }
}

/**
 * Makes R's diagonal non-negative: for each j with R_jj < 0, negates column j of Q and row j of R
 * (held in the upper triangle of the factored `a`). Q·R is unchanged.
 */
export function fixQrSignsColMajor(m: number, n: number, a: Float64Array, q: Float64Array): void {
  for (let j = 0; j < n; j++) {
    if (a[j * m + j] < 0) {
      for (let c = j; c < n; c++) a[c * m + j] = -a[c * m + j];
      const cj = j * m;
      for (let i = 0; i < m; i++) q[cj + i] = -q[cj + i];
    }
  }
}
