/**
 * `lyapunovSpectrum`: runs a dynamical system (or an RNN, autonomous or driven by input sequences)
 * and streams its Jacobians through the QR estimator.
 */
import { assertInteger, assertNumber, throwIfAborted, type AbortSignalLike } from '../core/errors.js';
import { resolveRng } from '../core/rng.js';
import { checkSeed } from '../core/seed.js';
import { checkSeedOrRng } from '../core/seed-or-rng.js';
import { filled } from '../core/filled.js';
import { isDynamicalSystem, type DynamicalSystem } from '../core/system.js';
import type { Tensor } from '../core/tensor.js';
import type { TensorInput } from '../core/input.js';
import { randomInitialState } from '../rnn/system.js';
import { checkRnnForSystem, isRnnLike, toDynamicalSystem , type ConstantInput } from '../rnn/to-system.js';
import type { AnyRnn as Rnn } from '../rnn/types.js';
import { aggregate } from './aggregate.js';
import { alignmentError, isMisaligned } from './alignment.js';
import { createEstimatorInternal } from './estimator-core.js';
import { createFrameStepper, type ColMajorSystem } from './frame-step.js';
import { checkProductPrecision, FLOAT32_MAX_CONDITION, FLOAT32_NORM_WINDOW, resolveProductPrecision, type Float32ProductSystem, type ProductPrecision } from './product-precision.js';
import { FLOAT32_REPLAY_SLACK } from './replay-guard.js';
import { resolveEstimatorOptions } from './estimator-options.js';
import { checkCallback, checkExclusive, checkMemory, checkSignal, createProgressClock, MAX_BYTES, MAX_STEPS, drivenLength, ownOptions, readH0, readInputs, readState, SPECTRUM_KEYS } from './options.js';
import type { LyapunovBatchResult, LyapunovResult, ReorthonormalizationEvent } from './types.js';
import { DEFAULT_FRAME_WARMUP_RULE, frameWarmupFor } from './frame-warmup.js';

/** Progress report of {@link lyapunovSpectrum}: `{ phase, done, total }` plus its own fields. */
export interface LyapunovProgress {
  /** 'warmup' (state steps discarded), 'frame-warmup' (frame aligned, not counted) or 'counted'. */
  phase: 'warmup' | 'frame-warmup' | 'counted';
  /** Steps done over all sequences. */
  done: number;
  /** Steps over all sequences (at most: a `tolerance` run may stop early). */
  total: number;
  /** Index of the input sequence being processed (0 for a single run). */
  sequence: number;
  /** Number of sequences (1 for a single run). */
  sequences: number;
  /** Steps done in this sequence (state warm-up, frame warm-up and counted steps). */
  step: number;
  /** Steps this sequence will take at most. */
  totalSteps: number;
  /** The current estimate for this sequence (NaN exponents until the warm-ups are over). */
  estimate: LyapunovResult;
}

