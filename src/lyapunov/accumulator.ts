/**
 * The exponent accumulator of the estimator: compensated (Neumaier) sums of log R_ii, contiguous
 * block sums for the standard errors (at most 64 blocks, merged pairwise as the run grows), and the
 * optional finite-time history.
 */
import type { LyapunovHistory } from './types.js';

const MAX_BLOCKS = 64;

/** Sums of log R_ii over the counted steps, with block means and history. */
export interface ExponentAccumulator {
  /** Counted steps folded in so far. */
  readonly counted: number;
  /** Folds in one QR's logs covering `steps` steps. */
  add(logr: Float64Array, steps: number): void;
  /**
   * Raw (frame-order) exponents and standard errors over the counted steps plus `extraSteps` whose
   * logs are `extra` (not folded in): written into `raw` and `se`; returns the total steps.
   */
  estimate(extra: Float64Array, extraSteps: number, raw: Float64Array, se: Float64Array): number;
  /** A copy of the history so far, or undefined. */
  history(): LyapunovHistory | undefined;
  /** max − min over the columns of the long-run growth rates per step (0 before any counted step; Infinity with a −Infinity column). */
  spread(): number;
  /** Counted steps until the next history record (Infinity without history). */
  untilRecord(): number;
  /**
   * Records the history window that ends `extraSteps` counted steps after the last QR, whose logs
   * (`extra`, the pending product's log R_jj) the next {@link add} will fold in again: they are
   * carried into the next window with a minus sign, so every window is exact whatever the QR
   * schedule, and recording never changes the schedule (nor a bit of the exponents).
   */
  recordPartial(extra: Float64Array, extraSteps: number): void;
  /** Remembers the history's state after a QR, for {@link ExponentAccumulator.rollbackHistory}. */
  markHistory(): void;
  /** Forgets the history records made since {@link ExponentAccumulator.markHistory} (their interval is redone). */
  rollbackHistory(): void;
}

/** Creates an {@link ExponentAccumulator} for k exponents. */
export function createExponentAccumulator(k: number, blockSize: number, historyEvery: number, dt: number): ExponentAccumulator {
  const sum = new Float64Array(k);
  const comp = new Float64Array(k);
  let counted = 0;
  const bSum = new Float64Array(k);
  let bSteps = 0;
  let blockLen = blockSize;
  const blockSums = new Float64Array(MAX_BLOCKS * k);
  const blockSteps = new Float64Array(MAX_BLOCKS);
  let nBlocks = 0;
  const hist: LyapunovHistory | undefined = historyEvery > 0 ? { steps: [], windows: [], running: [] } : undefined;
  const hSum = historyEvery > 0 ? new Float64Array(k) : undefined;
  let hSteps = 0;
  const markSum = historyEvery > 0 ? new Float64Array(k) : undefined;
  let markSteps = 0;
  let markRecords = 0;

  function addLogs(logr: Float64Array): void {
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

  /** Records the window ending `extraSteps` after the last QR (logs `extra`, or none when 0). */
  function record(extra: Float64Array | undefined, extraSteps: number): void {
    if (!hist || !hSum) return;
    const w = new Float64Array(k);
    const r = new Float64Array(k);
    const at = counted + extraSteps;
    for (let i = 0; i < k; i++) {
      const x = extra ? extra[i] : 0;
      w[i] = (hSum[i] + x) / (hSteps + extraSteps) / dt;
      r[i] = (sum[i] === -Infinity ? -Infinity : sum[i] + comp[i] + x) / at / dt;
      hSum[i] = -x;
    }
    hist.steps.push(at);
    hist.windows.push(w);
    hist.running.push(r);
    hSteps = -extraSteps;
  }

  return {
    get counted() {
      return counted;
    },
    add(logr: Float64Array, steps: number): void {
      addLogs(logr);
      counted += steps;
      bSteps += steps;
      if (bSteps >= blockLen) closeBlock();
      if (hist) {
        hSteps += steps;
        if (hSteps >= historyEvery) record(undefined, 0);
      }
    },
    estimate(extra: Float64Array, extraSteps: number, raw: Float64Array, se: Float64Array): number {
      const total = counted + extraSteps;
      for (let i = 0; i < k; i++) estimateOne(i, k, total, sum[i], comp[i], extra[i], blockSums, blockSteps, nBlocks, dt, raw, se);
      return total;
    },
    spread(): number {
      if (counted === 0) return 0;
      let hi = -Infinity;
      let lo = Infinity;
      for (let i = 0; i < k; i++) {
        const s = sum[i];
        if (s === -Infinity) continue;
        if (s > hi) hi = s;
        if (s < lo) lo = s;
      }
      return hi < lo ? Infinity : (hi - lo) / counted;
    },
    untilRecord(): number {
      return hist ? historyEvery - hSteps : Infinity;
    },
    recordPartial(extra: Float64Array, extraSteps: number): void {
      record(extra, extraSteps);
    },
    markHistory(): void {
      if (!hist || !hSum || !markSum) return;
      markSum.set(hSum);
      markSteps = hSteps;
      markRecords = hist.steps.length;
    },
    rollbackHistory(): void {
      if (!hist || !hSum || !markSum) return;
      hSum.set(markSum);
      hSteps = markSteps;
      hist.steps.length = markRecords;
      hist.windows.length = markRecords;
      hist.running.length = markRecords;
    },
    history(): LyapunovHistory | undefined {
      return hist ? { steps: hist.steps.slice(), windows: hist.windows.slice(), running: hist.running.slice() } : undefined;
    },
  };
}

/** Exponent i (raw[i]) and its standard error from the block means (se[i]); see `estimate`. */
function estimateOne(
  i: number, k: number, total: number, sum: number, comp: number, extra: number,
  blockSums: Float64Array, blockSteps: Float64Array, nBlocks: number, dt: number, raw: Float64Array, se: Float64Array,
): void {
  if (total === 0) {
    raw[i] = NaN;
    se[i] = Infinity;
    return;
  }
  const s = sum === -Infinity ? -Infinity : sum + comp + extra;
  raw[i] = s / total / dt;
  if (raw[i] === -Infinity) {
    se[i] = 0;
    return;
  }
  if (nBlocks < 2) {
    se[i] = Infinity;
    return;
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
