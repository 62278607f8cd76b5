/**
 * The differentiable ops, gathered as the `ad` namespace (`ad.matmul`, `ad.add`, `ad.rnn`, …) so
 * that their names do not collide with the plain kernels of `rnn-lyap/core`.
 */
export { add, sub, mul, scale, matmul, tanh, relu, sigmoid, softmaxCrossEntropy, mse, sum, mean, timeStep, reshape } from './ops.js';
export type { AdMatmulOptions, Labels } from './ops.js';
export { rnn } from './rnn-op.js';
export type { RnnOpParams, RnnOpOptions } from './rnn-op.js';
