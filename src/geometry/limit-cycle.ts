/**
 * What an orbit settles on: a fixed point, a periodic orbit (limit cycle of a map), a quasi-periodic
 * orbit or chaos. Runs a transient, looks for the smallest exact period, and otherwise classifies the
 * orbit by a short estimate of its largest Lyapunov exponent.
 */
import { assertInteger, assertNumber, type AbortSignalLike } from '../core/errors.js';
import { gemmRaw } from '../core/gemm.js';
import { resolveRng } from '../core/rng.js';
import { filled } from '../core/filled.js';
import type { DynamicalSystem } from '../core/system.js';
import { randomInitialState } from '../rnn/system.js';
import type { AnyRnn as Rnn } from '../rnn/types.js';
import { distanceRaw } from './distance.js';
import { unitDistance, unitSquaredDistance } from './fixed-point-units.js';
import { binaryExponent } from './points.js';
import { checkExclusive, checkOptionKeys } from '../core/options.js';
import { LIMIT_CYCLE_KEYS } from './option-keys.js';
import { checkCallback, checkMemory, checkSeedRng, checkSignal, createProgress, MAX_STEPS, ownOptions, type GeometryProgress, type Progress } from './options.js';
import { toDynamicalSystem, type ConstantInput } from '../rnn/to-system.js';
import { mapEigenvalues } from './stability.js';

/** What {@link detectLimitCycle} found. */
export type OrbitKind = 'fixed-point' | 'limit-cycle' | 'quasi-periodic' | 'chaotic' | 'unknown';

/** Result of {@link detectLimitCycle}. */
export interface LimitCycleResult {
  /**
   * 'fixed-point' (period 1), 'limit-cycle' (smallest period p ≥ 2 found), 'quasi-periodic' (no period
   * ≤ maxPeriod, largest exponent ≈ 0), 'chaotic' (largest exponent > threshold) or 'unknown' (no
   * period, yet contracting: a longer period or a transient longer than `transient`).
   */
  readonly kind: OrbitKind;
  /** The smallest period p, or 0 when none was found. */
  readonly period: number;
  /** The p points of the cycle, row-major p×dim (empty when no period was found). */
  readonly points: Float64Array;
  readonly dim: number;
  /**
   * Floquet multipliers: eigenvalues of the monodromy matrix J(x_{p−1})···J(x_0), sorted by modulus
   * (largest first); for a fixed point the Jacobian's eigenvalues. Empty when no period was found.
   */
  readonly floquetMultipliers: { readonly re: Float64Array; readonly im: Float64Array };
  /**
   * Largest Lyapunov exponent (natural log per step): ln|μ₁|/p for a cycle, otherwise the short QR
   * (vector renormalization) estimate over `exponentSteps` steps.
   */
  readonly largestExponent: number;
  /** max_t ‖x_{t+p} − x_t‖ over the check window for the reported p (or the smallest over all p ≤ maxPeriod). */
  readonly deviation: number;
  /** The state at the end of the analysis. */
  readonly finalState: Float64Array;
  /** One sentence on how the kind was decided. */
  readonly note: string;
}

/** Options of {@link detectLimitCycle}. */
export interface LimitCycleOptions {
  /** Initial state (length dim). Default: Gaussian with standard deviation 0.1 from `seed`/`rng`. */
  x0?: Float64Array | readonly number[];
  seed?: number | string;
  rng?: () => number;
  /** Constant input of an Rnn (zeros when omitted). */
  input?: ConstantInput;
  /** State steps discarded before the check (default 2000; at most 10⁹). */
  warmup?: number;
  /** @deprecated The old name of `warmup`: give one of the two (both with different values is a RangeError). */
  transient?: number;
  /** Largest period looked for (default 100; at most 10 000: the search costs maxPeriod·checkWindow·dim). */
  maxPeriod?: number;
  /** Number of steps t over which ‖x_{t+p} − x_t‖ < ε must hold (default max(2·maxPeriod, 200)). */
  checkWindow?: number;
  /**
   * ε, relative to 1 + max‖x_t‖ over the window (default 1e-7); when the states' largest |coordinate|
   * M is below 2^-8, relative to u + max‖x_t‖ instead, u = 2^(e+8) for 2^e ≤ M (so that states of
   * 1e-8 are not all a fixed point), with every distance taken in units of u (exact).
   */
  tolerance?: number;
  /** Steps of the largest-exponent estimate when no period is found (default 4000). */
  exponentSteps?: number;
  /** |λ₁| below this (per step) counts as zero (default 0.01). */
  exponentThreshold?: number;
  /** Time of the first step (default 0); the step index is passed to the system. */
  t0?: number;
  /**
   * Progress about every 50 ms: `{ phase: 'warmup' | 'record' | 'period' | 'floquet' | 'exponent', done, total }`
   * (total: the steps or periods of that phase).
   */
  onProgress?: (p: GeometryProgress) => void;
  /** Checked at every progress point (a synchronous call only sees an abort requested from its callbacks). */
  signal?: AbortSignalLike;
}

