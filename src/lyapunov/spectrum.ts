/**
 * `lyapunovSpectrum`: runs a dynamical system (or an RNN, autonomous or driven by input sequences)
 * and streams its Jacobians through the QR estimator.
 */
import { assertInteger, assertNumber, assertTensor, firstNonFinite, formatShape, throwIfAborted, type AbortSignalLike } from '../core/errors.js';
import { isDynamicalSystem } from '../core/system.js';
import type { DynamicalSystem } from '../core/system.js';
import type { Tensor } from '../core/tensor.js';
import { rnnSystem } from '../rnn/system.js';
import type { AnyRnn as Rnn } from '../rnn/types.js';
import { kaplanYorkeDimension, lyapunovEntropy } from './dimension.js';
import { createEstimatorInternal } from './estimator-core.js';
import type { LyapunovBatchResult, LyapunovResult, ReorthonormalizationEvent } from './types.js';

/** Progress report of {@link lyapunovSpectrum}. */
export interface LyapunovProgress {
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
   * With `tolerance`, the maximum number of steps.
   */
  steps?: number;
  /** State steps discarded before the frame starts; default 1000 (autonomous) or 0 (with inputs). */
  warmup?: number;
  /**
   * Steps that align the frame (re-orthonormalized every step, not counted); default 100, or
   * min(100, ⌊T/10⌋) with inputs.
   */
  frameWarmup?: number;
  /** Re-orthonormalization interval (default 1), guarded by the frame's conditioning (see the estimator). */
  reorthEvery?: number;
  /** Largest frame condition number tolerated between QRs with `reorthEvery` > 1 (default 1e8). */
  maxCondition?: number;
  /** Initial block length in steps for the standard errors (default 16). */
  blockSize?: number;
  /** Initial state (length dim); default the system's `initialState`, or zeros (an RNN's h0 = 0). */
  x0?: Float64Array;
  /** For an RNN: input sequences `[B,T,I]` (a spectrum per sequence, then mean and spread) or `[T,I]`. */
  inputs?: Tensor;
  /** For an RNN without `inputs`: a constant input of length I (default zeros). */
  input?: Float64Array | readonly number[];
  /**
   * Stop once the standard error of every exponent is below this (checked every `blockSize` steps
   * after at least 20 blocks), or at `steps`.
   */
  tolerance?: number;
  /** Time per step; exponents are per unit time. Default: the system's `dt` if it has one, else 1. */
  dt?: number;
  /** Record finite-time exponents (`true`: every `blockSize` steps, or a number of steps). */
  history?: boolean | number;
  /** Seed of the random initial frame (default 0). */
  seed?: number | string;
  /** Generator of the random initial frame (wins over `seed`). */
  rng?: () => number;
  /** Called about every 1% of the run with the current estimate. */
  onProgress?: (p: LyapunovProgress) => void;
  /** Aborts the run (checked every step). */
  signal?: AbortSignalLike;
  /** Called after every QR of the frame (see {@link ReorthonormalizationEvent}). */
  onReorthonormalize?: (e: ReorthonormalizationEvent) => void;
}

/**
 * Optional fast path a system may add (the RNN adapter does): `jacobianTimes` with q and out
 * column-major dim×k, the estimator's own layout, which saves two transposes per step.
 */
interface ColMajorSystem extends DynamicalSystem {
  jacobianTimesColMajor(x: Float64Array, t: number, q: Float64Array, k: number, out: Float64Array): void;
}

function isRnnLike(v: unknown): v is Rnn {
  if (v === null || typeof v !== 'object') return false;
  const r = v as { params?: { wRec?: unknown }; activation?: unknown };
  return typeof r.params === 'object' && r.params !== null && 'wRec' in r.params;
}

interface RunPlan {
  system: DynamicalSystem;
  warmup: number;
  frameWarmup: number;
  steps: number;
  x0: Float64Array;
  dt: number;
}

/**
 * The Lyapunov spectrum of a dynamical system or an RNN along one trajectory: an orthonormal frame is
 * propagated by the Jacobians J_t = ∂x_{t+1}/∂x_t and re-orthonormalized by Householder QR; the
 * exponents are the time averages of log R_ii (natural log per step, or per unit time with `dt`),
 * sorted descending, with standard errors from block means.
 *
 * An RNN is adapted with `rnnSystem`: autonomous (zero or constant `input`) or driven by `inputs`.
 * With inputs `[B,T,I]` every sequence gets its spectrum (`perSequence`); `exponents` is their mean,
 * `std` their spread and `stderr` the standard error of the mean, as in Vogt et al. (2020).
 *
 * @example
 * ```ts
 * const { exponents, stderr, kaplanYorkeDimension } = lyapunovSpectrum(henonMap(), { steps: 100000 });
 * // exponents ≈ [0.4192, -1.6232], kaplanYorkeDimension ≈ 1.258
 * const trained = lyapunovSpectrum(rnn, { inputs: heldOut, k: 10 }); // heldOut: [B,T,I]
 * ```
 */
