/**
 * The tape: every differentiable op run inside `valueAndGrad` appends one node holding its
 * vector-Jacobian product; `backward` walks the nodes in reverse, accumulating gradients (so a value
 * that feeds several ops receives the sum of their contributions).
 */
import { assertTensor, formatShape, type FloatArray } from '../core/errors.js';
import { sizeOf, type Tensor } from '../core/tensor.js';
import { BufferPool, type DType } from './pool.js';

export type { DType } from './pool.js';

/**
 * A value on the tape: a shape, its data (Float32Array, or Float64Array on a float64 tape) and,
 * after the backward pass, its gradient. Vars are created by `valueAndGrad` (one per parameter) and
 * by the ops in `ad`; their buffers belong to the tape and are reused by the next call, so read
 * them only inside the differentiated function.
 *
 * @example
 * ```ts
 * const f = valueAndGrad((p: { w: Var }) => ad.sum(ad.mul(p.w, p.w)));
 * const { value, grads } = f({ w: tensor([1, 2, 3]) }); // value 14, grads.w = [2, 4, 6]
 * ```
 */
export class Var {
  /** Dimensions, row-major. */
  readonly shape: readonly number[];
  /** The values. */
  readonly data: FloatArray;
  /** The gradient of the output with respect to this value (null until something flows into it). */
  grad: FloatArray | null = null;
  /** True when the value depends on a differentiated parameter. */
  readonly requiresGrad: boolean;
  /** The tape that records ops on this value (null for constants made outside any tape). */
  readonly tape: Tape | null;

  constructor(shape: readonly number[], data: FloatArray, requiresGrad: boolean, tape: Tape | null) {
    this.shape = shape;
    this.data = data;
    this.requiresGrad = requiresGrad;
    this.tape = tape;
  }

  /** Number of elements. */
  get size(): number {
    return this.data.length;
  }
}

/** Anything an op accepts: a Var, or a Tensor used as a constant. */
export type VarLike = Var | Tensor;

/** True when `v` is a {@link Var}. @example `isVar(x) ? x.grad : null` */
export function isVar(v: unknown): v is Var {
  return v instanceof Var;
}

interface Node {
  out: Var;
  backward: () => void;
  /** True when `backward` reads a one-step gradient of `out` itself (see {@link Tape.liveStep}). */
  stepAware: boolean;
}

/** A record of ops, with the buffer pool their values and gradients come from. */
export class Tape {
  readonly dtype: DType;
  private readonly pool: BufferPool;
  private readonly nodes: Node[] = [];
  /**
   * Gradients of [B,T,N] values of which only one time slot was written (by {@link Tape.gradOfStep}):
   * the value is that slot; the other slots of the buffer are unwritten and stand for zeros until
   * {@link Tape.densify} fills them.
   */
  private readonly oneStep = new Map<Var, number>();

  constructor(dtype: DType, pool: BufferPool) {
    this.dtype = dtype;
    this.pool = pool;
  }

  /** A buffer of the tape's type (dirty unless `zero`). */
  alloc(n: number, zero = false): FloatArray {
    return this.pool.take(this.dtype, n, zero);
  }

  /** A float64 scratch buffer, whatever the tape's type. */
  alloc64(n: number, zero = false): Float64Array {
    return this.pool.take('float64', n, zero) as Float64Array;
  }

  /** Appends an op's backward closure; it runs only if `out` received a gradient. */
  record(out: Var, backward: () => void, stepAware = false): void {
    this.nodes.push({ out, backward, stepAware });
  }

  /** The gradient buffer of `v` (every element valid: zero-filled on first use), to accumulate into. */
  gradOf(v: Var): FloatArray {
    if (v.grad === null) v.grad = this.alloc(v.data.length, true);
    else if (this.oneStep.size > 0) this.densify(v);
    return v.grad;
  }

