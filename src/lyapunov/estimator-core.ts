/**
 * The streaming Lyapunov spectrum estimator: an orthonormal frame of k vectors is propagated by the
 * Jacobians J_t (not their transposes) and re-orthonormalized by Householder QR; the exponents are the
 * time averages of log R_ii, accumulated in float64. Memory is O(dim·k) however long the run.
 */
import { assertInteger, assertNumber, firstNonFinite } from '../core/errors.js';
import { gaussian, resolveRng } from '../core/rng.js';
import { kaplanYorkeDimension, lyapunovEntropy } from './dimension.js';
import {
  applyFactoredQRightColMajor,
  colMajorToRowMajor,
  matMulRowByColMajor,
  qrFactor,
  qrFactorFormQ,
  qrFixSigns,
  qrFormQ,
  qrLogDiagInPlace,
  rowMajorToColMajor,
} from './kernels.js';
import { wasmFactoredFrame, wasmKernels } from '../core/wasm64/kernels-wasm.js';

import type { LyapunovHistory, LyapunovResult, ReorthonormalizationEvent } from './types.js';

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
  /** Generator of the random initial frame (wins over `seed`). */
  rng?: () => number;
  /** Called after every QR of the frame, with its log R diagonal and the new Q (views). */
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
   */
  frame(): Float64Array;
  /** Folds in the Jacobian J_t (row-major dim×dim): the frame becomes J_t · frame. */
  pushJacobian(jacobian: ArrayLike<number>): void;
  /** Folds in a product Z = J_t · frame() (row-major dim×k) computed by the caller. */
  pushProduct(product: ArrayLike<number>): void;
  /** The estimate so far (valid at any time; includes steps since the last QR). */
  result(): LyapunovResult;
}

const MAX_BLOCKS = 64;

/** Unchecked entry points used by `lyapunovSpectrum` after its own validation (not public). */
export interface LyapunovEstimatorInternal extends LyapunovEstimator {
  /** Folds in a row-major product without checks (the caller checked finiteness). */
  pushProductUnchecked(product: ArrayLike<number>): void;
  /** Folds in a row-major Jacobian without checks. */
  pushJacobianUnchecked(jacobian: ArrayLike<number>): void;
  /** True when the frame is kept in factored form between steps (k ≳ 0.55·dim): prefer Jacobians. */
  readonly prefersJacobian: boolean;
  /** A dim×dim row-major buffer for the caller to write J_t into, then call commitJacobian. */
  jacobianBuffer(): Float64Array;
  /** Folds in the Jacobian written into jacobianBuffer(); throws naming `step` if it is not finite. */
  commitJacobian(step: number): void;
  /** The live frame, column-major dim×k (read only). */
  frameColMajor(): Float64Array;
  /** The scratch buffer (column-major dim×k) into which the caller writes Z = J·frameColMajor(). */
  productBuffer(): Float64Array;
  /** Folds in the product written into productBuffer(); throws naming `step` if it is not finite. */
  commitProduct(step: number): void;
}

