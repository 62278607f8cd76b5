/**
 * The raw fixed-point solvers behind findFixedPoints and the worker pool: Levenberg–Marquardt and
 * Adam on q(x) = ½‖F(x) − x‖², unchecked. Squares are taken so that they cannot overflow into NaN:
 * q is +Infinity when it exceeds the double range, and LM works in power-of-two units (exact) when
 * the residual's or the Jacobian's squares would overflow, so it still makes progress from there.
 * Both work in units of `unit`, a power of two (findFixedPoints' `scale`): the residual r/unit, the
 * step and the stagnation test in units of x/unit, Adam's rate and ε in those units, and q/unit² is
 * what the tolerance is compared with. A map and its starts scaled by 2^k with the unit give every
 * bit scaled by 2^k (no square of 1e-170 underflows to 0, none of 1e160 overflows); unit 1 is the
 * plain iteration, every bit as without it.
 */
import { filled } from '../core/filled.js';
import type { DynamicalSystem } from '../core/system.js';
import { choleskyInPlace, choleskySolve } from './cholesky.js';
import { gramColumns } from './covariance.js';
import { binaryExponent } from './points.js';

/** Scratch buffers of the raw fixed-point solvers (see {@link createFixedPointWorkspace}). */
export interface FixedPointWorkspace {
  dim: number;
  fx: Float64Array;
  r: Float64Array;
  xNew: Float64Array;
  rNew: Float64Array;
  J: Float64Array;
  N: Float64Array;
  M: Float64Array;
  g: Float64Array;
  delta: Float64Array;
  D: Float64Array;
  m: Float64Array;
  v: Float64Array;
  /** LM: the power-of-two unit a_j of each column of J − I (1 unless its squares overflow). */
  colScale: Float64Array;
  scratch: Float64Array;
}

/** Allocates the scratch buffers for {@link fixedPointLmRaw} / {@link fixedPointAdamRaw} in dimension `dim`. */
export function createFixedPointWorkspace(dim: number): FixedPointWorkspace {
  const f = () => new Float64Array(dim);
  return {
    dim, fx: f(), r: f(), xNew: f(), rNew: f(), g: f(), delta: f(), D: f(), m: f(), v: f(), colScale: f(),
    J: new Float64Array(dim * dim), N: new Float64Array(dim * dim), M: new Float64Array(dim * dim),
    scratch: new Float64Array(((dim + 3) & ~3) * 256),
  };
}

/** What a raw solver returns: the final q, the iterations run and, when F or its Jacobian was not finite, why (q is then NaN). */
export interface FixedPointRawResult {
  /** ½‖F(x) − x‖² (qScaled·unit²: 0 or subnormal when that underflows, +Infinity when it overflows). */
  q: number;
  /** ½‖(F(x) − x)/unit‖², which the tolerance is compared with; q itself when unit = 1. */
  qScaled: number;
  iterations: number;
  /** Set when the start ended on a non-finite F(x), F(x) − x or Jacobian: what, and the first entry that was (q is NaN). */
  failure?: string;
}

/** The first entry of `a` (length n; a row-major matrix when `cols` > 0) that is not finite, as "NaN at [i]" / "Infinity at [i,j]"; undefined when all are finite. */
function firstNonFinite(a: Float64Array, n: number, cols = 0): string | undefined {
  for (let i = 0; i < n; i++) {
    const v = a[i];
    if (v - v !== 0) return `${v} at [${cols > 0 ? `${Math.floor(i / cols)},${i % cols}` : i}]`;
  }
  return undefined;
}

/** Why the residual at the start was NaN: F(x) itself, or F(x) − x overflowing. */
function residualFailure(w: FixedPointWorkspace, r: Float64Array): string {
  const f = firstNonFinite(w.fx, w.dim);
  return f !== undefined ? `F(x) is not finite (${f})` : `F(x) − x, in units of scale, is not finite (${firstNonFinite(r, w.dim) ?? 'NaN'})`;
}

/** Why the Jacobian step failed: the Jacobian's own first non-finite entry (in w.J, as the system wrote it but for the −I and exact power-of-two column units, which keep NaN and ±Infinity). */
function jacobianFailure(w: FixedPointWorkspace): string {
  const f = firstNonFinite(w.J, w.dim * w.dim, w.dim);
  return f !== undefined ? `the Jacobian of F is not finite (${f})` : 'the Gauss–Newton matrix (J − I)ᵀ(J − I) is not finite';
}

