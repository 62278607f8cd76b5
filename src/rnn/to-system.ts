/**
 * The one adapter between models and analyses: every function that takes `systemOrRnn`
 * (`lyapunovSpectrum`, `covariantLyapunovVectors`, `findFixedPoints`, `detectLimitCycle`, …) resolves
 * its argument here, so a DynamicalSystem passes through checked, and an RNN of any cell (vanilla,
 * GRU, LSTM) is adapted by `rnnSystem` with the same rules and with errors naming the caller.
 * Imports core and the RNN's own adapters only: lyapunov and geometry may import it.
 */
import { assertInteger } from '../core/errors.js';
import type { TensorInput } from '../core/input.js';
import { isDynamicalSystem, type DynamicalSystem } from '../core/system.js';
import { checkRnnForSystem, rnnSystemFor, type RnnSystem } from './system.js';
import { readConstantInput } from './drive.js';
import type { AnyRnn } from './types.js';

export { checkRnnForSystem } from './system.js';
export { readConstantInput, type ConstantInput } from './drive.js';


/** What an RNN needs besides its parameters to become a map (a DynamicalSystem needs neither). */
export interface ToSystemOptions {
  /** One input sequence `[1,T,I]` or `[T,I]` (any {@link TensorInput} form): step t reads x_t. */
  inputs?: unknown;
  /** A constant input (autonomous map); zeros when omitted. */
  input?: unknown;
}

/**
 * True when `v` is shaped like an Rnn (an object with a `params` object). The full check of the
 * cell, activation and parameter shapes is {@link checkRnnForSystem}'s, so a malformed Rnn gets a
 * message about the field that is wrong, not "expected a DynamicalSystem or an Rnn". @internal
 */
export function isRnnLike(v: unknown): v is AnyRnn {
  if (v === null || typeof v !== 'object') return false;
  const p = (v as { params?: unknown }).params;
  return p !== null && typeof p === 'object';
}

/**
 * Resolves `systemOrRnn` for the analysis `name`: a {@link DynamicalSystem} is returned as it is
 * (its `dim` checked; `inputs`/`input` refused, the system defines its own map), an Rnn of any cell
 * is checked and adapted by `rnnSystem`, driven by one sequence `inputs` or autonomous under the
 * constant `input` (zeros by default). Anything else is a TypeError naming `name`. @internal
 *
 * @example
 * ```ts no-run
 * const sys = toDynamicalSystem(rnn, { input: [0.5] }, 'findFixedPoints');
 * ```
 */
export function toDynamicalSystem(systemOrRnn: unknown, opts: ToSystemOptions, name: string): DynamicalSystem | RnnSystem {
  const { inputs, input } = opts;
  if (isDynamicalSystem(systemOrRnn)) {
    if (inputs !== undefined || input !== undefined) {
      throw new TypeError(`${name}: ${inputs !== undefined ? 'inputs' : 'input'} applies to an Rnn only; a DynamicalSystem defines its own map`);
    }
    assertInteger(systemOrRnn.dim, `${name}: system.dim`, 1);
    return systemOrRnn;
  }
  if (isRnnLike(systemOrRnn)) {
    const [, I] = checkRnnForSystem(systemOrRnn, name);
    if (inputs !== undefined && input !== undefined) {
      throw new RangeError(`${name}: give either inputs (a sequence) or input (a constant), not both`);
    }
    if (inputs !== undefined) return rnnSystemFor(systemOrRnn, { inputs: inputs as TensorInput }, name);
    const u = input === undefined ? undefined : readConstantInput(input, I, `${name}: input`);
    return rnnSystemFor(systemOrRnn, u === undefined ? {} : { input: u }, name);
  }
  throw new TypeError(
    `${name}: systemOrRnn must be a DynamicalSystem { dim, step, jacobian } or an Rnn { activation, params }, got ${systemOrRnn === null ? 'null' : typeof systemOrRnn}`,
  );
}
