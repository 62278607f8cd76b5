/**
 * The unchecked core of the differentiable finite-time exponents: a forward pass that records the
 * states, the frames and the R factors of every QR, and a reverse pass through the frame
 * propagation and the QR steps. @internal
 */
import { createQrGradWork, createQrWork, qrBackward, qrStep } from './qr-step.js';
import type { DifferentiableCell } from './vanilla-cell.js';
import { zeroRowsColMajor } from '../matrix-scan.js';
import { createRankBound } from '../rank-bound.js';
import type { ZeroSet } from '../../core/zero-set.js';

/**
 * The largest spread max|R_ii| / min|R_ii| of one QR the reverse pass is trusted with, 2⁵³ = 1/ε:
 * past it the smallest R_ii lies below the rounding of the largest, and the step Z̄ = (Q̄ +
 * Q·copyltu(M))·R⁻ᵀ, which divides by it, leaves its cancellations unresolved. Measured on tanh RNNs
 * driven by pulses (gradient of Σλ against central differences of the exact mean log|det J|): right
 * to 1e-7 at spreads of 4.5e11 and 8.6e16, 5 % to 400 % off at 8.1e23, 1e25 for 2 at 5.7e37. Beyond
 * it the gradient is refused (a relu unit off, whose R_ii is rounding, lands there too). @internal
 */
export const GRAD_MAX_SPREAD = 2 ** 53;

/** A recorded run of one sequence. @internal */
export interface ExponentTape {
  exponents: Float64Array;
  /** The largest R_ii spread of the run's QRs, and the first step (from the frame's start) it was seen at. */
  spread: number;
  spreadStep: number;
  /** Where the run's products fall below rank k by exact zeros (see {@link RankDeficit}). */
  rankDeficit?: RankDeficit;
  /** Steps taken as factors (DifferentiableCell.factors: an LSTM gate saturated). */
  factoredSteps: number;
  /** Gradient of Σ c_i λ_i w.r.t. the cell's params, accumulated into `grads` (scaled by `scale`). */
  backward(c: ArrayLike<number>, grads: Float64Array[], scale: number): void;
}

/**
 * The lowest rank bound of a run's products below k (their last exponents are −Infinity) and the
 * first step (from the frame's start) it is reached at: by J·Q's exact zero rows (`units` empty),
 * by J's zero columns (`units` those, with the cell's reason `why`), or by those columns with the
 * zero rows of J·Q one step before (`offBefore`: the units off then, not among `units`). @internal
 *
 * The bound is lyapunovSpectrum's (rank-bound.ts holds the argument), read, never applied. This
 * path QRs every product from a full-rank q0, J_s·Q_s = Q_{s+1}·R_s, so while the products keep
 * rank k, Q_{s+1} spans image(J_s·Q_s) and has its exact zero rows (in exact arithmetic), and
 * rank(J_{s+1}·Q_{s+1}) ≤ n − |zeroCols(J_{s+1}) ∪ zeroRows(J_s·Q_s)|: the carry across a QR that
 * the estimator takes (a relu net with one dead unit and 48 units feeding only it: rank 16 per
 * step, 15 for any two; at k = 16 λ16 came out ≈ −35.9 with a gradient of 3e17, until 2026-12-04).
 * A factored step (an LSTM gate saturated) notes J's zero columns with its first factor, against
 * the last J·Q of the step before, and each factor's zero rows: the rank after the step is bounded,
 * which is all a refusal needs. Past the first product of rank below k the frame's last columns are
 * the QR's completion and their R_jj rounding, and the reverse pass divides by them (R⁻ᵀ): the
 * whole run is refused, naming the lowest bound (the largest k that works for this sequence).
 */
export interface RankDeficit {
  step: number;
  rank: number;
  units: number[];
  why: string;
  offBefore?: number[];
}

const members = (a: ZeroSet): number[] => Array.from(a.idx.subarray(0, a.count));

/** Plan of one run: total steps T, state warm-up, frame warm-up (counted = T − warmup − frameWarmup). @internal */
export interface ExponentPlan {
  steps: number;
  warmup: number;
  frameWarmup: number;
  k: number;
  /**
   * Called with the floats the factored steps' extra frames and R factors hold so far, each time a
   * step is factored (their number is known only as the run goes): the caller's memory check.
   */
  onFactored?(floats: number): void;
}