/** Options of {@link lyapunovSpectrum}. */
export interface LyapunovSpectrumOptions {
  /** Number of exponents (the top k); default all (`dim`). */
  k?: number;
  /**
   * Counted steps (after the warm-ups); default 10000 for an autonomous system. With `inputs` the
   * run length is set by T: the counted steps are T − warmup − frameWarmup (`steps` may lower it).
   * With `tolerance`, the maximum number of steps. At most 10⁹.
   */
  steps?: number;
  /** State steps discarded before the frame starts; default 1000 (autonomous) or 0 (with inputs). */
  warmup?: number;
  /**
   * Steps that align the frame (re-orthonormalized every step, not counted); default 100, or with
   * inputs of T steps ⌊T/10⌋, at least min(10, ⌊T/2⌋) and at most 100 (10 of a 28-step sequence: 2
   * left the result depending on the random initial frame by 2 standard errors). With inputs shorter
   * than 10 steps the call throws and asks for an explicit `frameWarmup` (0 allowed). The value used
   * is reported in the result.
   */
  frameWarmup?: number;
  /**
   * Largest re-orthonormalization interval (default 16 above dimension 16, 1 up to it), guarded by
   * the frame's conditioning (see the estimator): the QR is done every ⌊ln(maxCondition)/(λ_max −
   * λ_min)⌋ steps at most, and earlier when the frame's column norms spread by more than
   * `maxCondition`. The QR of a product is the product of the QRs, so where the stretching per step
   * is steady the exponents agree with `reorthEvery: 1` to within ε·maxCondition. The prediction is
   * checked afterwards: an interval of up to 64 steps whose QR finds its log R_jj spread past
   * ln(maxCondition) + ln 100 (an RNN saturated by an input pulse) is undone and its steps redone
   * with a QR after each; longer ones (`reorthEvery` > 64) cannot be redone, and those that outran
   * are counted in the result's `outrunIntervals`. The check sees
   * what the QR can resolve, up to a condition of about 1/ε: keep `maxCondition` well below 1e14.
   */
  reorthEvery?: number;
  /**
   * Largest frame condition number tolerated between QRs with `reorthEvery` > 1 (default 1e10, the
   * intervals being checked afterwards; with `reorthEvery` > 64, which is not checked, 1e8; with
   * float32 products 100, and at most 1e5: see `productPrecision`).
   */
  maxCondition?: number;
  /**
   * Arithmetic of the frame products J·Q; the QR, the logs and the sums stay float64. `'float64'`;
   * `'float32'`: every product in float32 SIMD, as PyTorch's float32 code computes them, with the
   * condition bound between QRs lowered to 100 by default so that their rounding (≈ 2⁻²⁴·maxCondition
   * per QR in each log R_jj) stays orders below the standard errors; a `maxCondition` up to 1e5 is
   * taken as given, a larger one is a RangeError (the interval check, at 100·maxCondition, would
   * pass 1/ε of float32). Needs a vanilla RNN on a WebAssembly float64 backend (otherwise a
   * RangeError); the frame is then kept explicit, so Q is formed at every QR.
   * `'auto'` (default): float32 for the top few exponents of such an RNN (k ≤ n/8, n ≥ 64), where the
   * product is the cost, unless `maxCondition` is given above 100; else float64.
   */
  productPrecision?: ProductPrecision;
  /** Initial block length in steps for the standard errors (default 16). */
  blockSize?: number;
  /**
   * Initial state (length dim, Float64Array or number[]). Default: the system's `initialState`
   * (h0 = 0 for an RNN driven by `inputs`), otherwise — an autonomous run — a random state
   * 0.1·N(0, 1) per coordinate drawn from `seed`/`rng`: the origin of a bias-free RNN is an exact
   * fixed point, and starting there would measure that point instead of the attractor.
   */
  x0?: Float64Array | readonly number[];
  /**
   * For an RNN with `inputs`: the initial hidden state, `[H]` for every sequence or `[B,H]` one per
   * sequence, in any {@link TensorInput} form (a flat Float64Array or number[] of H or B·H entries;
   * float64 values are kept float64); default zeros.
   */
  h0?: TensorInput;
  /**
   * For an RNN: input sequences `[B,T,I]` (a spectrum per sequence, then mean and spread) or `[T,I]`,
   * in any form rnnForward and train take ({@link TensorInput}: a Tensor, `{ shape, data }` with any
   * numeric data, an ndarray view, nested arrays), read as float32 as rnnForward reads them.
   */
  inputs?: TensorInput;
  /** For an RNN without `inputs`: a constant input of length I (default zeros). */
  input?: ConstantInput;
  /**
   * Stop once the standard error of every exponent is below this (checked every `blockSize` steps
   * after at least 20 blocks), or at `steps`. An estimate whose unclosed interval outran the
   * condition bound (see `reorthEvery`) is redone first and judged at the next check.
   */
  tolerance?: number;
  /** Time per step; exponents are per unit time. Default: the system's `dt` if it has one, else 1. */
  dt?: number;
  /** Record finite-time exponents (`true`: every `blockSize` steps, or a number of steps); per sequence. */
  history?: boolean | number;
  /**
   * Seed of the random initial state (autonomous runs) and of the random initial frame (default 0).
   * A system with its own `initialState` (the ready-made ones: henonMap, lorenz63, …) starts there
   * whatever the seed, and the frame warm-up forgets the seeded frame: independent replicates of
   * those need different `x0`.
   */
  seed?: number | string;
  /** Generator of the random initial state and frame, instead of `seed` (both together are a TypeError). */
  rng?: () => number;
  /** Called about every 50 ms of wall time (and once at the end of each sequence). */
  onProgress?: (p: LyapunovProgress) => void;
  /**
   * Aborts the run: checked every step. A synchronous call only sees an abort requested from its own
   * callbacks (`onProgress`); a timer cannot fire during it (use a worker pool for that).
   */
  signal?: AbortSignalLike;
  /** Called after every QR of the frame (see {@link ReorthonormalizationEvent}); never changes results. */
  onReorthonormalize?: (e: ReorthonormalizationEvent) => void;
}

