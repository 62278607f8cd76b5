/**
 * Learning-rate schedules.
 */
import { checkOptionKeys, readOptions } from '../core/options.js';
import { CONSTANT_SCHEDULE_KEYS, COSINE_SCHEDULE_KEYS, STEP_SCHEDULE_KEYS } from './option-keys.js';

/** What a schedule sees. */
export interface LrScheduleInfo {
  /** Completed epochs (0 during the first epoch). */
  epoch: number;
  /** Completed optimizer steps (0 before the first). */
  step: number;
  /** The optimizer's base learning rate. */
  baseLr: number;
  /** Epochs in the run. */
  epochs: number;
  /** Steps per epoch. */
  stepsPerEpoch: number;
  /** epochs × stepsPerEpoch. */
  totalSteps: number;
}

/**
 * A learning-rate schedule: constant; step decay (base·gamma^⌊epoch/stepSize⌋, as PyTorch's StepLR,
 * gamma default 0.1); cosine annealing per step from base to `minLr` (default 0) over the run; or any
 * function of {@link LrScheduleInfo}.
 */
export type LrSchedule =
  | 'constant'
  | { type: 'constant' }
  | { type: 'step'; stepSize: number; gamma?: number }
  | { type: 'cosine'; minLr?: number }
  | ((info: LrScheduleInfo) => number);

/**
 * The learning rate a schedule gives at a point of the run.
 *
 * @example
 * ```ts
 * learningRateAt({ type: 'step', stepSize: 10, gamma: 0.5 }, { epoch: 25, step: 0, baseLr: 1e-3, epochs: 30, stepsPerEpoch: 1, totalSteps: 30 }); // 2.5e-4
 * ```
 */
export function learningRateAt(schedule: LrSchedule | undefined, info: LrScheduleInfo): number {
  if (info === null || typeof info !== 'object') {
    throw new TypeError(`learningRateAt: info: expected { epoch, step, baseLr, epochs, stepsPerEpoch, totalSteps }, got ${info === null ? 'null' : typeof info}`);
  }
  for (const k of ['epoch', 'step', 'baseLr'] as const) {
    const v: unknown = Object.prototype.hasOwnProperty.call(info, k) ? info[k] : undefined;
    if (typeof v !== 'number') throw new TypeError(`learningRateAt: info.${k}: expected a number, got ${typeof v}`);
    if (!Number.isFinite(v) || v < 0) throw new RangeError(`learningRateAt: info.${k}: expected a finite number >= 0, got ${v}`);
  }
  checkSchedule(schedule, 'learningRateAt', 'schedule');
  return lrAt(schedule, info, 'learningRateAt', 'schedule');
}

/**
 * Checks a schedule object's fields before use: unknown fields are refused (a misspelt `gama` or
 * `min_lr` would otherwise be replaced by its default), and `stepSize`, `gamma`, `minLr` must be
 * valid. A function or a string is left to {@link lrAt}. Messages start with `caller: arg`.
 */
export function checkSchedule(schedule: unknown, caller: string, arg: string): void {
  if (schedule === null || typeof schedule !== 'object') return;
  const s = readOptions(schedule as { type?: unknown }, caller, arg) as { type?: unknown; stepSize?: unknown; gamma?: unknown; minLr?: unknown };
  const name = `${caller}: ${arg}`;
  if (s.type === 'constant') checkOptionKeys(s, CONSTANT_SCHEDULE_KEYS, caller, arg);
  else if (s.type === 'step') {
    checkOptionKeys(s, STEP_SCHEDULE_KEYS, caller, arg);
    const { stepSize, gamma = 0.1 } = s;
    if (!Number.isInteger(stepSize) || (stepSize as number) < 1) throw new RangeError(`${name}: stepSize must be an integer >= 1, got ${String(stepSize)}`);
    if (typeof gamma !== 'number' || !(gamma >= 0) || !Number.isFinite(gamma)) throw new RangeError(`${name}: gamma must be a finite number >= 0, got ${String(gamma)}`);
  } else if (s.type === 'cosine') {
    checkOptionKeys(s, COSINE_SCHEDULE_KEYS, caller, arg);
    const { minLr = 0 } = s;
    if (typeof minLr !== 'number' || !(minLr >= 0) || !Number.isFinite(minLr)) throw new RangeError(`${name}: minLr must be a finite number >= 0, got ${String(minLr)}`);
  } else {
    throw new RangeError(`${name}: type must be 'constant', 'step' or 'cosine', got '${String(s.type)}'`);
  }
}

/**
 * {@link learningRateAt} without the checks of `info`, for a schedule that {@link checkSchedule}
 * passed (train checks it once, not per batch); `caller: arg` prefixes every message.
 */
export function lrAt(schedule: LrSchedule | undefined, info: LrScheduleInfo, caller: string, arg: string): number {
  const name = `${caller}: ${arg}`;
  let lr: number;
  if (schedule === undefined || schedule === 'constant') lr = info.baseLr;
  else if (typeof schedule === 'function') lr = schedule(info);
  else if (schedule !== null && typeof schedule === 'object') {
    if (schedule.type === 'constant') lr = info.baseLr;
    else if (schedule.type === 'step') {
      const { stepSize, gamma = 0.1 } = schedule;
      lr = info.baseLr * Math.pow(gamma, Math.floor(info.epoch / stepSize));
    } else {
      const minLr = (schedule as { minLr?: number }).minLr ?? 0;
      const progress = info.totalSteps > 0 ? Math.min(1, info.step / info.totalSteps) : 0;
      lr = minLr + ((info.baseLr - minLr) * (1 + Math.cos(Math.PI * progress))) / 2;
    }
  } else {
    throw new TypeError(`${name}: expected 'constant', { type }, or a function, got ${typeof schedule}`);
  }
  if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) {
    throw new RangeError(`${name}: the learning rate must be a finite number >= 0, got ${String(lr)} at epoch ${info.epoch}, step ${info.step}`);
  }
  return lr;
}