/**
 * r = (F(x) − x)·inv, the residual in units of 1/inv (a power of two); returns q = ½‖r‖²: +Infinity
 * when it exceeds the double range (‖r‖ ≳ 1.9e154), NaN only when F(x) is not finite. The plain sum
 * of squares, unless it overflowed: then the same sum in units of a power of two (exact), the factor
 * put back.
 */
function residual(sys: DynamicalSystem, x: Float64Array, t: number, w: FixedPointWorkspace, r: Float64Array, inv: number): number {
  filled(sys.step(x, t, w.fx), w.fx, 'step', 'findFixedPoints');
  let q = 0;
  for (let i = 0; i < w.dim; i++) {
    const ri = (w.fx[i] - x[i]) * inv;
    r[i] = ri;
    q += ri * ri;
  }
  if (Number.isFinite(q)) return 0.5 * q;
  const c = residualScale(r, w.dim);
  return c === c ? halfSquares(r, w.dim, c) / c / c : NaN;
}

/** ½Σ(c·r_i)². */
function halfSquares(r: Float64Array, n: number, c: number): number {
  let q = 0;
  for (let i = 0; i < n; i++) {
    const ri = c * r[i];
    q += ri * ri;
  }
  return 0.5 * q;
}

/** 2^−e with 2^e ≤ max|r_i| < 2^(e+1) (NaN when an r_i is not finite, 1 when all are 0). */
function residualScale(r: Float64Array, n: number): number {
  let m = 0;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(r[i]);
    if (!(a <= Number.MAX_VALUE)) return NaN;
    if (a > m) m = a;
  }
  return m > 0 ? 2 ** -binaryExponent(m) : 1;
}

/**
 * Levenberg–Marquardt on r(x) = F(x) − x from `x` (modified in place), in units of `unit` (a power
 * of two; see the file's comment). Returns the iterations used (Jacobian evaluations) and the final
 * q (+Infinity when ½‖r‖² still exceeds the double range; NaN when F or its Jacobian was not
 * finite); it stops when q/unit² < tol. Each iteration solves (AᵀA + μD)δ = −Aᵀr, A = J − I; when
 * ‖r‖² overflows, r is taken in units of a power of two c, and when a column's ‖A_j‖² overflows,
 * that column in units of a power of two a_j: the step, the predicted and the actual reductions
 * are the same up to those exact factors, so the iteration walks in from any finite start (at
 * ordinary scales c = a_j = 1 and every bit is as without them). Unchecked.
 */
export function fixedPointLmRaw(
  sys: DynamicalSystem, x: Float64Array, t: number, tol: number, maxIter: number, w: FixedPointWorkspace = createFixedPointWorkspace(sys.dim),
  tick?: () => void, unit = 1,
): FixedPointRawResult {
  const n = w.dim;
  const { r, xNew, rNew, J, N, M, g, delta, D, colScale } = w;
  const inv = 1 / unit;
  let q = residual(sys, x, t, w, r, inv);
  if (!(q >= 0)) return { q: NaN, qScaled: NaN, iterations: 0, failure: residualFailure(w, r) };
  D.fill(0);
  colScale.fill(1);
  let mu = -1;
  let nu = 2;
  let it = 0;
  while (q >= tol && it < maxIter) {
    it++;
    tick?.();
    filled(sys.jacobian(x, t, J), J, 'jacobian', 'findFixedPoints');
    for (let i = 0; i < n; i++) J[i * n + i] -= 1; // A = J − I
    gramColumns(J, n, n, N, w.scratch); // AᵀA
    if (!scaleColumns(w)) return { q: NaN, qScaled: NaN, iterations: it, failure: jacobianFailure(w) }; // a non-finite Jacobian
    // r in units of c when its squares overflow (q = Infinity), in place: r is replaced on acceptance
    const c = q === Infinity ? residualScale(r, n) : 1;
    if (c !== 1) for (let i = 0; i < n; i++) r[i] *= c;
    const qs = c === 1 ? q : halfSquares(r, n, 1);
    transposeTimes(J, n, r, g); // Aᵀr
    let maxDiag = 0;
    for (let i = 0; i < n; i++) {
      const nii = N[i * n + i];
      if (nii > D[i]) D[i] = nii; // Moré scaling: running max of column norms²
      if (D[i] > maxDiag) maxDiag = D[i];
    }
    if (!Number.isFinite(maxDiag)) return { q: NaN, qScaled: NaN, iterations: it, failure: jacobianFailure(w) };
    const floor = maxDiag > 0 ? 1e-12 * maxDiag : 1;
    for (let i = 0; i < n; i++) if (D[i] < floor) D[i] = floor;
    if (mu < 0) mu = 1e-3;
    let accepted = false;
    for (let tries = 0; tries < 40; tries++) {
      M.set(N);
      for (let i = 0; i < n; i++) M[i * n + i] += mu * D[i];
      if (!choleskyInPlace(M, n)) {
        mu *= nu;
        nu *= 2;
        continue;
      }
      for (let i = 0; i < n; i++) delta[i] = -g[i];
      choleskySolve(M, n, delta, delta);
      // the step in x's units: δ_j = (a_j / c)·δ̂_j·unit (all powers of two; 1 at ordinary scales)
      for (let i = 0; i < n; i++) xNew[i] = x[i] + delta[i] * (colScale[i] / c) * unit;
      if (stagnated(x, delta, colScale, c, n, inv)) return solved(q, it, unit);
      const qNew = residual(sys, xNew, t, w, rNew, inv);
      const qsNew = c === 1 ? qNew : halfSquares(rNew, n, c);
      // predicted reduction of the Gauss–Newton model: ½ δᵀ(μDδ − g) (in the units of qs)
      let pred = 0;
      for (let i = 0; i < n; i++) pred += delta[i] * (mu * D[i] * delta[i] - g[i]);
      pred *= 0.5;
      const rho = pred > 0 ? (qs - qsNew) / pred : -1;
      if (qsNew === qsNew && qsNew < qs && rho > 0) {
        x.set(xNew);
        r.set(rNew);
        q = qNew;
        const k = 2 * rho - 1;
        mu *= Math.max(1 / 3, 1 - k * k * k);
        if (mu < 1e-15) mu = 1e-15;
        nu = 2;
        accepted = true;
        break;
      }
      mu *= nu;
      nu *= 2;
      if (!Number.isFinite(mu)) break;
    }
    if (!accepted) return solved(q, it, unit); // no descent possible: a local minimum of q
  }
  return solved(q, it, unit);
}