/** Options of a driven run: {@link lyapunovSpectrum} then returns a {@link LyapunovBatchResult}. */
export interface LyapunovBatchOptions extends LyapunovSpectrumOptions {
  inputs: TensorInput;
}

type Opts = Partial<LyapunovSpectrumOptions>;

/**
 * The default largest QR interval above dimension SMALL_DIM; the guard sets the actual one (2–3 steps
 * for a chaotic tanh RNN's full spectrum; see bench/lyapunov.bench.ts, test/lyapunov/default-interval.test.ts).
 * Up to SMALL_DIM a QR every step (cheap there; Hénon's λ1 + λ2 missed ln b by 4e-5 with the interval).
 */
const DEFAULT_REORTH_EVERY = 16;
const SMALL_DIM = 16;
/** Longest interval the driver can replay (the states it keeps; longer ones, asked for with a larger `reorthEvery`, are not checked). */
const MAX_REPLAY = 64;
/**
 * The default `maxCondition` of a checked run (every interval replayable: 1 < reorthEvery ≤ MAX_REPLAY):
 * 1e10, against the unchecked runs' (and the streaming estimator's) 1e8. Between QRs the frame's condition κ costs log R_jj an error of
 * about √n·ε·κ per QR (3e-5 at n = 200), four or more orders below any standard error, and an
 * interval that outruns the bound is redone before its realized condition passes 1e12, 3.5 orders
 * inside what the QR resolves (1/ε). Measured on the benchmark networks (tanh g = 1.5, n = 32…200;
 * LSTM H = 200): within 1e-7 of a QR every step, against 5e-10 with 1e8, at one QR in 4–5 steps
 * instead of 3 (one in 2 instead of every step for the LSTM). @internal (not re-exported)
 */
export const CHECKED_MAX_CONDITION = 1e10;

interface RunPlan {
  system: DynamicalSystem;
  n: number;
  k: number;
  warmup: number;
  frameWarmup: number;
  steps: number;
  /** The start, or undefined for a random start drawn from the run's generator. */
  x0: Float64Array | undefined;
  dt: number;
}

/** What every sequence of a call shares. */
interface RunContext {
  name: string;
  opts: Opts;
  signal: AbortSignalLike | undefined;
  onProgress: ((p: LyapunovProgress) => void) | undefined;
  sequences: number;
}

/**
 * The Lyapunov spectrum of a dynamical system or an RNN along one trajectory: an orthonormal frame is
 * propagated by the Jacobians J_t = ∂x_{t+1}/∂x_t and re-orthonormalized by Householder QR; the
 * exponents are the time averages of log R_ii (natural log per step, or per unit time with `dt`),
 * sorted descending, with standard errors from block means.
 *
 * An RNN is adapted with `rnnSystem`: autonomous (zero or constant `input`, started from a seeded
 * random state unless `x0` is given) or driven by `inputs` (from h0 = 0 unless `h0` is given). With
 * inputs `[B,T,I]` every sequence gets its spectrum (`perSequence`); `exponents` is their mean, `std`
 * their spread and `stderr` the standard error of the mean, as in Vogt et al. (2020). The result's
 * `stationary` says when the counted trajectory sat on a fixed point.
 *
 * @example
 * ```ts
 * const { exponents, stderr, kaplanYorkeDimension } = lyapunovSpectrum(henonMap(), { steps: 100000 });
 * // exponents ≈ [0.4192, -1.6232], kaplanYorkeDimension ≈ 1.258
 * const trained = lyapunovSpectrum(rnn, { inputs: heldOut, k: 10 }); // heldOut: [B,T,I]
 * trained.std; // spread over the B sequences
 * ```
 */
