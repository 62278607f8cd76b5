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
