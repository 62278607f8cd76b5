/**
 * Reading option bags safely: own properties only, each read once, into a null-prototype object, so
 * a polluted `Object.prototype` (`Object.prototype.out = …`) or a getter that changes between reads
 * cannot reach a computation. `signal` and `onProgress`, when present, are validated before any work.
 *
 * Internal to the library (exported from `src/core/options.ts`, not from the public surface): every
 * public function with an options argument starts with `readOptions(opts, 'caller')`.
 */
import type { AbortSignalLike } from './errors.js';

/** The options as read: the same fields, own properties only, on a null-prototype object. */
export type ReadOptions<T> = { [K in keyof T]?: T[K] };

/**
 * Copies the own enumerable properties of `opts` (each read exactly once) into a fresh
 * null-prototype object, applying the library's one rule for options:
 *
 * - an options argument of `undefined` **or `null`** means every option at its default (as WebIDL
 *   dictionaries treat them), in every folder;
 * - anything else that is not a plain object (an array, a number, a string, a function) is a
 *   TypeError naming `caller` and `arg`;
 * - inside the bag only `undefined` (or leaving the key out) means "default": an option set to
 *   `null` is a TypeError naming `arg.key` ("omit it for the default"), unless the option documents
 *   `null` as a value of its own and is listed in `nullable`;
 * - a present `signal` must look like an AbortSignal (`{ aborted: boolean }`) and a present
 *   `onProgress` must be a function (TypeError otherwise), so a bad one is refused before any work.
 *
 * @param opts - the caller's options argument.
 * @param caller - the public function's name, used in error messages.
 * @param arg - the argument's name in messages (default 'opts').
 * @param nullable - keys whose documented values include `null` (they pass through as null).
 * @example
 * ```ts
 * const o = readOptions(opts, 'matmul');     // o.out is undefined even if Object.prototype.out is set
 * const transA = o.transA ?? false;
 * readOptions(null, 'matmul');               // {}: every option at its default
 * readOptions({ k: null }, 'pca');           // TypeError: pca: opts.k must not be null (omit it for the default)
 * ```
 */
export function readOptions<T extends object>(opts: T | null | undefined, caller: string, arg = 'opts', nullable: readonly string[] = []): ReadOptions<T> {
  const out = readOwnOptions(opts, caller, arg, nullable) as Record<string, unknown>;
  if (out.signal !== undefined) checkSignal(out.signal, `${caller}: ${arg}.signal`);
  if (out.onProgress !== undefined && typeof out.onProgress !== 'function') {
    throw new TypeError(`${caller}: ${arg}.onProgress must be a function, got ${kindOf(out.onProgress)}`);
  }
  return out as ReadOptions<T>;
}

/**
 * The options rule of {@link readOptions} without its `signal`/`onProgress` checks, for callers that
 * check those themselves (the long-run helpers of lyapunov and geometry, through `ownOptions`).
 *
 * @example
 * ```ts
 * const o = readOwnOptions(opts, 'lyapunovSpectrum'); // null → {}, { k: null } → TypeError
 * ```
 */
export function readOwnOptions<T extends object>(opts: T | null | undefined, caller: string, arg = 'opts', nullable: readonly string[] = []): ReadOptions<T> {
  const out = Object.create(null) as Record<string, unknown>;
  if (opts === undefined || opts === null) return out as ReadOptions<T>;
  if (typeof opts !== 'object' || Array.isArray(opts)) {
    const kind = Array.isArray(opts) ? 'an array' : typeof opts;
    throw new TypeError(`${caller}: ${arg} must be an object of options, got ${kind}`);
  }
  for (const key of Object.keys(opts)) {
    const v = (opts as Record<string, unknown>)[key];
    if (v === null && !nullable.includes(key)) {
      throw new TypeError(`${caller}: ${arg}.${key} must not be null (omit it, or pass undefined, for the default)`);
    }
    out[key] = v;
  }
  return out as ReadOptions<T>;
}

/**
 * Throws a TypeError unless `signal` looks like an AbortSignal: an object with a boolean `aborted`.
 *
 * @example
 * ```ts
 * checkSignal(new AbortController().signal, 'myFn: signal'); // ok
 * checkSignal('x', 'myFn: signal');                          // TypeError
 * ```
 */
export function checkSignal(signal: unknown, name: string): asserts signal is AbortSignalLike {
  if (signal === null || typeof signal !== 'object' || typeof (signal as { aborted?: unknown }).aborted !== 'boolean') {
    throw new TypeError(`${name}: expected an AbortSignal (an object with a boolean 'aborted'), got ${kindOf(signal)}`);
  }
}

/**
 * A short description of a value's kind for error messages: 'null', 'array', a class name, or typeof.
 *
 * @example
 * ```ts
 * kindOf(new Uint8Array(2)); // 'Uint8Array'
 * ```
 */
export function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v !== 'object') return typeof v;
  const proto = Object.getPrototypeOf(v) as { constructor?: { name?: unknown } } | null;
  const name = proto?.constructor?.name;
  return typeof name === 'string' && name !== '' ? name : 'object';
}

type Clock = { performance?: { now(): number } };

/** Milliseconds from a monotonic clock when there is one (performance.now), else Date.now. */
export function nowMs(): number {
  const p = (globalThis as Clock).performance;
  return p !== undefined && typeof p.now === 'function' ? p.now() : Date.now();
}

/** The progress payload every long computation reports, extended by each with its own fields. */
export interface Progress {
  phase?: string;
  done: number;
  total: number;
}

/**
 * A progress point for long loops: `tick(done, extra?)` checks `signal` (throwing its reason once
 * aborted) and calls `onProgress` when at least `intervalMs` (default 100) have passed since the last
 * report, and always for the last unit (`done === total`). `extra` is called only when a report is due.
 *
 * @example
 * ```ts
 * const tick = progressPoint(o.onProgress, o.signal, 'evaluate', total);
 * for (let i = 0; i < total; i++) { work(i); tick(i + 1); }
 * ```
 */
export function progressPoint<E extends object = object>(
  onProgress: ((p: Progress & E) => void) | undefined,
  signal: AbortSignalLike | undefined,
  caller: string,
  total: number,
  opts: { phase?: string; intervalMs?: number } = {},
): (done: number, extra?: () => E) => void {
  const interval = opts.intervalMs ?? 100;
  let last = nowMs();
  return (done, extra) => {
    if (signal !== undefined && signal.aborted) {
      const reason = signal.reason;
      if (reason instanceof Error) throw reason;
      const err = new Error(`${caller}: aborted`);
      err.name = 'AbortError';
      throw err;
    }
    if (onProgress === undefined) return;
    const t = nowMs();
    if (t - last < interval && done !== total) return;
    last = t;
    const p = { ...(extra !== undefined ? extra() : ({} as E)), done, total } as Progress & E;
    if (opts.phase !== undefined) p.phase = opts.phase;
    onProgress(p);
  };
}
