/**
 * `rnn-lyap/core`: tensors, kernels, float64 linear algebra, seeded randomness and the
 * `DynamicalSystem` interface.
 * @packageDocumentation
 */
export * from './errors.js';
export * from './tensor.js';
export * from './rng.js';
export * from './gemm.js';
export * from './system.js';
export * from './linalg/householder.js';
