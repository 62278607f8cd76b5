/**
 * Options of the streaming estimator, resolved once by a function that both entry points share
 * (`createLyapunovEstimator` and `lyapunovSpectrum`), so that every error names the function the user
 * called. Own properties only; every value read once.
 */
import { assertInteger, assertNumber, firstNonFinite } from '../core/errors.js';
import { resolveRng } from '../core/rng.js';
import { checkSeedOrRng } from '../core/seed-or-rng.js';
import { checkSeed } from '../core/seed.js';
import { checkCallback, checkMemory, MAX_STEPS } from './options.js';
import type { ReorthonormalizationEvent } from './types.js';

/** The estimator's options after validation. */
export interface ResolvedEstimatorOptions {
  readonly name: string;
  readonly n: number;
  readonly k: number;
  readonly frameWarmup: number;
  readonly reorthEvery: number;
  readonly maxCondition: number;
  readonly blockSize: number;
  readonly dt: number;
  /** Record every this many counted steps (0: no history). */
  readonly historyEvery: number;
  readonly hook: ((e: ReorthonormalizationEvent) => void) | undefined;
  /** A copy of the initial frame (row-major n×k), or undefined for a random one from `rng`. */
  readonly initialFrame: Float64Array | undefined;
  readonly rng: (() => number) | undefined;
  /**
   * How a large frame is held between steps (internal; never read from the caller's options):
   * 'auto' (factored for k ≥ 0.55·dim where it is faster), or forced, for the tests that compare them.
   */
  readonly frame?: 'auto' | 'factored' | 'explicit';
  /**
   * Internal (lyapunovSpectrum's driver, which can recompute its steps): an interval of at most this
   * many steps whose realized log spread passes ln(maxCondition) + ln 100 is undone, and the driver
   * pushes its steps again (`takeReplay`, `checkTail`), each followed by a QR.
   */
  readonly replay?: number;
  /**
   * Internal (float32 frame products): a QR is done early when a column norm of the frame leaves
   * [1/normWindow, normWindow] (default 1e100), so that the products' float32 entries stay normal.
   */
  readonly normWindow?: number;
  /** Internal (float32 frame products): the replay guard's slack (replay-guard.ts; default ln 100). */
  readonly replaySlack?: number;
}

/** The raw fields read (own properties of the caller's options). */
export interface RawEstimatorOptions {
  dim?: unknown;
  k?: unknown;
  frameWarmup?: unknown;
  reorthEvery?: unknown;
  maxCondition?: unknown;
  blockSize?: unknown;
  dt?: unknown;
  history?: unknown;
  initialFrame?: unknown;
  seed?: unknown;
  rng?: unknown;
  onReorthonormalize?: unknown;
}

/**
 * Validates the estimator options (`o` holds own properties only). `frameWarmupDefault` is 0 for
 * the streaming estimator; `lyapunovSpectrum` passes its resolved value in `o.frameWarmup`.
 */
export function resolveEstimatorOptions(o: RawEstimatorOptions, name: string): ResolvedEstimatorOptions {
  const n = o.dim;
  assertInteger(n, `${name}: dim`, 1);
  const k = o.k ?? n;
  assertInteger(k, `${name}: k`, 1);
  if (k > n) throw new RangeError(`${name}: k must be at most dim = ${n}, got k = ${k}`);
  // the frame, its scratch, its row-major view and an n×n Jacobian: 4·n·k + n² float64
  checkMemory(8 * (4 * n * k + n * n), `${name}: a spectrum of dim ${n} with k = ${k}`);
  const frameWarmup = o.frameWarmup ?? 0;
  assertInteger(frameWarmup, `${name}: frameWarmup`, 0, MAX_STEPS);
  const reorthEvery = o.reorthEvery ?? 1;
  assertInteger(reorthEvery, `${name}: reorthEvery`, 1, MAX_STEPS);
  const maxCondition = o.maxCondition ?? 1e8;
  assertNumber(maxCondition, `${name}: maxCondition`, 10);
  const blockSize = o.blockSize ?? 16;
  assertInteger(blockSize, `${name}: blockSize`, 1);
  const dt = o.dt ?? 1;
  assertNumber(dt, `${name}: dt`);
  if (!(dt > 0)) throw new RangeError(`${name}: dt must be > 0, got ${dt}`);
  let historyEvery = 0;
  const history = o.history;
  if (history === true) historyEvery = blockSize;
  else if (typeof history === 'number') {
    assertInteger(history, `${name}: history`, 1);
    historyEvery = history;
  } else if (history !== undefined && history !== false) {
    throw new TypeError(`${name}: history must be a boolean or a number of steps, got ${history === null ? 'null' : typeof history}`);
  }
  const hook = checkCallback<(e: ReorthonormalizationEvent) => void>(o.onReorthonormalize, `${name}: onReorthonormalize`);
  let initialFrame: Float64Array | undefined;
  let rng: (() => number) | undefined;
  // refused even with an initialFrame (neither drawn from): one of them would go unused
  checkSeedOrRng(o, name);
  const f = o.initialFrame;
  if (f !== undefined) {
    if (!(f instanceof Float64Array)) throw new TypeError(`${name}: initialFrame must be a Float64Array (row-major dim×k)`);
    const copy = f.slice(); // read once
    if (copy.length !== n * k) throw new RangeError(`${name}: initialFrame must have dim·k = ${n * k} entries, got ${copy.length}`);
    const bad = firstNonFinite(copy);
    if (bad >= 0) throw new RangeError(`${name}: initialFrame has ${copy[bad]} at flat index ${bad}`);
    initialFrame = copy;
  } else {
    if (o.rng !== undefined && typeof o.rng !== 'function') {
      throw new TypeError(`${name}: rng must be a function () => number in [0, 1), got ${o.rng === null ? 'null' : typeof o.rng}`);
    }
    checkSeed(o.seed, name);
    rng = resolveRng({ seed: o.seed as number | string | undefined, rng: o.rng as (() => number) | undefined }, 0, name);
  }
  return { name, n, k, frameWarmup, reorthEvery, maxCondition, blockSize, dt, historyEvery, hook, initialFrame, rng };
}