/** The estimator with its unchecked entry points (behind {@link createLyapunovEstimator}). */
export function createEstimatorInternal(opts: LyapunovEstimatorOptions): LyapunovEstimatorInternal {
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
  const e = build(opts);
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

function build(opts: LyapunovEstimatorOptions): LyapunovEstimatorInternal {
  if (opts === null || typeof opts !== 'object') {
    throw new TypeError(`createLyapunovEstimator: expected an options object { dim, k?, ... }, got ${opts === null ? 'null' : typeof opts}`);
  }
  const name = 'createLyapunovEstimator';
  assertInteger(opts.dim, `${name}: dim`, 1);
  const n = opts.dim;
  const k = opts.k ?? n;
  assertInteger(k, `${name}: k`, 1);
  if (k > n) throw new RangeError(`${name}: k must be at most dim = ${n}, got k = ${k}`);
  const frameWarmup = opts.frameWarmup ?? 0;
  assertInteger(frameWarmup, `${name}: frameWarmup`, 0);
  const reorthEvery = opts.reorthEvery ?? 1;
  assertInteger(reorthEvery, `${name}: reorthEvery`, 1);
  const maxCondition = opts.maxCondition ?? 1e8;
  assertNumber(maxCondition, `${name}: maxCondition`, 10);
  const blockSize = opts.blockSize ?? 16;
  assertInteger(blockSize, `${name}: blockSize`, 1);
  const dt = opts.dt ?? 1;
  assertNumber(dt, `${name}: dt`);
  if (!(dt > 0)) throw new RangeError(`${name}: dt must be > 0, got ${dt}`);
  let historyEvery = 0;
  if (opts.history === true) historyEvery = blockSize;
  else if (typeof opts.history === 'number') {
    assertInteger(opts.history, `${name}: history`, 1);
    historyEvery = opts.history;
  } else if (opts.history !== undefined && opts.history !== false) {
    throw new TypeError(`${name}: history must be a boolean or a number of steps, got ${typeof opts.history}`);
  }
  const hook = opts.onReorthonormalize;
  if (hook !== undefined && typeof hook !== 'function') {
    throw new TypeError(`${name}: onReorthonormalize must be a function, got ${typeof hook}`);
  }

  // The frame, column-major n×k: explicit (orthonormal after a QR, or the pending product J···J·Q),
  // or, when `factored`, the Householder reflectors of the last QR (with tau and the signs in rdiag).
  // Keeping it factored when k ≳ 0.55n lets a Jacobian be applied as J·H_0···H_{k-1} without forming
  // Q: 4n²k − 2nk² flops instead of 2nk² − ⅔k³ + 2n²k.
  let q = new Float64Array(n * k);
  let z = new Float64Array(n * k); // scratch for the next frame
  const qRow = new Float64Array(n * k);
  let qRowValid = false;
  const tau = new Float64Array(k);
  const rdiag = new Float64Array(k);
  const logr = new Float64Array(k);
  // with the WebAssembly kernels the explicit frame is faster below n ≈ 110 (measured: their fast
  // matrix product outweighs the flops the factored form saves while the per-step O(n²) JS passes
  // over the Jacobian still count); above it the factored form wins (≈ 9 % at n = 200)
  const useFactored =
    20 * k >= 11 * n && hook === undefined && (wasmKernels(n) === undefined || n >= 112 || wasmFactoredFrame());
  let factored = false;
  let jbuf: Float64Array | undefined; // n×n, allocated on first use

  /** Makes the frame explicit (forms Q from the reflectors) if it is held factored. */
  function explicitFrame(): void {
    if (!factored) return;
    qrFormQ(n, k, q, tau);
    qrFixSigns(n, k, q, rdiag);
    factored = false;
  }

  // initial frame
  if (opts.initialFrame !== undefined) {
    const f = opts.initialFrame;
    if (!(f instanceof Float64Array)) throw new TypeError(`${name}: initialFrame must be a Float64Array (row-major dim×k)`);
    if (f.length !== n * k) throw new RangeError(`${name}: initialFrame must have dim·k = ${n * k} entries, got ${f.length}`);
    const bad = firstNonFinite(f);
    if (bad >= 0) throw new RangeError(`${name}: initialFrame has ${f[bad]} at flat index ${bad}`);
    rowMajorToColMajor(n, k, f, q);
    const norms = new Float64Array(k);
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += q[j * n + i] ** 2;
      norms[j] = Math.sqrt(s);
    }
    qrLogDiagInPlace(n, k, q, tau, logr);
    for (let j = 0; j < k; j++) {
      if (!(Math.exp(logr[j]) > 1e-12 * norms[j])) {
        throw new RangeError(`${name}: initialFrame is rank-deficient (column ${j} is numerically a combination of the previous ones)`);
      }
    }
  } else {
    const rng = resolveRng(opts, 0);
    for (let i = 0; i < n * k; i++) q[i] = gaussian(rng);
    qrLogDiagInPlace(n, k, q, tau, logr);
  }

  // accumulators
  const sum = new Float64Array(k);
  const comp = new Float64Array(k);
  let counted = 0;
  const bSum = new Float64Array(k);
  let bSteps = 0;
  let blockLen = blockSize;
  const blockSums = new Float64Array(MAX_BLOCKS * k);
  const blockSteps = new Float64Array(MAX_BLOCKS);
  let nBlocks = 0;
  let pending = 0;
  let pushed = 0;
  let warmLeft = frameWarmup;
  let interval = 1;
  let rankBound = n; // upper bound on the rank of the pending product (from exact zero rows/columns)
  let pendingRankBound = n; // rankBound before the last noteZeroRowsCols (restored on a failed push)
  // history
  const history: LyapunovHistory | undefined = historyEvery > 0 ? { steps: [], windows: [], running: [] } : undefined;
  const hSum = historyEvery > 0 ? new Float64Array(k) : undefined;
  let hSteps = 0;
  const extra = new Float64Array(k);

  function addLogs(): void {
    for (let i = 0; i < k; i++) {
      const x = logr[i];
      bSum[i] += x;
      if (hSum) hSum[i] += x;
      const s = sum[i];
      if (!(x > -Infinity) || s === -Infinity) {
        sum[i] = -Infinity;
        comp[i] = 0;
        continue;
      }
      const t = s + x; // Neumaier summation
      if (Math.abs(s) >= Math.abs(x)) comp[i] += s - t + x;
      else comp[i] += x - t + s;
      sum[i] = t;
    }
  }

  function closeBlock(): void {
    const o = nBlocks * k;
    for (let i = 0; i < k; i++) {
      blockSums[o + i] = bSum[i];
      bSum[i] = 0;
    }
    blockSteps[nBlocks] = bSteps;
    bSteps = 0;
    nBlocks++;
    if (nBlocks === MAX_BLOCKS) {
      // merge neighbours: half as many blocks, twice as long
      for (let b = 0; b < MAX_BLOCKS / 2; b++) {
        for (let i = 0; i < k; i++) blockSums[b * k + i] = blockSums[2 * b * k + i] + blockSums[(2 * b + 1) * k + i];
        blockSteps[b] = blockSteps[2 * b] + blockSteps[2 * b + 1];
      }
      nBlocks = MAX_BLOCKS / 2;
      blockLen *= 2;
    }
  }

  function record(): void {
    if (!history || !hSum) return;
    const w = new Float64Array(k);
    const r = new Float64Array(k);
    for (let i = 0; i < k; i++) {
      w[i] = hSum[i] / hSteps / dt;
      r[i] = (sum[i] === -Infinity ? -Infinity : sum[i] + comp[i]) / counted / dt;
      hSum[i] = 0;
    }
    history.steps.push(counted);
    history.windows.push(w);
    history.running.push(r);
    hSteps = 0;
  }

  function reorthonormalize(): void {
    if (useFactored) {
      qrFactor(n, k, q, tau, rdiag);
      factored = true;
    } else {
      qrFactorFormQ(n, k, q, tau, rdiag); // one pass through the kernels (one wasm round trip)
      factored = false;
    }
    for (let j = 0; j < k; j++) logr[j] = Math.log(Math.abs(rdiag[j]));
    if (rankBound < k) {
      // the product has rank ≤ rankBound exactly (zero rows/columns): the k − rankBound smallest
      // R_jj are zero in exact arithmetic, whatever rounding left in them
      let need = k - rankBound;
      for (let j = 0; j < k; j++) if (logr[j] === -Infinity) need--;
      for (; need > 0; need--) {
        let at = -1;
        for (let j = 0; j < k; j++) if (logr[j] !== -Infinity && (at < 0 || logr[j] < logr[at])) at = j;
        if (at < 0) break;
        logr[at] = -Infinity;
      }
    }
    rankBound = n;
    const warm = warmLeft > 0;
    if (!warm) {
      addLogs();
      counted += pending;
      bSteps += pending;
      if (bSteps >= blockLen) closeBlock();
      if (history) {
        hSteps += pending;
        if (hSteps >= historyEvery) record();
      }
    }
    if (reorthEvery > 1) {
      // next interval from the latest growth rates: keep the frame's conditioning below maxCondition
      let hi = -Infinity;
      let lo = Infinity;
      let big = 0;
      for (let i = 0; i < k; i++) {
        const g = logr[i] / pending;
        if (g > hi) hi = g;
        if (g < lo) lo = g;
        if (Math.abs(g) > big) big = Math.abs(g);
      }
      const spread = hi - lo;
      let m = reorthEvery;
      if (!Number.isFinite(spread) || !Number.isFinite(big)) m = 1;
      else {
        if (spread > 0) m = Math.min(m, Math.floor(Math.log(maxCondition) / spread));
        if (big > 0) m = Math.min(m, Math.floor(230 / big));
      }
      interval = Math.max(1, m);
    }
    if (hook) hook({ step: pushed - 1, interval: pending, warmup: warm, logR: logr, q });
    pending = 0;
    if (warm) warmLeft--;
  }

  /** True when the un-normalized frame's column norms spread too far for an accurate QR. */
  function illConditioned(): boolean {
    let hi = 0;
    let lo = Infinity;
    for (let j = 0; j < k; j++) {
      let s = 0;
      const c = j * n;
      for (let i = c; i < c + n; i++) s += q[i] * q[i];
      if (s > hi) hi = s;
      if (s < lo) lo = s;
    }
    return !(hi < 1e200 && lo > 1e-200 && hi <= lo * maxCondition * maxCondition);
  }

  function afterProduct(): void {
    const t = q;
    q = z;
    z = t;
    factored = false; // the frame is now the explicit product
    qRowValid = false;
    pushed++;
    pending++;
    if (warmLeft > 0 || pending >= interval || illConditioned()) reorthonormalize();
  }

  function checkFiniteProduct(where: string, step: number): void {
    let acc = 0; // x·0 is NaN exactly for non-finite x: one multiply-add per entry when all is well
    for (let i = 0; i < z.length; i++) acc += z[i] * 0;
    if (acc === 0) return;
    const bad = firstNonFinite(z);
    if (bad >= 0) {
      rankBound = pendingRankBound; // the push fails: undo its note of zero rows/columns
      throw new RangeError(
        `${where}: the product J·Q at step ${step} is not finite (${z[bad]} in column ${Math.floor(bad / n)}); the Jacobian's entries are too large`,
      );
    }
  }

  function getJbuf(): Float64Array {
    if (jbuf === undefined) jbuf = new Float64Array(n * n);
    return jbuf;
  }

  /** z ← J·frame for J in jbuf-like storage `a` (which may be overwritten when the frame is factored). */
  function productFromJacobian(a: Float64Array, where: string, step: number): void {
    if (factored) {
      const m = a === jbuf ? a : getJbuf();
      if (m !== a) m.set(a);
      applyFactoredQRightColMajor(n, k, q, tau, rdiag, m, z);
    } else {
      matMulRowByColMajor(n, k, a, q, z);
    }
    checkFiniteProduct(where, step);
  }

  /**
   * Exact zero rows or columns of J bound the rank of the product: notes them, in the same pass as
   * the finiteness check; returns the flat index of the first non-finite entry, or −1.
   */
  function noteZeroRowsCols(a: Float64Array): number {
    // non-finite entries: x·0 is NaN exactly for non-finite x (located only when there is one)
    const nn = n * n;
    let acc = 0;
    for (let i = 0; i < nn; i++) acc += a[i] * 0;
    let bad = -1;
    if (acc !== 0) {
      bad = 0;
      while (a[bad] - a[bad] === 0) bad++;
    }
    // exact zero rows / columns: a row is non-zero at its first non-zero entry (usually the first);
    // only columns that are zero in the first row need a look further down
    let zeroRows = 0;
    for (let i = 0; i < n; i++) {
      const r = i * n;
      let l = 0;
      while (l < n && a[r + l] === 0) l++;
      if (l === n) zeroRows++;
    }
    let zeroCols = 0;
    for (let l = 0; l < n; l++) {
      if (a[l] !== 0) continue;
      let c = l + n;
      while (c < nn && a[c] === 0) c += n;
      if (c >= nn) zeroCols++;
    }
    pendingRankBound = rankBound;
    const r = n - Math.max(zeroRows, zeroCols);
    if (r < rankBound) rankBound = r;
    return bad;
  }

  function pushJacobianUnchecked(jac: ArrayLike<number>): void {
    const a = jac as Float64Array;
    noteZeroRowsCols(a); // before the product: a factored frame overwrites the Jacobian buffer
    productFromJacobian(a, 'pushJacobian', pushed);
    afterProduct();
  }

  function pushProductUnchecked(p: ArrayLike<number>): void {
    explicitFrame();
    // transpose into the column-major scratch, counting exact zero rows (they bound the rank)
    let zeroRows = 0;
    for (let i = 0; i < n; i++) {
      const s = i * k;
      let any = false;
      for (let j = 0; j < k; j++) {
        const v = p[s + j];
        if (v !== 0) any = true;
        z[j * n + i] = v;
      }
      if (!any) zeroRows++;
    }
    const r = n - zeroRows;
    if (r < rankBound) rankBound = r;
    afterProduct();
  }

  function checkArray(a: ArrayLike<number>, rows: number, cols: number, what: string): void {
    const len = rows * cols;
    const shape = `${rows}×${cols}`;
    if (!(a instanceof Float64Array || a instanceof Float32Array || Array.isArray(a))) {
      throw new TypeError(`${what}: expected a Float64Array (row-major ${shape}), got ${a === null ? 'null' : typeof a}`);
    }
    if (a.length !== len) throw new RangeError(`${what}: expected ${len} entries (row-major ${shape}), got ${a.length}`);
    const bad = firstNonFinite(a);
    if (bad >= 0) {
      throw new RangeError(
        `${what}: non-finite value ${a[bad]} at step ${pushed}, entry (${Math.floor(bad / cols)}, ${bad % cols})`,
      );
    }
  }

  function result(): LyapunovResult {
    let total = counted;
    extra.fill(0);
    if (pending > 0 && warmLeft === 0) {
      // pending > 0 means the frame is an explicit product
      z.set(q);
      qrLogDiagInPlace(n, k, z, tau, extra);
      total += pending;
    }
    const raw = new Float64Array(k);
    const se = new Float64Array(k);
    for (let i = 0; i < k; i++) {
      if (total === 0) {
        raw[i] = NaN;
        se[i] = Infinity;
        continue;
      }
      const s = sum[i] === -Infinity ? -Infinity : sum[i] + comp[i] + extra[i];
      raw[i] = s / total / dt;
      if (raw[i] === -Infinity) {
        se[i] = 0;
        continue;
      }
      if (nBlocks < 2) {
        se[i] = Infinity;
        continue;
      }
      let m = 0;
      for (let b = 0; b < nBlocks; b++) m += blockSums[b * k + i] / blockSteps[b];
      m /= nBlocks;
      let v = 0;
      for (let b = 0; b < nBlocks; b++) {
        const d = blockSums[b * k + i] / blockSteps[b] - m;
        v += d * d;
      }
      se[i] = Math.sqrt(v / (nBlocks - 1) / nBlocks) / dt;
    }
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
      kaplanYorkeDimension: total === 0 ? NaN : kaplanYorkeDimension(exponents),
      entropy: total === 0 ? NaN : lyapunovEntropy(exponents),
      steps: total,
    };
    if (history) {
      res.history = { steps: history.steps.slice(), windows: history.windows.slice(), running: history.running.slice() };
    }
    return res;
  }

  return {
    dim: n,
    k,
    get pushed() {
      return pushed;
    },
    get steps() {
      return counted + (warmLeft === 0 ? pending : 0);
    },
    get warmingUp() {
      return warmLeft > 0;
    },
    frame(): Float64Array {
      explicitFrame();
      if (!qRowValid) {
        colMajorToRowMajor(n, k, q, qRow);
        qRowValid = true;
      }
      return qRow;
    },
    pushJacobian(jac: ArrayLike<number>): void {
      checkArray(jac, n, n, 'pushJacobian');
      const src = jac instanceof Float64Array ? jac : Float64Array.from(jac);
      pushJacobianUnchecked(src);
    },
    pushProduct(p: ArrayLike<number>): void {
      checkArray(p, n, k, 'pushProduct');
      pushProductUnchecked(p);
    },
    pushJacobianUnchecked,
    pushProductUnchecked,
    frameColMajor(): Float64Array {
      explicitFrame();
      return q;
    },
    productBuffer(): Float64Array {
      explicitFrame();
      return z;
    },
    prefersJacobian: useFactored,
    jacobianBuffer: getJbuf,
    commitJacobian(step: number): void {
      const a = getJbuf();
      const bad = noteZeroRowsCols(a);
      if (bad >= 0) {
        rankBound = pendingRankBound;
        throw new RangeError(`lyapunovSpectrum: the Jacobian at step ${step} has ${a[bad]} at (${Math.floor(bad / n)}, ${bad % n})`);
      }
      productFromJacobian(a, 'lyapunovSpectrum', step);
      afterProduct();
    },
    commitProduct(step: number): void {
      // non-finite entries: x·0 is NaN exactly for non-finite x, so one multiply-add per entry
      // finds whether there is one (located only then)
      const nk = n * k;
      let acc = 0;
      for (let i = 0; i < nk; i++) acc += z[i] * 0;
      if (acc !== 0) {
        let bad = 0;
        while (bad < nk && z[bad] - z[bad] === 0) bad++;
        throw new RangeError(
          `lyapunovSpectrum: the Jacobian product J·Q at step ${step} is not finite (${z[bad]} at row ${bad % n}): non-finite Jacobian`,
        );
      }
      // exact zero rows bound the rank: only rows that are zero in the first column need a look
      let zeroRows = 0;
      for (let i = 0; i < n; i++) {
        if (z[i] !== 0) continue;
        let any = false;
        for (let c = i + n; c < nk; c += n) {
          if (z[c] !== 0) {
            any = true;
            break;
          }
        }
        if (!any) zeroRows++;
      }
      const r = n - zeroRows;
      if (r < rankBound) rankBound = r;
      afterProduct();
    },
    result,
  };
}
