/**
 * The public streaming estimator (implementation in estimator-core.ts).
 */
export { createLyapunovEstimator } from './estimator-core.js';
export type { LyapunovEstimator, LyapunovEstimatorOptions } from './estimator-core.js';
