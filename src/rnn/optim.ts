/**
 * Optimizers (SGD with momentum, Adam) and gradient-norm clipping over a record of parameter
 * tensors, updating in place. Optimizer state is plain data (numbers and Float64Array moments).
 */
import { assertNumber, assertTensor, firstNonFinite, formatShape } from '../core/errors.js';
import { checkOptionKeys, kindOf, readOptions } from '../core/options.js';
import { ADAM_KEYS, SGD_KEYS } from './option-keys.js';
import type { Tensor } from '../core/tensor.js';

/** Adam (Kingma & Ba 2015), with PyTorch's defaults and bias correction. */
export interface AdamSpec {
  type: 'adam';
  /** Learning rate (default 1e-3). */
  lr?: number;
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-8 (added to √v̂, as PyTorch). */
  eps?: number;
  /** L2 penalty added to the gradient (PyTorch's Adam `weight_decay`), default 0. */
  weightDecay?: number;
}

/** Stochastic gradient descent with optional (Nesterov) momentum, as PyTorch's torch.optim.SGD. */
export interface SgdSpec {
  type: 'sgd';
  /** Learning rate (default 0.01). */
  lr?: number;
  /** Default 0. */
  momentum?: number;
  /** Default 0. */
  dampening?: number;
  /** Default false. */
  nesterov?: boolean;
  /** L2 penalty added to the gradient, default 0. */
  weightDecay?: number;
}

/** An optimizer by name (defaults) or with its hyperparameters. */
export type OptimizerSpec = 'adam' | 'sgd' | AdamSpec | SgdSpec;

/** The state of an optimizer: hyperparameters, the step count and per-parameter moments. */
export interface OptimizerState {
  type: 'adam' | 'sgd';
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  momentum: number;
  dampening: number;
  nesterov: boolean;
  weightDecay: number;
  /** Completed update steps. */
  step: number;
  /** Adam's first moment or SGD's momentum buffer, per parameter name. */
  m: Record<string, Float64Array>;
  /** Adam's second moment, per parameter name (empty for SGD). */
  v: Record<string, Float64Array>;
}

/** A record of named parameter tensors (RnnParams is one). */
export type NamedTensors = { readonly [name: string]: Tensor };

/**
 * The same record typed from the caller's own parameter type P (an interface such as RnnParams has
 * no index signature, so it is not assignable to NamedTensors itself).
 */
export type TensorsOf<P> = { readonly [K in keyof P]: Tensor };

/**
 * Creates the state of an optimizer for the given parameters (moments start at zero).
 *
 * @example
 * ```ts
 * const opt = createOptimizer({ type: 'adam', lr: 1e-3 }, rnn.params);
 * optimizerStep(opt, rnn.params, grads);
 * ```
 */
