/**
 * The streaming Lyapunov spectrum estimator: an orthonormal frame of k vectors is propagated by the
 * Jacobians J_t (not their transposes) and re-orthonormalized by Householder QR; the exponents are the
 * time averages of log R_ii, accumulated in float64. Memory is O(dim·k) however long the run.
 *
 * A small object wiring its parts: the options (estimator-options.ts, shared with
 * `lyapunovSpectrum`), the QR frame (qr-frame.ts), the matrix scan (matrix-scan.ts), the interval
 * rule (interval.ts) and the exponent accumulator (accumulator.ts).
 */
import { firstNonFinite } from '../core/errors.js';
import { gaussian } from '../core/rng.js';
import { wasmKernels } from '../core/wasm64/kernels-wasm.js';
import { createExponentAccumulator, type ExponentAccumulator } from './accumulator.js';
import { spectrumSummary } from './spectrum-summary.js';
import { resolveEstimatorOptions, type ResolvedEstimatorOptions } from './estimator-options.js';
import { nextInterval } from './interval.js';
import { rowMajorToColMajorCountingZeroRows, zeroRowsColMajor } from './matrix-scan.js';
import { checkOptionKeys } from '../core/options.js';
import { ESTIMATOR_KEYS } from './option-keys.js';
import { ownOptions } from './options.js';
import { createQrFrame, type QrFrame } from './qr-frame.js';
import { createJacobianTape, type JacobianTape } from './jacobian-tape.js';
import { applyNoted, assertFiniteJacobian, createFactoredStep } from './factored-step.js';
import { createRankBound, type RankBound } from './rank-bound.js';
import { createReplayGuard, type ReplayGuard } from './replay-guard.js';
import type { LyapunovResult, ReorthonormalizationEvent } from './types.js';
import type { ZeroSet } from '../core/zero-set.js';

/** Options of {@link createLyapunovEstimator}. */
export interface LyapunovEstimatorOptions {
  /** State dimension n (the Jacobians are n×n). */
  dim: number;
  /** Number of exponents to estimate (the top k); default `dim`. */
  k?: number;
  /**
   * Jacobians at the start that only align the frame (re-orthonormalized every step, not counted);
   * default 0 here (`lyapunovSpectrum` passes its own default of 100).
   */
  frameWarmup?: number;
  /**
   * Re-orthonormalize every this many Jacobians (default 1). The interval is shortened automatically
   * while the frame's conditioning would cost accuracy in the most negative exponents: it is capped
   * at ln(maxCondition) / (λ_max − λ_min) steps from the latest growth rates, and a QR is done early
   * whenever the frame's column norms spread by more than `maxCondition` or leave [1e-100, 1e100].
   * The prediction is checked afterwards, as in `lyapunovSpectrum`: an interval of up to 64 steps
   * whose QR finds its log R_jj spread past ln(maxCondition) + ln 100 (a sudden contraction, as when
   * an input pulse saturates a tanh RNN) is undone and redone from the Jacobians kept since the last
   * QR (at most 64 MB of them: above dim ≈ 362 fewer than 64, and the intervals are then no longer
   * than that; above dim ≈ 2896 none), a QR after each. An interval that holds a `pushProduct`, or is longer than 64 steps
   * (`reorthEvery` > 64), cannot be redone: `result().outrunIntervals` counts those.
   */
  reorthEvery?: number;
  /** Largest frame condition number tolerated between QRs (default 1e8). */
  maxCondition?: number;
  /** Initial length in steps of the blocks behind the standard errors (default 16; doubles as needed). */
  blockSize?: number;
  /** Time per step: exponents are divided by it (default 1: per step). */
  dt?: number;
  /**
   * Record finite-time exponents: `true` every `blockSize` counted steps, or a number of steps.
   * Costs O(k) memory per record.
   */
  history?: boolean | number;
  /** Initial frame (row-major dim×k, orthonormalized here). Default: a random orthonormal frame. */
  initialFrame?: Float64Array;
  /** Seed of the random initial frame (default 0). */
  seed?: number | string;
  /** Generator of the random initial frame, instead of `seed` (both together are a TypeError). */
  rng?: () => number;
  /**
   * Called after every QR of the frame, with its log R diagonal and the new Q (views). Observing
   * never changes the results, bit for bit.
   */
  onReorthonormalize?: (event: ReorthonormalizationEvent) => void;
}