/** A solver's result from its q in units of `unit`: q in the caller's units, qScaled as it is. */
function solved(qScaled: number, iterations: number, unit: number): FixedPointRawResult {
  return { q: unit === 1 ? qScaled : qScaled * unit * unit, qScaled, iterations };
}

/**
 * Puts each column j of A (in w.J, with AᵀA in w.N) whose ‖A_j‖² overflowed in units of a power of
 * two a_j (max_i |a_j·A_ij| in [1, 2)), the others at a_j = 1, recomputing AᵀA when any is scaled;
 * Moré's running max D_j follows its column's units (reset when the change would overflow it).
 * False when A holds a non-finite entry.
 */
function scaleColumns(w: FixedPointWorkspace): boolean {
  const { dim: n, J, N, D, colScale } = w;
  let any = false;
  for (let j = 0; j < n; j++) {
    let a = 1;
    if (!(N[j * n + j] <= Number.MAX_VALUE)) {
      let m = 0;
      for (let i = 0; i < n; i++) {
        const v = Math.abs(J[i * n + j]);
        if (!(v <= Number.MAX_VALUE)) return false;
        if (v > m) m = v;
      }
      a = 2 ** -binaryExponent(m);
      for (let i = 0; i < n; i++) J[i * n + j] *= a;
      any = true;
    }
    if (a !== colScale[j]) {
      const k = a / colScale[j];
      const d = D[j] * k * k;
      D[j] = d <= Number.MAX_VALUE ? d : 0;
      colScale[j] = a;
    }
  }
  if (any) gramColumns(J, n, n, N, w.scratch);
  return true;
}

/**
 * Whether the step δ_j = (a_j / c)·δ̂_j (in units of 1/inv) is negligible next to x·inv: ‖δ‖² ≤
 * 1e-32(‖x·inv‖² + 1e-300), with both sides in units of a power of two when their squares overflow.
 */
function stagnated(x: Float64Array, deltaHat: Float64Array, colScale: Float64Array, c: number, n: number, inv: number): boolean {
  let stepNorm = 0;
  let xNorm = 0;
  for (let i = 0; i < n; i++) {
    const d = deltaHat[i] * (colScale[i] / c);
    const xi = x[i] * inv;
    stepNorm += d * d;
    xNorm += xi * xi;
  }
  if (stepNorm !== Infinity && xNorm !== Infinity) return stepNorm <= 1e-32 * (xNorm + 1e-300);
  let m = 0;
  for (let i = 0; i < n; i++) m = Math.max(m, Math.abs(x[i] * inv), Math.abs(deltaHat[i] * (colScale[i] / c)));
  if (!(m <= Number.MAX_VALUE)) return false; // an infinite step: not stagnation (its trial point is rejected)
  const p = 2 ** -binaryExponent(m);
  stepNorm = 0;
  xNorm = 0;
  for (let i = 0; i < n; i++) {
    const d = p * (deltaHat[i] * (colScale[i] / c));
    const xi = p * (x[i] * inv);
    stepNorm += d * d;
    xNorm += xi * xi;
  }
  return stepNorm <= 1e-32 * xNorm;
}

