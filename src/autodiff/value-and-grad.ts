/**
 * `valueAndGrad(fn)` and `grad(fn)`: reverse-mode derivatives of a scalar function of a tree of
 * parameter tensors (an object, array, or a single Tensor), built on the tape.
 */
import { checkOptionKeys, readOptions } from '../core/options.js';
import { VALUE_AND_GRAD_KEYS } from './option-keys.js';
import { assertTensor, formatShape, type FloatArray } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import { BufferPool, type DType } from './pool.js';
import { Tape, Var } from './tape.js';

/** Parameters: a Tensor, or objects / arrays of them (nested). */
export type ParamTree = Tensor | readonly ParamTree[] | { readonly [key: string]: ParamTree };

/** The parameter tree as the differentiated function sees it: every Tensor becomes a {@link Var}. */
export type VarTree<P> = P extends Tensor
  ? Var
  : P extends readonly (infer E)[]
    ? VarTree<E>[]
    : { [K in keyof P]: VarTree<P[K]> };

/** Gradients shaped like the parameters: every Tensor becomes a Tensor of the same shape. */
export type GradTree<P> = P extends Tensor
  ? Tensor
  : P extends readonly (infer E)[]
    ? GradTree<E>[]
    : { [K in keyof P]: GradTree<P[K]> };

/** The inverse of {@link VarTree}: the Tensor tree a function of Vars is called with. */
export type TensorTree<V> = V extends Var
  ? Tensor
  : V extends readonly (infer E)[]
    ? TensorTree<E>[]
    : { [K in keyof V]: TensorTree<V[K]> };

/** One parameter tensor of a tree, with its path (e.g. `wRec`, `layers[1].w`). */
export interface ParamLeaf {
  path: string;
  tensor: Tensor;
}

function isTensorLike(v: unknown): boolean {
  return v !== null && typeof v === 'object' && Array.isArray((v as { shape?: unknown }).shape) && ArrayBuffer.isView((v as { data?: unknown }).data);
}

/** The leaves of a parameter tree in a fixed order (object keys in insertion order, arrays by index). */
export function flattenParams(tree: unknown, name: string, path = ''): ParamLeaf[] {
  const out: ParamLeaf[] = [];
  const walk = (v: unknown, p: string): void => {
    if (isTensorLike(v)) {
      assertTensor(v, `${name}${p ? `.${p}` : ''}`);
      out.push({ path: p, tensor: v });
    } else if (Array.isArray(v)) {
      v.forEach((e, i) => walk(e, `${p}[${i}]`));
    } else if (v !== null && typeof v === 'object') {
      for (const k of Object.keys(v)) walk((v as Record<string, unknown>)[k], p ? `${p}.${k}` : k);
    } else {
      throw new TypeError(`${name}${p ? `.${p}` : ''}: expected a Tensor or an object/array of Tensors, got ${v === null ? 'null' : typeof v}`);
    }
  };
  walk(tree, path);
  return out;
}

/** Rebuilds the tree's structure with the given leaves (in {@link flattenParams} order). */
export function unflattenParams<T>(tree: unknown, leaves: readonly T[]): unknown {
  let i = 0;
  const build = (v: unknown): unknown => {
    if (isTensorLike(v)) return leaves[i++];
    if (Array.isArray(v)) return v.map(build);
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v as object)) o[k] = build((v as Record<string, unknown>)[k]);
    return o;
  };
  return build(tree);
}

/** Options of {@link valueAndGrad} and {@link grad}. */
export interface ValueAndGradOptions {
  /**
   * Element type on the tape (default 'float32'). 'float64' runs the whole computation in float64
   * (parameters and constants are widened), e.g. for gradient checks; the returned gradients are
   * still float32 Tensors.
   */
  dtype?: DType;
}

/** The result of a differentiated call. */
export interface ValueAndGrad<P> {
  /** The function's value (the scalar Var's only element). */
  value: number;
  /** d value / d params, shaped like the parameters. */
  grads: GradTree<P>;
}

/** Internal: one evaluation of `fn` on a fresh tape over the pool. Leaves get `leafData` when given. */
export function runOnTape(
  pool: BufferPool, dtype: DType, fn: (p: unknown, ...args: unknown[]) => unknown,
  params: unknown, leaves: readonly ParamLeaf[], args: readonly unknown[], wantGrad: boolean,
  leafData?: readonly FloatArray[],
): { value: number; vars: Var[] } {
  const tape = new Tape(dtype, pool);
  const vars = leaves.map((l, i) => {
    let data: FloatArray;
    if (leafData !== undefined) data = leafData[i];
    else if (dtype === 'float64') {
      data = tape.alloc(l.tensor.data.length);
      data.set(l.tensor.data);
    } else data = l.tensor.data;
    return new Var(l.tensor.shape, data, wantGrad, tape);
  });
  const out = fn(unflattenParams(params, vars), ...args);
  if (!(out instanceof Var)) {
    throw new TypeError(`valueAndGrad: the function must return a scalar Var (the result of an ad op), got ${out === null ? 'null' : typeof out}`);
  }
  if (out.data.length !== 1) {
    throw new RangeError(`valueAndGrad: the function must return a scalar Var (one element), got shape ${formatShape(out.shape)}`);
  }
  if (out.tape !== null && out.tape !== tape) {
    throw new TypeError('valueAndGrad: the returned Var comes from another call; Vars cannot be carried between calls');
  }
  if (wantGrad && out.requiresGrad) tape.backward(out);
  return { value: out.data[0], vars };
}

