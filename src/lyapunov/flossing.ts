/**
 * Gradient flossing (Engelken, NeurIPS 2023): the regularizer weight·Σ_{i≤k} (λ_i − target)² on the
 * top finite-time Lyapunov exponents of the RNN along trajectories driven by task inputs, and its
 * exact gradient through the QR steps (see {@link lyapunovValueAndGrad}).
 */
import { assertInteger, assertNumber, assertTensor, formatShape } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import type { Rnn, RnnParams } from '../rnn/types.js';
import { lyapunovValueAndGrad } from './differentiable.js';

/** Options of {@link flossingLossAndGrad} (and of `train`'s `flossing`). */
export interface FlossingOptions {
  /** Target of the exponents (default 0: neither exploding nor vanishing). */
  target?: number;
  /** Number of top exponents regularized (default 1). */
  k?: number;
  /** Weight of the regularizer (default 1). */
  weight?: number;
  /** In `train`: add the flossing gradient every this many optimizer steps (default 1). */
  every?: number;
  /** Steps of the inputs used (a prefix of each sequence; default all T). */
  window?: number;
  /** Sequences of the batch used (the first ones; default min(B, 4)). */
  sequences?: number;
  /** Frame warm-up steps (default min(100, ⌊window/10⌋)). */
  frameWarmup?: number;
  /** Seed of the random frame (default 0). */
  seed?: number | string;
}

/** Result of {@link flossingLossAndGrad}. */
export interface FlossingResult {
  /** weight·Σ_{i≤k} (λ_i − target)². */
  loss: number;
  /** The k exponents (mean over the sequences used). */
  exponents: Float64Array;
  /** Gradient of `loss`, shaped like the parameters (wOut, bOut zero). */
  grads: RnnParams;
}

/** @internal validated flossing settings. */
export interface FlossingSettings {
  target: number; k: number; weight: number; every: number; window: number | undefined;
  sequences: number | undefined; frameWarmup: number | undefined; seed: number | string;
}

/** @internal checks the flossing options (own properties only). */
export function checkFlossing(o: unknown, name: string): FlossingSettings {
  if (o === null || typeof o !== 'object') throw new TypeError(`${name}: expected an object { target, k, weight, every, window }, got ${o === null ? 'null' : typeof o}`);
  const get = (key: string): unknown => (Object.prototype.hasOwnProperty.call(o, key) ? (o as Record<string, unknown>)[key] : undefined);
  const target = (get('target') ?? 0) as number;
  assertNumber(target, `${name}.target`);
  const k = (get('k') ?? 1) as number;
  assertInteger(k, `${name}.k`, 1);
  const weight = (get('weight') ?? 1) as number;
  assertNumber(weight, `${name}.weight`, 0);
  const every = (get('every') ?? 1) as number;
  assertInteger(every, `${name}.every`, 1);
  const window = get('window') as number | undefined;
  if (window !== undefined) assertInteger(window, `${name}.window`, 2);
  const sequences = get('sequences') as number | undefined;
  if (sequences !== undefined) assertInteger(sequences, `${name}.sequences`, 1);
  const frameWarmup = get('frameWarmup') as number | undefined;
  if (frameWarmup !== undefined) assertInteger(frameWarmup, `${name}.frameWarmup`, 0);
  const seed = (get('seed') ?? 0) as number | string;
  return { target, k, weight, every, window, sequences, frameWarmup, seed };
}

/**
 * The flossing loss weight·Σ_{i≤k} (λ_i − target)² of the RNN driven by (the first `sequences`
 * sequences and the first `window` steps of) `inputs` [B,T,I], and its gradient.
 *
 * @example
 * ```ts
 * import { initRnn } from 'rnn-lyap/rnn';
 * import { flossingLossAndGrad } from 'rnn-lyap/lyapunov';
 * import { delayedRecallTask } from 'rnn-lyap/data';
 * const rnn = initRnn({ inputSize: 1, hiddenSize: 16, outputSize: 1, gain: 2, seed: 1 });
 * const { x } = delayedRecallTask({ steps: 60, batch: 4, seed: 1 });
 * const { loss, exponents, grads } = flossingLossAndGrad(rnn, x, { k: 4 });
 * ```
 */
export function flossingLossAndGrad(rnn: Rnn, inputs: Tensor, opts: FlossingOptions = {}): FlossingResult {
  return flossingChecked(rnn, inputs, checkFlossing(opts, 'flossingLossAndGrad: opts'), 'flossingLossAndGrad');
}

/** @internal */
export function flossingChecked(rnn: Rnn, inputs: Tensor, s: FlossingSettings, name: string): FlossingResult {
  assertTensor(inputs, `${name}: inputs`);
  const sh = inputs.shape;
  if (sh.length !== 3) throw new RangeError(`${name}: inputs must be [B,T,I], got ${formatShape(sh)}`);
  const [B, T, I] = sh;
  const nb = Math.min(B, s.sequences ?? 4);
  const w = Math.min(T, s.window ?? T);
  const x = new Float32Array(nb * w * I);
  for (let b = 0; b < nb; b++) x.set(inputs.data.subarray(b * T * I, b * T * I + w * I), b * w * I);
  const r = lyapunovValueAndGrad(rnn, { inputs: { shape: [nb, w, I], data: x }, k: s.k, frameWarmup: s.frameWarmup, seed: s.seed });
  let loss = 0;
  const c = new Float64Array(s.k);
  for (let i = 0; i < s.k; i++) {
    const d = r.exponents[i] - s.target;
    loss += s.weight * d * d;
    c[i] = 2 * s.weight * d;
  }
  return { loss, exponents: r.exponents, grads: r.backward(c) };
}

/** @internal the hook `train` calls: adds the flossing gradient to `grads` every `every` steps; returns the loss or undefined. */
export function flossingStep(rnn: Rnn, inputs: Tensor, s: FlossingSettings, step: number, grads: RnnParams): number | undefined {
  if (step % s.every !== 0) return undefined;
  const f = flossingChecked(rnn, inputs, s, 'train: flossing');
  for (const key of ['wIn', 'wRec', 'b'] as const) {
    const g = grads[key].data, a = f.grads[key].data;
    for (let i = 0; i < g.length; i++) g[i] += a[i];
  }
  return f.loss;
}
