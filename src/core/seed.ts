/**
 * The one seed rule (createRng, resolveRng and the validators that check options up front): a seed
 * is a string, or an integer with |seed| ≤ 2^53 − 1. A fractional number is refused because the
 * 32-bit seeding would truncate it (1.5 gave the stream of 1: two seeds, one result, silently), and a
 * number beyond ±(2^53 − 1) because it is no longer the integer that was written (2^53 + 1 reads as
 * 2^53). @internal
 */

/**
 * Throws unless `seed` is a string or a safe integer: a TypeError for another kind, a RangeError
 * (naming `caller`, the seed, and what to use instead) for NaN, ±Infinity, a fraction or an integer
 * beyond ±(2^53 − 1). `undefined` is left to the caller (a default). @internal
 */
export function checkSeed(seed: unknown, caller: string): void {
  if (typeof seed === 'string' || seed === undefined) return;
  if (typeof seed !== 'number') {
    throw new TypeError(`${caller}: seed must be an integer or a string, got ${seed === null ? 'null' : typeof seed}`);
  }
  if (Number.isSafeInteger(seed)) return;
  if (!Number.isFinite(seed)) throw new RangeError(`${caller}: seed must be an integer or a string, got ${seed}`);
  if (!Number.isInteger(seed)) {
    throw new RangeError(
      `${caller}: seed must be an integer or a string, got ${seed}: a fractional seed would be truncated to ` +
      `${Math.trunc(seed)} and give that seed's numbers; use an integer (e.g. ${Math.round(seed)}) or a string (e.g. '${seed}')`,
    );
  }
  throw new RangeError(
    `${caller}: seed must be an integer in [-(2^53 - 1), 2^53 - 1] or a string, got ${seed}: beyond 2^53 a number is no longer ` +
    'the integer that was written (2^53 + 1 reads as 2^53); use a smaller integer or a string',
  );
}

/**
 * The splitmix32 seed word and the high word of an integer seed (checked by `checkSeed`). For
 * |seed| < 2^32 the high word is 0 and the seed word is `seed | 0`, the mapping every stored result
 * was made with. Beyond, the pair (seed mod 2^32, ⌊seed / 2^32⌋) is the seed's two's-complement
 * split, one pair per integer, and the high word is nonzero. @internal
 */
export function seedWords(seed: number): { lo: number; hi: number } {
  if (seed > -4294967296 && seed < 4294967296) return { lo: seed | 0, hi: 0 };
  return { lo: seed | 0, hi: Math.floor(seed / 4294967296) | 0 };
}