/** Largest period {@link detectLimitCycle} looks for. */
const MAX_PERIOD = 10000;

function checkFiniteState(x: Float64Array, t: number): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v !== v || v === Infinity || v === -Infinity) {
      throw new RangeError(`detectLimitCycle: the orbit became non-finite (${v} in coordinate ${i}) at step ${t}`);
    }
  }
}

/**
 * Runs `transient` steps, records the orbit and returns the smallest period p ≤ `maxPeriod` with
 * max_t ‖x_{t+p} − x_t‖ < ε over the check window, the cycle's points and its Floquet multipliers
 * (eigenvalues of the product of the Jacobians over one period; for a stable cycle all have modulus
 * < 1, and a cycle lying on a continuous family of cycles has a trivial multiplier 1). Without a
 * period it says what the orbit is instead of forcing one: 'chaotic' when a short estimate of the
 * largest Lyapunov exponent is clearly positive, 'quasi-periodic' when it is ≈ 0 (an invariant torus
 * or circle without locking), 'unknown' when the orbit still contracts (a period above `maxPeriod` or a
 * transient longer than `transient`). Accepts an Rnn with a constant `input`.
 *
 * @example
 * ```ts
 * const r = detectLimitCycle(rnn, { input: [0, 0], transient: 5000, maxPeriod: 200 });
 * if (r.kind === 'limit-cycle') console.log(r.period, r.floquetMultipliers.re);
 * detectLimitCycle(henon, { x0: [0, 0] }).kind;   // 'chaotic'
 * ```
 */
export function detectLimitCycle(systemOrRnn: DynamicalSystem | Rnn, options: LimitCycleOptions = {}): LimitCycleResult {
  const name = 'detectLimitCycle';
  const opts = ownOptions<LimitCycleOptions>(options, name);
  checkOptionKeys(opts, LIMIT_CYCLE_KEYS, name);
  const signal = checkSignal(opts.signal, name);
  const progress = createProgress(name, checkCallback<(p: GeometryProgress) => void>(opts.onProgress, `${name}: onProgress`), signal);
  checkSeedRng(opts, name);
  const sys = toDynamicalSystem(systemOrRnn, { input: opts.input }, name);
  const n = sys.dim;
  const o = readRunOptions(opts, n, name);
  const x = initialState(opts, n, name);
  const t = runWarmup(sys, x, o.t0, o.transient, progress);
  // record window + maxPeriod states
  const L = o.window + o.maxPeriod;
  const S = recordOrbit(sys, x, t, L, progress);
  const unit = smallStatesUnit(S, L * n, n, o.maxPeriod + 1);
  const inv = 1 / unit;
  // in units of `unit` (1 but for small states): ε = tolerance·(unit + max‖x‖) in the states' units
  const epsU = o.tol * (1 + largestNorm(S, L, n, inv));
  const found = smallestPeriod(S, n, o.window, o.maxPeriod, epsU, progress, inv);
  const { period } = found;
  const deviation = found.deviation * unit;
  const eps = epsU * unit;
  if (period > 0) return cycleResult(sys, S, L, n, period, t, deviation, eps, o.window, progress);
  // no period: short largest-exponent estimate along the continuing orbit
  const finalState = S.slice((L - 1) * n);
  x.set(finalState);
  const est = largestExponentEstimate(sys, x, t + L - 1, o.expSteps, progress, inv);
  const { kind, note } = classifyOrbit(est, o.thr, o.maxPeriod);
  return {
    kind,
    period: 0,
    points: new Float64Array(0),
    dim: n,
    floquetMultipliers: { re: new Float64Array(0), im: new Float64Array(0) },
    largestExponent: est.lambda,
    deviation,
    finalState: est.state,
    note,
  };
}

interface RunOptions {
  transient: number;
  maxPeriod: number;
  window: number;
  tol: number;
  expSteps: number;
  thr: number;
  t0: number;
}

