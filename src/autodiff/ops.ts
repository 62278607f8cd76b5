/**
 * Elementary differentiable ops. Each takes Vars (or Tensors, used as constants), computes its value
 * into a buffer from the tape's pool and, when an input needs a gradient, records its
 * vector-Jacobian product. Gradients accumulate, so a value used by several ops gets the sum.
 */
import { checkOptionKeys, kindOf, readOptions } from '../core/options.js';
import { AD_MATMUL_KEYS } from './option-keys.js';
import { assertInteger, formatShape, type FloatArray } from '../core/errors.js';
import { gemmRaw } from '../core/gemm.js';
import { sizeOf } from '../core/tensor.js';
import { resolveShape } from '../core/dims.js';
import { sech2, sigmoid as sigmoidScalar, sigmoidDerivative } from './activation-kernels.js';
import { lift, newVar, tapeOf, Var, type VarLike } from './tape.js';

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function isSuffix(small: readonly number[], big: readonly number[]): boolean {
  if (small.length > big.length) return false;
  const off = big.length - small.length;
  for (let i = 0; i < small.length; i++) if (small[i] !== big[off + i]) return false;
  return true;
}

function broadcastShape(op: string, a: Var, b: Var): readonly number[] {
  if (sameShape(a.shape, b.shape)) return a.shape;
  if (isSuffix(b.shape, a.shape) || b.size === 1) return a.shape;
  if (isSuffix(a.shape, b.shape) || a.size === 1) return b.shape;
  throw new RangeError(
    `${op}: shapes a ${formatShape(a.shape)} and b ${formatShape(b.shape)} do not broadcast: the smaller shape must equal the trailing dimensions of the larger (e.g. [B,O] and [O]) or hold one element`,
  );
}

type BinaryKind = 'add' | 'sub' | 'mul';

/** out[i] = a[i mod na] ∘ b[i mod nb], where na and nb divide n and one of them equals n. */
function binaryKernel(kind: BinaryKind, a: FloatArray, b: FloatArray, out: FloatArray, n: number): void {
  const na = a.length, nb = b.length;
  for (let r = 0; r < n; r += na === n ? nb : na) {
    const m = na === n ? nb : na;
    for (let j = 0; j < m; j++) {
      const i = r + j;
      const x = na === n ? a[i] : a[j];
      const y = nb === n ? b[i] : b[j];
      out[i] = kind === 'add' ? x + y : kind === 'sub' ? x - y : x * y;
    }
  }
}

/** g reduced onto an operand of length `len` (the sum over the broadcast rows), added into `ga` scaled by `sign`·other. */
function accumulateBroadcast(
  tape: NonNullable<Var['tape']>, g: FloatArray, n: number, ga: FloatArray, sign: number, other: FloatArray | null,
): void {
  const len = ga.length;
  const no = other === null ? 0 : other.length;
  if (len === n) {
    if (other === null) for (let i = 0; i < n; i++) ga[i] += sign * g[i];
    else if (no === n) for (let i = 0; i < n; i++) ga[i] += sign * g[i] * other[i];
    else for (let i = 0; i < n; i++) ga[i] += sign * g[i] * other[i % no];
    return;
  }
  const acc = tape.alloc64(len, true);
  for (let r = 0; r < n; r += len) {
    if (other === null) for (let j = 0; j < len; j++) acc[j] += g[r + j];
    else for (let j = 0; j < len; j++) acc[j] += g[r + j] * other[r + j];
  }
  for (let j = 0; j < len; j++) ga[j] += sign * acc[j];
}

function binary(kind: BinaryKind, aIn: VarLike, bIn: VarLike): Var {
  const op = kind;
  const tape = tapeOf(op, aIn, bIn);
  const a = lift(aIn, tape, `${op}: a`);
  const b = lift(bIn, tape, `${op}: b`);
  const shape = broadcastShape(op, a, b);
  const n = sizeOf(shape);
  const out = newVar(tape, shape, a.requiresGrad || b.requiresGrad);
  binaryKernel(kind, a.data, b.data, out.data, n);
  if (out.requiresGrad) {
    const t = tape!;
    t.record(out, () => {
      const g = out.grad!;
      if (a.requiresGrad) accumulateBroadcast(t, g, n, t.gradOf(a), 1, kind === 'mul' ? b.data : null);
      if (b.requiresGrad) accumulateBroadcast(t, g, n, t.gradOf(b), kind === 'sub' ? -1 : 1, kind === 'mul' ? a.data : null);
    });
  }
  return out;
}

