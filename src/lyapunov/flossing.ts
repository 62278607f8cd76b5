/**
 * Gradient flossing (Engelken, NeurIPS 2023): the regularizer weight·Σ_{i≤k} (λ_i − target)² on the
 * top finite-time Lyapunov exponents of the RNN (vanilla, GRU or LSTM) along trajectories driven by task inputs, and its
 * exact gradient through the QR steps (see {@link lyapunovValueAndGrad}).
 */
import { frameWarmupFor } from './frame-warmup.js';
import { assertInteger, assertNumber, assertTensor, formatShape } from '../core/errors.js';
import { checkSeed } from '../core/seed.js';
import type { Tensor } from '../core/tensor.js';
import { toTensor, type TensorInput } from '../core/input.js';
import type { TrainRegularizer } from '../rnn/train.js';
import { isGated } from '../rnn/gated/validate.js';
import type { AnyRnn, GatedRnnParams, Rnn, RnnParams } from '../rnn/types.js';
import { assertInputs, assertRnn } from '../rnn/validate.js';
import { valueAndGradAs } from './differentiable.js';
import { checkOptionKeys } from '../core/options.js';
import { FLOSSING_KEYS } from './option-keys.js';
import { MAX_STEPS, readH0 } from './options.js';

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
  /**
   * In `train`: optimizer steps of flossing alone before training (Engelken's pre-training
   * flossing; default 0). Each step flosses one batch of the training inputs, in data order.
   */
  before?: number;
  /** In `train`: learning rate of the flossing-only phase (default the training learning rate). */
  beforeLearningRate?: number;
  /** In `train`: also floss during training, every `every` steps (default true). */
  during?: boolean;
  /** Steps of the inputs used (a prefix of each sequence; default all T). */
  window?: number;
  /** Sequences of the batch used (the first ones; default min(B, 4)). */
  sequences?: number;
  /** Frame warm-up steps (default ⌊window/10⌋, at least min(10, ⌊window/2⌋), at most 100; a window under 10 steps has no default: pass it). */
  frameWarmup?: number;
  /** Seed of the random frame (default 0). */
  seed?: number | string;
  /**
   * `flossingLossAndGrad` only: the sequences' initial states, as a data set's `h0` (`[B,W]` or a
   * shared `[W]`, W = H, or for an LSTM H or 2H = [h; c]); default zeros. In `train` the batch's own
   * `data.h0` is used, and this option is refused.
   */
  h0?: Tensor;
}

/** Result of {@link flossingLossAndGrad} (`P` the parameters of the cell). */
export interface FlossingResult<P = RnnParams> {
  /** weight·Σ_{i≤k} (λ_i − target)². */
  loss: number;
  /** The k exponents (mean over the sequences used). */
  exponents: Float64Array;
  /** Gradient of `loss`, shaped like the parameters (wOut, bOut zero). */
  grads: P;
}

/** @internal validated flossing settings. */
export interface FlossingSettings {
  target: number; k: number; weight: number; every: number; window: number | undefined;
  sequences: number | undefined; frameWarmup: number | undefined; seed: number | string;
  before: number; beforeLearningRate: number | undefined; during: boolean; h0: unknown;
}

