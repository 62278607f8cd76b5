/**
 * The estimator's frame: k vectors in n dimensions, column-major. Explicit (orthonormal after a QR,
 * or the pending product J···J·Q), or, when `useFactored`, held as the Householder reflectors of the
 * last QR (with tau and the signs in rdiag). Keeping it factored when k ≳ 0.55n lets a Jacobian be
 * applied as J·H_0···H_{k-1} without forming Q: 4n²k − 2nk² flops instead of 2nk² − ⅔k³ + 2n²k.
 *
 * Observation never changes the state: `rowMajorView` and `explicitQ` form Q into a separate buffer
 * when the frame is factored, so that reading the frame leaves every later result bit-identical.
 * Graded rows (a saturated tanh unit) are sorted before each QR (row-order.ts).
 */
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
import { wasmColumnNormsSq, wasmKernels } from '../core/wasm64/kernels-wasm.js';
import { createFrameRowOrder } from './row-order.js';

/** Columns whose largest entry lies outside [2^-300, 2^300] are rescaled by a power of two before a QR. */
const TINY = 2 ** -300;
const HUGE = 2 ** 300;

/** The frame and its QR steps (see the module comment). */
export interface QrFrame {
  /** The live frame, column-major n×k (reflectors when factored). */
  readonly q: Float64Array;
  /** Scratch n×k into which the next product is written. */
  readonly z: Float64Array;
  readonly factored: boolean;
  /** Forms Q in place if the frame is factored (changes the state: for the product paths only). */
  makeExplicit(): void;
  /** z ← J·frame for a row-major n×n J in `a` (overwritten when the frame is factored). */
  applyJacobian(a: Float64Array): void;
  /** The product in z becomes the frame (explicit, un-normalized). */
  adoptProduct(): void;
  /**
   * Re-orthonormalizes the explicit frame; writes log R_jj into logr (underflow and overflow
   * handled). With `keepNorms`, keeps the squared column norms of the frame it was given, for
   * {@link QrFrame.columnExcess}.
   */
  reorthonormalize(logr: Float64Array, keepNorms?: boolean): void;
  /** {@link logColumnExcess} of the norms kept by the last reorthonormalize (keepNorms) or pendingLogDiag, with these logs. */
  columnExcess(logr: Float64Array): number;
  /**
   * Squared column norms of the product in z, kept for the frame it becomes (one pass that also
   * serves the finiteness scan and the scaling test of the next QR). Returns false when the
   * product holds a non-finite entry (an overflowing finite one only makes its norm Infinity).
   */
  measureProduct(): boolean;
  /** True when the explicit frame's column norms spread past maxCondition or leave [1/window, window] (window ≤ 1e100). */
  illConditioned(maxCondition: number, window: number): boolean;
  /** log R_jj of the pending explicit product without touching the frame (uses z as scratch; keeps its column norms). */
  pendingLogDiag(out: Float64Array): void;
  /** The orthonormal frame, row-major n×k, without changing the state (a view valid until the next push). */
  rowMajorView(): Float64Array;
  /** The orthonormal frame, column-major, without changing the state (a view valid until the next push). */
  explicitQ(): Float64Array;
  /** Saves the frame as it is right after a QR (reflectors or Q), for {@link QrFrame.restore}. */
  checkpoint(): void;
  /** Puts back the frame saved by the last {@link QrFrame.checkpoint} (its products are to be redone). */
  restore(): void;
}