export function lyapunovSpectrum(system: DynamicalSystem | Rnn, opts: LyapunovBatchOptions): LyapunovBatchResult;
export function lyapunovSpectrum(system: DynamicalSystem | Rnn, opts?: LyapunovSpectrumOptions): LyapunovResult;
export function lyapunovSpectrum(system: DynamicalSystem | Rnn, options?: LyapunovSpectrumOptions): LyapunovResult {
  return spectrumFor(system, options, 'lyapunovSpectrum');
}

/** {@link lyapunovSpectrum} with errors naming `name`, the public function the user called. */
export function spectrumFor(system: DynamicalSystem | Rnn, options: LyapunovSpectrumOptions | undefined, name: string): LyapunovResult {
  const opts = ownOptions<LyapunovSpectrumOptions>(options, name, SPECTRUM_KEYS);
  const signal = checkSignal(opts.signal, name);
  const onProgress = checkCallback<(p: LyapunovProgress) => void>(opts.onProgress, `${name}: onProgress`);
  checkSpectrumOptions(opts, name);
  const ctx = (sequences: number): RunContext => ({ name, opts, signal, onProgress, sequences });
  if (isDynamicalSystem(system)) {
    if (opts.inputs !== undefined || opts.input !== undefined || opts.h0 !== undefined) {
      throw new TypeError(`${name}: inputs/input/h0 apply to an Rnn only; a DynamicalSystem brings its own inputs and x0`);
    }
    return runOne(plan(toDynamicalSystem(system, {}, name), opts, drivenLength(system), name), ctx(1), 0);
  }
  if (!isRnnLike(system)) {
    throw new TypeError(`${name}: system must be a DynamicalSystem { dim, step, jacobian } or an Rnn { activation, params }, got ${system === null ? 'null' : typeof system}`);
  }
  const rnn = system;
  checkRnnStart(opts, name);
  if (opts.inputs === undefined) return runOne(plan(toDynamicalSystem(rnn, { input: opts.input }, name), opts, undefined, name), ctx(1), 0);
  const [h, ni] = checkRnnForSystem(rnn, name); // h: the state dimension (2H for an LSTM)
  const { inputs, b, t, i } = readInputs(opts.inputs, name, ni);
  const h0 = readH0(opts.h0, b, h, `${name}: h0`, 'cell' in rnn && rnn.cell === 'lstm' ? h / 2 : h);
  const per: LyapunovResult[] = [];
  const c = ctx(b);
  for (let q = 0; q < b; q++) {
    const seq: Tensor = { shape: [1, t, i], data: inputs.data.subarray(q * t * i, (q + 1) * t * i) };
    const p = q > 0 ? plan(toDynamicalSystem(rnn, { inputs: seq }, name), opts, t, name) : withLayoutHint(() => plan(toDynamicalSystem(rnn, { inputs: seq }, name), opts, t, name), b, t, i);
    if (h0 !== undefined) p.x0 = h0.length === h ? h0 : h0.subarray(q * h, (q + 1) * h);
    per.push(runOne(p, c, q));
  }
  return aggregate(per, h);
}

/**
 * Runs `f`; a RangeError about the run length, when the inputs hold more sequences than steps, gets
 * the layout they were read in: time-first `[T,B,I]` inputs (PyTorch's default) read batch-first are
 * B sequences of T steps, and "too few steps" alone did not say so. @internal
 */
export function withLayoutHint<R>(f: () => R, b: number, t: number, i: number): R {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof RangeError) || b <= t || !/\bT = \d+\b/.test(e.message)) throw e;
    throw new RangeError(`${e.message}; the inputs [${b},${t},${i}] were read batch-first [B,T,I], ${b} sequences of ${t} steps: if they are time-first [T,B,I] (PyTorch's batch_first=False), transpose them to [B,T,I]`);
  }
}

