/**
 * Option reading shared by the Lyapunov entry points: own properties only (a polluted
 * Object.prototype changes nothing), `signal` and `onProgress` validated before any work, bounds on
 * run lengths and on the memory a run needs, and a progress clock that fires by time.
 * (Private to this folder; core grows shared helpers of the same kind.)
 */
import { throwIfAborted, type AbortSignalLike } from '../core/errors.js';

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Returns `opts` as a plain record whose keys are its own properties only, or throws a TypeError
 * naming the function when `opts` is not an object. `undefined` (and `null`, read as "no options")
 * give an empty record.
 */
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

/** Validates `signal` (an AbortSignal-like `{ aborted }`) and throws if it is already aborted. */
export function checkSignal(signal: unknown, name: string): AbortSignalLike | undefined {
  if (signal === undefined) return undefined;
  if (signal === null || typeof signal !== 'object' || typeof (signal as { aborted?: unknown }).aborted !== 'boolean') {
    throw new TypeError(`${name}: signal must be an AbortSignal, got ${signal === null ? 'null' : typeof signal}`);
  }
  throwIfAborted(signal as AbortSignalLike, name);
  return signal as AbortSignalLike;
}

/** Validates a callback option (undefined or a function). */
export function checkCallback<F>(f: unknown, what: string): F | undefined {
  if (f === undefined) return undefined;
  if (typeof f !== 'function') throw new TypeError(`${what} must be a function, got ${f === null ? 'null' : typeof f}`);
  return f as F;
}

/** Largest run length (steps, warm-ups, iterations) accepted: 10⁹ steps, hours of work at best. */
export const MAX_STEPS = 1e9;

/** Largest working memory a single call may allocate (bytes): 2 GiB. */
export const MAX_BYTES = 2 ** 31;

/** Throws a RangeError naming `what` when a call would need more than {@link MAX_BYTES} bytes. */
export function checkMemory(bytes: number, what: string): void {
  if (!(bytes <= MAX_BYTES)) {
    throw new RangeError(`${what} needs ${formatBytes(bytes)} of working memory, more than the ${formatBytes(MAX_BYTES)} a call may allocate`);
  }
}

function formatBytes(b: number): string {
  if (b >= 2 ** 40) return `${(b / 2 ** 40).toPrecision(3)} TiB`;
  if (b >= 2 ** 30) return `${(b / 2 ** 30).toPrecision(3)} GiB`;
  return `${(b / 2 ** 20).toPrecision(3)} MiB`;
}

/** Reads x0-like state vectors: a Float64Array, Float32Array or number[] of length n, finite. */
export function readState(v: unknown, n: number, what: string): Float64Array {
  if (!(v instanceof Float64Array || v instanceof Float32Array || Array.isArray(v))) {
    throw new TypeError(`${what} must be a Float64Array or number[] of length ${n}, got ${v === null ? 'null' : typeof v}`);
  }
  const len = v.length;
  if (len !== n) throw new RangeError(`${what} must have length dim = ${n}, got ${len}`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = (v as ArrayLike<unknown>)[i];
    if (typeof x !== 'number') throw new TypeError(`${what}[${i}] must be a number, got ${typeof x}`);
    if (!Number.isFinite(x)) throw new RangeError(`${what} has ${x} at index ${i}`);
    out[i] = x;
  }
  return out;
}

/** Milliseconds since some origin (performance.now where it exists, else Date.now). */
const now: () => number =
  typeof (globalThis as { performance?: { now?: () => number } }).performance?.now === 'function'
    ? () => (globalThis as unknown as { performance: { now: () => number } }).performance.now()
    : () => Date.now();

/**
 * A progress clock: `due()` is true about every `intervalMs` of wall time. It reads the clock only
 * every `stride` calls and adapts the stride so that a read happens about every intervalMs / 8, so
 * it costs nothing measurable in a cheap step and never lets a slow step stretch the gap.
 */
export interface ProgressClock {
  due(): boolean;
  /** Re-learns the stride (call when the cost per call changes, e.g. at a new phase). */
  reset(): void;
}

/** Creates a {@link ProgressClock} (default interval 50 ms, well inside the ~100 ms promise). */
export function createProgressClock(intervalMs = 50): ProgressClock {
  let last = now();
  let lastRead = last;
  let stride = 1;
  let count = 0;
  const target = intervalMs / 8;
  return {
    due(): boolean {
      if (++count < stride) return false;
      count = 0;
      const t = now();
      const gap = t - lastRead;
      lastRead = t;
      if (gap < target / 2 && stride < 1 << 20) stride *= 2;
      else if (gap > target && stride > 1) stride = Math.max(1, Math.floor((stride * target) / gap));
      if (t - last >= intervalMs) {
        last = t;
        return true;
      }
      return false;
    },
    reset(): void {
      stride = 1;
      count = 0;
    },
  };
}
