/**
 * Lyapunov spectra during training: an `onEpoch` callback for `train` that measures the network on
 * held-out sequences and adds the summary to the epoch's record.
 */
import { assertInteger } from '../core/errors.js';
import type { AnyRnn as Rnn } from '../rnn/types.js';
import { lyapunovSpectrum } from './spectrum.js';
import type { LyapunovSpectrumOptions } from './spectrum.js';

/** The summary added to an epoch record (plain arrays, so records serialize to JSON). */
export interface LyapunovEpochSummary {
  /** Mean spectrum over the held-out sequences, descending (per step, or per unit time with `dt`). */
  exponents: number[];
  /** Spread (standard deviation) of each exponent across sequences (0 for one sequence). */
  std: number[];
  /** Standard error of each mean exponent. */
  stderr: number[];
  /** Kaplan–Yorke dimension of the mean spectrum. */
  kaplanYorkeDimension: number;
  /** Sum of the positive mean exponents. */
  entropy: number;
  /** Counted steps per sequence. */
  steps: number;
  /** Number of sequences measured. */
  sequences: number;
}

/** Options of {@link lyapunovDuringTraining}: those of `lyapunovSpectrum` plus the cadence. */
export interface LyapunovDuringTrainingOptions extends Omit<LyapunovSpectrumOptions, 'history' | 'onProgress'> {
  /** Measure every this many epochs (default 1); other epochs add nothing. */
  every?: number;
}

/**
 * Returns an `onEpoch(record, rnn)` callback for `train` that computes the Lyapunov spectrum of the
 * current network — driven by held-out `inputs` `[B,T,I]` (a spectrum per sequence, then mean and
 * spread, as in Vogt et al. 2020), or autonomous without them — and returns
 * `{ lyapunov: LyapunovEpochSummary }`, which `train` merges into the epoch's record.
 *
 * @example
 * ```ts
 * const onEpoch = lyapunovDuringTraining({ inputs: heldOut.x, k: 10, warmup: 50 });
 * const { epochs } = await train(rnn, data, { epochs: 20, onEpoch });
 * epochs.map((e) => e.lyapunov.exponents[0]); // largest exponent per epoch
 * ```
 */
export function lyapunovDuringTraining(
  opts: LyapunovDuringTrainingOptions = {},
): (record: unknown, rnn: Rnn) => { lyapunov: LyapunovEpochSummary } | undefined {
  if (opts === null || typeof opts !== 'object') throw new TypeError(`lyapunovDuringTraining: options must be an object, got ${typeof opts}`);
  const every = opts.every ?? 1;
  assertInteger(every, 'lyapunovDuringTraining: every', 1);
  const { every: _every, ...spectrumOpts } = opts;
  let calls = 0;
  return (record: unknown, rnn: Rnn) => {
    calls++;
    const e = (record as { epoch?: unknown } | null)?.epoch;
    const epoch = typeof e === 'number' ? e : calls;
    if (epoch % every !== 0) return undefined;
    const r = lyapunovSpectrum(rnn, spectrumOpts);
    const n = r.exponents.length;
    return {
      lyapunov: {
        exponents: Array.from(r.exponents),
        std: r.std ? Array.from(r.std) : new Array<number>(n).fill(0),
        stderr: Array.from(r.stderr),
        kaplanYorkeDimension: r.kaplanYorkeDimension,
        entropy: r.entropy,
        steps: r.steps,
        sequences: r.perSequence ? r.perSequence.length : 1,
      },
    };
  };
}