export function createOptimizer<P extends TensorsOf<P>>(spec: OptimizerSpec, params: P): OptimizerState;
export function createOptimizer(spec: OptimizerSpec, params: NamedTensors): OptimizerState {
  if (spec === null || (typeof spec !== 'object' && typeof spec !== 'string')) {
    throw new TypeError(`createOptimizer: spec must be 'adam', 'sgd' or { type, ... }, got ${spec === null ? 'null' : typeof spec}`);
  }
  const s = (typeof spec === 'string' ? { type: spec } : readOptions(spec, 'createOptimizer', 'spec')) as AdamSpec | SgdSpec;
  const what = typeof spec === 'string' ? 'spec' : 'spec.type';
  const type = (s as { type?: unknown }).type;
  if (typeof type !== 'string') throw new TypeError(`createOptimizer: ${what}: expected 'adam' or 'sgd', got ${kindOf(type)}`);
  if (type !== 'adam' && type !== 'sgd') throw new RangeError(`createOptimizer: ${what}: expected 'adam' or 'sgd', got '${type}'`);
  if (typeof spec !== 'string') checkOptionKeys(s, type === 'adam' ? ADAM_KEYS : SGD_KEYS, 'createOptimizer', 'spec');
  const adam = s.type === 'adam' ? s : ({} as AdamSpec);
  const sgd = s.type === 'sgd' ? s : ({} as SgdSpec);
  const state: OptimizerState = {
    type: s.type,
    lr: s.lr ?? (s.type === 'adam' ? 1e-3 : 1e-2),
    beta1: adam.beta1 ?? 0.9,
    beta2: adam.beta2 ?? 0.999,
    eps: adam.eps ?? 1e-8,
    momentum: sgd.momentum ?? 0,
    dampening: sgd.dampening ?? 0,
    nesterov: sgd.nesterov ?? false,
    weightDecay: s.weightDecay ?? 0,
    step: 0,
    m: {},
    v: {},
  };
  assertNumber(state.lr, 'createOptimizer: lr', 0);
  assertNumber(state.beta1, 'createOptimizer: beta1', 0, 1);
  assertNumber(state.beta2, 'createOptimizer: beta2', 0, 1);
  if (state.beta1 >= 1 || state.beta2 >= 1) throw new RangeError(`createOptimizer: beta1 and beta2 must be < 1, got ${state.beta1}, ${state.beta2}`);
  assertNumber(state.eps, 'createOptimizer: eps', 0);
  if (state.type === 'adam' && !(state.eps > 0)) {
    throw new RangeError(`createOptimizer: Adam needs eps > 0 (a zero gradient would give 0/0 = NaN weights), got ${state.eps}`);
  }
  if (typeof state.nesterov !== 'boolean') throw new TypeError(`createOptimizer: nesterov must be a boolean, got ${typeof state.nesterov}`);
  assertNumber(state.momentum, 'createOptimizer: momentum', 0);
  assertNumber(state.dampening, 'createOptimizer: dampening', 0, 1);
  assertNumber(state.weightDecay, 'createOptimizer: weightDecay', 0);
  if (state.nesterov && (state.momentum <= 0 || state.dampening !== 0)) {
    throw new RangeError('createOptimizer: nesterov momentum needs momentum > 0 and dampening 0');
  }
  if (params === null || typeof params !== 'object') throw new TypeError(`createOptimizer: params must be a record of Tensors, got ${typeof params}`);
  for (const k of Object.keys(params)) assertTensor(params[k], `createOptimizer: params.${k}`);
  assertNoSharedStorage(params, Object.keys(params), 'createOptimizer');
  for (const k of Object.keys(params)) {
    const n = params[k].data.length;
    if (state.type === 'adam' || state.momentum > 0) state.m[k] = new Float64Array(n);
    if (state.type === 'adam') state.v[k] = new Float64Array(n);
  }
  return state;
}

function checkRecord(v: unknown, name: string): void {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new TypeError(`${name}: expected an object of named tensors, got ${v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v}`);
  }
}

function checkPair(state: OptimizerState, params: NamedTensors, grads: NamedTensors, what: string): string[] {
  checkRecord(params, `${what}: params`);
  checkRecord(grads, `${what}: grads`);
  const keys = Object.keys(params);
  for (const k of keys) {
    assertTensor(params[k], `${what}: params.${k}`);
    assertTensor(grads[k], `${what}: grads.${k}`);
    if (grads[k].data.length !== params[k].data.length) {
      throw new RangeError(`${what}: grads.${k} must have the shape of params.${k} ${formatShape(params[k].shape)}, got ${formatShape(grads[k].shape)}`);
    }
    const slot = state.m[k] ?? state.v[k];
    if ((state.type === 'adam' || state.momentum > 0) && (slot === undefined || slot.length !== params[k].data.length)) {
      throw new RangeError(`${what}: the optimizer state has no moment of length ${params[k].data.length} for '${k}' (create it with createOptimizer for these parameters)`);
    }
  }
  assertNoSharedStorage(params, keys, what);
  return keys;
}

/**
 * Refuses two parameters whose data overlap in memory (tied weights passed twice): each would be
 * stepped from the same old values and one update would silently overwrite the other.
 */