/**
 * Elementwise sum with bias broadcasting: the smaller operand's shape must equal the trailing
 * dimensions of the larger (e.g. `[B,O] + [O]`) or hold one element; its gradient is summed over the
 * broadcast rows.
 *
 * @example
 * ```ts
 * const logits = ad.add(ad.matmul(h, p.wOut, { transB: true }), p.bOut); // [B,O] + [O]
 * ```
 */
export function add(a: VarLike, b: VarLike): Var {
  return binary('add', a, b);
}

/** Elementwise difference a − b, broadcasting as {@link add}. @example `ad.sub(y, target)` */
export function sub(a: VarLike, b: VarLike): Var {
  return binary('sub', a, b);
}

/** Elementwise product, broadcasting as {@link add}. @example `ad.mul(gate, h)` */
export function mul(a: VarLike, b: VarLike): Var {
  return binary('mul', a, b);
}

/** Multiplication by a constant number. @example `ad.scale(loss, 0.5)` */
export function scale(a: VarLike, c: number): Var {
  if (typeof c !== 'number') throw new TypeError(`scale: c must be a finite number, got ${typeof c}`);
  if (!Number.isFinite(c)) throw new RangeError(`scale: c must be a finite number, got ${c}`);
  const tape = tapeOf('scale', a);
  const x = lift(a, tape, 'scale: a');
  const out = newVar(tape, x.shape, x.requiresGrad);
  const n = x.size, xd = x.data, od = out.data;
  for (let i = 0; i < n; i++) od[i] = c * xd[i];
  if (out.requiresGrad) {
    const t = tape!;
    t.record(out, () => {
      const g = out.grad!, gx = t.gradOf(x);
      for (let i = 0; i < n; i++) gx[i] += c * g[i];
    });
  }
  return out;
}

/** Options of {@link matmul}. */
export interface AdMatmulOptions {
  /** Use aᵀ. */
  transA?: boolean;
  /** Use bᵀ. */
  transB?: boolean;
}

/**
 * Matrix product op(a)·op(b) of rank-2 values, with VJPs dA = dC·op(b)ᵀ and dB = op(a)ᵀ·dC
 * (transposed as needed), all through `gemmRaw`.
 *
 * @example
 * ```ts
 * const z = ad.matmul(x, p.w, { transB: true });   // [B,I]·[H,I]ᵀ → [B,H]
 * ```
 */
