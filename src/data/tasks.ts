/**
 * Synthetic sequence tasks for training RNNs whose dynamics are then analysed: the 3-bit flip-flop
 * (Sussillo & Barak 2013) and delayed recall.
 */
import { checkTypedAllocation } from '../core/alloc.js';
import { checkOptionKeys, readOptions } from '../core/options.js';
import { DELAYED_RECALL_KEYS, FLIP_FLOP_KEYS } from './option-keys.js';
import { assertInteger, assertNumber } from '../core/errors.js';
import { gaussian, resolveRng } from '../core/rng.js';
import { float32InRange } from '../core/float32-range.js';
import type { Tensor } from '../core/tensor.js';

/** Inputs and per-step regression targets, both `[B, T, *]`. */
export interface SequenceTask {
  x: Tensor;
  targets: Tensor;
}

/** Options of {@link flipFlopTask}. */
export interface FlipFlopOptions {
  /** Number of independent channels (default 3). */
  bits?: number;
  /** Sequence length T (default 100). */
  steps?: number;
  /** Number of sequences B (default 128). */
  batch?: number;
  /** Probability of a pulse per step per channel (default 0.05). */
  pFlip?: number;
  /**
   * When true, every channel receives a pulse of random sign at t = 0, so the target is ±1 from the
   * start; when false (default) the target is 0 until the channel's first pulse.
   */
  initialPulse?: boolean;
  seed?: number | string;
  rng?: () => number;
}

/**
 * The N-bit flip-flop task (Sussillo & Barak 2013): each of `bits` channels receives, at each step
 * with probability `pFlip`, a pulse of +1 or −1 (equally likely); the target of the channel at step t
 * is the sign of the latest pulse at a step ≤ t (the pulse at t itself counts), and 0 before the
 * channel's first pulse (or, with `initialPulse: true`, every channel starts with a pulse at t = 0).
 * Train with an MSE loss on every step; a trained network holds 2^bits stable fixed points.
 *
 * Random draws, in order for each sequence b, step t, channel c: one uniform for "pulse?", and one for
 * the sign when there is a pulse (with `initialPulse`, step 0 draws the sign only). Reproducible by
 * `seed` (or a supplied `rng`); sequence b is the same whatever `batch`, so two sets drawn with one seed
 * overlap: give a held-out set its own seed.
 *
 * @example
 * ```ts
 * const { x, targets } = flipFlopTask({ bits: 3, steps: 100, batch: 128, seed: 1 });
 * x.shape;       // [128, 100, 3], entries in {−1, 0, 1}
 * targets.shape; // [128, 100, 3], entries in {−1, 0, 1}
 * ```
 */
export function flipFlopTask(options: FlipFlopOptions = {}): SequenceTask {
  const opts = readOptions(options, 'flipFlopTask');
  checkOptionKeys(opts, FLIP_FLOP_KEYS, 'flipFlopTask');
  const { bits = 3, steps = 100, batch = 128, pFlip = 0.05, initialPulse = false } = opts;
  assertInteger(bits, 'flipFlopTask: opts.bits', 1);
  assertInteger(steps, 'flipFlopTask: opts.steps', 1);
  assertInteger(batch, 'flipFlopTask: opts.batch', 1);
  assertNumber(pFlip, 'flipFlopTask: opts.pFlip', 0, 1);
  if (typeof initialPulse !== 'boolean') throw new TypeError(`flipFlopTask: opts.initialPulse: expected a boolean, got ${typeof initialPulse}`);
  checkTypedAllocation(batch * steps * bits, 4, 'flipFlopTask: opts.batch, opts.steps, opts.bits', 'the inputs [batch,steps,bits]');
  const rng = resolveRng(opts, 0, 'flipFlopTask');
  const n = batch * steps * bits;
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  const state = new Float32Array(bits);
  for (let b = 0; b < batch; b++) {
    state.fill(0);
    for (let t = 0; t < steps; t++) {
      const row = (b * steps + t) * bits;
      for (let c = 0; c < bits; c++) {
        const pulse = (initialPulse && t === 0) || rng() < pFlip;
        if (pulse) {
          const s = rng() < 0.5 ? -1 : 1;
          x[row + c] = s;
          state[c] = s;
        }
        y[row + c] = state[c];
      }
    }
  }
  return { x: { shape: [batch, steps, bits], data: x }, targets: { shape: [batch, steps, bits], data: y } };
}

/** Options of {@link delayedRecallTask}. */
export interface DelayedRecallOptions {
  /** Delay d in steps, 0 ≤ d ≤ steps (default 5). */
  delay?: number;
  /** Sequence length T (default 50). */
  steps?: number;
  /** Number of sequences B (default 128). */
  batch?: number;
  /** Input channels I (default 1). */
  inputSize?: number;
  /** Distribution of the inputs: `'normal'` (default, N(0,1)) or `'uniform'` (on [−1, 1), as the float32 values stored). */
  distribution?: 'normal' | 'uniform';
  seed?: number | string;
  rng?: () => number;
}

/**
 * Delayed recall: white-noise inputs, and targets that repeat them `delay` steps later —
 * `targets[b, t] = x[b, t − delay]` for t ≥ delay and 0 before. A memory task whose difficulty grows
 * with the delay; train with an MSE loss on every step.
 *
 * @example
 * ```ts
 * const { x, targets } = delayedRecallTask({ delay: 5, steps: 50, batch: 64, seed: 3 });
 * // targets.data[(b*50 + t)] === x.data[(b*50 + t - 5)] for t >= 5
 * ```
 */
export function delayedRecallTask(options: DelayedRecallOptions = {}): SequenceTask {
  const opts = readOptions(options, 'delayedRecallTask');
  checkOptionKeys(opts, DELAYED_RECALL_KEYS, 'delayedRecallTask');
  const { delay = 5, steps = 50, batch = 128, inputSize = 1, distribution = 'normal' } = opts;
  assertInteger(steps, 'delayedRecallTask: opts.steps', 1);
  assertInteger(delay, 'delayedRecallTask: opts.delay', 0, steps);
  assertInteger(batch, 'delayedRecallTask: opts.batch', 1);
  assertInteger(inputSize, 'delayedRecallTask: opts.inputSize', 1);
  if (distribution !== 'normal' && distribution !== 'uniform') {
    throw new RangeError(`delayedRecallTask: opts.distribution: expected 'normal' or 'uniform', got ${String(distribution)}`);
  }
  checkTypedAllocation(batch * steps * inputSize, 4, 'delayedRecallTask: opts.batch, opts.steps, opts.inputSize', 'the inputs [batch,steps,inputSize]');
  const rng = resolveRng(opts, 0, 'delayedRecallTask');
  const draw = distribution === 'normal' ? () => gaussian(rng, 'delayedRecallTask') : () => float32InRange(2 * rng() - 1, -1, 1); // 1 − 2^-53 would round to 1.0
  const I = inputSize;
  const x = new Float32Array(batch * steps * I);
  const y = new Float32Array(batch * steps * I);
  for (let i = 0; i < x.length; i++) x[i] = draw();
  for (let b = 0; b < batch; b++) {
    const base = b * steps * I;
    // targets[b, t, :] = x[b, t - delay, :]: a contiguous copy shifted by delay * I
    y.set(x.subarray(base, base + (steps - delay) * I), base + delay * I);
  }
  return { x: { shape: [batch, steps, I], data: x }, targets: { shape: [batch, steps, I], data: y } };
}