function assertNoSharedStorage(params: NamedTensors, keys: string[], what: string): void {
  for (let i = 0; i < keys.length; i++) {
    const a = params[keys[i]].data;
    for (let j = i + 1; j < keys.length; j++) {
      const b = params[keys[j]].data;
      if (a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength) {
        throw new RangeError(`${what}: params.${keys[i]} and params.${keys[j]} share memory (tied weights); pass each parameter once`);
      }
    }
  }
}

/**
 * One update of the parameters in place from their gradients, with learning rate `lr` (default: the
 * state's). Shapes are checked before anything is written.
 *
 * @example
 * ```ts
 * const opt = createOptimizer('adam', rnn.params);
 * const { grads } = rnnLoss(rnn, batch);
 * optimizerStep(opt, rnn.params, grads, 1e-3);
 * ```
 */
export function optimizerStep<P extends TensorsOf<P>>(state: OptimizerState, params: P, grads: TensorsOf<P>, lr?: number): void;
export function optimizerStep(state: OptimizerState, params: NamedTensors, grads: NamedTensors, lr = state.lr): void {
  if (state === null || typeof state !== 'object' || (state.type !== 'adam' && state.type !== 'sgd')) {
    throw new TypeError('optimizerStep: state must come from createOptimizer');
  }
  assertNumber(lr, 'optimizerStep: lr', 0);
  checkHyper(state);
  const keys = checkPair(state, params, grads, 'optimizerStep');
  for (const k of keys) {
    const g = grads[k].data;
    const i = firstNonFinite(g);
    if (i >= 0) throw new RangeError(`optimizerStep: grads.${k} holds ${g[i]} at flat index ${i}; nothing was updated`);
  }
  // Compute the step into scratch copies, check them, then commit: a failed step changes nothing.
  // The copies live in buffers kept with the state (reused by every step, not reallocated).
  const step = state.step + 1;
  const next: Record<string, { p: Float32Array; m?: Float64Array; v?: Float64Array }> = {};
  const buf = scratchFor(state, keys.reduce((n, k) => n + params[k].data.length, 0));
  let off = 0;
  for (const k of keys) {
    const len = params[k].data.length;
    const p = copyInto(buf.p.subarray(off, off + len), params[k].data);
    const m = state.m[k] === undefined ? undefined : copyInto(buf.m.subarray(off, off + len), state.m[k]);
    const v = state.v[k] === undefined ? undefined : copyInto(buf.v.subarray(off, off + len), state.v[k]);
    off += len;
    stepOne(state, step, lr, p, grads[k].data, m, v);
    const bad = firstNonFinite(p);
    if (bad >= 0) {
      throw new RangeError(
        `optimizerStep: the update would make params.${k} non-finite (${p[bad]} at flat index ${bad}, lr ${lr}); the parameters and the optimizer state are unchanged`,
      );
    }
    next[k] = { p, m, v };
  }
  for (const k of keys) {
    const n = next[k];
    params[k].data.set(n.p);
    if (n.m !== undefined) state.m[k].set(n.m);
    if (n.v !== undefined) state.v[k].set(n.v);
  }
  state.step = step;
}

/** Scratch copies of parameters and moments for one optimizer state (weakly held with it). */
const scratch = new WeakMap<OptimizerState, { p: Float32Array; m: Float64Array; v: Float64Array }>();

function scratchFor(state: OptimizerState, n: number): { p: Float32Array; m: Float64Array; v: Float64Array } {
  let s = scratch.get(state);
  if (s === undefined || s.p.length < n) {
    s = { p: new Float32Array(n), m: new Float64Array(n), v: new Float64Array(n) };
    scratch.set(state, s);
  }
  return s;
}

/** dst ← src; a src of another length (a moment the update does not use) is copied on its own. */
function copyInto<T extends Float32Array | Float64Array>(dst: T, src: T): T {
  if (src.length !== dst.length) return src.slice() as T;
  dst.set(src);
  return dst;
}

