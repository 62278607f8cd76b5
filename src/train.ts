/**
 * The main entry's `train`: `train` of `rnn-lyap/rnn` plus the `flossing` option, which the rnn layer
 * cannot provide itself (flossing needs the Lyapunov layer above it); it becomes a
 * flossing regularizer appended to `regularizers`.
 */
import { checkOptionKeys, optionKeys, readOptions } from './core/options.js';
import { createFlossingRegularizer, type FlossingOptions } from './lyapunov/flossing.js';
import type { SequenceData } from './rnn/evaluate.js';
import { train as rnnTrain, type TrainHistory, type TrainOptions as RnnTrainOptions } from './rnn/train.js';
import { TRAIN_KEY_RECORD } from './rnn/option-keys.js';
import type { AnyRnn } from './rnn/types.js';

/** Options of the main entry's {@link train}: those of `rnn-lyap/rnn`'s `train` and `flossing`. */
export interface TrainOptions extends RnnTrainOptions {
  /**
   * Gradient flossing (Engelken 2023): weight·Σ_{i≤k} (λ_i − target)² of the batch's trajectories,
   * for `before` steps alone before training, then (with `during`, default) added every `every` steps.
   */
  flossing?: FlossingOptions;
}

/** The main entry's train knows the rnn layer's options and `flossing`. @internal */
export const MAIN_TRAIN_KEYS = optionKeys<TrainOptions>({ ...TRAIN_KEY_RECORD, flossing: true });

/**
 * Trains the RNN in place (see `train` of `rnn-lyap/rnn` for every option but `flossing`), with
 * gradient flossing when `flossing` is given.
 *
 * @example
 * ```ts
 * import { initRnn, train, delayedRecallTask } from 'rnn-lyap';
 * const rnn = initRnn({ inputSize: 1, hiddenSize: 16, outputSize: 1, seed: 1 });
 * const data = delayedRecallTask({ delay: 5, steps: 30, batch: 32, seed: 1 });
 * const h = await train(rnn, data, { epochs: 2, batchSize: 8, flossing: { k: 2, before: 20, every: 4 } });
 * h.preTraining?.[0].losses; // the flossing loss during the flossing-only phase
 * ```
 */
export function train(rnn: AnyRnn, data: SequenceData, options: TrainOptions = {}): Promise<TrainHistory> {
  let o: Record<string, unknown>;
  try {
    o = readOptions(options, 'train') as Record<string, unknown>;
    checkOptionKeys(o, MAIN_TRAIN_KEYS, 'train');
  } catch (e) {
    return Promise.reject(e);
  }
  const rest = Object.assign(Object.create(null) as Record<string, unknown>, o);
  delete rest.flossing; // the rnn layer refuses the key, even when it holds undefined
  if (o.flossing === undefined) return rnnTrain(rnn, data, rest as RnnTrainOptions);
  let reg;
  try {
    reg = createFlossingRegularizer(o.flossing, 'train: flossing');
  } catch (e) {
    return Promise.reject(e);
  }
  const regs = rest.regularizers;
  // not an array: the rnn layer's train rejects it, naming regularizers
  if (regs !== undefined && !Array.isArray(regs)) return rnnTrain(rnn, data, rest as RnnTrainOptions);
  rest.regularizers = [...((regs as RnnTrainOptions['regularizers']) ?? []), reg];
  return rnnTrain(rnn, data, rest as RnnTrainOptions);
}