  /**
   * The gradient buffer of a [B,T,N] value `v` for a caller that accumulates into time slot `t`
   * only. On first use only that slot is zeroed (the rest of the buffer is left unwritten and stands
   * for zeros: {@link Tape.gradOf}, the backward pass of a node that is not step-aware, and the end of
   * {@link Tape.backward} fill it); otherwise the same as gradOf.
   */
  gradOfStep(v: Var, t: number): FloatArray {
    if (v.grad !== null) return this.oneStep.get(v) === t ? v.grad : this.gradOf(v);
    const [B, T, N] = v.shape;
    const g = (v.grad = this.alloc(v.data.length));
    for (let b = 0; b < B; b++) g.fill(0, (b * T + t) * N, (b * T + t + 1) * N);
    this.oneStep.set(v, t);
    return g;
  }

  /** The time slot t when only slot t of v's [B,T,N] gradient is written (the rest zeros, unfilled), else −1. */
  liveStep(v: Var): number {
    return this.oneStep.get(v) ?? -1;
  }

  /** Zero-fills the unwritten slots of a one-step gradient (nothing when v's gradient is complete). */
  densify(v: Var): void {
    const t = this.oneStep.get(v);
    if (t === undefined) return;
    this.oneStep.delete(v);
    const [B, T, N] = v.shape;
    const g = v.grad!;
    for (let b = 0; b < B; b++) {
      g.fill(0, b * T * N, (b * T + t) * N);
      g.fill(0, (b * T + t + 1) * N, (b + 1) * T * N);
    }
  }

  /** Seeds d(root)/d(root) = 1 and runs every recorded backward closure in reverse order. */
  backward(root: Var): void {
    if (root.data.length !== 1) {
      throw new RangeError(`backward: the differentiated function must return a scalar Var (one element), got shape ${formatShape(root.shape)}`);
    }
    const g = this.gradOf(root);
    g[0] += 1;
    for (let i = this.nodes.length - 1; i >= 0; i--) {
      const node = this.nodes[i];
      if (node.out.grad === null) continue;
      if (this.oneStep.size === 0) node.backward();
      else if (!node.stepAware) {
        this.densify(node.out);
        node.backward();
      } else {
        node.backward();
        // read once, by its node: an op's output gradient is never needed after its node has run
        // (the gradients read after the pass are the parameters', which have no node)
        this.oneStep.delete(node.out);
      }
    }
    // leaves (parameters, and constants lifted onto the tape) hold complete gradients
    for (const v of [...this.oneStep.keys()]) this.densify(v);
  }
}

/** The tape shared by the Var arguments (null when all are constants); throws if two tapes are mixed. */
export function tapeOf(op: string, ...args: (VarLike | undefined | null)[]): Tape | null {
  let tape: Tape | null = null;
  for (const a of args) {
    if (a instanceof Var && a.tape !== null) {
      if (tape === null) tape = a.tape;
      else if (tape !== a.tape) {
        throw new TypeError(`${op}: the arguments come from different valueAndGrad calls; Vars cannot be carried between calls`);
      }
    }
  }
  return tape;
}

/** Turns a Tensor constant into a Var on the tape (copied to float64 on a float64 tape); passes Vars through. */
export function lift(x: VarLike, tape: Tape | null, name: string): Var {
  if (x instanceof Var) return x;
  assertTensor(x, name);
  if (tape !== null && tape.dtype === 'float64') {
    const d = tape.alloc(x.data.length);
    d.set(x.data);
    return new Var(x.shape, d, false, tape);
  }
  return new Var(x.shape, x.data, false, tape);
}

/** A fresh output Var of the given shape on the tape (or a plain allocation when there is no tape). */
export function newVar(tape: Tape | null, shape: readonly number[], requiresGrad: boolean, zero = false): Var {
  const n = sizeOf(shape);
  const data = tape !== null ? tape.alloc(n, zero) : new Float32Array(n);
  return new Var(shape, data, requiresGrad && tape !== null, tape);
}
