/**
 * `rnn-lyap/geometry`.
 * @packageDocumentation
 */
export * from './points.js';
export * from './knn.js';
export * from './participation.js';
export * from './intrinsic-dimension.js';
export * from './pca.js';
export * from './stability.js';
export * from './fixed-points.js';
export * from './limit-cycle.js';
export * from './embedding/index.js';
