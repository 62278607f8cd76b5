/**
 * Elementwise kernels on tensors, gl-matrix style: the destination `out` is optional (a new tensor
 * otherwise), always returned, and may be one of the inputs. Inputs that only partly overlap `out`
 * in memory are copied first, so every function is correct under any aliasing.
 *
 * Arithmetic is done in float64 and rounded to float32 once per entry.
 */
import { assertNumber, assertRank, assertShape, assertTensor, formatShape } from './errors.js';
import { sharesMemory } from './gemm.js';
import type { Tensor } from './tensor.js';

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Validates `out` against `shape` (or makes a new tensor). `why` explains where the shape comes from. */
function destination(fn: string, shape: readonly number[], out: Tensor | undefined, why: string): Tensor {
  if (out === undefined) {
    let size = 1;
    for (const d of shape) size *= d;
    return { shape: [...shape], data: new Float32Array(size) };
  }
  assertTensor(out, `${fn}: out`);
  if (!sameShape(out.shape, shape)) {
    throw new RangeError(`${fn}: out must have shape ${formatShape(shape)} (${why}), got ${formatShape(out.shape)}`);
  }
  return out;
}

/** `x`, or a copy of it when it overlaps `out` without being exactly the same memory. */
function operand(x: Float32Array, out: Float32Array): Float32Array {
  if (x === out || !sharesMemory(x, out)) return x;
  if (x.byteOffset === out.byteOffset && x.length === out.length) return x;
  return x.slice();
}

/** The checked input of an elementwise map, its destination `o` (data `y`) and the input data `p` safe to read while writing `y`. */
function unaryArgs(fn: string, a: Tensor, out: Tensor | undefined): { o: Tensor; y: Float32Array; p: Float32Array } {
  assertTensor(a, `${fn}: a`);
  const o = destination(fn, a.shape, out, 'the shape of a');
  return { o, y: o.data, p: operand(a.data, o.data) };
}

function binaryArgs(fn: string, a: Tensor, b: Tensor, out: Tensor | undefined): Tensor {
  assertTensor(a, `${fn}: a`);
  assertTensor(b, `${fn}: b`);
  if (!sameShape(a.shape, b.shape)) {
    throw new RangeError(`${fn}: a and b must have the same shape, got a ${formatShape(a.shape)} and b ${formatShape(b.shape)}`);
  }
  return destination(fn, a.shape, out, `the shape of a and b`);
}

/**
 * Elementwise sum `out = a + b` (same shapes; see {@link addBias} for a broadcast row).
 *
 * @example
 * ```ts
 * add(tensor([1, 2]), tensor([10, 20]));   // [11, 22]
 * add(acc, g, acc);                          // in place
 * ```
 */
export function add(a: Tensor, b: Tensor, out?: Tensor): Tensor {
  const o = binaryArgs('add', a, b, out);
  const y = o.data, p = operand(a.data, y), q = operand(b.data, y);
  for (let i = 0; i < y.length; i++) y[i] = p[i] + q[i];
  return o;
}

/**
 * Elementwise difference `out = a − b` (same shapes).
 *
 * @example
 * ```ts
 * sub(tensor([5, 5]), tensor([1, 2]));     // [4, 3]
 * ```
 */
export function sub(a: Tensor, b: Tensor, out?: Tensor): Tensor {
  const o = binaryArgs('sub', a, b, out);
  const y = o.data, p = operand(a.data, y), q = operand(b.data, y);
  for (let i = 0; i < y.length; i++) y[i] = p[i] - q[i];
  return o;
}

/**
 * Elementwise (Hadamard) product `out = a ∘ b` (same shapes).
 *
 * @example
 * ```ts
 * mul(tensor([1, 2, 3]), tensor([2, 2, 2])); // [2, 4, 6]
 * ```
 */
export function mul(a: Tensor, b: Tensor, out?: Tensor): Tensor {
  const o = binaryArgs('mul', a, b, out);
  const y = o.data, p = operand(a.data, y), q = operand(b.data, y);
  for (let i = 0; i < y.length; i++) y[i] = p[i] * q[i];
  return o;
}

/**
 * `out = s·a` for a finite number `s`.
 *
 * @example
 * ```ts
 * scale(tensor([1, -2]), 0.5);             // [0.5, -1]
 * ```
 */
export function scale(a: Tensor, s: number, out?: Tensor): Tensor {
  assertTensor(a, 'scale: a');
  assertNumber(s, 'scale: s');
  const o = destination('scale', a.shape, out, 'the shape of a');
  const y = o.data, p = operand(a.data, y);
  for (let i = 0; i < y.length; i++) y[i] = s * p[i];
  return o;
}

/**
 * `out = alpha·x + y` (same shapes), rounded once per entry. For the BLAS in-place update pass
 * `y` as `out`.
 *
 * @example
 * ```ts
 * axpy(-0.01, grad, w, w);                  // w ← w − 0.01·grad
 * ```
 */
export function axpy(alpha: number, x: Tensor, y: Tensor, out?: Tensor): Tensor {
  assertNumber(alpha, 'axpy: alpha');
  assertTensor(x, 'axpy: x');
  assertTensor(y, 'axpy: y');
  if (!sameShape(x.shape, y.shape)) {
    throw new RangeError(`axpy: x and y must have the same shape, got x ${formatShape(x.shape)} and y ${formatShape(y.shape)}`);
  }
  const o = destination('axpy', y.shape, out, 'the shape of x and y');
  const d = o.data, p = operand(x.data, d), q = operand(y.data, d);
  for (let i = 0; i < d.length; i++) d[i] = alpha * p[i] + q[i];
  return o;
}