/** The streaming estimator returned by {@link createLyapunovEstimator}. */
export interface LyapunovEstimator {
  readonly dim: number;
  readonly k: number;
  /** Jacobians pushed so far (frame warm-up included). */
  readonly pushed: number;
  /** Counted steps so far (after the frame warm-up). */
  readonly steps: number;
  /** True while the frame warm-up lasts. */
  readonly warmingUp: boolean;
  /**
   * The current frame, row-major dim×k: the matrix the next Jacobian multiplies. Orthonormal right
   * after a re-orthonormalization (always, with `reorthEvery` 1). A view valid until the next push.
   * Reading it never changes the results.
   */
  frame(): Float64Array;
  /** Folds in the Jacobian J_t (row-major dim×dim): the frame becomes J_t · frame. */
  pushJacobian(jacobian: ArrayLike<number>): void;
  /** Folds in a product Z = J_t · frame() (row-major dim×k) computed by the caller. */
  pushProduct(product: ArrayLike<number>): void;
  /** The estimate so far (valid at any time; includes steps since the last QR). */
  result(): LyapunovResult;
}

/** Unchecked entry points used by `lyapunovSpectrum` after its own validation (not public). */
export interface LyapunovEstimatorInternal extends LyapunovEstimator {
  /**
   * Folds in a row-major product without checks (the caller checked finiteness); `zeroColumns`, when
   * the caller knows them, the exactly zero columns of the Jacobian (the product cannot show them).
   */
  pushProductUnchecked(product: ArrayLike<number>, zeroColumns?: ZeroSet): void;
  /** Folds in a row-major Jacobian (a Float64Array) without checks. */
  pushJacobianUnchecked(jacobian: Float64Array): void;
  /** True when the frame is kept in factored form between steps (k ≳ 0.55·dim): prefer Jacobians. */
  readonly prefersJacobian: boolean;
  /**
   * True when the next step is cheapest from the Jacobian: the frame is factored right now (after a
   * QR; between QRs of a longer interval it is an explicit product, and a product J·Q is cheaper).
   */
  wantsJacobian(): boolean;
  /** A dim×dim row-major buffer for the caller to write J_t into, then call commitJacobian. */
  jacobianBuffer(): Float64Array;
  /** Folds in the Jacobian written into jacobianBuffer(); throws naming `step` if it is not finite. */
  commitJacobian(step: number): void;
  /** The live frame, column-major dim×k (read only). */
  frameColMajor(): Float64Array;
  /** The scratch buffer (column-major dim×k) into which the caller writes Z = J·frameColMajor(). */
  productBuffer(): Float64Array;
  /** Folds in the product written into productBuffer(), `zeroColumns` as pushProductUnchecked's; throws naming `step` if it is not finite. */
  commitProduct(step: number, zeroColumns?: ZeroSet): void;
  /**
   * With the internal `replay` option: the number of steps the caller must push again, in order,
   * because the interval they formed outran the condition bound (0 when none); reading resets it.
   */
  takeReplay(): number;
  /** With `replay`: checks the steps since the last QR (the run's tail) as a QR would; returns the steps to push again (0 when none). */
  checkTail(): number;
  /** A QR of the steps pushed since the last one, now (none: nothing); returns the steps to push again, as takeReplay. */
  flush(): number;
  /**
   * Folds in one step whose Jacobian is given as `count` factors, J = F_{count−1}···F_0 (row-major,
   * dim×dim, in `factors`), the frame re-orthonormalized after each, their logs summed into the
   * step's (a Jacobian graded in a way no single QR resolves: SystemJacobianFactors in frame-step.ts).
   * Call it right after a QR (flush). Throws naming `step` if a factor is not finite.
   */
  commitFactors(factors: readonly Float64Array[], count: number, step: number): void;
}

