/**
 * Option reading for the geometry routines: own properties only (a polluted Object.prototype
 * changes nothing), `signal` and `onProgress` validated before any work, bounds on iteration counts
 * and memory, and a progress clock that fires by time. The shared pieces live in src/core/long-run.ts.
 */
import { throwIfAborted, type AbortSignalLike } from '../core/errors.js';
import { createProgressClock } from '../core/long-run.js';
import { checkSeed } from '../core/seed.js';
import { checkSeedOrRng } from '../core/seed-or-rng.js';

export { checkCallback, checkMemory, checkSignal, MAX_BYTES, MAX_STEPS, ownOptions } from '../core/long-run.js';

/** The progress payload every geometry routine reports: `{ phase?, done, total }` (plus own fields). */
export interface GeometryProgress {
  phase?: string;
  done: number;
  total: number;
}

/**
 * Checks the random-source options: `seed` a finite number or a string, `rng` a function (its
 * values are checked as they are drawn, by `resolveRng(opts, fallback, name)`), not both (a
 * TypeError even where neither is drawn from, e.g. with `inits` or `x0`).
 */
export function checkSeedRng(opts: { seed?: unknown; rng?: unknown }, name: string): void {
  checkSeedOrRng(opts, name);
  checkSeed(opts.seed, name);
  if (opts.rng !== undefined && typeof opts.rng !== 'function') {
    throw new TypeError(`${name}: rng must be a function () => number in [0, 1), got ${typeof opts.rng}`);
  }
}

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
  /**
   * Says that the work between ticks is about to change (a new point to decompose after the cheap
   * last iterations of the previous one): the clock is read at the next tick and its stride re-learned.
   */
  restride(): void;
}

/** Creates a {@link Progress} reporter for one call. */
export function createProgress(
  name: string,
  onProgress: ((p: GeometryProgress) => void) | undefined,
  signal: AbortSignalLike | undefined,
  intervalMs = 50,
): Progress {
  const clock = createProgressClock(intervalMs);
  let lastPhase = '';
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
        clock.reset();
      }
      if (clock.due()) emit(phase, done, total, extra);
    },
    final(phase, done, total, extra) {
      emit(phase, done, total, extra);
    },
    check() {
      if (signal?.aborted) throwIfAborted(signal, name);
    },
    restride() {
      clock.reset();
    },
  };
}
