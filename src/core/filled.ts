/**
 * The check behind every analysis's calls of a DynamicalSystem's methods (internal: not on the
 * public surface).
 */
/**
 * Checks what a system's `step`, `jacobian` or `jacobianTimes` returned: they write into `out` and
 * return nothing (or `out` itself). A method that returns a new array instead leaves `out` as it
 * was (zeros, or the last step's values), which would otherwise become silent −∞ exponents or a
 * frozen orbit. Called by the analyses after every call of a system's method.
 *
 * @internal
 * @example
 * ```ts no-run
 * filled(system.jacobian(x, t, J), J, 'jacobian', 'lyapunovSpectrum'); // TypeError if it returned a matrix
 * ```
 */
export function filled(returned: unknown, out: Float64Array, method: 'step' | 'jacobian' | 'jacobianTimes', caller: string): void {
  if (returned === undefined || returned === out) return;
  const kind = Array.isArray(returned) ? 'an array' : ArrayBuffer.isView(returned) ? `a ${returned.constructor.name}` : returned === null ? 'null' : typeof returned;
  const what = method === 'step' ? 'F(x, t) into out (length dim)' : method === 'jacobian' ? 'dF/dx into out (row-major dim×dim)' : 'J·Q into out (row-major dim×k)';
  throw new TypeError(`${caller}: system.${method} returned ${kind} instead of writing into its out argument: write ${what} and return nothing`);
}
