/**
 * The pool's own option keys and argument counts: `createPool`'s and `pool.map`'s options are
 * checked against their interfaces (see `optionKeys`), and a method called with more arguments than
 * the synchronous function takes is refused (a third argument `{ signal }` would be silently
 * ignored otherwise). @internal
 */
import { checkOptionKeys, optionKeys, readChoice } from '../core/options.js';
import type { MapOptions, Pool, PoolOptions } from './pool.js';

export const POOL_KEYS = optionKeys<PoolOptions>({ workers: true, workerUrl: true, backends: true });

export const MAP_KEYS = optionKeys<MapOptions>({ signal: true, onProgress: true });

/** The parameters of each method that takes arguments (those of the synchronous function). */
export const METHOD_PARAMS: Readonly<Record<string, readonly string[]>> = {
  lyapunovSpectrum: ['system', 'opts'],
  findFixedPoints: ['system', 'opts'],
  train: ['rnn', 'data', 'opts'],
  tsne: ['X', 'opts'],
  phate: ['X', 'opts'],
  mPhate: ['X', 'opts'],
  mmPhate: ['X', 'opts'],
  map: ['name', 'argsList', 'opts'],
};

/** The TypeError for a call of `pool.<method>` with `n` arguments (more than it takes), or undefined. */
export function arityError(method: string, args: readonly unknown[]): TypeError | undefined {
  const params = METHOD_PARAMS[method];
  let n = args.length;
  while (n > 0 && args[n - 1] === undefined) n--; // trailing undefined: as if left out
  if (params === undefined || n <= params.length) return undefined;
  const call = `pool.${method}(${params.slice(0, -1).join(', ')}, { ...opts, signal })`;
  return new TypeError(
    `pool.${method}: takes ${params.length} arguments (${params.join(', ')}), got ${n}; signal and onProgress go inside ${params[params.length - 1]}: ${call}`,
  );
}

/** `pool` with every method of {@link METHOD_PARAMS} refusing extra arguments (the promise rejects). */
export function withArityChecks(pool: Pool): Pool {
  const p = pool as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  for (const method of Object.keys(METHOD_PARAMS)) {
    const f = p[method];
    p[method] = function (this: unknown, ...args: unknown[]) {
      const err = arityError(method, args);
      return err !== undefined ? Promise.reject(err) : f.apply(this, args);
    };
  }
  return pool;
}

/** Refuses unknown keys of `createPool`'s options (already read as own properties). */
export function checkPoolKeys(o: object): void {
  checkOptionKeys(o, POOL_KEYS, 'createPool');
}

const BACKENDS = ['caller', 'workers'] as const;

/** Checks `backends` of `createPool`'s options (undefined: the default, `'caller'`; null is refused before). */
export function readBackends(v: unknown): (typeof BACKENDS)[number] {
  const expected = "'caller' (the workers run what this thread's 'auto' backends resolved to) or 'workers' (each worker resolves its own 'auto')";
  return readChoice(v, BACKENDS, 'caller', 'createPool: backends', expected);
}