/** @internal checks the flossing options (own properties only; `h0` is checked against the inputs later, and refused by `train`). */
export function checkFlossing(o: unknown, name: string, allowH0 = false): FlossingSettings {
  if (o === null || typeof o !== 'object') throw new TypeError(`${name}: expected an object { target, k, weight, every, window }, got ${o === null ? 'null' : typeof o}`);
  const [caller, arg] = name.includes(': ') ? [name.slice(0, name.indexOf(': ')), name.slice(name.indexOf(': ') + 2)] : [name, 'opts'];
  checkOptionKeys(o, FLOSSING_KEYS, caller, arg);
  const get = (key: string): unknown => (Object.prototype.hasOwnProperty.call(o, key) ? (o as Record<string, unknown>)[key] : undefined);
  const dflt = (key: string, d: unknown): unknown => { const v = get(key); return v === undefined ? d : v; };
  const target = dflt('target', 0) as number;
  assertNumber(target, `${name}.target`);
  const k = dflt('k', 1) as number;
  assertInteger(k, `${name}.k`, 1, MAX_STEPS);
  const weight = dflt('weight', 1) as number;
  assertNumber(weight, `${name}.weight`, 0);
  const every = dflt('every', 1) as number;
  assertInteger(every, `${name}.every`, 1, MAX_STEPS);
  const window = get('window') as number | undefined;
  if (window !== undefined) assertInteger(window, `${name}.window`, 2, MAX_STEPS);
  const sequences = get('sequences') as number | undefined;
  if (sequences !== undefined) assertInteger(sequences, `${name}.sequences`, 1, MAX_STEPS);
  const frameWarmup = get('frameWarmup') as number | undefined;
  if (frameWarmup !== undefined) assertInteger(frameWarmup, `${name}.frameWarmup`, 0, MAX_STEPS);
  // refused here rather than at the first batch: a window under 10 steps has no default frame warm-up
  if (window !== undefined) frameWarmupFor(window, frameWarmup, name, 'the window has');
  const seed = dflt('seed', 0) as number | string;
  if (typeof seed !== 'number' && typeof seed !== 'string') throw new TypeError(`${name}.seed: expected a number or a string, got ${typeof seed}`);
  checkSeed(seed, name);
  const before = dflt('before', 0) as number;
  assertInteger(before, `${name}.before`, 0, MAX_STEPS);
  const beforeLearningRate = get('beforeLearningRate') as number | undefined;
  if (beforeLearningRate !== undefined) assertNumber(beforeLearningRate, `${name}.beforeLearningRate`, 0);
  const during = dflt('during', true) as boolean;
  if (typeof during !== 'boolean') throw new TypeError(`${name}.during: expected a boolean, got ${typeof during}`);
  const h0 = get('h0');
  if (h0 !== undefined && !allowH0) throw new RangeError(`${name}.h0: in train the initial states are the data's own (data.h0); give them there`);
  return { target, k, weight, every, window, sequences, frameWarmup, seed, before, beforeLearningRate, during, h0 };
}

/**
 * The flossing loss weight·Σ_{i≤k} (λ_i − target)² of the RNN driven by (the first `sequences`
 * sequences and the first `window` steps of) `inputs` [B,T,I] (any {@link TensorInput} form, read as
 * rnnForward reads it: an ndarray view through its strides), and its gradient.
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
export function flossingLossAndGrad(rnn: Rnn, inputs: TensorInput, opts?: FlossingOptions): FlossingResult<RnnParams>;
export function flossingLossAndGrad(rnn: AnyRnn, inputs: TensorInput, opts?: FlossingOptions): FlossingResult<RnnParams | GatedRnnParams>;
export function flossingLossAndGrad(rnn: AnyRnn, inputs: TensorInput, opts: FlossingOptions = {}): FlossingResult<RnnParams | GatedRnnParams> {
  const s = checkFlossing(opts, 'flossingLossAndGrad: opts', true);
  return flossingChecked(rnn, inputs, s, 'flossingLossAndGrad', s.h0, 'flossingLossAndGrad: opts.h0');
}

/**
 * @internal the loss on the first `sequences` sequences, each from its row of `h0` (`[B,W]`, or a
 * shared `[W]`; checked under `h0Name`) or from zeros.
 */