export function matmul(aIn: VarLike, bIn: VarLike, opts: AdMatmulOptions = {}): Var {
  const tape = tapeOf('matmul', aIn, bIn);
  const a = lift(aIn, tape, 'matmul: a');
  const b = lift(bIn, tape, 'matmul: b');
  if (a.shape.length !== 2) throw new RangeError(`matmul: a must be a matrix (rank 2), got shape ${formatShape(a.shape)}`);
  if (b.shape.length !== 2) throw new RangeError(`matmul: b must be a matrix (rank 2), got shape ${formatShape(b.shape)}`);
  const o = readOptions(opts, 'matmul');
  checkOptionKeys(o, AD_MATMUL_KEYS, 'matmul');
  const transA = o.transA ?? false;
  const transB = o.transB ?? false;
  if (typeof transA !== 'boolean') throw new TypeError(`matmul: opts.transA must be a boolean, got ${kindOf(transA)}`);
  if (typeof transB !== 'boolean') throw new TypeError(`matmul: opts.transB must be a boolean, got ${kindOf(transB)}`);
  const [ar, ac] = a.shape;
  const [br, bc] = b.shape;
  const m = transA ? ac : ar, k = transA ? ar : ac;
  const kb = transB ? bc : br, n = transB ? br : bc;
  if (k !== kb) {
    throw new RangeError(
      `matmul: inner dimensions differ: op(a) is ${m}×${k} (a ${formatShape(a.shape)}${transA ? ', transposed' : ''}) but op(b) is ${kb}×${n} (b ${formatShape(b.shape)}${transB ? ', transposed' : ''})`,
    );
  }
  const out = newVar(tape, [m, n], a.requiresGrad || b.requiresGrad);
  gemmRaw(transA, transB, m, n, k, 1, a.data, ac, b.data, bc, 0, out.data, n);
  if (out.requiresGrad) {
    const t = tape!;
    t.record(out, () => {
      const g = out.grad!;
      if (a.requiresGrad) {
        const ga = t.gradOf(a);
        if (!transA) gemmRaw(false, !transB, m, k, n, 1, g, n, b.data, bc, 1, ga, k);
        else gemmRaw(transB, true, k, m, n, 1, b.data, bc, g, n, 1, ga, m);
      }
      if (b.requiresGrad) {
        const gb = t.gradOf(b);
        if (!transB) gemmRaw(!transA, false, k, n, m, 1, a.data, ac, g, n, 1, gb, n);
        else gemmRaw(true, transA, n, k, m, 1, g, n, a.data, ac, 1, gb, k);
      }
    });
  }
  return out;
}

type UnaryKind = 'tanh' | 'relu' | 'sigmoid';

function unary(kind: UnaryKind, aIn: VarLike): Var {
  const tape = tapeOf(kind, aIn);
  const a = lift(aIn, tape, `${kind}: a`);
  const out = newVar(tape, a.shape, a.requiresGrad);
  const n = a.size, x = a.data, y = out.data;
  if (kind === 'tanh') for (let i = 0; i < n; i++) y[i] = Math.tanh(x[i]);
  else if (kind === 'relu') for (let i = 0; i < n; i++) y[i] = x[i] > 0 ? x[i] : x[i] === x[i] ? 0 : x[i];
  else for (let i = 0; i < n; i++) y[i] = sigmoidScalar(x[i]);
  if (out.requiresGrad) {
    const t = tape!;
    t.record(out, () => {
      const g = out.grad!, ga = t.gradOf(a);
      if (kind === 'tanh') for (let i = 0; i < n; i++) ga[i] += g[i] * sech2(x[i]);
      else if (kind === 'relu') for (let i = 0; i < n; i++) ga[i] += x[i] > 0 ? g[i] : 0;
      else for (let i = 0; i < n; i++) ga[i] += g[i] * sigmoidDerivative(x[i]);
    });
  }
  return out;
}

/** Elementwise tanh; its VJP uses 1/cosh²(a) from the input, so it does not cancel for large |a|. @example `ad.tanh(z)` */
export function tanh(a: VarLike): Var {
  return unary('tanh', a);
}

/** Elementwise max(a, 0) (derivative 0 at 0, as in PyTorch). @example `ad.relu(z)` */
export function relu(a: VarLike): Var {
  return unary('relu', a);
}

/** Elementwise logistic sigmoid 1/(1+e^{−a}); σ' = e/(1+e)² with e = e^{−|a|}. @example `ad.sigmoid(z)` */
export function sigmoid(a: VarLike): Var {
  return unary('sigmoid', a);
}

/** Labels accepted by {@link softmaxCrossEntropy}. */
export type Labels = Int32Array | Uint8Array | Uint16Array | Int16Array | Uint32Array | readonly number[];

/** Throws a TypeError/RangeError unless `labels` has `n` integers in [0, classes). */
export function assertLabels(labels: unknown, n: number, classes: number, name: string): asserts labels is Labels {
  const typed = labels instanceof Int32Array || labels instanceof Uint8Array || labels instanceof Uint16Array ||
    labels instanceof Int16Array || labels instanceof Uint32Array;
  if (!typed && !Array.isArray(labels)) {
    throw new TypeError(`${name}: expected an integer typed array (Int32Array, Uint8Array, …) or number[] of class indices, got ${kindOf(labels)}`);
  }
  const l = labels as ArrayLike<number>;
  if (l.length !== n) throw new RangeError(`${name}: expected ${n} labels (one per batch row), got ${l.length}`);
  for (let i = 0; i < n; i++) {
    const y = l[i];
    if (typeof y !== 'number' || !Number.isInteger(y) || y < 0 || y >= classes) {
      throw new RangeError(`${name}[${i}] = ${String(y)} is outside [0, ${classes}) (${classes} classes)`);
    }
  }
}

