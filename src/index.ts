/**
 * rnn-lyap: recurrent neural networks as dynamical systems.
 * @packageDocumentation
 */
export * from './core/index.js';
export * from './autodiff/index.js';
export * from './rnn/index.js';
export * from './lyapunov/index.js';
export * from './geometry/index.js';
export * from './data/index.js';
export * from './plot/index.js';
export * from './io/index.js';
// train with the flossing option (rnn cannot import lyapunov): shadows the star export of rnn's train
export { train, type TrainOptions } from './train.js';