/** Floats recorded per sequence (for the memory check). @internal */
export function tapeFloats(cell: DifferentiableCell, p: ExponentPlan): number {
  const n = cell.dim, T = p.steps, f = T - p.warmup;
  return (T + 1) * n + T * cell.cacheSize + (f + 1) * n * p.k + f * p.k * p.k;
}

/**
 * Runs the cell over T steps from h0 (inputs row-major T×ni, or null for zero input), the frame
 * starting from q0 (column-major n×k, orthonormal) after `warmup` steps.
 */
export function recordExponents(cell: DifferentiableCell, p: ExponentPlan, inputs: ArrayLike<number> | null, h0: Float64Array, q0: Float64Array): ExponentTape {
  const n = cell.dim, ni = cell.inputSize, { steps: T, warmup, frameWarmup, k } = p;
  const cs = cell.cacheSize;
  const hs = new Float64Array((T + 1) * n);
  const xs = new Float64Array(T * ni);
  if (inputs !== null) for (let i = 0; i < T * ni; i++) xs[i] = inputs[i];
  const caches = new Float64Array(T * cs);
  const f = T - warmup;
  const qs = new Float64Array((f + 1) * n * k);
  const rs = new Float64Array(f * k * k);
  hs.set(h0);
  qs.set(q0);
  const z = new Float64Array(n * k);
  const qw = createQrWork(n, k);
  const counted = T - warmup - frameWarmup;
  const sums = new Float64Array(k);
  let spread = 1, spreadStep = -1;
  let rankDeficit: RankDeficit | undefined;
  // the rank bound of lyapunovSpectrum (rank-bound.ts), never applied: the lowest over the run
  const rank = createRankBound(n, k);
  let low = n;
  const fac = cell.factors;
  // the frames and R factors between the factors of each graded step
  const graded = new Map<number, { qs: Float64Array[]; rs: Float64Array[] }>();
  for (let t = 0; t < T; t++) {
    const h = hs.subarray(t * n, (t + 1) * n);
    const cache = caches.subarray(t * cs, (t + 1) * cs);
    cell.step(h, xs.subarray(t * ni, (t + 1) * ni), hs.subarray((t + 1) * n, (t + 2) * n), cache);
    if (t < warmup) continue;
    const s = t - warmup;
    const q = qs.subarray(s * n * k, (s + 1) * n * k);
    const r = rs.subarray(s * k * k, (s + 1) * k * k);
    const qNext = qs.subarray((s + 1) * n * k, (s + 2) * n * k);
    // a graded step (an LSTM gate saturated): a QR after each factor, J·Q = Q_next·R_last·…·R_first
    const factored = fac !== undefined && fac.graded(cache) ? { qs: [] as Float64Array[], rs: [] as Float64Array[] } : undefined;
    if (factored) {
      graded.set(s, factored);
      p.onFactored?.(graded.size * (fac!.count - 1) * (n * k + k * k));
    }
    const parts = factored ? fac!.count : 1;
    // J's exact zero columns (a unit that feeds nothing) cap its rank, which J·Q's rows cannot show;
    // they are noted with the first factor, against the previous step's last J·Q (see below)
    const cols = cell.zeroColumns?.set(cache);
    for (let f = 0; f < parts; f++) {
      const last = f === parts - 1;
      const qIn = f === 0 ? q : factored!.qs[f - 1];
      if (factored) fac!.apply(f, h, cache, qIn, k, z);
      else cell.tangent(h, cache, q, k, z);
      const qOut = last ? qNext : new Float64Array(n * k);
      const rOut = last ? r : new Float64Array(k * k);
      if (!last) {
        factored!.qs.push(qOut);
        factored!.rs.push(rOut);
      }
      // exact zero rows of J·Q (a relu unit off), and with the first factor J's zero columns united
      // with the zero rows of the J·Q before: a rank below k makes the last R_ii rounding, whatever its size
      const rows = rank.rowsOut();
      zeroRowsColMajor(n, k, z, rows);
      const c = f === 0 ? cols : undefined;
      const nRows = rows.count, nCols = c === undefined ? 0 : c.count;
      rank.note(c);
      const bound = rank.rank();
      if (bound < low) {
        low = bound;
        if (bound < k) {
          // the rows alone, J's columns, or its columns with the rows before (a union wider than either)
          const units = c === undefined || (bound === n - nRows && nRows >= nCols) ? [] : members(c);
          rankDeficit = { step: s, rank: bound, units, why: units.length > 0 ? cell.zeroColumns!.why : '' };
          if (units.length > 0 && bound < n - Math.max(nRows, nCols)) {
            const inCols = new Set(units);
            rankDeficit.offBefore = members(rank.previousRows()).filter((i) => !inCols.has(i));
          }
        }
      }
      qrStep(qw, z, qOut, rOut);
      if (bound < k && spread < Infinity) [spread, spreadStep] = [Infinity, s];
      if (s >= frameWarmup) for (let i = 0; i < k; i++) sums[i] += Math.log(rOut[i * k + i]);
      let hi = 0, lo = Infinity;
      for (let i = 0; i < k; i++) {
        const d = rOut[i * k + i];
        if (d > hi) hi = d;
        if (d < lo) lo = d;
      }
      if (!(hi <= lo * spread)) [spread, spreadStep] = [hi / lo, s]; // NaN or a zero R_ii: Infinity
    }
  }
  const exponents = new Float64Array(k);
  for (let i = 0; i < k; i++) exponents[i] = sums[i] / counted;
  return {
    exponents,
    spread,
    spreadStep,
    ...(rankDeficit !== undefined ? { rankDeficit } : {}),
    factoredSteps: graded.size,
    backward(c, grads, scale) {
      const hNextBar = new Float64Array(n);
      const hBar = new Float64Array(n);
      let qNextBar = new Float64Array(n * k);
      let qBar = new Float64Array(n * k);
      const rBar = new Float64Array(k * k);
      const zBar = new Float64Array(n * k);
      const midBar = graded.size > 0 ? new Float64Array(n * k) : zBar;
      const gw = createQrGradWork(k);
      /** R̄ of a QR at step s: the counted steps' d(Σ c_i·mean log R_ii)/dR_ii on the diagonal, zero in the frame warm-up. */
      const seedRBar = (rf: Float64Array, s: number): void => {
        rBar.fill(0);
        if (s >= frameWarmup) for (let i = 0; i < k; i++) rBar[i * k + i] = (scale * c[i]) / (counted * rf[i * k + i]);
      };
      for (let t = T - 1; t >= 0; t--) {
        const h = hs.subarray(t * n, (t + 1) * n);
        const x = xs.subarray(t * ni, (t + 1) * ni);
        const cache = caches.subarray(t * cs, (t + 1) * cs);
        if (t >= warmup) {
          const s = t - warmup;
          const r = rs.subarray(s * k * k, (s + 1) * k * k);
          const q = qs.subarray(s * n * k, (s + 1) * n * k);
          const factored = graded.get(s);
          seedRBar(r, s);
          qrBackward(n, k, qs.subarray((s + 1) * n * k, (s + 2) * n * k), r, qNextBar, rBar, zBar, gw);
          if (factored && fac) {
            // back through the factors: F_f's reverse, then the QR that produced its input frame
            fac.begin(hBar);
            for (let f = fac.count - 1; f > 0; f--) {
              const qf = factored.qs[f - 1], rf = factored.rs[f - 1];
              fac.applyBar(f, h, cache, qf, k, zBar, midBar, grads, hBar);
              seedRBar(rf, s);
              qrBackward(n, k, qf, rf, midBar, rBar, zBar, gw);
            }
            fac.applyBar(0, h, cache, q, k, zBar, qBar, grads, hBar);
            fac.finish(h, x, cache, hNextBar, hBar, grads);
          } else {
            cell.backward(h, x, cache, q, k, hNextBar, zBar, hBar, qBar, grads);
          }
          const tmp = qNextBar;
          qNextBar = qBar;
          qBar = tmp;
        } else {
          cell.backward(h, x, cache, null, k, hNextBar, null, hBar, null, grads);
        }
        hNextBar.set(hBar);
      }
    },
  };
}
