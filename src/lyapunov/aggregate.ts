/**
 * A batch's spectrum from its sequences' spectra: the mean, the spread and the standard error of the
 * mean (Vogt et al. 2020), with −∞ exponents kept apart rather than averaged.
 */
import { isMisaligned } from './alignment.js';
import { spectrumSummary } from './spectrum-summary.js';
import type { LyapunovBatchResult, LyapunovResult } from './types.js';

/** Mean, spread and standard error over per-sequence results of an n-dimensional system (the worker pool assembles split batches with it). @internal */
export function aggregate(per: LyapunovResult[], n: number): LyapunovBatchResult {
  const b = per.length;
  const k = per[0].exponents.length;
  const mean = new Float64Array(k);
  const std = new Float64Array(k);
  const stderr = new Float64Array(k);
  const distinct = distinctRuns(per);
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
      std[i] = b === 1 || distinct === 1 || ninf === b ? NaN : Infinity; // −∞ − (−∞) is undefined; a finite one against −∞ is an infinite spread
      stderr[i] = b === 1 ? per[0].stderr[i] : std[i];
      continue;
    }
    const m = s / b;
    mean[i] = m;
    if (b === 1 || distinct === 1) {
      std[i] = NaN; // the spread of one sequence (or of copies of one run) is undefined
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
  const alignment = meanAlignment(per, k, distinct);
  let still = 0;
  let outrun: number | undefined; // summed where the sequences report it (intervals that could not be redone)
  for (const r of per) {
    if (r.stationary) still++;
    if (r.outrunIntervals !== undefined) outrun = (outrun ?? 0) + r.outrunIntervals;
  }
  return {
    exponents: mean,
    stderr,
    std,
    ...spectrumSummary(mean, n),
    steps: per[0].steps,
    sequences: b,
    perSequence: per,
    stationary: still === b,
    ...(alignment ? { alignmentError: alignment, misaligned: isMisaligned(alignment, stderr) } : {}),
    stationarySequences: still,
    distinctSequences: distinct,
    warmup: per[0].warmup,
    frameWarmup: per[0].frameWarmup,
    ...(outrun !== undefined ? { outrunIntervals: outrun } : {}),
    ...(b === 1 && per[0].history ? { history: per[0].history } : {}),
  };
}

/**
 * The number of different runs among `per`: a run whose exponents and stderr equal an earlier one's
 * bit for bit is that run again (the same inputs, start and frame seed), not another sample.
 */
function distinctRuns(per: LyapunovResult[]): number {
  const seen = new Set<string>();
  for (const r of per) {
    const parts: string[] = [];
    for (let i = 0; i < r.exponents.length; i++) parts.push(String(r.exponents[i]), String(r.stderr[i]));
    seen.add(parts.join(','));
  }
  return seen.size;
}

/**
 * The batch's alignment error from the sequences' (undefined when a sequence has none): their root
 * mean square over √(distinct runs). Each sequence's frame meets its own Oseledets basis, so its
 * misalignment is taken as independent of the others', as the standard error of the mean takes
 * their fluctuations (measured: driven LSTM and GRU H = 48, B = 4, the seed spread of the mean
 * within 2 of its standard errors).
 */
function meanAlignment(per: LyapunovResult[], k: number, distinct: number): Float64Array | undefined {
  const m = new Float64Array(k);
  for (const r of per) {
    const a = r.alignmentError;
    if (a === undefined) return undefined;
    for (let i = 0; i < k; i++) m[i] += a[i] * a[i];
  }
  for (let i = 0; i < k; i++) m[i] = Math.sqrt(m[i] / per.length / distinct);
  return m;
}