/**
 * Softmax cross-entropy of logits `[B,C]` against integer labels (length B), averaged over the batch:
 * mean_b (logsumexp(z_b) − z_b[y_b]), computed in float64 with the max subtracted. VJP:
 * (softmax(z) − onehot(y))/B. An empty batch (B = 0) is a RangeError: its mean is undefined.
 *
 * @example
 * ```ts
 * const loss = ad.softmaxCrossEntropy(logits, new Int32Array([3, 1]));
 * ```
 */
export function softmaxCrossEntropy(logitsIn: VarLike, labels: Labels): Var {
  const tape = tapeOf('softmaxCrossEntropy', logitsIn);
  const z = lift(logitsIn, tape, 'softmaxCrossEntropy: logits');
  if (z.shape.length !== 2) throw new RangeError(`softmaxCrossEntropy: logits must have shape [B,C], got ${formatShape(z.shape)}`);
  const [B, C] = z.shape;
  assertLabels(labels, B, C, 'softmaxCrossEntropy: labels');
  if (B === 0) throw new RangeError(`softmaxCrossEntropy: logits ${formatShape(z.shape)} hold no rows; the mean over an empty batch is undefined`);
  const out = newVar(tape, [], z.requiresGrad);
  const zd = z.data;
  const p = out.requiresGrad ? tape!.alloc(B * C) : null;
  let total = 0;
  for (let b = 0; b < B; b++) {
    const off = b * C;
    let max = -Infinity;
    for (let c = 0; c < C; c++) if (zd[off + c] > max) max = zd[off + c];
    let s = 0;
    for (let c = 0; c < C; c++) s += Math.exp(zd[off + c] - max);
    const lse = max + Math.log(s);
    total += lse - zd[off + labels[b]];
    if (p !== null) for (let c = 0; c < C; c++) p[off + c] = Math.exp(zd[off + c] - lse);
  }
  out.data[0] = total / B;
  if (out.requiresGrad) {
    const t = tape!;
    t.record(out, () => {
      const g0 = out.grad![0] / B, gz = t.gradOf(z);
      for (let b = 0; b < B; b++) {
        const off = b * C;
        for (let c = 0; c < C; c++) gz[off + c] += g0 * p![off + c];
        gz[off + labels[b]] -= g0;
      }
    });
  }
  return out;
}

/**
 * Mean squared error mean((pred − target)²) over every element (shapes must match). Either argument
 * may be a Var; accumulated in float64. Empty inputs are a RangeError: their mean is undefined.
 *
 * @example
 * ```ts
 * const loss = ad.mse(y, targets);
 * ```
 */
export function mse(predIn: VarLike, targetIn: VarLike): Var {
  const tape = tapeOf('mse', predIn, targetIn);
  const p = lift(predIn, tape, 'mse: pred');
  const q = lift(targetIn, tape, 'mse: target');
  if (!sameShape(p.shape, q.shape)) {
    throw new RangeError(`mse: target must have the shape of pred ${formatShape(p.shape)}, got ${formatShape(q.shape)}`);
  }
  const n = p.size, pd = p.data, qd = q.data;
  if (n === 0) throw new RangeError(`mse: pred is empty (shape ${formatShape(p.shape)}); the mean is undefined`);
  const out = newVar(tape, [], p.requiresGrad || q.requiresGrad);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = pd[i] - qd[i];
    s += d * d;
  }
  out.data[0] = s / n;
  if (out.requiresGrad) {
    const t = tape!;
    t.record(out, () => {
      const c = (2 * out.grad![0]) / n;
      if (p.requiresGrad) {
        const gp = t.gradOf(p);
        for (let i = 0; i < n; i++) gp[i] += c * (pd[i] - qd[i]);
      }
      if (q.requiresGrad) {
        const gq = t.gradOf(q);
        for (let i = 0; i < n; i++) gq[i] -= c * (pd[i] - qd[i]);
      }
    });
  }
  return out;
}