/** Internal differentiator with a private buffer pool; `call` can write gradients into given tensors. */
export function createDifferentiator(fn: (p: unknown, ...args: unknown[]) => unknown, dtype: DType = 'float32') {
  const pool = new BufferPool();
  let busy = false;
  const name = 'valueAndGrad: params';
  return {
    /** Value and gradients (into `out` tensors when given, else fresh ones). */
    call(params: unknown, args: readonly unknown[], out?: readonly Tensor[]): { value: number; grads: Tensor[]; leaves: ParamLeaf[] } {
      const leaves = flattenParams(params, name);
      const p = busy ? new BufferPool() : pool;
      const own = p === pool;
      if (own) busy = true;
      try {
        const { value, vars } = runOnTape(p, dtype, fn, params, leaves, args, true);
        const grads = leaves.map((l, i) => {
          const g = out !== undefined ? out[i] : { shape: [...l.tensor.shape], data: new Float32Array(l.tensor.data.length) };
          const src = vars[i].grad;
          if (src === null) g.data.fill(0);
          else g.data.set(src);
          return g;
        });
        return { value, grads, leaves };
      } finally {
        p.releaseAll();
        if (own) busy = false;
      }
    },
    /** The value alone (nothing recorded). */
    value(params: unknown, args: readonly unknown[]): number {
      const leaves = flattenParams(params, name);
      const p = busy ? new BufferPool() : pool;
      const own = p === pool;
      if (own) busy = true;
      try {
        return runOnTape(p, dtype, fn, params, leaves, args, false).value;
      } finally {
        p.releaseAll();
        if (own) busy = false;
      }
    },
  };
}

/**
 * Turns a scalar function of parameters into one that returns its value and its gradients, shaped
 * like the parameters. `fn` receives the parameters as {@link Var}s (plus any extra arguments) and
 * must return a scalar Var built with the `ad` ops; Tensors it closes over are constants.
 * Intermediate buffers are pooled and reused by the next call; the returned gradients are fresh
 * Tensors owned by the caller, so there is nothing to dispose.
 *
 * @example
 * ```ts
 * import { ad, valueAndGrad } from 'rnn-lyap/autodiff';
 * const f = valueAndGrad((p: { w: Var; b: Var }, x: Tensor) =>
 *   ad.mean(ad.tanh(ad.add(ad.matmul(x, p.w), p.b))));
 * const { value, grads } = f({ w: randn([3, 2], { seed: 1 }), b: zeros([2]) }, x);
 * grads.w.shape; // [3, 2]
 * ```
 */
export function valueAndGrad<V, A extends unknown[] = []>(
  fn: (params: V, ...args: A) => Var,
  opts: ValueAndGradOptions = {},
): (params: TensorTree<V>, ...args: A) => ValueAndGrad<TensorTree<V>> {
  const o = readOptions(opts, 'valueAndGrad');
  checkOptionKeys(o, VALUE_AND_GRAD_KEYS, 'valueAndGrad');
  const dtype = o.dtype ?? 'float32';
  if (dtype !== 'float32' && dtype !== 'float64') throw new RangeError(`valueAndGrad: dtype must be 'float32' or 'float64', got '${String(dtype)}'`);
  if (typeof fn !== 'function') throw new TypeError(`valueAndGrad: fn must be a function, got ${typeof fn}`);
  const d = createDifferentiator(fn as unknown as (p: unknown, ...args: unknown[]) => unknown, dtype);
  return (params: TensorTree<V>, ...args: A) => {
    const { value, grads } = d.call(params, args);
    return { value, grads: unflattenParams(params, grads) as GradTree<TensorTree<V>> };
  };
}

/**
 * Like {@link valueAndGrad} but returns only the gradients.
 *
 * @example
 * ```ts
 * const g = grad((p: { w: Var }) => ad.sum(ad.mul(p.w, p.w)))({ w: tensor([1, 2]) });
 * g.w.data; // Float32Array [2, 4]
 * ```
 */
export function grad<V, A extends unknown[] = []>(
  fn: (params: V, ...args: A) => Var,
  opts: ValueAndGradOptions = {},
): (params: TensorTree<V>, ...args: A) => GradTree<TensorTree<V>> {
  if (typeof fn !== 'function') throw new TypeError(`grad: fn must be a function, got ${fn === null ? 'null' : typeof fn}`);
  const vg = valueAndGrad(fn, opts);
  return (params: TensorTree<V>, ...args: A) => vg(params, ...args).grads;
}
