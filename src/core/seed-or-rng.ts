/**
 * The one rule for `seed` and `rng` given together (resolveRng and every validator that checks them
 * up front): a TypeError naming the function called. Before, `rng` won and the seed was silently
 * ignored, so a run a researcher believed seeded by `seed` was not. @internal
 */

/**
 * Throws a TypeError when `opts` has both `seed` and `rng` as own properties that are not undefined
 * (an option set to undefined is left out, an inherited one is never read). `note` is appended to
 * the message (the pool says that it takes seed only). @internal
 */
export function checkSeedOrRng(opts: object, caller: string, note = ''): void {
  const own = (k: string): unknown => (Object.prototype.hasOwnProperty.call(opts, k) ? (opts as Record<string, unknown>)[k] : undefined);
  const seed = own('seed');
  const rng = own('rng');
  if (seed === undefined || rng === undefined) return;
  throw new TypeError(
    `${caller}: give seed or rng, not both (got seed = ${describe(seed)} and ${typeof rng === 'function' ? 'an rng function' : `rng = ${describe(rng)}`}): ` +
    `seed for the library's own generator, rng for your own${note}`,
  );
}

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : `a ${typeof v}`;
}