export function flossingChecked(rnn: AnyRnn, raw: TensorInput, s: FlossingSettings, name: string, h0?: unknown, h0Name = `${name}: h0`): FlossingResult<RnnParams | GatedRnnParams> {
  const sizes = assertRnn(rnn, `${name}: rnn`);
  // read as core's toTensor reads it (lyapunovSpectrum's inputs likewise): an ndarray view through its strides
  const inputs = toTensor(raw, `${name}: inputs`);
  assertInputs(inputs, sizes, `${name}: inputs`, 1);
  const [B, T, I] = inputs.shape;
  if (s.window !== undefined && s.window > T) throw new RangeError(`${name}: window = ${s.window} exceeds the inputs' T = ${T} steps`);
  if (s.k > (isGated(rnn) && rnn.cell === 'lstm' ? 2 : 1) * sizes.H) throw new RangeError(`${name}: k = ${s.k} exceeds the state dimension ${(isGated(rnn) && rnn.cell === 'lstm' ? 2 : 1) * sizes.H}`);
  const nb = Math.min(B, s.sequences ?? 4);
  const w = Math.min(T, s.window ?? T);
  const x = new Float32Array(nb * w * I);
  for (let b = 0; b < nb; b++) x.set(inputs.data.subarray(b * T * I, b * T * I + w * I), b * w * I);
  // the data set's rows as lyapunovSpectrum reads them (an LSTM's h alone gets c = 0); a shared row is x0 for all
  const dim = isGated(rnn) && rnn.cell === 'lstm' ? 2 * sizes.H : sizes.H;
  const rows = readH0(h0, B, dim, h0Name, sizes.H);
  const x0 = rows === undefined || rows.length === dim ? rows : rows.subarray(0, nb * dim);
  const r = valueAndGradAs(rnn, { inputs: { shape: [nb, w, I], data: x }, k: s.k, ...(s.frameWarmup !== undefined ? { frameWarmup: s.frameWarmup } : {}), seed: s.seed, ...(x0 !== undefined ? { x0 } : {}) }, name);
  let loss = 0;
  const c = new Float64Array(s.k);
  for (let i = 0; i < s.k; i++) {
    const d = r.exponents[i] - s.target;
    loss += s.weight * d * d;
    c[i] = 2 * s.weight * d;
  }
  return { loss, exponents: r.exponents, grads: r.backward(c) };
}


/**
 * Gradient flossing as a `train` regularizer (for `train` of `rnn-lyap/rnn`; the main entry's
 * `train` builds it from its `flossing` option): `before` steps of flossing alone, then, with
 * `during` (default), the flossing gradient added every `every` training steps.
 *
 * @example
 * ```ts
 * import { initRnn, train } from 'rnn-lyap/rnn';
 * import { flossingRegularizer } from 'rnn-lyap/lyapunov';
 * import { delayedRecallTask } from 'rnn-lyap/data';
 * const rnn = initRnn({ inputSize: 1, hiddenSize: 16, outputSize: 1, seed: 1 });
 * const data = delayedRecallTask({ delay: 5, steps: 30, batch: 32, seed: 1 });
 * await train(rnn, data, { epochs: 2, batchSize: 8, regularizers: [flossingRegularizer({ k: 2, before: 20, every: 4 })] });
 * ```
 */
export function flossingRegularizer(opts: FlossingOptions = {}): TrainRegularizer {
  return createFlossingRegularizer(opts, 'flossingRegularizer: opts');
}

/** {@link flossingRegularizer} with its options checked under `name` (the main entry's `train` passes 'train: flossing'). @internal */
export function createFlossingRegularizer(opts: unknown, name: string): TrainRegularizer {
  const s = checkFlossing(opts, name);
  return {
    name: 'flossing',
    preSteps: s.before,
    ...(s.beforeLearningRate !== undefined ? { preLearningRate: s.beforeLearningRate } : {}),
    during: s.during,
    addGrad(rnn, x, step, grads, phase, h0) {
      if (phase === 'train' && step % s.every !== 0) return undefined;
      const f = flossingChecked(rnn, x, s, 'train: flossing', h0, 'train: data.h0');
      const g = f.grads as unknown as Record<string, Tensor>;
      for (const key of Object.keys(g)) {
        const a = g[key].data, d = grads[key].data;
        for (let i = 0; i < d.length; i++) d[i] += a[i];
      }
      return f.loss;
    },
  };
}
