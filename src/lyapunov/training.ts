/**
 * Lyapunov spectra during training: an `onEpoch` callback for `train` that measures the network on
 * held-out sequences and adds the summary to the epoch's record.
 */
import { assertInteger } from '../core/errors.js';
import type { AnyRnn as Rnn } from '../rnn/types.js';
import { checkOptionKeys } from '../core/options.js';
import { DURING_TRAINING_KEYS } from './option-keys.js';
import { checkCallback, checkSignal, ownOptions, readInputs } from './options.js';
import { checkRnnStart, checkSpectrumOptions, drivenCounts, spectrumFor, withLayoutHint } from './spectrum.js';
import type { LyapunovProgress, LyapunovSpectrumOptions } from './spectrum.js';

/**
 * The summary added to an epoch record: Float64Array like `lyapunovSpectrum`'s result (use
 * `Array.from` before JSON.stringify).
 */
export interface LyapunovEpochSummary {
  /** The epoch measured (0: before training). */
  epoch: number;
  /** Mean spectrum over the held-out sequences, descending (per step, or per unit time with `dt`). */
  exponents: Float64Array;
  /** Spread (standard deviation) of each exponent across sequences; NaN for one sequence or an autonomous run. */
  std: Float64Array;
  /** Standard error of each mean exponent. */
  stderr: Float64Array;
  /** Kaplan–Yorke dimension of the mean spectrum (NaN when the top k < n exponents sum to ≥ 0: it is k or more). */
  kaplanYorkeDimension: number;
  /** Sum of the positive mean exponents (NaN when the k-th of k < n is positive: more may be). */
  entropy: number;
  /** Counted steps per sequence. */
  steps: number;
  /** Number of sequences measured (1 for an autonomous run). */
  sequences: number;
  /** True when the counted trajectory sat on a fixed point (every sequence, when driven). */
  stationary: boolean;
  /** As `lyapunovSpectrum`'s (summed over the sequences), where it sets it (`reorthEvery` > 64). */
  outrunIntervals?: number;
}

/** Options of {@link lyapunovDuringTraining}: those of `lyapunovSpectrum` plus the cadence. */
export interface LyapunovDuringTrainingOptions extends Omit<LyapunovSpectrumOptions, 'history' | 'onProgress'> {
  /** Measure every this many epochs (default 1); other epochs add nothing. */
  every?: number;
  /**
   * Progress of each measurement, as `lyapunovSpectrum` reports it (about every 50 ms and at the end
   * of each sequence) plus the `epoch` measured: a full spectrum over thousands of held-out
   * sequences takes minutes per epoch (docs/lyapunov.md, "What a driven run costs").
   */
  onProgress?: (p: LyapunovProgress & { epoch: number }) => void;
}

/**
 * Returns an `onEpoch(record, rnn)` callback for `train` that computes the Lyapunov spectrum of the
 * current network — driven by held-out `inputs` `[B,T,I]` (a spectrum per sequence, then mean and
 * spread, as in Vogt et al. 2020), or autonomous without them — and returns
 * `{ lyapunov: LyapunovEpochSummary }`, which `train` merges into the epoch's record. An autonomous
 * measurement starts from a seeded random state (the same every epoch), never from the fixed point
 * h = 0. Call it with `{ epoch: 0 }` before `train` to record the untrained network as well.
 * Options whose faults do not depend on the network (counts, `signal`, `x0`/`h0` against `inputs`,
 * the inputs' shape, values and length against the warm-ups) are refused here, before any training.
 *
 * @example
 * ```ts
 * const onEpoch = lyapunovDuringTraining({ inputs: heldOut.x, k: 10, warmup: 50 });
 * const before = onEpoch({ epoch: 0 }, rnn);          // epoch 0: before training
 * const { epochs } = await train(rnn, data, { epochs: 20, onEpoch });
 * epochs.map((e) => e.lyapunov.exponents[0]); // largest exponent per epoch
 * ```
 */
export function lyapunovDuringTraining(
  opts: LyapunovDuringTrainingOptions = {},
): (record: unknown, rnn: Rnn) => { lyapunov: LyapunovEpochSummary } | undefined {
  const name = 'lyapunovDuringTraining';
  const own = ownOptions<LyapunovDuringTrainingOptions>(opts, name);
  checkOptionKeys(own, DURING_TRAINING_KEYS, name);
  const every = own.every ?? 1;
  assertInteger(every, `${name}: every`, 1);
  // a null-prototype copy without `every`: nothing is read through Object.prototype
  const spectrumOpts = Object.assign(Object.create(null) as Record<string, unknown>, own);
  delete spectrumOpts.every;
  const so = spectrumOpts as LyapunovSpectrumOptions;
  checkSpectrumOptions(so, name);
  // what does not depend on the network is refused now, not after the first measured epoch's training
  checkSignal(so.signal, name);
  checkCallback(so.onReorthonormalize, `${name}: onReorthonormalize`);
  const onProgress = checkCallback<(p: LyapunovProgress & { epoch: number }) => void>(spectrumOpts.onProgress, `${name}: onProgress`);
  delete spectrumOpts.onProgress;
  checkRnnStart(so, name);
  if (so.inputs !== undefined) {
    const { b, t, i } = readInputs(so.inputs, name);
    withLayoutHint(() => drivenCounts(t, so, name), b, t, i);
  }
  let calls = 0;
  return (record: unknown, rnn: Rnn) => {
    calls++;
    const e = (record as { epoch?: unknown } | null)?.epoch;
    const epoch = typeof e === 'number' ? e : calls;
    if (epoch % every !== 0) return undefined;
    const r = spectrumFor(rnn, onProgress ? { ...so, onProgress: (p: LyapunovProgress) => onProgress({ ...p, epoch }) } : so, name);
    return {
      lyapunov: {
        epoch,
        exponents: r.exponents,
        std: r.std ?? new Float64Array(r.exponents.length).fill(NaN),
        stderr: r.stderr,
        kaplanYorkeDimension: r.kaplanYorkeDimension,
        entropy: r.entropy,
        steps: r.steps,
        sequences: r.perSequence ? r.perSequence.length : 1,
        stationary: r.stationary === true,
        ...(r.outrunIntervals !== undefined ? { outrunIntervals: r.outrunIntervals } : {}),
      },
    };
  };
}