/** The counts and tolerances of {@link detectLimitCycle}, checked (memory included) before any work. */
function readRunOptions(opts: Partial<LimitCycleOptions>, n: number, name: string): RunOptions {
  checkExclusive(opts, 'warmup', 'transient', name, { alias: true });
  const transient = opts.warmup ?? opts.transient ?? 2000;
  assertInteger(transient, `${name}: ${opts.warmup !== undefined || opts.transient === undefined ? 'warmup' : 'transient'}`, 0, MAX_STEPS);
  const maxPeriod = opts.maxPeriod ?? 100;
  assertInteger(maxPeriod, `${name}: maxPeriod`, 1, MAX_PERIOD);
  const window = opts.checkWindow ?? Math.max(2 * maxPeriod, 200);
  assertInteger(window, `${name}: checkWindow`, 1, 100 * MAX_PERIOD);
  checkMemory(8 * (window + maxPeriod) * n + 24 * n * n, `${name}: recording ${window + maxPeriod} states of dim ${n}`);
  const tol = opts.tolerance ?? 1e-7;
  assertNumber(tol, `${name}: tolerance`, 0);
  const expSteps = opts.exponentSteps ?? 4000;
  assertInteger(expSteps, `${name}: exponentSteps`, 1, MAX_STEPS);
  const thr = opts.exponentThreshold ?? 0.01;
  assertNumber(thr, `${name}: exponentThreshold`, 0);
  const t0 = opts.t0 ?? 0;
  assertInteger(t0, `${name}: t0`, 0);
  return { transient, maxPeriod, window, tol, expSteps, thr, t0 };
}

/** `x0` read once and checked, or the seeded random start of an autonomous run. */
function initialState(opts: Partial<LimitCycleOptions>, n: number, name: string): Float64Array {
  if (opts.x0 === undefined) return randomInitialState(n, resolveRng({ seed: opts.seed, rng: opts.rng }, 0, name));
  const x0 = opts.x0 as unknown;
  if (!(x0 instanceof Float64Array || x0 instanceof Float32Array || Array.isArray(x0))) {
    throw new TypeError(`${name}: x0 must be a Float64Array or a number array`);
  }
  const x = Float64Array.from(x0 as ArrayLike<number>); // read once
  if (x.length !== n) {
    throw new RangeError(`${name}: x0 must have length ${n} (the system's dim), got ${x.length}`);
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i])) throw new RangeError(`${name}: x0 has ${x[i]} at index ${i}`);
  }
  return x;
}

/** Runs `steps` steps from x (overwritten with the end state) starting at time t0; returns the time reached. */
function runWarmup(sys: DynamicalSystem, x: Float64Array, t0: number, steps: number, progress: Progress): number {
  let a: Float64Array = x;
  let b: Float64Array = new Float64Array(x.length);
  let t = t0;
  for (let s = 0; s < steps; s++, t++) {
    progress.tick('warmup', s, steps);
    filled(sys.step(a, t, b), b, 'step', 'detectLimitCycle');
    checkFiniteState(b, t + 1);
    const tmp = a;
    a = b;
    b = tmp;
  }
  if (a !== x) x.set(a);
  return t;
}

/** The orbit x_t, x_{t+1}, … of L states from x at time t, row-major L×dim. */
function recordOrbit(sys: DynamicalSystem, x: Float64Array, t: number, L: number, progress: Progress): Float64Array {
  const n = x.length;
  const S = new Float64Array(L * n);
  const xn = new Float64Array(n);
  S.set(x, 0);
  for (let s = 1; s < L; s++, t++) {
    progress.tick('record', s, L);
    filled(sys.step(S.subarray((s - 1) * n, s * n), t, xn), xn, 'step', 'detectLimitCycle');
    checkFiniteState(xn, t + 1);
    S.set(xn, s * n);
  }
  return S;
}

/** max_s ‖S_s‖ over the L recorded states (squares that overflow are taken in units of a power of two). */
function largestNorm(S: Float64Array, L: number, n: number, inv: number): number {
  let scale = 0;
  const zero = new Float64Array(n);
  const buf = inv === 1 ? S : new Float64Array(n);
  for (let s = 0; s < L; s++) {
    let r = 0;
    for (let i = 0; i < n; i++) r += (S[s * n + i] * inv) ** 2;
    if (r === Infinity && inv !== 1) for (let i = 0; i < n; i++) buf[i] = S[s * n + i] * inv;
    scale = Math.max(scale, r !== Infinity ? Math.sqrt(r) : distanceRaw(buf, inv === 1 ? s * n : 0, zero, 0, n));
  }
  return scale;
}

