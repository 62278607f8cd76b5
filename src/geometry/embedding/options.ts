/**
 * Option checks shared by the embeddings.
 */
import { assertInteger, assertNumber, throwIfAborted, type AbortSignalLike } from '../../core/errors.js';
import { ownOptions as coreOwnOptions } from '../../core/long-run.js';
import type { KnownOptions } from '../../core/options.js';
import { resolveRng } from '../../core/rng.js';

/** Progress report of a long embedding computation. */
export interface EmbeddingProgress {
  /** Which stage is running, e.g. `'affinities'`, `'optimize'`, `'kernel'`, `'landmarks'`, `'mds'`. */
  readonly phase: string;
  /** Work done in this phase and the total (iterations, points, …). */
  readonly done: number;
  readonly total: number;
  /** The current objective, where the phase has one (t-SNE's KL divergence, MDS stress). */
  readonly value?: number;
}

/** Options every long-running embedding accepts. */
export interface EmbeddingRunOptions {
  /** Seed of the internal generator (a TypeError together with `rng`: pass one). */
  seed?: number | string;
  /** A uniform generator in [0,1), e.g. `createRng(1)` or a seedrandom instance, instead of `seed`. */
  rng?: () => number;
  /** Called between stages and every few iterations. */
  onProgress?: (p: EmbeddingProgress) => void;
  /** Aborts the computation (an `AbortError` is thrown at the next check). */
  signal?: AbortSignalLike;
}

/** Resolves the random source and checks the callbacks. */
export function resolveLongRun(opts: EmbeddingRunOptions, name: string): {
  rng: () => number;
  progress: (phase: string, done: number, total: number, value?: number) => void;
  check: () => void;
} {
  if (opts.onProgress !== undefined && typeof opts.onProgress !== 'function') {
    throw new TypeError(`${name}: onProgress must be a function, got ${typeof opts.onProgress}`);
  }
  const signal = opts.signal;
  if (signal !== undefined && (signal === null || typeof signal !== 'object' || typeof signal.aborted !== 'boolean')) {
    throw new TypeError(`${name}: signal must be an AbortSignal`);
  }
  throwIfAborted(signal, name);
  const rng = resolveRng(opts, 0, name);
  // a caller's generator is tried once up front, so that one returning values outside [0, 1) is a
  // RangeError before any work even where the computation would never draw from it
  if (opts.rng !== undefined) rng();
  const cb = opts.onProgress;
  return {
    rng,
    progress: (phase, done, total, value) => {
      if (cb) cb(value === undefined ? { phase, done, total } : { phase, done, total, value });
    },
    check: () => throwIfAborted(signal, name),
  };
}

/** Reads an optional integer option with a default. */
export function intOption(v: unknown, def: number, name: string, min: number, max = Infinity): number {
  if (v === undefined) return def;
  assertInteger(v, name, min, max);
  return v;
}

/** Reads an optional finite number option with a default. */
export function numOption(v: unknown, def: number, name: string, min: number, max = Infinity): number {
  if (v === undefined) return def;
  assertNumber(v, name, min, max);
  return v;
}

/**
 * The caller's options as a prototype-free copy of their own enumerable properties (core's
 * `ownOptions`, shared by every long computation): an inherited `seed` or `t` is ignored, later
 * reads cannot see getters change, an option set to null is a TypeError, and null options mean
 * every option at its default (the library's rule, as undefined).
 */
export function ownOptions<T extends object>(opts: T | null | undefined, name: string, known?: KnownOptions): T {
  return coreOwnOptions<T>(opts ?? undefined, name, known) as T; // with `known`, an unknown key is a RangeError
}

/**
 * Checks a list of numbers given as `arg` to `name`: a numeric typed array or an array of numbers
 * (TypeError otherwise, and for a non-number entry), every entry finite (RangeError naming the entry).
 */
export function checkNumberList(v: unknown, name: string, arg: string): ArrayLike<number> {
  const typed = ArrayBuffer.isView(v) && !(v instanceof DataView) && !(v instanceof BigInt64Array) && !(v instanceof BigUint64Array);
  if (!typed && !Array.isArray(v)) {
    throw new TypeError(`${name}: ${arg} must be a Float64Array or an array of numbers, got ${v === null ? 'null' : typeof v}`);
  }
  const a = v as ArrayLike<unknown>;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    if (typeof x !== 'number') throw new TypeError(`${name}: ${arg}[${i}] must be a number, got ${typeof x}`);
    if (!Number.isFinite(x)) throw new RangeError(`${name}: ${arg} has a non-finite value ${x} at index ${i}`);
  }
  return a as ArrayLike<number>;
}