export function lyapunovSpectrum(system: DynamicalSystem | Rnn, opts: LyapunovSpectrumOptions = {}): LyapunovResult {
  const name = 'lyapunovSpectrum';
  if (opts === null || typeof opts !== 'object') throw new TypeError(`${name}: options must be an object, got ${opts === null ? 'null' : typeof opts}`);
  if (opts.signal !== undefined) throwIfAborted(opts.signal, name);
  if (opts.onProgress !== undefined && typeof opts.onProgress !== 'function') {
    throw new TypeError(`${name}: onProgress must be a function, got ${typeof opts.onProgress}`);
  }
  if (opts.tolerance !== undefined) {
    assertNumber(opts.tolerance, `${name}: tolerance`);
    if (!(opts.tolerance > 0)) throw new RangeError(`${name}: tolerance must be > 0, got ${opts.tolerance}`);
  }
  if (isDynamicalSystem(system)) {
    if (opts.inputs !== undefined || opts.input !== undefined) {
      throw new TypeError(`${name}: inputs/input apply to an Rnn only; a DynamicalSystem brings its own inputs`);
    }
    return runOne(plan(system, opts, undefined), opts, 0, 1);
  }
  if (!isRnnLike(system)) {
    throw new TypeError(`${name}: expected a DynamicalSystem { dim, step, jacobian } or an Rnn { activation, params }, got ${system === null ? 'null' : typeof system}`);
  }
  const rnn = system;
  const inputs = opts.inputs;
  if (inputs === undefined) {
    return runOne(plan(rnnSystem(rnn, { input: opts.input }), opts, undefined), opts, 0, 1);
  }
  assertTensor(inputs, `${name}: inputs`);
  const s = inputs.shape;
  const ni = rnn.params.wIn?.shape?.[1];
  if ((s.length !== 2 && s.length !== 3) || s[s.length - 1] !== ni) {
    throw new RangeError(`${name}: inputs must be [B,T,I] or [T,I] with I = ${ni} (the RNN's input size), got ${formatShape(s)}`);
  }
  if (s.length === 2) {
    const sys = rnnSystem(rnn, { inputs });
    return runOne(plan(sys, opts, s[0]), opts, 0, 1);
  }
  const [b, t, i] = s;
  if (b < 1) throw new RangeError(`${name}: inputs must hold at least one sequence, got ${formatShape(s)}`);
  const per: LyapunovResult[] = [];
  for (let q = 0; q < b; q++) {
    const seq: Tensor = { shape: [1, t, i], data: inputs.data.subarray(q * t * i, (q + 1) * t * i) };
    const sys = rnnSystem(rnn, { inputs: seq });
    per.push(runOne(plan(sys, opts, t), opts, q, b));
  }
  return aggregate(per);
}

function plan(system: DynamicalSystem, opts: LyapunovSpectrumOptions, length: number | undefined): RunPlan {
  const name = 'lyapunovSpectrum';
  const n = system.dim;
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
    assertInteger(warmup, `${name}: warmup`, 0);
    assertInteger(frameWarmup, `${name}: frameWarmup`, 0);
    assertInteger(steps, `${name}: steps`, 1);
  } else {
    warmup = opts.warmup ?? 0;
    frameWarmup = opts.frameWarmup ?? Math.min(100, Math.floor(length / 10));
    assertInteger(warmup, `${name}: warmup`, 0);
    assertInteger(frameWarmup, `${name}: frameWarmup`, 0);
    const avail = length - warmup - frameWarmup;
    if (avail < 1) {
      throw new RangeError(
        `${name}: the inputs have T = ${length} steps, leaving none to count after warmup ${warmup} and frameWarmup ${frameWarmup}`,
      );
    }
    steps = avail;
    if (opts.steps !== undefined) {
      assertInteger(opts.steps, `${name}: steps`, 1);
      if (opts.steps > avail) {
        throw new RangeError(
          `${name}: steps = ${opts.steps} exceeds the ${avail} counted steps the inputs allow (T = ${length} − warmup ${warmup} − frameWarmup ${frameWarmup})`,
        );
      }
      steps = opts.steps;
    }
  }
  const k = opts.k ?? n;
  assertInteger(k, `${name}: k`, 1);
  if (k > n) throw new RangeError(`${name}: k must be at most the state dimension ${n}, got k = ${k}`);
  let x0: Float64Array;
  if (opts.x0 !== undefined) {
    if (!(opts.x0 instanceof Float64Array)) throw new TypeError(`${name}: x0 must be a Float64Array of length ${n}, got ${typeof opts.x0}`);
    if (opts.x0.length !== n) throw new RangeError(`${name}: x0 must have length dim = ${n}, got ${opts.x0.length}`);
    const bad = firstNonFinite(opts.x0);
    if (bad >= 0) throw new RangeError(`${name}: x0 has ${opts.x0[bad]} at index ${bad}`);
    x0 = opts.x0;
  } else {
    const init = (system as { initialState?: unknown }).initialState;
    x0 = init instanceof Float64Array && init.length === n ? init : new Float64Array(n);
  }
  return { system, warmup, frameWarmup, steps, x0, dt };
}

