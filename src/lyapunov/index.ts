/**
 * `rnn-lyap/lyapunov`: the streaming QR estimator of Lyapunov spectra, `lyapunovSpectrum` for any
 * dynamical system or RNN, Kaplan–Yorke dimension, entropy, finite-time exponents, ready-made test
 * systems and a training callback.
 * @packageDocumentation
 */
export * from './types.js';
export * from './dimension.js';
export * from './estimator.js';
export { lyapunovSpectrum, type LyapunovProgress, type LyapunovSpectrumOptions, type LyapunovBatchOptions } from './spectrum.js';
export type { ProductPrecision } from './product-precision.js';
export { henonMap, linearMap, logisticMap, lorenz63, lorenz96, type ExampleSystem } from './systems.js';
export * from './finite-time.js';
export * from './training.js';
export { lyapunovBackend, lyapunovWasmAvailable, setLyapunovBackend, type LyapunovBackend } from './backend.js';
export { lyapunovValueAndGrad, type LyapunovGradOptions, type LyapunovValueAndGrad } from './differentiable.js';
export * from './clv.js';
export * from './clv-angles.js';
export { flossingLossAndGrad, flossingRegularizer, type FlossingOptions, type FlossingResult } from './flossing.js';
