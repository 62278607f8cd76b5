/**
 * `rnn-lyap/rnn`: the vanilla RNN as plain data, its forward pass, losses, optimizers and training.
 * @packageDocumentation
 */
export type * from './types.js';
export * from './activations.js';
export * from './init.js';
export { predict, rnnForward, statesAt, type RnnForwardResult } from './forward.js';
export { rnnLoss } from './loss.js';
export type { RnnBatch, RnnBatchInput, RnnLossKind, RnnLossOptions, RnnLossResult } from './loss.js';
export * from './optim.js';
export { learningRateAt, type LrSchedule, type LrScheduleInfo } from './schedule.js';
export { evaluate } from './evaluate.js';
export type { SequenceData, EvaluateOptions, EvaluateResult } from './evaluate.js';
export * from './train.js';
export * from './torch.js';
export * from './serialize.js';
export { rnnSystem, type RnnSystem, type RnnSystemOptions } from './system.js';