/** The estimator with its unchecked entry points, for options already resolved by the caller. */
export function createEstimatorInternal(opts: ResolvedEstimatorOptions): LyapunovEstimatorInternal {
  return build(opts);
}

/**
 * Creates a streaming Lyapunov spectrum estimator. Feed it one Jacobian per step
 * (`pushJacobian(J)`) or, when a product is cheaper than the Jacobian, the product
 * Z = J · `frame()` (`pushProduct(Z)`); read `result()` whenever you like.
 *
 * @example
 * ```ts
 * const est = createLyapunovEstimator({ dim: 2, frameWarmup: 100 });
 * let x = 0.1, y = 0.1;
 * const J = new Float64Array(4);
 * for (let t = 0; t < 10000; t++) {
 *   J[0] = -2.8 * x; J[1] = 1; J[2] = 0.3; J[3] = 0;          // Hénon Jacobian at (x, y)
 *   est.pushJacobian(J);
 *   [x, y] = [1 - 1.4 * x * x + y, 0.3 * x];
 * }
 * est.result().exponents; // ≈ [0.419, -1.623]
 * ```
 */
export function createLyapunovEstimator(opts: LyapunovEstimatorOptions): LyapunovEstimator {
  const name = 'createLyapunovEstimator';
  if (opts === null || typeof opts !== 'object') {
    throw new TypeError(`${name}: opts must be an options object { dim, k?, ... }, got ${opts === null ? 'null' : typeof opts}`);
  }
  const own = ownOptions(opts, name);
  checkOptionKeys(own, ESTIMATOR_KEYS, name);
  const e = build(resolveEstimatorOptions(own, name));
  return {
    dim: e.dim,
    k: e.k,
    get pushed() {
      return e.pushed;
    },
    get steps() {
      return e.steps;
    },
    get warmingUp() {
      return e.warmingUp;
    },
    frame: e.frame,
    pushJacobian: e.pushJacobian,
    pushProduct: e.pushProduct,
    result: e.result,
  };
}

/** Copies a pushed matrix once (read once: a getter cannot change it after the check) and checks it. */
function readPushed(a: ArrayLike<number>, rows: number, cols: number, what: string, step: number): Float64Array {
  const shape = `${rows}×${cols}`;
  if (!(a instanceof Float64Array || a instanceof Float32Array || Array.isArray(a))) {
    throw new TypeError(`${what}: expected a Float64Array (row-major ${shape}), got ${a === null ? 'null' : typeof a}`);
  }
  const len = rows * cols;
  if (a.length !== len) throw new RangeError(`${what}: expected ${len} entries (row-major ${shape}), got ${a.length}`);
  const src = a instanceof Float64Array ? a : Float64Array.from(a as ArrayLike<number>);
  const bad = firstNonFinite(src);
  if (bad >= 0) {
    throw new RangeError(`${what}: non-finite value ${src[bad]} at step ${step}, entry (${Math.floor(bad / cols)}, ${bad % cols})`);
  }
  return src;
}

/**
 * log R_jj of the pending product, as its QR would give them (from a copy; the rank bound applied,
 * kept); returns the −Infinity logs the rank bound does not explain (see RankBound.apply).
 */
function pendingLogs(f: QrFrame, rank: RankBound, out: Float64Array): number {
  f.pendingLogDiag(out);
  return rank.peek(out);
}

/** The QR of the frame after `pending` steps (logs into logr, the rank bound applied), and whether that interval outran the bound. */
function reorthonormalizeOutran(f: QrFrame, rank: RankBound, guard: ReplayGuard, logr: Float64Array, pending: number): boolean {
  const check = pending > 1 && guard.active;
  f.reorthonormalize(logr, check);
  const rounded = rank.apply(logr); // the columns it explains are −∞, not rounding: excluded from the excess
  return guard.outran(logr, pending, rounded, check ? f.columnExcess(logr) : 0);
}