/** Creates the frame from a random Gaussian start (`rng`) or a row-major initial frame (validated by the caller). */
export function createQrFrame(n: number, k: number, useFactored: boolean, init: Float64Array | undefined, gaussianDraw: (() => number) | undefined, name: string): QrFrame {
  let q = new Float64Array(n * k);
  let z = new Float64Array(n * k);
  const qRow = new Float64Array(n * k);
  let qRowValid = false;
  let obs: Float64Array | undefined; // Q formed from the reflectors for observers
  let obsValid = false;
  const tau = new Float64Array(k);
  const rdiag = new Float64Array(k);
  const shift = new Float64Array(k);
  let factored = false;
  let normsZ = new Float64Array(k); // squared column norms of z (after measureProduct)
  let normsQ = new Float64Array(k); // squared column norms of the explicit frame q (when normsValid)
  const normsKept = new Float64Array(k); // normsQ as a QR was given them, for logColumnExcess
  let zMeasured = false;
  let normsValid = false;
  const ck = createCheckpoint(n, k);
  // graded rows are sorted before a QR (row-order.ts); a factored frame then holds the reflectors
  // of P·Z, and its Q is Pᵀ times theirs
  const rows = createFrameRowOrder(n, k);
  // a column whose squared norm s satisfies s/n ≥ TINY² and s ≤ HUGE² has its largest entry in
  // [TINY, HUGE]: the max-abs pass of scaleColumns is skipped for it (the same decision, so the
  // same bits)
  const lowSq = TINY * TINY * n;
  const highSq = HUGE * HUGE;

  const columnNormsSq = (a: Float64Array, out: Float64Array): void => columnNormsSqInto(n, k, a, out);

  const scaleColumns = (a: Float64Array, norms: Float64Array | undefined): boolean => scaleColumnsPow2(n, k, a, norms, lowSq, highSq, shift);
  /** The explicit frame's squared column norms, copied to normsKept as a QR is given them (normsQ is reused for the next product; the copy keeps these for the column-excess check). */
  const keepNormsQ = (): void => {
    if (!normsValid) columnNormsSq(q, normsQ);
    normsValid = true;
    normsKept.set(normsQ);
  };

  const frame: QrFrame = {
    get q() {
      return q;
    },
    get z() {
      return z;
    },
    get factored() {
      return factored;
    },
    makeExplicit(): void {
      if (!factored) return;
      qrFormQ(n, k, q, tau);
      qrFixSigns(n, k, q, rdiag);
      rows.unsortFormed(q);
      factored = false;
    },
    applyJacobian(a: Float64Array): void {
      zMeasured = false;
      if (factored) {
        rows.permuteJacobian(a);
        applyFactoredQRightColMajor(n, k, q, tau, rdiag, a, z);
      } else matMulRowByColMajor(n, k, a, q, z);
    },
    adoptProduct(): void {
      const t = q;
      q = z;
      z = t;
      const u = normsQ;
      normsQ = normsZ;
      normsZ = u;
      normsValid = zMeasured;
      zMeasured = false;
      factored = false;
      rows.drop();
      qRowValid = false;
      obsValid = false;
    },
    measureProduct(): boolean {
      columnNormsSq(z, normsZ);
      zMeasured = finiteGivenNorms(z, normsZ, n, k);
      return zMeasured;
    },
    reorthonormalize(logr: Float64Array, keepNorms = false): void {
      if (keepNorms) keepNormsQ();
      const scaled = scaleColumns(q, normsValid ? normsQ : undefined);
      rows.sortFrame(q, normsValid && !scaled ? normsQ : undefined); // scaled columns: their norms moved
      normsValid = false;
      if (useFactored) {
        qrFactor(n, k, q, tau, rdiag);
        factored = true;
      } else {
        qrFactorFormQ(n, k, q, tau, rdiag); // one pass through the kernels (one wasm round trip)
        rows.unsortFormed(q);
        factored = false;
      }
      for (let j = 0; j < k; j++) logr[j] = Math.log(Math.abs(rdiag[j]));
      if (scaled) for (let j = 0; j < k; j++) logr[j] += shift[j];
      qRowValid = false;
      obsValid = false;
    },
    columnExcess: (logr) => logColumnExcess(normsKept, logr, k),
    illConditioned(maxCondition: number, window: number): boolean {
      if (!normsValid) columnNormsSq(q, normsQ);
      normsValid = true;
      return normsIllConditioned(normsQ, k, maxCondition, window);
    },
    pendingLogDiag(out: Float64Array): void {
      keepNormsQ();
      z.set(q);
      zMeasured = false;
      const scaled = scaleColumns(z, normsValid ? normsQ : undefined);
      rows.sortCopy(z, normsValid && !scaled ? normsQ : undefined); // as the QR would see it
      qrLogDiagInPlace(n, k, z, tau, out);
      if (scaled) for (let j = 0; j < k; j++) out[j] += shift[j];
    },
    explicitQ(): Float64Array {
      if (!factored) return q;
      if (!obsValid) {
        if (obs === undefined) obs = new Float64Array(n * k);
        obs.set(q);
        qrFormQ(n, k, obs, tau);
        qrFixSigns(n, k, obs, rdiag);
        rows.unsortView(obs);
        obsValid = true;
      }
      return obs as Float64Array;
    },
    checkpoint(): void {
      ck.save(q, tau, rdiag, factored);
      rows.save();
    },
    restore(): void {
      factored = ck.restore(q, tau, rdiag);
      rows.restore();
      zMeasured = normsValid = qRowValid = obsValid = false;
    },
    rowMajorView(): Float64Array {
      if (!qRowValid) {
        colMajorToRowMajor(n, k, frame.explicitQ(), qRow);
        qRowValid = true;
      }
      return qRow;
    },
  };

  orthonormalizeInitial(n, k, q, tau, init, gaussianDraw, name);
  return frame;
}