/** Refuses a start that does not fit the run: h0 without inputs, x0 with them. @internal */
export function checkRnnStart(opts: Opts, name: string): void {
  if (opts.inputs === undefined) {
    if (opts.h0 !== undefined) throw new TypeError(`${name}: h0 applies to a run driven by inputs; an autonomous run starts at x0`);
  } else if (opts.x0 !== undefined) {
    throw new TypeError(`${name}: with inputs give the initial hidden state as h0 ([H] or [B,H]; an LSTM's also [2H] or [B,2H]), not x0`);
  }
}

/**
 * Checks the options of a spectrum run that do not depend on the system (counts, bounds, seed, rng),
 * so a bad one is refused when the call is made (`lyapunovDuringTraining` checks them before
 * training); the messages are those of the checks the run makes again.
 */
export function checkSpectrumOptions(opts: Opts, name: string): void {
  checkExclusive(opts, 'inputs', 'input', name, { hint: 'inputs is a sequence [B,T,I] that drives the RNN, input the constant input of an autonomous run' });
  const int = (v: unknown, what: string, min: number, max: number) => {
    if (v !== undefined) assertInteger(v, `${name}: ${what}`, min, max);
  };
  // a k-column frame lives in a space of dim >= k: 8·k² bytes at least
  int(opts.k, 'k', 1, Math.floor(Math.sqrt(MAX_BYTES / 8)));
  int(opts.steps, 'steps', 1, MAX_STEPS);
  int(opts.warmup, 'warmup', 0, MAX_STEPS);
  int(opts.frameWarmup, 'frameWarmup', 0, MAX_STEPS);
  int(opts.reorthEvery, 'reorthEvery', 1, MAX_STEPS);
  int(opts.blockSize, 'blockSize', 1, Infinity);
  // before the float32 limit: a non-finite maxCondition is refused as such, whatever the precision
  if (opts.maxCondition !== undefined) assertNumber(opts.maxCondition, `${name}: maxCondition`, 10);
  checkProductPrecision(opts.productPrecision, opts.maxCondition, name);
  if (opts.dt !== undefined) {
    assertNumber(opts.dt, `${name}: dt`);
    if (!(opts.dt > 0)) throw new RangeError(`${name}: dt must be > 0, got ${opts.dt}`);
  }
  if (opts.tolerance !== undefined) {
    assertNumber(opts.tolerance, `${name}: tolerance`);
    if (!(opts.tolerance > 0)) throw new RangeError(`${name}: tolerance must be > 0, got ${opts.tolerance}`);
  }
  checkSeedOrRng(opts, name);
  checkSeed(opts.seed as unknown, name);
  if (opts.rng !== undefined && typeof opts.rng !== 'function') {
    throw new TypeError(`${name}: rng must be a function () => number in [0, 1), got ${typeof opts.rng}`);
  }
}

function plan(system: DynamicalSystem, opts: Opts, length: number | undefined, name: string): RunPlan {
  const n = system.dim; // read once
  assertInteger(n, `${name}: system.dim`, 1);
  const sdt = (system as { dt?: unknown }).dt;
  const dt = opts.dt ?? (typeof sdt === 'number' && sdt > 0 ? sdt : 1);
  assertNumber(dt, `${name}: dt`);
  if (!(dt > 0)) throw new RangeError(`${name}: dt must be > 0, got ${dt}`);
  let warmup: number;
  let frameWarmup: number;
  let steps: number;
  if (length === undefined) {
    warmup = opts.warmup ?? 1000;
    frameWarmup = opts.frameWarmup ?? 100;
    steps = opts.steps ?? 10000;
    assertInteger(warmup, `${name}: warmup`, 0, MAX_STEPS);
    assertInteger(frameWarmup, `${name}: frameWarmup`, 0, MAX_STEPS);
    assertInteger(steps, `${name}: steps`, 1, MAX_STEPS);
  } else ({ warmup, frameWarmup, steps } = drivenCounts(length, opts, name));
  const k = opts.k ?? n;
  assertInteger(k, `${name}: k`, 1);
  if (k > n) throw new RangeError(`${name}: k must be at most the state dimension ${n}, got k = ${k}`);
  if (typeof system.jacobianTimes !== 'function' && typeof (system as Partial<ColMajorSystem>).jacobianTimesColMajor !== 'function') {
    checkMemory(8 * n * n, `${name}: the ${n}×${n} Jacobian of a system of dim ${n}`);
  }
  let x0: Float64Array | undefined;
  if (opts.x0 !== undefined) x0 = readState(opts.x0, n, `${name}: x0`);
  else {
    const init = (system as { initialState?: unknown }).initialState;
    if (init instanceof Float64Array && init.length === n) x0 = init;
  }
  return { system, n, k, warmup, frameWarmup, steps, x0, dt };
}

