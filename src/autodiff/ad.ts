/**
 * The differentiable ops, gathered as the `ad` namespace (`ad.matmul`, `ad.add`, `ad.rnn`, …) so
 * that their names do not collide with the plain kernels of `rnn-lyap/core`.
 */
export { add, sub, mul, scale, matmul, tanh, relu, sigmoid, softmaxCrossEntropy, mse, sum, mean, timeStep, reshape } from './ops.js';
import type { AdMatmulOptions as MatmulOptions, Labels as LabelsOf } from './ops.js';
// Declared here rather than re-exported by `export type { … } from './ops.js'`: the declaration
// bundler turns a type re-exported next to values of the same module into `typeof X` (TS2693).
/** Options of {@link matmul}. */
export type AdMatmulOptions = MatmulOptions;
/** Labels accepted by {@link softmaxCrossEntropy}. */
export type Labels = LabelsOf;
export { rnn } from './rnn-op.js';
export type { RnnOpParams, RnnOpOptions } from './rnn-op.js';
