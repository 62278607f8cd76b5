/**
 * General matrix multiply on row-major float arrays: C = alpha·op(A)·op(B) + beta·C.
 */
import { assertNumber, assertRank, assertTensor, formatShape, type FloatArray } from './errors.js';
import type { Tensor } from './tensor.js';

/**
 * Unchecked kernel. Row-major storage with leading dimensions `lda`, `ldb`, `ldc`; op(A) is m×k,
 * op(B) is k×n, C is m×n. `c` must not alias `a` or `b`. When beta is 0, C is overwritten (NaN in
 * the old C does not propagate).
 */
export function gemmRaw(
  transA: boolean, transB: boolean,
  m: number, n: number, k: number,
  alpha: number,
  a: FloatArray, lda: number,
  b: FloatArray, ldb: number,
  beta: number,
  c: FloatArray, ldc: number,
): void {
  // scale C
  for (let i = 0; i < m; i++) {
    const ci = i * ldc;
    if (beta === 0) c.fill(0, ci, ci + n);
    else if (beta !== 1) for (let j = 0; j < n; j++) c[ci + j] *= beta;
  }
  if (alpha === 0 || k === 0) return;
  if (!transB) {
    // C[i,:] += alpha * sum_p A(i,p) * B[p,:]  (rows of B contiguous)
    for (let i = 0; i < m; i++) {
      const ci = i * ldc;
      for (let p = 0; p < k; p++) {
        const aip = alpha * (transA ? a[p * lda + i] : a[i * lda + p]);
        if (aip === 0) continue;
        const bp = p * ldb;
        for (let j = 0; j < n; j++) c[ci + j] += aip * b[bp + j];
      }
    }
  } else {
    // C[i,j] += alpha * dot(op(A)[i,:], B[j,:])
    for (let i = 0; i < m; i++) {
      const ci = i * ldc;
      for (let j = 0; j < n; j++) {
        const bj = j * ldb;
        let s = 0;
        if (transA) for (let p = 0; p < k; p++) s += a[p * lda + i] * b[bj + p];
        else {
          const ai = i * lda;
          for (let p = 0; p < k; p++) s += a[ai + p] * b[bj + p];
        }
        c[ci + j] += alpha * s;
      }
    }
  }
}

/** Options of {@link matmul}. */
export interface MatmulOptions {
  /** Use Aᵀ. */
  transA?: boolean;
  /** Use Bᵀ. */
  transB?: boolean;
  /** Scale of the product (default 1). */
  alpha?: number;
  /** Scale of the existing `out` added to the product (default 0; needs `out`). */
  beta?: number;
  /** Destination of shape [m,n]; may alias `a` or `b`. */
  out?: Tensor;
}

/**
 * Matrix product of rank-2 tensors: `out = alpha·op(a)·op(b) + beta·out`.
 *
 * @example
 * ```ts
 * const c = matmul(tensor([[1, 2], [3, 4]]), tensor([[5], [6]]));   // [[17], [39]]
 * matmul(w, h, { transA: true, out: c });                          // c = wᵀ·h, reusing c
 * ```
 */
export function matmul(a: Tensor, b: Tensor, opts: MatmulOptions = {}): Tensor {
  assertTensor(a, 'matmul: a');
  assertTensor(b, 'matmul: b');
  assertRank(a, 2, 'matmul: a', 'matrix');
  assertRank(b, 2, 'matmul: b', 'matrix');
  const transA = opts.transA ?? false;
  const transB = opts.transB ?? false;
  const alpha = opts.alpha ?? 1;
  const beta = opts.beta ?? 0;
  assertNumber(alpha, 'matmul: alpha');
  assertNumber(beta, 'matmul: beta');
  const [ar, ac] = a.shape;
  const [br, bc] = b.shape;
  const m = transA ? ac : ar;
  const k = transA ? ar : ac;
  const kb = transB ? bc : br;
  const n = transB ? br : bc;
  if (k !== kb) {
    throw new RangeError(
      `matmul: inner dimensions differ: op(a) is ${m}×${k} (a ${formatShape(a.shape)}${transA ? ', transposed' : ''}) but op(b) is ${kb}×${n} (b ${formatShape(b.shape)}${transB ? ', transposed' : ''})`,
    );
  }
  let out = opts.out;
  if (out !== undefined) {
    assertTensor(out, 'matmul: out');
    if (out.shape.length !== 2 || out.shape[0] !== m || out.shape[1] !== n) {
      throw new RangeError(`matmul: out must have shape [${m},${n}], got ${formatShape(out.shape)}`);
    }
  } else {
    if (beta !== 0) throw new RangeError(`matmul: beta = ${beta} needs an 'out' to accumulate into`);
    out = { shape: [m, n], data: new Float32Array(m * n) };
  }
  const c = out.data;
  // aliasing: compute into a temporary, then copy
  const aliased = sharesMemory(c, a.data) || sharesMemory(c, b.data);
  const target = aliased ? (beta === 0 ? new Float32Array(m * n) : c.slice()) : c;
  gemmRaw(transA, transB, m, n, k, alpha, a.data, ac, b.data, bc, beta, target, n);
  if (aliased) c.set(target);
  return out;
}

/** True when two typed arrays overlap in memory. */
export function sharesMemory(x: ArrayBufferView, y: ArrayBufferView): boolean {
  if (x.buffer !== y.buffer) return false;
  const x0 = x.byteOffset, x1 = x0 + x.byteLength;
  const y0 = y.byteOffset, y1 = y0 + y.byteLength;
  return x0 < y1 && y0 < x1;
}
