/**
 * Optimizers (SGD with momentum, Adam) and gradient-norm clipping over a record of parameter
 * tensors, updating in place. Optimizer state is plain data (numbers and Float64Array moments).
 */
import { assertNumber, assertTensor, formatShape } from '../core/errors.js';
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
  const s: AdamSpec | SgdSpec = typeof spec === 'string' ? ({ type: spec } as AdamSpec | SgdSpec) : spec;
  if (s === null || typeof s !== 'object') throw new TypeError(`createOptimizer: spec must be 'adam', 'sgd' or { type, ... }, got ${s === null ? 'null' : typeof s}`);
  if (s.type !== 'adam' && s.type !== 'sgd') throw new RangeError(`createOptimizer: type must be 'adam' or 'sgd', got '${String((s as { type?: unknown }).type)}'`);
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
  assertNumber(state.momentum, 'createOptimizer: momentum', 0);
  assertNumber(state.dampening, 'createOptimizer: dampening', 0, 1);
  assertNumber(state.weightDecay, 'createOptimizer: weightDecay', 0);
  if (state.nesterov && (state.momentum <= 0 || state.dampening !== 0)) {
    throw new RangeError('createOptimizer: nesterov momentum needs momentum > 0 and dampening 0');
  }
  if (params === null || typeof params !== 'object') throw new TypeError(`createOptimizer: params must be a record of Tensors, got ${typeof params}`);
  for (const k of Object.keys(params)) {
    assertTensor(params[k], `createOptimizer: params.${k}`);
    const n = params[k].data.length;
    if (state.type === 'adam' || state.momentum > 0) state.m[k] = new Float64Array(n);
    if (state.type === 'adam') state.v[k] = new Float64Array(n);
  }
  return state;
}

function checkPair(state: OptimizerState, params: NamedTensors, grads: NamedTensors, what: string): string[] {
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
  return keys;
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
  const keys = checkPair(state, params, grads, 'optimizerStep');
  state.step++;
  const wd = state.weightDecay;
  if (state.type === 'adam') {
    const { beta1: b1, beta2: b2, eps } = state;
    const bc1 = 1 - Math.pow(b1, state.step);
    const sqrtBc2 = Math.sqrt(1 - Math.pow(b2, state.step));
    const stepSize = lr / bc1;
    for (const k of keys) {
      const p = params[k].data, g = grads[k].data, m = state.m[k], v = state.v[k];
      for (let i = 0; i < p.length; i++) {
        const gi = wd === 0 ? g[i] : g[i] + wd * p[i];
        const mi = b1 * m[i] + (1 - b1) * gi;
        const vi = b2 * v[i] + (1 - b2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        p[i] -= (stepSize * mi) / (Math.sqrt(vi) / sqrtBc2 + eps);
      }
    }
    return;
  }
  const { momentum: mu, dampening, nesterov } = state;
  const first = state.step === 1;
  for (const k of keys) {
    const p = params[k].data, g = grads[k].data;
    if (mu === 0) {
      for (let i = 0; i < p.length; i++) p[i] -= lr * (wd === 0 ? g[i] : g[i] + wd * p[i]);
      continue;
    }
    const m = state.m[k];
    for (let i = 0; i < p.length; i++) {
      const gi = wd === 0 ? g[i] : g[i] + wd * p[i];
      const bi = first ? gi : mu * m[i] + (1 - dampening) * gi;
      m[i] = bi;
      p[i] -= lr * (nesterov ? gi + mu * bi : bi);
    }
  }
}

/** The global L2 norm of all gradients, accumulated in float64. @example `gradNorm(grads)` */
export function gradNorm<G extends TensorsOf<G>>(grads: G): number;
export function gradNorm(grads: NamedTensors): number {
  let s = 0;
  for (const k of Object.keys(grads)) {
    assertTensor(grads[k], `gradNorm: grads.${k}`);
    const g = grads[k].data;
    for (let i = 0; i < g.length; i++) s += g[i] * g[i];
  }
  return Math.sqrt(s);
}

/**
 * Scales all gradients in place so that their global L2 norm is at most `maxNorm` (as PyTorch's
 * clip_grad_norm_: factor maxNorm/(norm + 1e-6) when norm > maxNorm) and returns the norm before
 * clipping. A non-finite norm is returned and the gradients are left as they are.
 *
 * @example
 * ```ts
 * const norm = clipGradNorm(grads, 1);
 * ```
 */
export function clipGradNorm<G extends TensorsOf<G>>(grads: G, maxNorm: number): number;
export function clipGradNorm(grads: NamedTensors, maxNorm: number): number {
  assertNumber(maxNorm, 'clipGradNorm: maxNorm', 0);
  const norm = gradNorm(grads);
  if (Number.isFinite(norm) && norm > maxNorm) {
    const c = maxNorm / (norm + 1e-6);
    for (const k of Object.keys(grads)) {
      const g = grads[k].data;
      for (let i = 0; i < g.length; i++) g[i] *= c;
    }
  }
  return norm;
}