function checkHyper(state: OptimizerState): void {
  const { beta1, beta2, eps, momentum, dampening, weightDecay, step } = state;
  assertNumber(beta1, 'optimizerStep: state.beta1', 0, 1);
  assertNumber(beta2, 'optimizerStep: state.beta2', 0, 1);
  assertNumber(eps, 'optimizerStep: state.eps', 0);
  assertNumber(momentum, 'optimizerStep: state.momentum', 0);
  assertNumber(dampening, 'optimizerStep: state.dampening', 0, 1);
  assertNumber(weightDecay, 'optimizerStep: state.weightDecay', 0);
  assertNumber(step, 'optimizerStep: state.step', 0);
  if (state.type === 'adam' && (!(eps > 0) || beta1 >= 1 || beta2 >= 1)) {
    throw new RangeError(`optimizerStep: Adam needs eps > 0 and beta1, beta2 < 1, got eps ${eps}, beta1 ${beta1}, beta2 ${beta2}`);
  }
}

/** One update of one parameter, in place on the given arrays (the unchecked inner loop). */
function stepOne(
  state: OptimizerState, step: number, lr: number,
  p: Float32Array, g: Float32Array, m: Float64Array | undefined, v: Float64Array | undefined,
): void {
  const wd = state.weightDecay;
  if (state.type === 'adam') {
    const { beta1: b1, beta2: b2, eps } = state;
    const bc1 = 1 - Math.pow(b1, step);
    const sqrtBc2 = Math.sqrt(1 - Math.pow(b2, step));
    const stepSize = lr / bc1;
    const mm = m!, vv = v!;
    for (let i = 0; i < p.length; i++) {
      const gi = wd === 0 ? g[i] : g[i] + wd * p[i];
      const mi = b1 * mm[i] + (1 - b1) * gi;
      const vi = b2 * vv[i] + (1 - b2) * gi * gi;
      mm[i] = mi;
      vv[i] = vi;
      p[i] -= (stepSize * mi) / (Math.sqrt(vi) / sqrtBc2 + eps);
    }
    return;
  }
  const { momentum: mu, dampening, nesterov } = state;
  if (mu === 0) {
    for (let i = 0; i < p.length; i++) p[i] -= lr * (wd === 0 ? g[i] : g[i] + wd * p[i]);
    return;
  }
  const first = step === 1;
  const mm = m!;
  for (let i = 0; i < p.length; i++) {
    const gi = wd === 0 ? g[i] : g[i] + wd * p[i];
    const bi = first ? gi : mu * mm[i] + (1 - dampening) * gi;
    mm[i] = bi;
    p[i] -= lr * (nesterov ? gi + mu * bi : bi);
  }
}

/** The global L2 norm of all gradients, accumulated in float64. @example `gradNorm(grads)` */
export function gradNorm<G extends TensorsOf<G>>(grads: G): number;
export function gradNorm(grads: NamedTensors): number {
  return normOf(grads, 'gradNorm');
}

function normOf(grads: NamedTensors, what: string): number {
  checkRecord(grads, `${what}: grads`);
  let s = 0;
  for (const k of Object.keys(grads)) {
    assertTensor(grads[k], `${what}: grads.${k}`);
    const g = grads[k].data;
    for (let i = 0; i < g.length; i++) s += g[i] * g[i];
  }
  return Math.sqrt(s);
}

/**
 * Scales all gradients in place so that their global L2 norm is at most `maxNorm` (as PyTorch's
 * clip_grad_norm_: factor min(1, maxNorm/(norm + 1e-6)), which is below 1 from norm > maxNorm − 1e-6)
 * and returns the norm before clipping. A non-finite norm is returned and the gradients are left as they are.
 *
 * @example
 * ```ts
 * const norm = clipGradNorm(grads, 1);
 * ```
 */
export function clipGradNorm<G extends TensorsOf<G>>(grads: G, maxNorm: number): number;
export function clipGradNorm(grads: NamedTensors, maxNorm: number): number {
  assertNumber(maxNorm, 'clipGradNorm: maxNorm', 0);
  const norm = normOf(grads, 'clipGradNorm');
  // PyTorch multiplies by min(1, maxNorm/(norm + 1e-6)) whatever the norm, so a norm within 1e-6
  // below maxNorm is scaled too (by 2/3 at norm 5e-7 with maxNorm 1e-6)
  const c = maxNorm / (norm + 1e-6);
  if (Number.isFinite(norm) && c < 1) {
    for (const k of Object.keys(grads)) {
      const g = grads[k].data;
      for (let i = 0; i < g.length; i++) g[i] *= c;
    }
  }
  return norm;
}