/** The pending product's logs into `out` (pendingLogs), and whether its QR would find that its interval outran the bound. */
function pendingOutran(f: QrFrame, rank: RankBound, guard: ReplayGuard, out: Float64Array, pending: number): boolean {
  const rounded = pendingLogs(f, rank, out);
  return guard.outran(out, pending, rounded, f.columnExcess(out));
}

/** The result from the accumulator plus the pending steps' logs (`extra` holds them): sorted, with D_KY and entropy. */
function assembleResult(acc: ExponentAccumulator, n: number, k: number, extra: Float64Array, extraSteps: number): LyapunovResult {
  const raw = new Float64Array(k);
  const se = new Float64Array(k);
  const total = acc.estimate(extra, extraSteps, raw, se);
  const order = Array.from({ length: k }, (_, i) => i);
  if (total > 0) order.sort((a, b) => (raw[b] === raw[a] ? a - b : raw[b] > raw[a] ? 1 : -1));
  const exponents = new Float64Array(k);
  const stderr = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    exponents[i] = raw[order[i]];
    stderr[i] = se[order[i]];
  }
  const res: LyapunovResult = {
    exponents,
    stderr,
    ...(total === 0 ? { kaplanYorkeDimension: NaN, entropy: NaN } : spectrumSummary(exponents, n)),
    steps: total,
  };
  const h = acc.history();
  if (h) res.history = h;
  return res;
}

/**
 * The estimator: the QR frame, the accumulator and the rank bound wired by the steps below —
 * fold a product in (`afterProduct`), re-orthonormalize (`reorthonormalize`: QR, rank bound,
 * accumulate, next interval, hook), and the push paths, each checking its input once.
 */
/**
 * Whether the frame is held factored between steps. With the WebAssembly kernels the explicit frame
 * is faster below n ≈ 110 (measured: their fast matrix product outweighs the flops the factored
 * form saves while the per-step O(n²) JS passes over the Jacobian still count); above it the
 * factored form wins (≈ 9 % at n = 200).
 */
function chooseFactored(o: ResolvedEstimatorOptions): boolean {
  const { n, k } = o;
  return o.frame === 'factored' || (o.frame !== 'explicit' && 20 * k >= 11 * n && (wasmKernels(n) === undefined || n >= 112));
}

/** The frame with Q formed, if it was factored (for the product paths). */
function explicitFrame(f: QrFrame): QrFrame {
  f.makeExplicit();
  return f;
}

/** The error for a product J·Q the caller wrote with a non-finite entry (its Jacobian was not finite). */
function nonFiniteProduct(name: string, step: number, z: Float64Array, n: number): RangeError {
  const bad = firstNonFinite(z);
  return new RangeError(`${name}: the Jacobian product J·Q at step ${step} is not finite (${z[bad]} at row ${bad % n}): non-finite Jacobian`);
}

/** The error for a product J·Q of a finite Jacobian that overflowed. */
function overflowingProduct(where: string, step: number, z: Float64Array, n: number): RangeError {
  const bad = firstNonFinite(z);
  return new RangeError(`${where}: the product J·Q at step ${step} is not finite (${z[bad]} in column ${Math.floor(bad / n)}); the Jacobian's entries are too large`);
}

/** Longest interval the streaming estimator checks and can redo (as the spectrum driver's ring). */
const STREAM_REPLAY = 64;

/**
 * How an estimator redoes an interval that outran the condition bound (replay-guard.ts): by the
 * spectrum driver (o.replay), or, streaming, from the Jacobians kept since the last QR
 * (jacobian-tape.ts); the longest interval it takes; whether it reports `outrunIntervals`.
 */