/**
 * The unit of detectLimitCycle's distances: 1 unless the largest |entry| M of the recorded states
 * (length len, states of n entries) is below 2^-8, then 2^(e+8) for 2^e ≤ M < 2^(e+1) (1 when every
 * entry is 0). Also 1 when the orbit is falling into the origin — the largest |entry| of its last
 * `tail` states (a cycle of period ≤ maxPeriod shows all its points there) below M·2^-8 — so that a
 * contraction to the fixed point 0 stays a fixed point, as at every scale before the unit (in units
 * of its own shrinking size it never settles: h → tanh(h/2) after 500 steps was 'unknown').
 */
function smallStatesUnit(S: Float64Array, len: number, n: number, tail: number): number {
  let m = 0;
  for (let i = 0; i < len; i++) m = Math.max(m, Math.abs(S[i]));
  if (m >= 2 ** -8 || !(m > 0)) return 1;
  let last = 0;
  for (let i = Math.max(0, len - tail * n); i < len; i++) last = Math.max(last, Math.abs(S[i]));
  return last < m * 2 ** -8 ? 1 : 2 ** (binaryExponent(m) + 8);
}

/**
 * The smallest p ≤ maxPeriod with max_s ‖S_{s+p} − S_s‖ < eps over the window (0 when none), and
 * that deviation (or the smallest over all p).
 */
function smallestPeriod(
  S: Float64Array, n: number, window: number, maxPeriod: number, eps: number, progress: Progress, inv: number,
): { period: number; deviation: number } {
  let bestDev = Infinity;
  const buf = new Float64Array(n);
  const zero = new Float64Array(n);
  for (let p = 1; p <= maxPeriod; p++) {
    progress.tick('period', p - 1, maxPeriod);
    let dev = 0;
    for (let s = 0; s < window; s++) {
      const d2 = unitSquaredDistance(S, (s + p) * n, S, s * n, n, inv);
      if (d2 === Infinity) dev = Math.max(dev, unitDistance(S, (s + p) * n, S, s * n, n, inv, buf, zero)); // the square overflowed, not the distance
      else if (d2 > dev * dev) dev = Math.sqrt(d2);
    }
    if (dev < bestDev) bestDev = dev;
    if (dev < eps) return { period: p, deviation: dev };
  }
  return { period: 0, deviation: bestDev };
}

/** The result for a period found: the last p recorded states and the cycle's Floquet multipliers. */
function cycleResult(
  sys: DynamicalSystem, S: Float64Array, L: number, n: number, period: number, tStart: number,
  deviation: number, eps: number, window: number, progress: Progress,
): LimitCycleResult {
  // the cycle: the last p recorded states (best converged), with their time indices
  const first = L - period;
  const points = S.slice(first * n, L * n);
  const M = monodromy(sys, points, n, period, tStart + first, progress);
  const mult = mapEigenvalues(M, n, 'detectLimitCycle: monodromy matrix', () => progress.tick('floquet', period, period));
  const top = Math.hypot(mult.re[0], mult.im[0]);
  return {
    kind: period === 1 ? 'fixed-point' : 'limit-cycle',
    period,
    points,
    dim: n,
    floquetMultipliers: mult,
    largestExponent: Math.log(top) / period,
    deviation,
    finalState: S.slice((L - 1) * n),
    note: period === 1
      ? `x_{t+1} = x_t within ${eps.toPrecision(2)} over ${window} steps: a fixed point`
      : `smallest period ${period}: max_t ||x_{t+p} - x_t|| = ${deviation.toPrecision(2)} < ${eps.toPrecision(2)} over ${window} steps`,
  };
}

/** J(x_{p−1})···J(x_0) over the cycle's points (times t0, t0 + 1, …), checked finite. */
function monodromy(sys: DynamicalSystem, points: Float64Array, n: number, period: number, t0: number, progress: Progress): Float64Array {
  const M = new Float64Array(n * n);
  for (let i = 0; i < n; i++) M[i * n + i] = 1;
  const tmp = new Float64Array(n * n);
  const J = sys.jacobianTimes ? null : new Float64Array(n * n);
  for (let s = 0; s < period; s++) {
    progress.tick('floquet', s, period);
    const xs = points.subarray(s * n, (s + 1) * n);
    const ts = t0 + s;
    if (sys.jacobianTimes) filled(sys.jacobianTimes(xs, ts, M, n, tmp), tmp, 'jacobianTimes', 'detectLimitCycle');
    else {
      filled(sys.jacobian(xs, ts, J as Float64Array), J as Float64Array, 'jacobian', 'detectLimitCycle');
      gemmRaw(false, false, n, n, n, 1, J as Float64Array, n, M, n, 0, tmp, n);
    }
    M.set(tmp);
  }
  for (let i = 0; i < n * n; i++) {
    if (!Number.isFinite(M[i])) {
      throw new RangeError(`detectLimitCycle: the monodromy matrix over period ${period} is not finite (Jacobian overflow)`);
    }
  }
  return M;
}

