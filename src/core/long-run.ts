/**
 * Option reading for long computations, shared by the Lyapunov and geometry routines: own
 * properties only (a polluted Object.prototype changes nothing), `signal` and callbacks validated
 * before any work, bounds on run lengths and working memory, and a progress clock that fires by
 * wall time. @internal
 */
import { throwIfAborted, type AbortSignalLike } from './errors.js';
import { checkOptionKeys, nowMs, readOwnOptions, type KnownOptions } from './options.js';

/**
 * `opts` as a null-prototype record of its own properties, by the one options rule of
 * `readOptions` (src/core/options.ts, via readOwnOptions): `undefined`/`null` give `{}`; anything but a plain object is a TypeError naming
 * `name`; an option whose value is `null` is a TypeError (omit it, or pass undefined, for the default);
 * with `known`, a key it does not list is a RangeError (see `checkOptionKeys`).
 */
export function ownOptions<T extends object>(opts: unknown, name: string, known?: KnownOptions): Partial<T> {
  const o = readOwnOptions(opts as T | null | undefined, name) as Partial<T>;
  if (known !== undefined) checkOptionKeys(o, known, name); // unknown keys refused, with a suggestion
  return o;
}

/** Validates `signal` (an AbortSignal-like `{ aborted }`), throws if it is already aborted, returns it. */
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
  let last = nowMs();
  let lastRead = last;
  let stride = 1;
  let count = 0;
  const target = intervalMs / 8;
  return {
    due(): boolean {
      if (++count < stride) return false;
      count = 0;
      const t = nowMs();
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
