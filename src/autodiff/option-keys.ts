/**
 * The known options of autodiff's public functions, typed from their option interfaces so a list
 * cannot drift from its interface (see `optionKeys`). Internal: not re-exported. @internal
 */
import { optionKeys } from '../core/options.js';
import type { GradientCheckOptions } from './gradient-check.js';
import type { AdMatmulOptions } from './ops.js';
import type { RnnOpOptions } from './rnn-op.js';
import type { ValueAndGradOptions } from './value-and-grad.js';

export const AD_MATMUL_KEYS = optionKeys<AdMatmulOptions>({ transA: true, transB: true });
export const AD_RNN_KEYS = optionKeys<RnnOpOptions>({ activation: true, h0: true });
export const VALUE_AND_GRAD_KEYS = optionKeys<ValueAndGradOptions>({ dtype: true });
export const GRADIENT_CHECK_KEYS = optionKeys<GradientCheckOptions>({ h: true, rtol: true, atol: true, dtype: true, maxPerParam: true, seed: true, args: true });