function replayPlan(o: ResolvedEstimatorOptions): { tape: JacobianTape | undefined; guard: ReplayGuard; longest: number; reportsOutrun: boolean } {
  const { n, k, reorthEvery, maxCondition } = o;
  const tape = o.replay === undefined && reorthEvery > 1 ? createJacobianTape(n, Math.min(reorthEvery, STREAM_REPLAY)) : undefined;
  const guard = createReplayGuard(reorthEvery > 1 ? (o.replay ?? Math.min(reorthEvery, STREAM_REPLAY)) : 0, maxCondition, k, o.replaySlack);
  // streaming: no longer than the tape keeps where its memory budget holds fewer than the guard
  // checks (n ≳ 362), so that an interval of pushed Jacobians can always be redone
  const longest = tape !== undefined && tape.slots >= 2 && tape.slots < Math.min(reorthEvery, STREAM_REPLAY) ? tape.slots : reorthEvery;
  // reported where some can stay: streaming (pushed products), or intervals longer than the driver
  // keeps (not with a QR every step, where the driver keeps none and nothing can outrun)
  const reportsOutrun = tape !== undefined || (o.replay !== undefined && reorthEvery > 1 && reorthEvery > o.replay);
  return { tape, guard, longest, reportsOutrun };
}

/** Keeps the state right after a QR whose interval can be undone (rewind goes back to it). */
function checkpoint(f: QrFrame, rank: RankBound, acc: ExponentAccumulator): void {
  f.checkpoint();
  rank.checkpoint();
  acc.markHistory();
}

