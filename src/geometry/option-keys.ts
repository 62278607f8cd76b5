/**
 * The known options of the geometry folder's public functions (outside embedding/), typed from their
 * option interfaces so a list cannot drift from its interface (see `optionKeys`). Internal: not
 * re-exported. @internal
 */
import { optionKeys } from '../core/options.js';
import type { FixedPointOptions } from './fixed-points.js';
import type { LevinaBickelOptions, TwoNNOptions } from './intrinsic-dimension.js';
import type { KnnOptions } from './knn.js';
import type { LimitCycleOptions } from './limit-cycle.js';
import type { ParticipationRatioOptions } from './participation.js';
import type { PcaOptions } from './pca.js';

export const PCA_KEYS = optionKeys<PcaOptions>({ components: true, varianceFraction: true, center: true, dim: true, onProgress: true, signal: true });

export const PARTICIPATION_RATIO_KEYS = optionKeys<ParticipationRatioOptions>({ dim: true, center: true });

export const TWO_NN_KEYS = optionKeys<TwoNNOptions>({ dim: true, discardFraction: true, onProgress: true, signal: true });

export const LEVINA_BICKEL_KEYS = optionKeys<LevinaBickelOptions>({ dim: true, k: true, onProgress: true, signal: true });

export const KNN_KEYS = optionKeys<KnnOptions>({ dim: true, blockSize: true, onProgress: true, signal: true });

export const FIXED_POINT_KEYS = optionKeys<FixedPointOptions>({
  inits: true, states: true, nStarts: true, noise: true, seed: true, rng: true, input: true, t: true, method: true,
  scale: true, tolerance: true, maxIterations: true, learningRate: true, adamEpsilon: true, dedupDistance: true,
  outlierDistanceScale: true, keepSlowPoints: true, onProgress: true, signal: true,
}, 'states');

export const LIMIT_CYCLE_KEYS = optionKeys<LimitCycleOptions>({
  x0: true, seed: true, rng: true, input: true, warmup: true, transient: true, maxPeriod: true, checkWindow: true,
  tolerance: true, exponentSteps: true, exponentThreshold: true, t0: true, onProgress: true, signal: true,
});