/** The warm-ups and counted steps of a run driven by `length` input steps; refuses a length that leaves none to count. @internal */
export function drivenCounts(length: number, opts: Opts, name: string): { warmup: number; frameWarmup: number; steps: number } {
  const warmup = opts.warmup ?? 0;
  assertInteger(warmup, `${name}: warmup`, 0, MAX_STEPS);
  const frameWarmup = frameWarmupFor(length, opts.frameWarmup, name) as number;
  assertInteger(frameWarmup, `${name}: frameWarmup`, 0, MAX_STEPS);
  const avail = length - warmup - frameWarmup;
  // a frameWarmup the caller did not set is named as the default it is (the message alone read as if it had been passed)
  const byDefault = opts.frameWarmup === undefined ? `, the default for T = ${length}: ${DEFAULT_FRAME_WARMUP_RULE}` : '';
  if (avail < 1) {
    throw new RangeError(
      `${name}: the inputs have T = ${length} steps, leaving none to count after warmup ${warmup} and frameWarmup ${frameWarmup}${byDefault ? ` (${byDefault.slice(2)}): pass a smaller frameWarmup (0 allowed)` : ''}`,
    );
  }
  if (opts.steps === undefined) return { warmup, frameWarmup, steps: avail };
  assertInteger(opts.steps, `${name}: steps`, 1, MAX_STEPS);
  if (opts.steps > avail) {
    throw new RangeError(
      `${name}: steps = ${opts.steps} exceeds the ${avail} counted steps the inputs allow (T = ${length} − warmup ${warmup} − frameWarmup ${frameWarmup}${byDefault})`,
    );
  }
  return { warmup, frameWarmup, steps: opts.steps };
}