function build(o: ResolvedEstimatorOptions): LyapunovEstimatorInternal {
  const { name, n, k, reorthEvery, maxCondition, hook, normWindow = 1e100 } = o;
  const useFactored = chooseFactored(o);
  const rng = o.rng;
  const f = createQrFrame(n, k, useFactored, o.initialFrame, rng ? () => gaussian(rng) : undefined, name);
  const acc = createExponentAccumulator(k, o.blockSize, o.historyEvery, o.dt);
  const rank = createRankBound(n, k);
  const logr = new Float64Array(k);
  const extra = new Float64Array(k);
  let jbuf: Float64Array | undefined; // n×n, allocated on first use
  let pending = 0;
  let pushed = 0;
  let warmLeft = o.frameWarmup;
  let interval = 1;
  const { tape, guard, longest, reportsOutrun } = replayPlan(o);
  let outrun = 0; // intervals that outran the bound and could not be redone
  let checkpointed = false; // the frame of the last QR is saved: its interval can be undone
  const factored = createFactoredStep(n, k);
  const getJbuf = (): Float64Array => (jbuf ??= new Float64Array(n * n));

  function reorthonormalize(): void {
    if (reorthonormalizeOutran(f, rank, guard, logr, pending)) {
      if (checkpointed && guard.replayable(pending) && (tape === undefined || tape.complete(pending))) return rewind();
      outrun++; // an interval with a pushed product, or longer than the steps kept: it stays, counted
    }
    const warm = warmLeft > 0;
    if (warm) rank.forget(); // its logs are dropped: the counted product starts after it (rank-bound.ts)
    const logs = factored.close(logr); // a factored step's: all its QRs' (the next interval's from this QR)
    if (!warm) acc.add(logs, pending);
    if (reorthEvery > 1) interval = guard.interval(nextInterval(logr, k, pending, longest, maxCondition, acc.spread()));
    if (hook) hook({ step: pushed - 1, interval: pending, warmup: warm, logR: logs, q: f.explicitQ() });
    pending = 0;
    if (warm) warmLeft--;
    checkpointed = warmLeft === 0 && guard.keeps(interval);
    if (checkpointed) checkpoint(f, rank, acc);
  }

  /** Back to the last QR's frame: the `pending` steps since are to be pushed again, a QR after each. */
  function rewind(): void {
    f.restore();
    acc.rollbackHistory();
    rank.reset();
    pushed -= pending;
    guard.rewound(pending);
    checkpointed = false;
    interval = 1;
    pending = 0;
  }

  function afterProduct(): void {
    f.adoptProduct();
    pushed++;
    pending++;
    if (warmLeft > 0 || pending >= interval || f.illConditioned(maxCondition, normWindow)) reorthonormalize();
    else if (pending === acc.untilRecord()) {
      // a history window ends between two QRs: its logs from a QR of a copy (the schedule is kept)
      pendingLogs(f, rank, extra);
      acc.recordPartial(extra, pending);
    }
  }

  /** z ← J·frame for the Jacobian in `a` (rank noted first); throws, undoing the note, if not finite. */
  function foldJacobian(a: Float64Array, where: string, step: number): void {
    if (!applyNoted(f, rank, a, getJbuf, n)) throw overflowingProduct(where, step, f.z, n);
    afterProduct();
  }

  function pushJacobianUnchecked(a: Float64Array): void {
    const where = name === 'createLyapunovEstimator' ? 'pushJacobian' : name;
    tape?.record(pending, a);
    foldJacobian(a, where, pushed);
    if (tape === undefined) return;
    // an undone interval: its kept Jacobians again, a QR after each (none is recorded meanwhile)
    const m = guard.take();
    for (let i = 0; i < m; i++) foldJacobian(tape.slot(i), where, pushed);
  }

  // the rank bound of a product J·Q: its zero rows, and J's zero columns where the caller knows them
  function pushProductUnchecked(p: ArrayLike<number>, zeroColumns?: ZeroSet): void {
    tape?.skip(pending);
    rowMajorToColMajorCountingZeroRows(n, k, p, f.z, rank.rowsOut());
    rank.note(zeroColumns);
    afterProduct();
  }

  function commitProduct(step: number, zeroColumns?: ZeroSet): void {
    if (!f.measureProduct()) throw nonFiniteProduct(name, step, f.z, n);
    zeroRowsColMajor(n, k, f.z, rank.rowsOut());
    rank.note(zeroColumns);
    afterProduct();
  }

  function commitJacobian(step: number): void {
    assertFiniteJacobian(getJbuf(), n, name, step);
    foldJacobian(getJbuf(), name, step);
  }

  /** A factored step (LyapunovEstimatorInternal.commitFactors), right after a QR; the last factor's QR closes it. */
  function commitFactors(factors: readonly Float64Array[], count: number, step: number): void {
    if (pending > 0) throw new Error(`${name}: commitFactors after ${pending} steps without a QR`); // internal misuse
    if (!factored.substeps(f, rank, factors, count, getJbuf, name, step)) throw overflowingProduct(name, step, f.z, n);
    interval = 1;
    foldJacobian(factors[count - 1], name, step);
  }

  const result = (): LyapunovResult => {
    // the steps since the last QR: their logs from a QR of a copy (pending > 0: the frame is an
    // explicit product), and, streaming, that interval judged as its QR would judge it
    const counted = warmLeft === 0 ? pending : 0;
    extra.fill(0);
    const late = counted > 0 && pendingOutran(f, rank, guard, extra, pending);
    const r = assembleResult(acc, n, k, extra, counted);
    if (reportsOutrun) r.outrunIntervals = outrun + (late ? 1 : 0);
    return r;
  };

  return {
    dim: n,
    k,
    get pushed() { return pushed; },
    get steps() { return acc.counted + (warmLeft === 0 ? pending : 0); },
    get warmingUp() { return warmLeft > 0; },
    frame: () => f.rowMajorView(),
    pushJacobian: (jac: ArrayLike<number>) => pushJacobianUnchecked(readPushed(jac, n, n, 'pushJacobian: jacobian', pushed)),
    pushProduct: (p: ArrayLike<number>) => pushProductUnchecked(readPushed(p, n, k, 'pushProduct: product', pushed)),
    pushJacobianUnchecked,
    pushProductUnchecked,
    frameColMajor: () => explicitFrame(f).q,
    productBuffer: () => explicitFrame(f).z,
    prefersJacobian: useFactored,
    wantsJacobian: () => f.factored,
    jacobianBuffer: getJbuf,
    commitJacobian,
    commitProduct,
    takeReplay: guard.take,
    flush(): number {
      if (pending > 0) reorthonormalize();
      return guard.take();
    },
    commitFactors,
    checkTail(): number {
      // a tail longer than the steps kept stays (and is counted)
      if (!checkpointed || pending <= 1 || !pendingOutran(f, rank, guard, extra, pending) || !guard.replayable(pending)) return 0;
      rewind();
      return guard.take();
    },
    result,
  };
}
