/**
 * What a trained network does past its trained length on blank input: from the states reached at
 * the end of several digits, run the autonomous network (input 0) and classify where each orbit
 * settles (fixed point, limit cycle, quasi-periodic, chaotic), group the cycles found into distinct
 * ones, and measure the intrinsic dimension of the settled orbits (TwoNN, participation ratio).
 */
import type { Tensor } from '../../src/core/index.js';
import { detectLimitCycle, participationRatio, twoNN } from '../../src/geometry/index.js';
import { rnnForward, type Rnn } from '../../src/rnn/index.js';

/** One distinct attractor found from one or more starting states. */
export interface FoundAttractor {
  kind: string;
  period: number;
  /** How many of the starting states settled on it. */
  basin: number;
  /** Moduli of the three largest Floquet multipliers (Jacobian eigenvalues for a fixed point). */
  floquet: number[];
  largestExponent: number;
}

export interface AttractorSummary {
  /** The most common kind over the starting states. */
  kind: string;
  /** Number of distinct limit cycles (period ≥ 2; each counted once whatever its phase). */
  cycles: number;
  /** Their periods, ascending. */
  periods: number[];
  attractors: FoundAttractor[];
  intrinsicDimension: { twoNN: number; participationRatio: number; points: number };
}

/** Do two cycles of equal period share their points (up to phase)? */
function sameCycle(a: Float64Array, b: Float64Array, dim: number, tol: number): boolean {
  if (a.length !== b.length) return false;
  const p = a.length / dim;
  for (let j = 0; j < p; j++) {
    let d2 = 0;
    for (let i = 0; i < dim; i++) d2 += (a[i] - b[j * dim + i]) ** 2;
    if (Math.sqrt(d2) < tol) return true;
  }
  return false;
}

/**
 * Analyses the blank-input dynamics of `rnn` from the rows of `starts` ([B,H], the states at the end
 * of B digits). `settle` steps are discarded before the dimension is measured on the next `keep`.
 */
export function analyseAttractor(rnn: Rnn, starts: Float64Array, opts: { transient: number; maxPeriod: number; settle: number; keep: number }): AttractorSummary {
  const H = rnn.params.wRec.shape[0];
  const I = rnn.params.wIn.shape[1];
  const B = starts.length / H;
  const input = new Float64Array(I);
  const found: { kind: string; period: number; points: Float64Array; basin: number; floquet: number[]; lam: number; final: Float64Array }[] = [];
  const kindCount = new Map<string, number>();
  for (let b = 0; b < B; b++) {
    const x0 = starts.slice(b * H, (b + 1) * H);
    const r = detectLimitCycle(rnn, { x0, input, transient: opts.transient, maxPeriod: opts.maxPeriod });
    kindCount.set(r.kind, (kindCount.get(r.kind) ?? 0) + 1);
    const mods = Array.from(r.floquetMultipliers.re, (re, i) => Math.hypot(re, r.floquetMultipliers.im[i])).slice(0, 3);
    const scale = 1 + Math.sqrt(r.finalState.reduce((a, v) => a + v * v, 0));
    const match = found.find((f) =>
      f.kind === r.kind && f.period === r.period &&
      (r.period > 0 ? sameCycle(f.points, r.points, H, 1e-3 * scale) : false));
    if (match) match.basin++;
    else found.push({ kind: r.kind, period: r.period, points: r.points, basin: 1, floquet: mods, lam: r.largestExponent, final: r.finalState });
  }
  let kind = 'unknown', best = -1;
  for (const [k, c] of kindCount) if (c > best) { kind = k; best = c; }

  // dimension of the settled orbits: run on blank input from the same starts
  const T = opts.settle + opts.keep;
  const zeros: Tensor = { shape: [B, T, I], data: new Float32Array(B * T * I) };
  const h0: Tensor = { shape: [B, H], data: Float32Array.from(starts) };
  const { states } = rnnForward(rnn, zeros, h0);
  const pts = new Float64Array(B * opts.keep * H);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < opts.keep; t++) {
      const src = (b * T + opts.settle + t) * H;
      for (let h = 0; h < H; h++) pts[(b * opts.keep + t) * H + h] = states.data[src + h];
    }
  }
  // duplicate points (a fixed point, a short cycle) carry no dimension: TwoNN drops them
  let tn = NaN;
  try { tn = twoNN(pts, { dim: H }).dimension; } catch (err) { if (!(err instanceof RangeError)) throw err; tn = 0; }
  // the orbits may all sit on one fixed point: zero variance, dimension 0
  let pr = 0;
  try { pr = participationRatio(pts, { dim: H }); } catch (err) { if (!(err instanceof RangeError)) throw err; }
  const cycles = found.filter((f) => f.kind === 'limit-cycle');
  return {
    kind,
    cycles: cycles.length,
    periods: cycles.map((f) => f.period).sort((a, b) => a - b),
    attractors: found.map((f) => ({ kind: f.kind, period: f.period, basin: f.basin, floquet: f.floquet, largestExponent: f.lam })),
    intrinsicDimension: { twoNN: tn, participationRatio: pr, points: B * opts.keep },
  };
}
