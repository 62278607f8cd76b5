/**
 * `rnn-lyap/autodiff`: tape-based reverse-mode differentiation over the core kernels, with a fused
 * RNN op (forward + BPTT as one node) and a finite-difference gradient check.
 * @packageDocumentation
 */
export * as ad from './ad.js';
export { Var, isVar } from './tape.js';
export type { VarLike, DType } from './tape.js';
export { valueAndGrad, grad } from './value-and-grad.js';
export type { ParamTree, VarTree, TensorTree, GradTree, ValueAndGradOptions, ValueAndGrad } from './value-and-grad.js';
export { gradientCheck } from './gradient-check.js';
export type { GradientCheckOptions, GradientCheckEntry, GradientCheckResult } from './gradient-check.js';
export type { RnnActivation } from './activation-kernels.js';
