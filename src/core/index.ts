/**
 * `rnn-lyap/core`: tensors, kernels, float64 linear algebra, seeded randomness and the
 * `DynamicalSystem` interface.
 * @packageDocumentation
 */
export * from './errors.js';
export * from './tensor.js';
export * from './rng.js';
export * from './gemm.js';
export { setKernelBackend, getKernelBackend } from './wasm/registry.js';
export { setBackend, backend, float64WasmAvailable } from './backend.js';
export * from './gemv.js';
export * from './elementwise.js';
export * from './reduce.js';
export * from './interop.js';
export { toTensor, type TensorInput, type ToTensorOptions } from './input.js';
export * from './system.js';
export * from './linalg/householder.js';
export * from './linalg/matrix64.js';
export * from './linalg/qr.js';
export * from './linalg/symmetric-eigen.js';
export * from './linalg/eigenvalues.js';
export * from './linalg/svd.js';
