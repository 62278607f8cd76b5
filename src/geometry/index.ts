/**
 * `rnn-lyap/geometry`.
 * @packageDocumentation
 */
export type { PointsInput, PointMatrix } from './points.js';
export { knn, type KnnResult, type KnnOptions } from './knn.js';
export * from './participation.js';
export * from './intrinsic-dimension.js';
export * from './pca.js';
export type { Stability, MapStability } from './stability.js';
export {
  findFixedPoints,
  type ConstantInput,
  type FixedPoint,
  type FixedPointFailure,
  type FixedPointStarts,
  type FixedPointResult,
  type FixedPointOptions,
} from './fixed-points.js';
export * from './limit-cycle.js';
export * from './embedding/index.js';
