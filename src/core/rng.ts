/**
 * Seeded pseudo-random numbers. `createRng(seed)` returns a generator that is itself a
 * `() => number` (uniform in [0,1)), so it can be passed anywhere an `rng` option is accepted, as can
 * any other such function (e.g. a `seedrandom` generator).
 *
 * The generator is xoshiro128** seeded through splitmix32; uniforms carry 53 random bits. Results are
 * reproducible bit for bit on one platform.
 */
import { assertRng } from './errors.js';
import { checkSeed, seedWords } from './seed.js';
import { checkSeedOrRng } from './seed-or-rng.js';

/** A uniform generator in [0,1) with helpers; callable as a plain `() => number`. */
export interface Rng {
  (): number;
  /** Uniform in [0,1) with 53 random bits. */
  uniform(): number;
  /** Standard normal draw. */
  normal(): number;
  /** Integer uniform in [0, n). */
  int(n: number): number;
}

function splitmix32(a: number): () => number {
  return () => {
    a = (a + 0x9e3779b9) | 0;
    let z = a;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * Creates a seeded generator.
 *
 * @param seed - an integer (|seed| ≤ 2^53 − 1) or a string; the same seed gives the same sequence.
 * Seeds of magnitude below 2^32 keep the mapping of every stored result, `seed | 0`, so two of them
 * that differ by 2^32 share a stream (−1 and 2^32 − 1; −2^31 and 2^31); any other two integer
 * seeds give distinct generator states (a seed of magnitude 2^32 or more never shares one with
 * another seed). A fraction (1.5), NaN, ±Infinity or an integer beyond ±(2^53 − 1) is a
 * RangeError: a fraction would be truncated to another seed's stream. Strings are hashed to 32 bits
 * (FNV-1a).
 * @example
 * ```ts
 * const rng = createRng(42);
 * const u = rng();          // uniform in [0,1)
 * const z = rng.normal();   // N(0,1)
 * ```
 */
export function createRng(seed: number | string = 0): Rng {
  checkSeed(seed, 'createRng');
  let s: number;
  let hi = 0;
  if (typeof seed === 'string') {
    s = 0x811c9dc5;
    for (let i = 0; i < seed.length; i++) s = Math.imul(s ^ seed.charCodeAt(i), 0x01000193);
  } else {
    ({ lo: s, hi } = seedWords(seed));
  }
  const sm = splitmix32(s);
  let a = sm() | 0, b = sm() | 0, c = sm() | 0, d = sm() | 0;
  if (hi !== 0) {
    // |seed| ≥ 2^32: a (a bijection of the low word) says which low word, b which high word (the
    // first splitmix32 word of hi is a bijection of hi, nonzero for 0 < |hi| ≤ 2^21), so no two
    // integer seeds share a state (before, lo ^ hi folded 2^32 + 1 onto 0)
    const hm = splitmix32(hi);
    b ^= hm() | 0;
    c ^= hm() | 0;
    d ^= hm() | 0;
  }
  if ((a | b | c | d) === 0) a = 1;
  const next32 = (): number => {
    const r = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return r;
  };
  const uniform = (): number => {
    const hi = next32() >>> 5; // 27 bits
    const lo = next32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  };
  const rng = uniform as Rng;
  rng.uniform = uniform;
  rng.normal = () => gaussian(uniform);
  rng.int = (n: number) => Math.floor(uniform() * n);
  return rng;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * Returns `u` when it is a number in [0, 1); otherwise throws, naming `caller` and `rng`: a TypeError
 * when `u` is not a number (a string, a boolean, null, an object), a RangeError for a number outside
 * [0, 1) (NaN, 1, 1.5 and -0.1 are refused).
 *
 * @example
 * ```ts
 * checkUniform(rng(), 'myFn'); // returns the value when it lies in [0, 1)
 * ```
 */
export function checkUniform(u: number, caller: string): number {
  if (typeof u !== 'number') {
    throw new TypeError(`${caller}: rng must return numbers in [0, 1), got ${u === null ? 'null' : typeof u}`);
  }
  if (!(u >= 0 && u < 1)) throw new RangeError(`${caller}: rng must return numbers in [0, 1), got ${u}`);
  return u;
}

/**
 * A standard normal draw from any uniform generator (Box–Muller, one pair of uniforms per draw, no
 * cached state, so the sequence depends on the generator alone). Every value in [0, 1) is accepted:
 * a first uniform of exactly 0 is used as 1 (radius 0), so Box–Muller runs on (0, 1] and never loops.
 * A generator returning anything outside [0, 1) (NaN, 1, 1.5, a string) is a RangeError naming `rng`
 * and `caller`.
 *
 * @example
 * ```ts
 * const z = gaussian(Math.random);
 * ```
 */
export function gaussian(rng: () => number, caller = 'gaussian'): number {
  if (typeof rng !== 'function') throw new TypeError(`${caller}: rng: expected a function () => number in [0,1), got ${rng === null ? 'null' : typeof rng}`);
  const u = rng();
  const v = rng();
  if (typeof u !== 'number' || typeof v !== 'number' || !(u > 0 && u < 1 && v >= 0 && v < 1)) {
    checkUniform(u, caller);
    checkUniform(v, caller);
    return 0; // u = 0 is used as 1: radius √(−2 ln 1) = 0
  }
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * Resolves the `{ seed, rng }` options every random routine accepts: `seed` for the library's own
 * generator (createRng), or `rng` for your own. Giving both (own properties, neither undefined) is a
 * TypeError naming `caller`: before, `rng` won and the seed was silently ignored. Only own
 * properties are read. A user `rng` is wrapped so that a value outside [0, 1) (NaN, 1.5) is a
 * RangeError naming `caller` instead of a NaN result; a bad seed is a TypeError (wrong kind) or a
 * RangeError (NaN, ±Infinity, a fraction such as 1.5, an integer beyond ±(2^53 − 1)) naming `caller`.
 *
 * @example
 * ```ts
 * const rng = resolveRng({ seed: 3 }); // or resolveRng({ rng: seedrandom('x') })
 * ```
 */
export function resolveRng(
  opts: { seed?: number | string; rng?: () => number } | null | undefined,
  fallbackSeed: number | string = 0,
  caller?: string,
): () => number {
  const fn = caller ?? 'resolveRng';
  // the one options rule (see readOptions): null options are all defaults, a null option is a TypeError
  if (opts === null) opts = undefined;
  if (opts !== undefined && (typeof opts !== 'object' || Array.isArray(opts))) {
    throw new TypeError(`${fn}: opts: expected an options object { seed?, rng? }, got ${Array.isArray(opts) ? 'an array' : typeof opts}`);
  }
  if (opts !== undefined) checkSeedOrRng(opts, fn);
  const own = (k: 'seed' | 'rng'): unknown =>
    opts !== null && typeof opts === 'object' && Object.prototype.hasOwnProperty.call(opts, k) ? opts[k] : undefined;
  const user = own('rng');
  if (user !== undefined) {
    assertRng(user, `${fn}: rng`);
    const name = caller ?? 'rng';
    return () => {
      const u = user();
      if (typeof u !== 'number' || !(u >= 0 && u < 1)) checkUniform(u, name);
      return u;
    };
  }
  const seed = own('seed');
  if (seed === null) throw new TypeError(`${fn}: opts.seed must not be null (omit it, or pass undefined, for the default)`);
  checkSeed(seed, fn);
  return createRng((seed ?? fallbackSeed) as number | string);
}
