/**
 * The default frame warm-up of a run driven by T input steps, shared by the spectrum, the covariant
 * vectors, the finite-time exponents and the differentiable exponents.
 */

/**
 * Frame warm-up steps for inputs of T steps: ⌊T/10⌋, at least min(10, ⌊T/2⌋), at most 100. A frame
 * needs tens of steps to align: ⌊T/10⌋ alone gave 2 for the 28 rows of a sequential-MNIST digit,
 * where a 64-unit net's λ1 then moved by 2.4 standard errors with the seed of the random initial
 * frame (1.2 at 10 steps); T < 10 gives ≤ 4 (the spectrum refuses T < 10 without an explicit value).
 * @internal
 */
export function defaultFrameWarmup(T: number): number {
  return Math.min(100, Math.max(Math.floor(T / 10), Math.min(10, Math.floor(T / 2))));
}

/** {@link defaultFrameWarmup}'s rule, as messages state it. @internal */
export const DEFAULT_FRAME_WARMUP_RULE = '⌊T/10⌋, at least min(10, ⌊T/2⌋), at most 100';

/** The fewest steps of a run that has a default frame warm-up (below, the exponents would be counted before the frame aligns). @internal */
export const MIN_DEFAULT_WARMUP_STEPS = 10;

/**
 * The frame warm-up of a run of T steps: `given` when the caller passed one, else
 * {@link defaultFrameWarmup}; below MIN_DEFAULT_WARMUP_STEPS there is no default and the call is
 * refused, naming `name`. `run` says what the T steps are ('the inputs have', 'the run has'). The
 * rule of the spectrum, the finite-time and the differentiable exponents and flossing; the covariant
 * vectors apply the same bound to their two warm-ups (clv.ts).
 * @internal
 */
export function frameWarmupFor(T: number, given: unknown, name: string, run = 'the inputs have'): unknown {
  if (given !== undefined) return given;
  if (T < MIN_DEFAULT_WARMUP_STEPS) {
    throw new RangeError(
      `${name}: ${run} T = ${T} steps, too few to align the frame by default (the default frameWarmup would be ${defaultFrameWarmup(T)} steps: ${DEFAULT_FRAME_WARMUP_RULE}; the exponents would be counted before the frame aligns): pass frameWarmup explicitly (0 allowed)`,
    );
  }
  return defaultFrameWarmup(T);
}
