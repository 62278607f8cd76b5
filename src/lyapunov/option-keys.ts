/**
 * The known options of the lyapunov folder's public functions, typed from their option interfaces
 * so a list cannot drift from its interface (see `optionKeys`). Internal: not re-exported. @internal
 */
import { optionKeys } from '../core/options.js';
import type { ClvAngleOptions } from './clv-angles.js';
import type { ClvOptions } from './clv.js';
import type { LyapunovGradOptions } from './differentiable.js';
import type { LyapunovEstimatorOptions } from './estimator-core.js';
import type { FiniteTimeOptions } from './finite-time.js';
import type { FlossingOptions } from './flossing.js';
import type { LyapunovSpectrumOptions } from './spectrum.js';
import type { henonMap, logisticMap, lorenz63, lorenz96 } from './systems.js';
import type { LyapunovDuringTrainingOptions } from './training.js';

const SPECTRUM: Record<keyof LyapunovSpectrumOptions, true> = {
  k: true, steps: true, warmup: true, frameWarmup: true, reorthEvery: true, maxCondition: true, productPrecision: true,
  blockSize: true, x0: true, h0: true, inputs: true, input: true, tolerance: true, dt: true, history: true, seed: true,
  rng: true, onProgress: true, signal: true, onReorthonormalize: true,
};
export const SPECTRUM_KEYS = optionKeys<LyapunovSpectrumOptions>(SPECTRUM, 'inputs');

const { history: _h, onProgress: _p, ...duringTraining } = SPECTRUM;
export const DURING_TRAINING_KEYS = optionKeys<LyapunovDuringTrainingOptions>({ ...duringTraining, every: true, onProgress: true }, 'inputs');

const { history: _h2, steps: _s, tolerance: _t, ...finiteTime } = SPECTRUM;
export const FINITE_TIME_KEYS = optionKeys<FiniteTimeOptions>({ ...finiteTime, window: true, windows: true }, 'inputs');

export const ESTIMATOR_KEYS = optionKeys<LyapunovEstimatorOptions>({
  dim: true, k: true, frameWarmup: true, reorthEvery: true, maxCondition: true, blockSize: true, dt: true, history: true,
  initialFrame: true, seed: true, rng: true, onReorthonormalize: true,
});

export const CLV_KEYS = optionKeys<ClvOptions>({
  k: true, steps: true, warmup: true, frameWarmup: true, backwardWarmup: true, x0: true, inputs: true, input: true, dt: true,
  seed: true, rng: true, keepFrames: true, maxBytes: true, onProgress: true, signal: true,
}, 'inputs');

export const CLV_ANGLE_KEYS = optionKeys<ClvAngleOptions>({ unstable: true, pair: true });

export const LYAPUNOV_GRAD_KEYS = optionKeys<LyapunovGradOptions>({
  inputs: true, steps: true, k: true, warmup: true, frameWarmup: true, x0: true, q0: true, seed: true, rng: true,
  maxBytes: true, signal: true,
}, 'inputs');

export const FLOSSING_KEYS = optionKeys<FlossingOptions>({
  target: true, k: true, weight: true, every: true, before: true, beforeLearningRate: true, during: true, window: true,
  sequences: true, frameWarmup: true, seed: true, h0: true,
});

/** The options of an example system's factory, from its signature. */
type FactoryOptions<F extends (o?: never) => unknown> = NonNullable<Parameters<F>[0]>;
export const HENON_KEYS = optionKeys<FactoryOptions<typeof henonMap>>({ a: true, b: true });
export const LOGISTIC_KEYS = optionKeys<FactoryOptions<typeof logisticMap>>({ r: true });
export const LORENZ63_KEYS = optionKeys<FactoryOptions<typeof lorenz63>>({ sigma: true, rho: true, beta: true, dt: true });
export const LORENZ96_KEYS = optionKeys<FactoryOptions<typeof lorenz96>>({ n: true, forcing: true, dt: true });