/**
 * Squared column norms of the column-major n×k `a`, four partial sums per column (the additions no
 * longer wait on each other); they only steer decisions (the condition guard, power-of-two
 * scalings), never the logs themselves.
 */
function columnNormsSqInto(n: number, k: number, a: Float64Array, out: Float64Array): void {
  const ex = wasmKernels(n);
  if (ex !== undefined) {
    wasmColumnNormsSq(ex, n, k, a, out); // the same operations in the same order: the same bits
    return;
  }
  for (let j = 0; j < k; j++) {
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    const c = j * n, end = c + n;
    let i = c;
    for (; i + 3 < end; i += 4) {
      const a0 = a[i], a1 = a[i + 1], a2 = a[i + 2], a3 = a[i + 3];
      s0 += a0 * a0; s1 += a1 * a1; s2 += a2 * a2; s3 += a3 * a3;
    }
    for (; i < end; i++) s0 += a[i] * a[i];
    out[j] = (s0 + s1) + (s2 + s3);
  }
}

/** True when the squared column norms spread past maxCondition or leave [1/window, window]. */
function normsIllConditioned(normsSq: Float64Array, k: number, maxCondition: number, window: number): boolean {
  let hi = 0;
  let lo = Infinity;
  for (let j = 0; j < k; j++) {
    const s = normsSq[j];
    if (s > hi) hi = s;
    if (s < lo) lo = s;
  }
  const w2 = window * window;
  return !(hi < w2 && lo > 1 / w2 && hi <= lo * maxCondition * maxCondition);
}

/**
 * max_j ln(‖z_j‖ / R_jj) for a product z = Q·R, from its squared column norms and its log R_jj (0
 * when none is measurable: a norm that overflowed or underflowed, a −∞ log). A column's product
 * carries rounding of ε·‖z_j‖ (column-wise, in the products and in Householder's QR alike), so its
 * R_jj carries ε·‖z_j‖/R_jj relatively: the realized condition column by column. It exceeds the
 * spread of the log R_jj where a column grew past the first (the frame's order no longer the order
 * of growth, as after an input pulse), which the spread alone misses; 1/min_j(R_jj/‖z_j‖) is also a
 * lower bound of the condition number of the column-scaled product.
 */