function runOne(p: RunPlan, ctx: RunContext, sequence: number): LyapunovResult {
  const { system, n, k, warmup, frameWarmup, steps, dt } = p;
  const { name, opts, signal, onProgress, sequences } = ctx;
  // one generator for the random start (autonomous runs without x0) and then the frame
  let rng = opts.rng;
  let x0 = p.x0;
  if (x0 === undefined) {
    if (rng !== undefined && typeof rng !== 'function') throw new TypeError(`${name}: rng must be a function () => number in [0, 1), got ${typeof rng}`);
    const r = resolveRng({ seed: opts.seed, rng }, 0, name);
    x0 = randomInitialState(n, r);
    rng = r;
  }
  const precision = resolveProductPrecision(opts.productPrecision, system, n, k, opts.maxCondition, name);
  const f32 = precision !== 'float64';
  const reorthEvery = opts.reorthEvery ?? (n <= SMALL_DIM ? 1 : DEFAULT_REORTH_EVERY);
  const ring = reorthEvery > 1 ? Math.min(reorthEvery, MAX_REPLAY) : 0;
  // replay: this driver can push an interval's steps again from their states (frame-step.ts)
  const est = createEstimatorInternal({
    ...resolveEstimatorOptions(
      {
        dim: n,
        k,
        frameWarmup,
        reorthEvery,
        // float32 products: by default the bound lowered to 100 (resolveProductPrecision refused
        // or avoided a larger one; a bad value goes on to the estimator's check)
        maxCondition: opts.maxCondition ?? (f32 ? FLOAT32_MAX_CONDITION : ring > 0 && reorthEvery <= MAX_REPLAY ? CHECKED_MAX_CONDITION : undefined),
        blockSize: opts.blockSize,
        dt,
        history: opts.history,
        // the generator resolved above (from seed or rng) goes on alone: seed and rng together are refused
        seed: rng === undefined ? opts.seed : undefined,
        rng,
        onReorthonormalize: opts.onReorthonormalize,
      },
      name,
    ),
    replay: ring,
    // float32 products need the frame explicit (a factored one is multiplied in float64), its
    // columns within the window where their float32 products stay normal, and a redo of an interval
    // at 10 (not 100) times the bound (replay-guard.ts)
    ...(f32 ? { frame: 'explicit' as const, normWindow: FLOAT32_NORM_WINDOW, replaySlack: FLOAT32_REPLAY_SLACK } : {}),
  });
  const blockSize = opts.blockSize ?? 16;
  let x = Float64Array.from(x0);
  let xn = new Float64Array(n);
  const stepper = createFrameStepper(system, est, n, k, precision, ring, name);
  const total = warmup + frameWarmup + steps;
  const tol = opts.tolerance;
  const minTolSteps = 20 * blockSize;
  const clock = onProgress ? createProgressClock() : undefined;
  let moved = 0; // largest per-coordinate step of the counted trajectory, relative to 1 + |x|
  const report = (t: number) => {
    if (!onProgress) return;
    const phase = t <= warmup ? 'warmup' : t <= warmup + frameWarmup ? 'frame-warmup' : 'counted';
    onProgress({ phase, done: sequence * total + t, total: sequences * total, sequence, sequences, step: t, totalSteps: total, estimate: est.result() });
    if (signal?.aborted) throwIfAborted(signal, name);
  };
  const finish = (r: LyapunovResult, t: number): LyapunovResult => {
    if (clock) report(t);
    r.stationary = !(moved > 1e-10);
    r.alignmentError = alignmentError(r.exponents, n, frameWarmup, r.steps, dt);
    r.misaligned = isMisaligned(r.alignmentError, r.stderr);
    r.warmup = warmup;
    r.frameWarmup = frameWarmup;
    return r;
  };
  /** x_{t+1} into xn; returns the largest relative move when `track`. */
  const advance = (t: number, track: boolean) => {
    filled(system.step(x, t, xn), xn, 'step', name);
    for (let i = 0; i < n; i++) {
      const v = xn[i];
      if (v !== v || v === Infinity || v === -Infinity) {
        throw new RangeError(`${name}: the state became non-finite at step ${t} (x[${i}] = ${v}): the orbit diverged`);
      }
    }
    if (track) {
      for (let i = 0; i < n; i++) {
        const a = x[i];
        const d = Math.abs(xn[i] - a) / (1 + Math.abs(a));
        if (d > moved) moved = d;
      }
    }
  };

  let t = 0;
  for (; t < warmup; t++) {
    advance(t, false);
    const s = x;
    x = xn;
    xn = s;
    if (signal?.aborted) throwIfAborted(signal, name);
    if (clock?.due()) report(t + 1);
  }
  clock?.reset(); // a frame step costs more than a state step
  for (; t < total; t++) {
    advance(t, t >= warmup + frameWarmup);
    stepper.push(x, t);
    const s = x;
    x = xn;
    xn = s;
    if (signal?.aborted) throwIfAborted(signal, name);
    if (clock?.due()) report(t + 1);
    if (tol !== undefined && est.steps >= minTolSteps && est.steps % blockSize === 0) {
      const r = est.result();
      let worst = 0;
      for (let i = 0; i < r.stderr.length; i++) if (r.stderr[i] > worst) worst = r.stderr[i];
      // stop only on an estimate whose tail did not outrun the bound (a redone tail is judged at the next block)
      if (worst < tol && stepper.finishTail(t) === 0) return finish(r, t + 1);
    }
  }
  stepper.finishTail(total - 1);
  return finish(est.result(), total);
}