function runOne(p: RunPlan, opts: LyapunovSpectrumOptions, sequence: number, sequences: number): LyapunovResult {
  const name = 'lyapunovSpectrum';
  const { system, warmup, frameWarmup, steps, dt } = p;
  const n = system.dim;
  const k = opts.k ?? n;
  const est = createEstimatorInternal({
    dim: n,
    k,
    frameWarmup,
    reorthEvery: opts.reorthEvery,
    maxCondition: opts.maxCondition,
    blockSize: opts.blockSize,
    dt,
    history: sequences === 1 ? opts.history : undefined,
    seed: opts.seed,
    rng: opts.rng,
    onReorthonormalize: opts.onReorthonormalize,
  });
  const blockSize = opts.blockSize ?? 16;
  let x = Float64Array.from(p.x0);
  let xn = new Float64Array(n);
  // the frame is kept factored when k is large: then J itself is cheapest (J·Q without forming Q);
  // otherwise a product J·Q from the system when it has one, column-major if it can
  const colMajor = typeof (system as Partial<ColMajorSystem>).jacobianTimesColMajor === 'function';
  const hasProduct = colMajor || typeof system.jacobianTimes === 'function';
  const viaJacobian = est.prefersJacobian || !hasProduct;
  const buf = new Float64Array(viaJacobian || colMajor ? 0 : n * k);
  const total = warmup + frameWarmup + steps;
  const every = Math.max(1, Math.floor(total / 100));
  const signal = opts.signal;
  const onProgress = opts.onProgress;
  const tol = opts.tolerance;
  const minTolSteps = 20 * blockSize;

  const advance = (t: number) => {
    system.step(x, t, xn);
    for (let i = 0; i < n; i++) {
      const v = xn[i];
      if (v !== v || v === Infinity || v === -Infinity) {
        throw new RangeError(`${name}: the state became non-finite at step ${t} (x[${i}] = ${v}): the orbit diverged`);
      }
    }
  };

  let t = 0;
  for (; t < warmup; t++) {
    advance(t);
    const s = x;
    x = xn;
    xn = s;
    if (signal?.aborted) throwIfAborted(signal, name);
    if (onProgress && (t + 1) % every === 0) onProgress({ sequence, sequences, step: t + 1, totalSteps: total, estimate: est.result() });
  }
  for (; t < total; t++) {
    advance(t);
    if (viaJacobian) {
      system.jacobian(x, t, est.jacobianBuffer());
      est.commitJacobian(t);
    } else if (colMajor) {
      (system as ColMajorSystem).jacobianTimesColMajor(x, t, est.frameColMajor(), k, est.productBuffer());
      est.commitProduct(t);
    } else {
      (system.jacobianTimes as NonNullable<DynamicalSystem['jacobianTimes']>)(x, t, est.frame(), k, buf);
      const bad = firstNonFinite(buf);
      if (bad >= 0) {
        throw new RangeError(
          `${name}: the Jacobian product J·Q at step ${t} is not finite (${buf[bad]} at row ${Math.floor(bad / k)}): non-finite Jacobian`,
        );
      }
      est.pushProductUnchecked(buf);
    }
    const s = x;
    x = xn;
    xn = s;
    if (signal?.aborted) throwIfAborted(signal, name);
    if (onProgress && (t + 1) % every === 0) onProgress({ sequence, sequences, step: t + 1, totalSteps: total, estimate: est.result() });
    if (tol !== undefined && est.steps >= minTolSteps && est.steps % blockSize === 0) {
      const r = est.result();
      let worst = 0;
      for (let i = 0; i < r.stderr.length; i++) if (r.stderr[i] > worst) worst = r.stderr[i];
      if (worst < tol) return r;
    }
  }
  return est.result();
}

function aggregate(per: LyapunovResult[]): LyapunovBatchResult {
  const b = per.length;
  const k = per[0].exponents.length;
  const mean = new Float64Array(k);
  const std = new Float64Array(k);
  const stderr = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = 0;
    let ninf = 0;
    for (const r of per) {
      const v = r.exponents[i];
      if (v === -Infinity) ninf++;
      else s += v;
    }
    if (ninf > 0) {
      mean[i] = -Infinity;
      std[i] = ninf === b ? 0 : Infinity;
      stderr[i] = std[i];
      continue;
    }
    const m = s / b;
    mean[i] = m;
    if (b === 1) {
      std[i] = 0;
      stderr[i] = per[0].stderr[i];
      continue;
    }
    let v = 0;
    for (const r of per) {
      const d = r.exponents[i] - m;
      v += d * d;
    }
    std[i] = Math.sqrt(v / (b - 1));
    stderr[i] = std[i] / Math.sqrt(b);
  }
  return {
    exponents: mean,
    stderr,
    std,
    kaplanYorkeDimension: kaplanYorkeDimension(mean),
    entropy: lyapunovEntropy(mean),
    steps: per[0].steps,
    perSequence: per,
    ...(b === 1 && per[0].history ? { history: per[0].history } : {}),
  };
}
