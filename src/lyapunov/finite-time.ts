/**
 * Finite-time Lyapunov exponents: growth rates of the frame over consecutive windows of a trajectory.
 */
import { assertInteger } from '../core/errors.js';
import type { DynamicalSystem } from '../core/system.js';
import type { AnyRnn as Rnn } from '../rnn/types.js';
import { checkOptionKeys } from '../core/options.js';
import { FINITE_TIME_KEYS } from './option-keys.js';
import { MAX_STEPS, ownOptions, readInputs } from './options.js';
import { spectrumFor } from './spectrum.js';
import type { Tensor } from '../core/tensor.js';
import type { LyapunovSpectrumOptions } from './spectrum.js';
import { defaultFrameWarmup } from './frame-warmup.js';

/** Options of {@link finiteTimeExponents}: those of `lyapunovSpectrum` plus the window. */
export interface FiniteTimeOptions extends Omit<LyapunovSpectrumOptions, 'history' | 'steps' | 'tolerance'> {
  /** Steps per window. */
  window: number;
  /** Number of windows (default 100; with `inputs`, as many as the sequence allows, at most this). */
  windows?: number;
}

/** Finite-time exponents per window. */
export interface FiniteTimeResult {
  /** Counted steps at the end of each window. */
  steps: number[];
  /**
   * `exponents[w][i]`: growth rate of frame column i over window w (per step, or per unit time with
   * `dt`). Frame columns are ordered by the QR, which after the frame warm-up is descending on average.
   */
  exponents: Float64Array[];
  /** True when the trajectory sat on a fixed point (see `LyapunovResult.stationary`). */
  stationary: boolean;
  /** As `lyapunovSpectrum`'s, where it sets it (`reorthEvery` > 64): intervals that outran the bound unredone. */
  outrunIntervals?: number;
}

/**
 * Finite-time Lyapunov exponents over consecutive windows of `window` steps along one trajectory
 * (after the state and frame warm-ups). Their spread shows how the local stretching varies; their
 * mean over windows is the `lyapunovSpectrum` estimate.
 *
 * @example
 * ```ts
 * const { exponents } = finiteTimeExponents(henonMap(), { window: 50, windows: 200 });
 * exponents.map((e) => e[0]); // 200 finite-time estimates of λ1 over 50 steps each
 * ```
 */
export function finiteTimeExponents(system: DynamicalSystem | Rnn, options: FiniteTimeOptions): FiniteTimeResult {
  const name = 'finiteTimeExponents';
  if (options === null || typeof options !== 'object') throw new TypeError(`${name}: opts must be an object of options { window, ... }, got ${options === null ? 'null' : typeof options}`);
  const opts = ownOptions<FiniteTimeOptions>(options, name) as FiniteTimeOptions;
  checkOptionKeys(opts, FINITE_TIME_KEYS, name);
  assertInteger(opts.window, `${name}: window`, 1, MAX_STEPS);
  const windows = opts.windows ?? 100;
  assertInteger(windows, `${name}: windows`, 1, MAX_STEPS);
  if (opts.window * windows > MAX_STEPS) throw new RangeError(`${name}: window·windows = ${opts.window * windows} exceeds the ${MAX_STEPS} steps a run may take`);
  // read as lyapunovSpectrum reads them (any TensorInput form; an ndarray view through its strides)
  const read = opts.inputs === undefined ? undefined : readInputs(opts.inputs, name);
  if (read !== undefined && read.b !== 1) {
    throw new RangeError(`finiteTimeExponents: inputs must be a single sequence [1,T,I] or [T,I], got [${read.inputs.shape.join(',')}]`);
  }
  let steps: number | undefined = opts.window * windows;
  let seq: Tensor | undefined;
  if (read !== undefined) {
    const t = read.t;
    seq = { shape: [t, read.i], data: read.inputs.data };
    const warm = (opts.warmup ?? 0) + (opts.frameWarmup ?? defaultFrameWarmup(t));
    const fit = Math.floor((t - warm) / opts.window);
    if (fit < 1) throw new RangeError(`finiteTimeExponents: the inputs (T = ${t}) leave no full window of ${opts.window} steps after ${warm} warm-up steps`);
    steps = Math.min(fit, windows) * opts.window;
  }
  const { window: _w, windows: _ws, ...rest } = opts;
  const r = spectrumFor(system, { ...rest, inputs: seq, steps, history: opts.window } as LyapunovSpectrumOptions, name);
  const h = r.history;
  return {
    steps: h ? h.steps : [],
    exponents: h ? h.windows : [],
    stationary: r.stationary === true,
    ...(r.outrunIntervals !== undefined ? { outrunIntervals: r.outrunIntervals } : {}),
  };
}
