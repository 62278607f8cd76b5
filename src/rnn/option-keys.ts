/**
 * The known options of the rnn folder's public functions, typed from their option interfaces so a
 * key missing from a list, or one the interface does not have, is a compile error (see
 * `optionKeys`). Internal: not re-exported by the folder's index. @internal
 */
import { optionKeys } from '../core/options.js';
import type { EvaluateOptions } from './evaluate.js';
import type { InitRnnOptions } from './init.js';
import type { RnnLossOptions } from './loss.js';
import type { AdamSpec, SgdSpec } from './optim.js';
import type { LrSchedule } from './schedule.js';
import type { LoadRnnOptions } from './serialize.js';
import type { RnnSystemOptions } from './system.js';
import type { FromTorchOptions, ToTorchOptions } from './torch.js';
import type { TrainOptions } from './train.js';

export const INIT_RNN_KEYS = optionKeys<InitRnnOptions>({
  inputSize: true, hiddenSize: true, outputSize: true, cell: true, activation: true, init: true, gain: true, seed: true, rng: true,
});

/** The record behind {@link TRAIN_KEYS}, for the main entry's train to extend with `flossing`. */
export const TRAIN_KEY_RECORD: Record<keyof TrainOptions, true> = {
  epochs: true, batchSize: true, optimizer: true, learningRate: true, lrSchedule: true, clipNorm: true, loss: true,
  seed: true, rng: true, shuffle: true, validation: true, validationBatchSize: true, onEpoch: true, onProgress: true,
  signal: true, optimizerState: true, resume: true, yieldEveryMs: true, regularizers: true,
};
export const TRAIN_KEYS = optionKeys<TrainOptions>(TRAIN_KEY_RECORD);

export const EVALUATE_KEYS = optionKeys<EvaluateOptions>({ batchSize: true, loss: true, onProgress: true, signal: true });

export const RNN_LOSS_KEYS = optionKeys<RnnLossOptions>({ loss: true, grads: true });

export const RNN_SYSTEM_KEYS = optionKeys<RnnSystemOptions>({ inputs: true, input: true }, 'inputs');

export const SAVE_RNN_KEYS = optionKeys<{ metadata?: Record<string, unknown> }>({ metadata: true });

export const LOAD_RNN_KEYS = optionKeys<LoadRnnOptions>({ cell: true });

export const ADAM_KEYS = optionKeys<AdamSpec>({ type: true, lr: true, beta1: true, beta2: true, eps: true, weightDecay: true });

export const SGD_KEYS = optionKeys<SgdSpec>({ type: true, lr: true, momentum: true, dampening: true, nesterov: true, weightDecay: true });

export const FROM_TORCH_KEYS = optionKeys<FromTorchOptions>({ prefix: true, readoutPrefix: true, activation: true, cell: true });

export const TO_TORCH_KEYS = optionKeys<ToTorchOptions>({ prefix: true, readoutPrefix: true, bias: true, module: true, format: true });

type ScheduleOf<K> = Extract<LrSchedule, { type: K }>;
export const CONSTANT_SCHEDULE_KEYS = optionKeys<ScheduleOf<'constant'>>({ type: true });
export const STEP_SCHEDULE_KEYS = optionKeys<ScheduleOf<'step'>>({ type: true, stepSize: true, gamma: true });
export const COSINE_SCHEDULE_KEYS = optionKeys<ScheduleOf<'cosine'>>({ type: true, minLr: true });