export function logColumnExcess(normsSq: Float64Array, logr: Float64Array, k: number): number {
  let worst = 0;
  for (let j = 0; j < k; j++) {
    const s = normsSq[j], l = logr[j];
    if (!(s > 0 && s < Infinity && l > -Infinity)) continue;
    const e = 0.5 * Math.log(s) - l;
    if (e > worst) worst = e;
  }
  return worst;
}

/** True when the column-major n×k `a`, whose squared column norms are `norms`, holds no NaN or ±Infinity. */
function finiteGivenNorms(a: Float64Array, norms: Float64Array, n: number, k: number): boolean {
  let acc = 0;
  for (let j = 0; j < k; j++) acc += norms[j] * 0; // NaN exactly when a norm is NaN or ±Infinity
  if (acc === 0) return true;
  for (let i = 0; i < n * k; i++) if (a[i] - a[i] !== 0) return false;
  return true; // only an overflow of a finite entry's square
}

/** A copy of the frame right after a QR (allocated on first use), for an interval to be redone. */
function createCheckpoint(n: number, k: number) {
  let q: Float64Array | undefined;
  const tau = new Float64Array(k);
  const rdiag = new Float64Array(k);
  let factored = false;
  return {
    save(q0: Float64Array, tau0: Float64Array, rdiag0: Float64Array, factored0: boolean): void {
      q ??= new Float64Array(n * k);
      q.set(q0);
      tau.set(tau0);
      rdiag.set(rdiag0);
      factored = factored0;
    },
    /** Writes the copy back into the live buffers; returns whether the frame was factored. */
    restore(q0: Float64Array, tau0: Float64Array, rdiag0: Float64Array): boolean {
      if (q === undefined) throw new Error('QrFrame.restore: no checkpoint'); // internal misuse
      q0.set(q);
      tau0.set(tau);
      rdiag0.set(rdiag);
      return factored;
    },
  };
}

/**
 * Rescales by a power of two (exact) every column of the column-major n×k `a` whose largest entry
 * lies outside [2^-300, 2^300], writing ln of the scale taken out into shift[j] (0 otherwise); a
 * column whose squared norm (`norms`, when known) proves it in range is skipped without a pass.
 * Returns whether any column was scaled.
 */
function scaleColumnsPow2(n: number, k: number, a: Float64Array, norms: Float64Array | undefined, lowSq: number, highSq: number, shift: Float64Array): boolean {
  let any = false;
  for (let j = 0; j < k; j++) {
    shift[j] = 0;
    if (norms !== undefined && norms[j] >= lowSq && norms[j] <= highSq) continue;
    const c = j * n;
    let m = 0;
    for (let i = c; i < c + n; i++) {
      const v = Math.abs(a[i]);
      if (v > m) m = v;
    }
    if (m === 0 || (m >= TINY && m <= HUGE) || !Number.isFinite(m)) continue;
    const e = Math.floor(Math.log2(m)); // 2^e ≈ m: scaling by 2^-e is exact
    if (e < -1000) {
      // 2^-e would overflow: two exact steps, 2^1000 then the rest
      const s2 = 2 ** (-1000 - e);
      for (let i = c; i < c + n; i++) a[i] = a[i] * 2 ** 1000 * s2;
    } else {
      const s = 2 ** -e;
      for (let i = c; i < c + n; i++) a[i] *= s;
    }
    shift[j] = e * Math.LN2;
    any = true;
  }
  return any;
}

/** The initial frame into q (column-major), orthonormalized: the caller's (rank-checked) or a Gaussian one. */
function orthonormalizeInitial(
  n: number,
  k: number,
  q: Float64Array,
  tau: Float64Array,
  init: Float64Array | undefined,
  gaussianDraw: (() => number) | undefined,
  name: string,
): void {
  const logr = new Float64Array(k);
  if (init !== undefined) {
    rowMajorToColMajor(n, k, init, q);
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
  } else if (gaussianDraw !== undefined) {
    for (let i = 0; i < n * k; i++) q[i] = gaussianDraw();
    qrLogDiagInPlace(n, k, q, tau, logr);
  }
}
