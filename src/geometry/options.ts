/**
 * Option reading for the geometry routines: own properties only (a polluted Object.prototype
 * changes nothing), `signal` and `onProgress` validated before any work, bounds on iteration counts
 * and memory, and a progress clock that fires by time. (Private to this folder; core grows shared
 * helpers of the same kind.)
 */
import { throwIfAborted, type AbortSignalLike } from '../core/errors.js';

/** The progress payload every geometry routine reports: `{ phase?, done, total }` (plus own fields). */
export interface GeometryProgress {
  phase?: string;
  done: number;
  total: number;
}

const hasOwn = Object.prototype.hasOwnProperty;

/** `opts` as a record of its own properties; `undefined`/`null` give `{}`; anything else but an object is a TypeError. */
export function ownOptions<T extends object>(opts: unknown, name: string): Partial<T> {
  if (opts === undefined || opts === null) return Object.create(null) as Partial<T>;
  if (typeof opts !== 'object' || Array.isArray(opts)) throw new TypeError(`${name}: opts must be an object of options, got ${Array.isArray(opts) ? 'an array' : typeof opts}`);
  const out: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(opts)) {
    if (!hasOwn.call(opts, key)) continue;
    const v = (opts as Record<string, unknown>)[key];
    // null is not "the default": leave an option out (or pass undefined) for that
    if (v === null) throw new TypeError(`${name}: opts.${key} must not be null (omit it for the default)`);
    out[key] = v;
  }
  return out as Partial<T>;
}

/**
 * Checks the random-source options: `seed` a finite number or a string, `rng` a function (its
 * values are checked as they are drawn, by `resolveRng(opts, fallback, name)`).
 */
export function checkSeedRng(opts: { seed?: unknown; rng?: unknown }, name: string): void {
  const seed = opts.seed;
  if (seed !== undefined && typeof seed !== 'string' && typeof seed !== 'number') {
    throw new TypeError(`${name}: seed must be a finite number or a string, got ${typeof seed}`);
  }
  if (typeof seed === 'number' && !Number.isFinite(seed)) throw new RangeError(`${name}: seed must be a finite number or a string, got ${seed}`);
  if (opts.rng !== undefined && typeof opts.rng !== 'function') {
    throw new TypeError(`${name}: rng must be a function () => number in [0, 1), got ${typeof opts.rng}`);
  }
}

/** Validates `signal` and throws if it is already aborted. */
export function checkSignal(signal: unknown, name: string): AbortSignalLike | undefined {
  if (signal === undefined) return undefined;
  if (signal === null || typeof signal !== 'object' || typeof (signal as { aborted?: unknown }).aborted !== 'boolean') {
    throw new TypeError(`${name}: signal must be an AbortSignal, got ${signal === null ? 'null' : typeof signal}`);
  }
  throwIfAborted(signal as AbortSignalLike, name);
  return signal as AbortSignalLike;
}

/** Validates a callback option. */
export function checkCallback<F>(f: unknown, what: string): F | undefined {
  if (f === undefined) return undefined;
  if (typeof f !== 'function') throw new TypeError(`${what} must be a function, got ${f === null ? 'null' : typeof f}`);
  return f as F;
}

/** Largest step/iteration count accepted. */
export const MAX_STEPS = 1e9;

/** Largest working memory a call may allocate (bytes): 2 GiB. */
export const MAX_BYTES = 2 ** 31;

/** Throws a RangeError naming `what` when more than {@link MAX_BYTES} would be needed. */
export function checkMemory(bytes: number, what: string): void {
  if (!(bytes <= MAX_BYTES)) {
    const gib = (bytes / 2 ** 30).toPrecision(3);
    throw new RangeError(`${what} needs ${gib} GiB of working memory, more than the 2 GiB a call may allocate`);
  }
}

const now: () => number =
  typeof (globalThis as { performance?: { now?: () => number } }).performance?.now === 'function'
    ? () => (globalThis as unknown as { performance: { now: () => number } }).performance.now()
    : () => Date.now();

/**
 * Progress by time: `tick(phase, done, total, extra?)` reports through `onProgress` when about
 * `intervalMs` have passed (reading the clock every `stride` calls, the stride adapted so a read
 * happens about every intervalMs / 8), and checks `signal` at each report. `final` always reports.
 */
export interface Progress {
  tick(phase: string, done: number, total: number, extra?: Record<string, unknown>): void;
  final(phase: string, done: number, total: number, extra?: Record<string, unknown>): void;
  /** Checks the signal (cheap; call at natural boundaries). */
  check(): void;
}

/** Creates a {@link Progress} reporter for one call. */
export function createProgress(
  name: string,
  onProgress: ((p: GeometryProgress) => void) | undefined,
  signal: AbortSignalLike | undefined,
  intervalMs = 50,
): Progress {
  let last = now();
  let lastRead = last;
  let stride = 1;
  let count = 0;
  let lastPhase = '';
  const target = intervalMs / 8;
  const emit = (phase: string, done: number, total: number, extra?: Record<string, unknown>) => {
    if (onProgress) onProgress({ phase, done, total, ...extra });
    if (signal?.aborted) throwIfAborted(signal, name);
  };
  return {
    tick(phase, done, total, extra) {
      if (signal?.aborted) throwIfAborted(signal, name);
      if (!onProgress) return;
      if (phase !== lastPhase) {
        // a new phase may cost more per tick: read the clock at once and re-learn the stride
        lastPhase = phase;
        stride = 1;
        count = 0;
      }
      if (++count < stride) return;
      count = 0;
      const t = now();
      const gap = t - lastRead;
      lastRead = t;
      if (gap < target / 2 && stride < 1 << 20) stride *= 2;
      else if (gap > target && stride > 1) stride = Math.max(1, Math.floor((stride * target) / gap));
      if (t - last >= intervalMs) {
        last = t;
        emit(phase, done, total, extra);
      }
    },
    final(phase, done, total, extra) {
      last = now();
      emit(phase, done, total, extra);
    },
    check() {
      if (signal?.aborted) throwIfAborted(signal, name);
    },
  };
}
