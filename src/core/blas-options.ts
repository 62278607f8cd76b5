/**
 * The options that `matmul` and `gemv` share, read by the one options rule (own properties, null
 * options are defaults): boolean transpose flags, finite `alpha` (default 1) and `beta` (default 0),
 * and an `out` returned as given (validated by the caller against its own shape). @internal
 */
import { assertNumber } from './errors.js';
import { checkOptionKeys, readOptions, type KnownOptions } from './options.js';

/** The options as read. */
export interface ProductOptions<K extends string> {
  flags: Record<K, boolean>;
  alpha: number;
  beta: number;
  out: unknown;
}

/**
 * Reads `options` for `caller` with the boolean `flags` (each default false).
 *
 * @example
 * ```ts
 * const { flags, alpha, beta, out } = readProductOptions(options, 'gemv', ['trans'], GEMV_KEYS);
 * ```
 */
export function readProductOptions<K extends string>(options: unknown, caller: string, flags: readonly K[], known: KnownOptions): ProductOptions<K> {
  const opts = readOptions(options as Record<string, unknown> | undefined, caller);
  checkOptionKeys(opts, known, caller);
  const read = {} as Record<K, boolean>;
  for (const f of flags) {
    const v = opts[f] ?? false;
    if (typeof v !== 'boolean') throw new TypeError(`${caller}: ${f} must be a boolean, got ${typeof v}`);
    read[f] = v;
  }
  const alpha = opts.alpha ?? 1;
  const beta = opts.beta ?? 0;
  assertNumber(alpha, `${caller}: alpha`);
  assertNumber(beta, `${caller}: beta`);
  return { flags: read, alpha, beta, out: opts.out };
}