function reviveArray(v: unknown, name: string): Float64Array {
  if (v instanceof Float64Array) return v.slice();
  if (Array.isArray(v)) return Float64Array.from(v as number[]);
  if (v !== null && typeof v === 'object') {
    // JSON.stringify of a Float64Array: { "0": x0, "1": x1, … }
    const o = v as Record<string, unknown>;
    const n = Object.keys(o).length;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const x = o[String(i)];
      if (typeof x !== 'number') throw new TypeError(`${name}[${i}]: expected a number, got ${x === null ? 'null' : typeof x}`);
      out[i] = x;
    }
    return out;
  }
  throw new TypeError(`${name}: expected a Float64Array, a number[] or its JSON, got ${v === null ? 'null' : typeof v}`);
}

/**
 * Rebuilds an optimizer state from its JSON (`JSON.parse(JSON.stringify(history.optimizer))`) or
 * from a state object, as a fresh copy with Float64Array moments; the values round-trip exactly
 * (JSON prints float64 numbers in their shortest exact form). Hyperparameters are validated.
 *
 * @example
 * ```ts
 * const saved = JSON.stringify(history.optimizer);
 * const state = loadOptimizerState(JSON.parse(saved));   // or pass the string
 * ```
 */
export function loadOptimizerState(json: unknown): OptimizerState {
  let doc = json;
  if (typeof doc === 'string') {
    try {
      doc = JSON.parse(doc);
    } catch (err) {
      throw new TypeError(`loadOptimizerState: json: not valid JSON: ${(err as Error).message}`);
    }
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    throw new TypeError(`loadOptimizerState: json: expected an optimizer state (an object or its JSON string), got ${kindOf(doc)}`);
  }
  const d = readOptions(doc as Partial<OptimizerState>, 'loadOptimizerState', 'json');
  if (typeof d.type !== 'string') throw new TypeError(`loadOptimizerState: json.type: expected 'adam' or 'sgd', got ${kindOf(d.type)}`);
  if (d.type !== 'adam' && d.type !== 'sgd') throw new RangeError(`loadOptimizerState: json.type: expected 'adam' or 'sgd', got '${String(d.type)}'`);
  const state: OptimizerState = {
    type: d.type, lr: d.lr as number, beta1: d.beta1 as number, beta2: d.beta2 as number, eps: d.eps as number,
    momentum: d.momentum as number, dampening: d.dampening as number, nesterov: d.nesterov as boolean,
    weightDecay: d.weightDecay as number, step: d.step as number, m: {}, v: {},
  };
  assertNumber(state.lr, 'loadOptimizerState: lr', 0);
  if (typeof state.nesterov !== 'boolean') throw new TypeError(`loadOptimizerState: nesterov must be a boolean, got ${typeof state.nesterov}`);
  checkHyper(state);
  if (!Number.isInteger(state.step)) throw new RangeError(`loadOptimizerState: step must be an integer, got ${state.step}`);
  for (const slot of ['m', 'v'] as const) {
    const src = d[slot] as Record<string, unknown> | undefined;
    if (src === undefined) continue;
    if (src === null || typeof src !== 'object') throw new TypeError(`loadOptimizerState: ${slot} must be a record of arrays, got ${src === null ? 'null' : typeof src}`);
    for (const k of Object.keys(src)) {
      const a = reviveArray(src[k], `loadOptimizerState: ${slot}.${k}`);
      const bad = firstNonFinite(a);
      if (bad >= 0) throw new RangeError(`loadOptimizerState: ${slot}.${k} holds ${a[bad]} at index ${bad}`);
      state[slot][k] = a;
    }
  }
  return state;
}
