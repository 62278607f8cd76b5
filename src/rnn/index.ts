/**
 * `rnn-lyap/rnn`: the vanilla RNN as plain data, its forward pass, losses, optimizers and training.
 * @packageDocumentation
 */
export type * from './types.js';