function reduce(kind: 'sum' | 'mean', aIn: VarLike): Var {
  const tape = tapeOf(kind, aIn);
  const a = lift(aIn, tape, `${kind}: a`);
  const n = a.size, x = a.data;
  if (kind === 'mean' && n === 0) throw new RangeError(`mean: a is empty (shape ${formatShape(a.shape)}); the mean is undefined (the sum of an empty tensor is 0)`);
  const out = newVar(tape, [], a.requiresGrad);
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i];
  out.data[0] = kind === 'sum' ? s : s / n;
  if (out.requiresGrad) {
    const t = tape!;
    t.record(out, () => {
      const g = kind === 'sum' ? out.grad![0] : out.grad![0] / n;
      const ga = t.gradOf(a);
      for (let i = 0; i < n; i++) ga[i] += g;
    });
  }
  return out;
}

/** Sum of all elements (a scalar, accumulated in float64); an empty tensor sums to 0. @example `ad.sum(ad.mul(x, x))` */
export function sum(a: VarLike): Var {
  return reduce('sum', a);
}

/** Mean of all elements (a scalar); an empty tensor is a RangeError (its mean is undefined), as for core `mean`. @example `ad.mean(ad.tanh(z))` */
export function mean(a: VarLike): Var {
  return reduce('mean', a);
}

/**
 * One time step of a batch-first sequence: `x[:, t, :]` of `x [B,T,N]` as `[B,N]`; negative `t`
 * counts from the end (−1 is the last step). VJP: the gradient is scattered back into slot t.
 *
 * @example
 * ```ts
 * const last = ad.timeStep(states, -1);   // [B,H]
 * ```
 */
export function timeStep(xIn: VarLike, t: number): Var {
  const tape = tapeOf('timeStep', xIn);
  const x = lift(xIn, tape, 'timeStep: x');
  if (x.shape.length !== 3) throw new RangeError(`timeStep: x must have shape [B,T,N], got ${formatShape(x.shape)}`);
  const [B, T, N] = x.shape;
  assertInteger(t, 'timeStep: t', -T, T - 1);
  const s = t < 0 ? T + t : t;
  const out = newVar(tape, [B, N], x.requiresGrad);
  const xd = x.data, od = out.data;
  for (let b = 0; b < B; b++) {
    const src = (b * T + s) * N, dst = b * N;
    for (let j = 0; j < N; j++) od[dst + j] = xd[src + j];
  }
  if (out.requiresGrad) {
    const tp = tape!;
    tp.record(out, () => {
      // only slot s receives a gradient: the other slots are left unfilled until a reader needs them
      const g = out.grad!, gx = tp.gradOfStep(x, s);
      for (let b = 0; b < B; b++) {
        const dst = (b * T + s) * N, src = b * N;
        for (let j = 0; j < N; j++) gx[dst + j] += g[src + j];
      }
    });
  }
  return out;
}

/**
 * The same values with another shape of equal size (one dimension may be −1). Shares the data.
 *
 * @example
 * ```ts
 * const flat = ad.reshape(states, [-1, H]);   // [B,T,H] → [B·T,H]
 * ```
 */
export function reshape(aIn: VarLike, shape: readonly number[]): Var {
  const tape = tapeOf('reshape', aIn);
  const a = lift(aIn, tape, 'reshape: a');
  const s = resolveShape(shape, a.size, 'reshape', formatShape(a.shape));
  const out = new Var(s, a.data, a.requiresGrad, tape);
  if (out.requiresGrad) {
    const t = tape!;
    t.record(out, () => {
      const g = out.grad!, ga = t.gradOf(a);
      for (let i = 0; i < g.length; i++) ga[i] += g[i];
    });
  }
  return out;
}