/**
 * Adam on q(x) with gradient (J − I)ᵀ(F(x) − x) and an adaptive learning rate (×0.95 whenever q
 * increases, ÷0.95 after 5 decreases in a row), from `x` (modified in place). `adamEps` is Adam's ε,
 * large (1e-2, as in Golub & Sussillo's finder) so that near a minimum the update turns into
 * gradient descent with momentum instead of a sign step. The residual, the rate and ε are in units
 * of `unit` (a power of two; see the file's comment), and it stops when q/unit² < tol. Unchecked.
 */
export function fixedPointAdamRaw(
  sys: DynamicalSystem, x: Float64Array, t: number, tol: number, maxIter: number, lr0: number,
  w: FixedPointWorkspace = createFixedPointWorkspace(sys.dim), adamEps = 1e-2, tick?: () => void, unit = 1,
): FixedPointRawResult {
  const n = w.dim;
  const { r, J, g, m, v, xNew } = w;
  const inv = 1 / unit;
  const b1 = 0.9;
  const b2 = 0.999;
  m.fill(0);
  v.fill(0);
  let lr = lr0;
  let q = residual(sys, x, t, w, r, inv);
  if (!(q >= 0)) return { q: NaN, qScaled: NaN, iterations: 0, failure: residualFailure(w, r) };
  let bestQ = q;
  xNew.set(x);
  let it = 0;
  let p1 = 1;
  let p2 = 1;
  let run = 0;
  while (q >= tol && it < maxIter) {
    it++;
    tick?.();
    filled(sys.jacobian(x, t, J), J, 'jacobian', 'findFixedPoints');
    transposeTimes(J, n, r, g);
    let gFinite = true;
    for (let i = 0; i < n; i++) {
      g[i] -= r[i]; // (J − I)ᵀr
      if (g[i] - g[i] !== 0) gFinite = false;
    }
    // a non-finite gradient from a non-finite Jacobian: this start fails here (it would only send x to
    // NaN and back until the rate underflowed); one from a finite J (an overflow) takes the step below
    if (!gFinite && firstNonFinite(J, n * n) !== undefined) return { q: NaN, qScaled: NaN, iterations: it, failure: jacobianFailure(w) };
    p1 *= b1;
    p2 *= b2;
    const c1 = 1 / (1 - p1);
    const c2 = 1 / (1 - p2);
    for (let i = 0; i < n; i++) {
      const gi = g[i];
      const mi = b1 * m[i] + (1 - b1) * gi;
      const vi = b2 * v[i] + (1 - b2) * gi * gi;
      m[i] = mi;
      v[i] = vi;
      x[i] -= ((lr * mi * c1) / (Math.sqrt(vi * c2) + adamEps)) * unit;
    }
    const qNew = residual(sys, x, t, w, r, inv);
    if (!(qNew >= 0)) {
      // left the domain of F: back to the best point, smaller rate
      x.set(xNew);
      q = residual(sys, x, t, w, r, inv);
      lr *= 0.5;
      run = 0;
      continue;
    }
    // adaptive rate (as in Golub & Sussillo's fixed-point finder): shrink on an increase of q,
    // grow slowly after a run of decreases
    if (qNew > q) {
      lr *= ADAM_DECREASE;
      run = 0;
    } else if (++run >= 5) {
      lr /= ADAM_INCREASE_DIV;
      run = 0;
    }
    q = qNew;
    if (q < bestQ) {
      bestQ = q;
      xNew.set(x);
    }
    if (lr < 1e-300) break;
  }
  if (q > bestQ) {
    x.set(xNew);
    q = residual(sys, x, t, w, r, inv);
  }
  return solved(q, it, unit);
}

const ADAM_DECREASE = 0.95;
const ADAM_INCREASE_DIV = 0.95;

/** g = Jᵀr for row-major n×n J, row by row (contiguous). */
function transposeTimes(J: Float64Array, n: number, r: Float64Array, g: Float64Array): void {
  g.fill(0);
  for (let p = 0; p < n; p++) {
    const rp = r[p];
    if (rp === 0) continue;
    const o = p * n;
    for (let i = 0; i < n; i++) g[i] += J[o + i] * rp;
  }
}