interface ExponentEstimate {
  /** Mean log growth of the tangent vector per step. */
  lambda: number;
  /** Summed step lengths ‖x_{t+1} − x_t‖ over the first and the last eighth of the run. */
  head: number;
  tail: number;
  /** The state at the end. */
  state: Float64Array;
}

/**
 * Largest Lyapunov exponent by renormalizing one tangent vector over `steps` steps along the orbit
 * from x at time t, with the mean step length over the first and the last eighth: a converging (or
 * growing) orbit is not quasi-periodic even when its exponent is near 0.
 */
function largestExponentEstimate(sys: DynamicalSystem, x0: Float64Array, t: number, steps: number, progress: Progress, inv: number): ExponentEstimate {
  const n = x0.length;
  let x: Float64Array = x0;
  let xn: Float64Array = new Float64Array(n);
  let v: Float64Array = new Float64Array(n);
  let vn: Float64Array = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = 1 / Math.sqrt(n);
  const J = sys.jacobianTimes ? null : new Float64Array(n * n);
  const zero = new Float64Array(n);
  const buf = new Float64Array(n);
  let sumLog = 0;
  const seg = Math.max(1, Math.floor(steps / 8));
  let head = 0;
  let tail = 0;
  for (let s = 0; s < steps; s++, t++) {
    progress.tick('exponent', s, steps);
    if (sys.jacobianTimes) filled(sys.jacobianTimes(x, t, v, 1, vn), vn, 'jacobianTimes', 'detectLimitCycle');
    else {
      filled(sys.jacobian(x, t, J as Float64Array), J as Float64Array, 'jacobian', 'detectLimitCycle');
      gemvRowMajor(J as Float64Array, n, v, vn);
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += vn[i] * vn[i];
    norm = norm !== Infinity ? Math.sqrt(norm) : distanceRaw(vn, 0, zero, 0, n); // |J·v| ≳ 1.3e154: its square overflowed
    if (!(norm > 0) || !Number.isFinite(norm)) {
      if (norm === 0) {
        sumLog = -Infinity; // the tangent map collapsed: superstable
        break;
      }
      throw new RangeError(`detectLimitCycle: the tangent vector became non-finite at step ${t}`);
    }
    sumLog += Math.log(norm);
    for (let i = 0; i < n; i++) vn[i] /= norm;
    const tv = v;
    v = vn;
    vn = tv;
    filled(sys.step(x, t, xn), xn, 'step', 'detectLimitCycle');
    checkFiniteState(xn, t + 1);
    if (s < seg || s >= steps - seg) {
      const step = unitDistance(xn, 0, x, 0, n, inv, buf, zero); // in units: a ratio of them is used
      if (s < seg) head += step;
      else tail += step;
    }
    const tx = x;
    x = xn;
    xn = tx;
  }
  return { lambda: sumLog / steps, head, tail, state: x.slice() };
}

/** out = J·v for row-major n×n J, each sum in order. */
function gemvRowMajor(J: Float64Array, n: number, v: Float64Array, out: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let acc = 0;
    for (let j = 0; j < n; j++) acc += J[i * n + j] * v[j];
    out[i] = acc;
  }
}

/** The kind of an orbit without a period, from its exponent and the trend of its step length. */
function classifyOrbit(e: ExponentEstimate, thr: number, maxPeriod: number): { kind: OrbitKind; note: string } {
  const { lambda, head, tail } = e;
  if (lambda > thr) {
    return { kind: 'chaotic', note: `no period <= ${maxPeriod}; largest exponent ${lambda.toPrecision(3)} > ${thr} per step` };
  }
  if (lambda < -thr) {
    return {
      kind: 'unknown',
      note: `no period <= ${maxPeriod} within tolerance, yet contracting (largest exponent ${lambda.toPrecision(3)}): a longer period or a longer transient`,
    };
  }
  if (tail < 0.5 * head) {
    return { kind: 'unknown', note: `no period <= ${maxPeriod}; exponent ~0 but the step length shrinks (${(tail / head).toPrecision(2)}x): still converging slowly` };
  }
  if (tail > 2 * head) {
    return { kind: 'unknown', note: `no period <= ${maxPeriod}; exponent ~0 but the step length grows (${(tail / head).toPrecision(2)}x): slow divergence` };
  }
  return { kind: 'quasi-periodic', note: `no period <= ${maxPeriod}; largest exponent ${lambda.toPrecision(3)} ~ 0 and a steady step length: quasi-periodic` };
}