/**
 * Adds a row vector to every row: `out[..., j] = a[..., j] + bias[j]` for `a` of shape [..., n] and
 * `bias` of shape [n]. Its adjoint is {@link sumRows}.
 *
 * @example
 * ```ts
 * addBias(tensor([[1, 2], [3, 4]]), tensor([10, 20])); // [[11, 22], [13, 24]]
 * ```
 */
export function addBias(a: Tensor, bias: Tensor, out?: Tensor): Tensor {
  assertTensor(a, 'addBias: a');
  assertTensor(bias, 'addBias: bias');
  assertRank(bias, 1, 'addBias: bias', 'vector');
  if (a.shape.length < 1 || a.shape[a.shape.length - 1] !== bias.shape[0]) {
    throw new RangeError(
      `addBias: the last dimension of a must equal the length of bias, got a ${formatShape(a.shape)} and bias ${formatShape(bias.shape)}`,
    );
  }
  const o = destination('addBias', a.shape, out, 'the shape of a');
  const y = o.data, p = operand(a.data, y), q = operand(bias.data, y);
  const n = q.length;
  for (let r = 0; r < y.length; r += n) {
    for (let j = 0; j < n; j++) y[r + j] = p[r + j] + q[j];
  }
  return o;
}

/** Float64 accumulator of {@link sumRows} (grown on demand, reused). */
let rowAcc = new Float64Array(0);

/**
 * Adds the rows together: `out[j] = Σ_r a[r, j]` for `a` of shape [..., n] (all leading dimensions
 * are summed) → [n]. Accumulated in float64. The adjoint of {@link addBias} (the bias gradient).
 *
 * @example
 * ```ts
 * sumRows(tensor([[1, 2], [3, 4]]));       // [4, 6]
 * ```
 */
export function sumRows(a: Tensor, out?: Tensor): Tensor {
  assertTensor(a, 'sumRows: a');
  if (a.shape.length < 1) throw new RangeError(`sumRows: a must have rank >= 1, got shape ${formatShape(a.shape)}`);
  const n = a.shape[a.shape.length - 1];
  const o = destination('sumRows', [n], out, `the last dimension of a ${formatShape(a.shape)}`);
  const x = a.data;
  if (rowAcc.length < n) rowAcc = new Float64Array(n);
  const acc = rowAcc;
  acc.fill(0, 0, n);
  for (let r = 0; r < x.length; r += n) {
    for (let j = 0; j < n; j++) acc[j] += x[r + j];
  }
  const y = o.data;
  for (let j = 0; j < n; j++) y[j] = acc[j];
  return o;
}

/**
 * Elementwise hyperbolic tangent.
 *
 * @example
 * ```ts
 * tanh(tensor([0, 100]));                   // [0, 1]
 * ```
 */
export function tanh(a: Tensor, out?: Tensor): Tensor {
  const { o, y, p } = unaryArgs('tanh', a, out);
  for (let i = 0; i < y.length; i++) y[i] = Math.tanh(p[i]);
  return o;
}

/**
 * Elementwise max(x, 0); NaN stays NaN.
 *
 * @example
 * ```ts
 * relu(tensor([-1, 2]));                    // [0, 2]
 * ```
 */
export function relu(a: Tensor, out?: Tensor): Tensor {
  const { o, y, p } = unaryArgs('relu', a, out);
  for (let i = 0; i < y.length; i++) {
    const v = p[i];
    y[i] = v < 0 ? 0 : v;
  }
  return o;
}

/**
 * Elementwise logistic function 1/(1+e^−x), evaluated without overflow for large |x|.
 *
 * @example
 * ```ts
 * sigmoid(tensor([0, -1000]));              // [0.5, 0]
 * ```
 */
export function sigmoid(a: Tensor, out?: Tensor): Tensor {
  const { o, y, p } = unaryArgs('sigmoid', a, out);
  for (let i = 0; i < y.length; i++) {
    const v = p[i];
    if (v >= 0) y[i] = 1 / (1 + Math.exp(-v));
    else {
      const e = Math.exp(v);
      y[i] = e / (1 + e);
    }
  }
  return o;
}

const TILE = 32;

/**
 * Matrix transpose [m,n] → [n,m], copied in cache-sized tiles. `out` may share memory with `a`
 * (then `a` is copied first).
 *
 * @example
 * ```ts
 * transpose(tensor([[1, 2, 3], [4, 5, 6]])); // [[1, 4], [2, 5], [3, 6]]
 * ```
 */
export function transpose(a: Tensor, out?: Tensor): Tensor {
  assertTensor(a, 'transpose: a');
  assertRank(a, 2, 'transpose: a', 'matrix [m,n]');
  const [m, n] = a.shape;
  if (out !== undefined) {
    assertTensor(out, 'transpose: out');
    assertShape(out.shape, [n, m], 'transpose: out', `(a is ${formatShape(a.shape)})`);
  }
  const o = out ?? { shape: [n, m], data: new Float32Array(m * n) };
  const y = o.data;
  const x = sharesMemory(y, a.data) ? a.data.slice() : a.data;
  for (let i0 = 0; i0 < m; i0 += TILE) {
    const i1 = Math.min(m, i0 + TILE);
    for (let j0 = 0; j0 < n; j0 += TILE) {
      const j1 = Math.min(n, j0 + TILE);
      for (let i = i0; i < i1; i++) {
        for (let j = j0; j < j1; j++) y[j * m + i] = x[i * n + j];
      }
    }
  }
  return o;
}
