/**
 * Covariant Lyapunov vectors (Ginelli et al., PRL 99, 130601, 2007): a forward QR pass that records
 * the Gram–Schmidt frames Q_t and the R factors over the window, then the backward iteration
 * C_t = R_t⁻¹·C_{t+1} (columns renormalized) of an upper-triangular coefficient matrix, started
 * `backwardWarmup` steps past the window; the CLVs are V_t = Q_t·C_t.
 */
import { assertInteger, assertNumber, assertTensor, firstNonFinite, formatShape, throwIfAborted, type AbortSignalLike } from '../core/errors.js';
import { gaussian, resolveRng } from '../core/rng.js';
import { filled } from '../core/filled.js';
import { isDynamicalSystem, type DynamicalSystem } from '../core/system.js';
import { toTensor, type TensorInput } from '../core/input.js';
import type { RnnSystem } from '../rnn/system.js';
import { isRnnLike, toDynamicalSystem , type ConstantInput } from '../rnn/to-system.js';
import type { AnyRnn, Rnn } from '../rnn/types.js';
import { matTimesColMajor } from './grad/mat.js';
import { checkOptionKeys, readOwnOptions } from '../core/options.js';
import { CLV_KEYS } from './option-keys.js';
import { checkSignal, drivenLength, MAX_STEPS, readState } from './options.js';
import { createQrWork, qrStep, randomFrame, type QrWork } from './grad/qr-step.js';
import { createRankWatch, type RankWatch } from './clv-rank.js';
import { loadFactors, type FactoredJacobianSystem } from './frame-step.js';
import { defaultFrameWarmup, MIN_DEFAULT_WARMUP_STEPS } from './frame-warmup.js';

/** The shortest window the default warm-ups of a driven run may leave (else the call asks for explicit ones). */
const MIN_DEFAULT_WINDOW = 10;

/** Options of {@link covariantLyapunovVectors}. */
export interface ClvOptions {
  /** Number of vectors (the top k; default all, `dim`). */
  k?: number;
  /** Steps T of the window the vectors are returned for (default 1000; with `inputs`: what the inputs leave). */
  steps?: number;
  /** State steps discarded before the frame starts (default 1000 autonomous, 0 with inputs). */
  warmup?: number;
  /**
   * Forward frame steps (QR, not recorded) before the window (default 100, or with inputs of L steps
   * ⌊L/10⌋, at least min(10, ⌊L/2⌋), at most 100; a default that would leave a window under 10 steps,
   * or L < 10, is refused: pass the warm-ups explicitly).
   */
  frameWarmup?: number;
  /** Steps past the window that the backward iteration runs first to converge (default as frameWarmup). */
  backwardWarmup?: number;
  /** Initial state; default the system's `initialState`, zeros for an Rnn driven by `inputs`, otherwise (autonomous) a seeded 0.1·N(0, 1) state as lyapunovSpectrum's (h = 0 can be a fixed point). */
  x0?: Float64Array | Float32Array | readonly number[];
  /**
   * For an Rnn: one input sequence `[1,L,I]` or `[L,I]` (a Tensor, or nested arrays; float64 data is
   * read as float32, as rnnForward and lyapunovSpectrum read it); L must cover warm-ups, window and
   * backward warm-up.
   */
  inputs?: TensorInput;
  /** For an Rnn without `inputs`: a constant input of length I (default zeros), as lyapunovSpectrum's. */
  input?: ConstantInput;
  /** Time per step (default the system's `dt`, else 1): exponents per unit time. */
  dt?: number;
  /** Seed of the random frame, the random coefficients and an Rnn's random initial state (default 0). */
  seed?: number | string;
  rng?: () => number;
  /** Also return the Gram–Schmidt frames Q_t (doubles the memory of the vectors). */
  keepFrames?: boolean;
  /** Largest memory the run may take, in bytes (default 1 GiB). */
  maxBytes?: number;
  /**
   * Called at most every 100 ms with the phase and the steps done of the run's total, the forward
   * steps (warm-ups, window, backward warm-up) and then the backward pass's T + backwardWarmup.
   */
  onProgress?: (p: { phase: string; done: number; total: number }) => void;
  signal?: AbortSignalLike;
}

/** Result of {@link covariantLyapunovVectors}. */
export interface ClvResult {
  /** Lyapunov exponents over the window from the forward pass (mean log R_ii, frame order, descending in practice). */
  exponents: Float64Array;
  /** The CLVs: `data[(t*dim + r)*k + i]` is component r of vector i at window step t; unit columns. */
  vectors: { shape: [number, number, number]; data: Float64Array };
  /** The trajectory x_t the vectors belong to (window steps). */
  states: { shape: [number, number]; data: Float64Array };
  /**
   * Growth rates along the CLVs: the mean of log‖J_t v_t,i‖ over the window (≈ exponents), taken as
   * −log‖R_t⁻¹·c_{t+1},i‖ in the backward pass (J_t·Q_t = Q_{t+1}·R_t), which resolves the growth of a
   * strongly contracted vector where J_t·v_t itself would be rounding.
   */
  clvExponents: Float64Array;
  /** The Gram–Schmidt frames Q_t (same layout as vectors), with `keepFrames`. */
  frames?: { shape: [number, number, number]; data: Float64Array };
  /** Window length T. */
  steps: number;
  /** Time per step used for the exponents. */
  dt: number;
}

/**
 * Covariant Lyapunov vectors along a trajectory of a dynamical system or an RNN (vanilla, GRU, or an
 * LSTM on its state [h; c]), by Ginelli's method. Memory: the window's frames and vectors, T·dim·k floats each (the frames are overwritten by
 * the vectors unless `keepFrames`), its states T·dim, and the R factors (T + backwardWarmup)·k²;
 * sizes over `maxBytes` are refused before allocating. For long runs, compute several windows, each
 * with its own warm-ups (the backward warm-up is what makes the vectors at the end of a window
 * right). An autonomous run without `x0` starts at the system's `initialState`, or where it has none
 * (an Rnn, `rnnSystem(rnn)`) from a seeded 0.1·N(0, 1) state, as lyapunovSpectrum; a driven Rnn
 * from zeros (as lyapunovSpectrum, so that both see the same trajectory).
 *
 * @example
 * ```ts
 * import { covariantLyapunovVectors, clvAngles, henonMap } from 'rnn-lyap/lyapunov';
 * const r = covariantLyapunovVectors(henonMap(), { steps: 5000 });
 * r.clvExponents;                          // ≈ [0.419, -1.623]
 * const theta = clvAngles(r, { unstable: 1 }); // angle between the unstable and the stable direction per step
 * ```
 */
export function covariantLyapunovVectors(systemOrRnn: DynamicalSystem | AnyRnn, options: ClvOptions | null = {}): ClvResult {
  const name = 'covariantLyapunovVectors';
  const opts = options ?? {}; // null options: every option at its default (the library's rule)
  if (typeof opts !== 'object') throw new TypeError(`${name}: opts must be an object of options, got ${opts === null ? 'null' : typeof opts}`);
  checkOptionKeys(opts, CLV_KEYS, name);
  // own properties, each read once; an option set to null is a TypeError naming opts.<key> (the library's rule)
  const o = readOwnOptions<ClvOptions>(opts, name);
  const own = <K extends keyof ClvOptions>(key: K): ClvOptions[K] => o[key];
  const opt = <K extends keyof ClvOptions>(key: K, def: NonNullable<ClvOptions[K]>): NonNullable<ClvOptions[K]> => {
    const v = own(key);
    return (v === undefined ? def : v) as NonNullable<ClvOptions[K]>;
  };
  const rng = resolveRng({ seed: own('seed'), rng: own('rng') }, 0, name);
  checkSignal(own('signal'), `${name}: signal`);
  const rawInputs = own('inputs');
  // nested arrays and float64 data are read as float32, as lyapunovSpectrum and rnnForward read them
  // (they were a TypeError: "expected a Tensor with an array 'shape'"); a system refuses inputs itself
  const inputs = rawInputs !== undefined && !isDynamicalSystem(systemOrRnn) && isRnnLike(systemOrRnn) ? toTensor(rawInputs, `${name}: inputs`) : rawInputs;
  const system: DynamicalSystem = toDynamicalSystem(systemOrRnn, { inputs, input: own('input') }, name);
  let length: number | undefined;
  let x0: Float64Array | undefined;
  if (isDynamicalSystem(systemOrRnn)) {
    const init = (system as { initialState?: unknown }).initialState;
    if (init instanceof Float64Array && init.length === system.dim) x0 = Float64Array.from(init);
    // a system with a finite drive (rnnSystem(rnn, { inputs })) is run as the Rnn with those
    // inputs, as lyapunovSpectrum runs it: its defaults (1000 warm-up steps) ran past the inputs
    length = drivenLength(system);
  } else {
    length = (system as RnnSystem).length;
  }
  const n = system.dim;
  assertInteger(n, `${name}: system.dim`, 1);
  // an LSTM's dimension is that of [h; c]: say so where a k or an x0 sized by H is refused
  const lstm = !isDynamicalSystem(systemOrRnn) && (systemOrRnn as { cell?: unknown }).cell === 'lstm';
  const dimIs = `the state dimension ${n}${lstm ? ` (an LSTM's state is [h; c], 2H = ${n})` : ''}`;
  const k = opt('k', n);
  if (Number.isInteger(k) && k > n) throw new RangeError(`${name}: k must be at most ${dimIs}, got k = ${k}`);
  assertInteger(k, `${name}: k`, 1, n);
  const auto = length === undefined;
  const warmup = opt('warmup', auto ? 1000 : 0);
  assertInteger(warmup, `${name}: warmup`, 0, MAX_STEPS);
  const defFrame = auto ? 100 : defaultFrameWarmup(length as number);
  const frameWarmup = opt('frameWarmup', defFrame);
  assertInteger(frameWarmup, `${name}: frameWarmup`, 0, MAX_STEPS);
  const backwardWarmup = opt('backwardWarmup', defFrame);
  assertInteger(backwardWarmup, `${name}: backwardWarmup`, 0, MAX_STEPS);
  let steps: number;
  if (auto) {
    steps = opt('steps', 1000);
    assertInteger(steps, `${name}: steps`, 1, MAX_STEPS);
  } else {
    const avail = (length as number) - warmup - frameWarmup - backwardWarmup;
    const defaulted = (['frameWarmup', 'backwardWarmup'] as const).filter((key) => own(key) === undefined);
    const short = (length as number) < MIN_DEFAULT_WARMUP_STEPS;
    if (defaulted.length > 0 && (short || (own('steps') === undefined && avail < MIN_DEFAULT_WINDOW))) {
      // the defaults are for inputs long enough to align both frames and leave a window: below that
      // the vectors would be those of a frame that has not aligned, or of a window of one step
      const values = defaulted.map((key) => `${key} ${key === 'frameWarmup' ? frameWarmup : backwardWarmup}`).join(', ');
      throw new RangeError(
        `${name}: the inputs have L = ${length} steps${warmup > 0 ? ` (warmup ${warmup})` : ''}, too few for the default warm-ups (${values}: a frame needs tens of steps to align, forward and backward)${short ? `, which need L ≥ ${MIN_DEFAULT_WARMUP_STEPS}` : ` to leave a window of at least ${MIN_DEFAULT_WINDOW} steps (it would be ${Math.max(avail, 0)})`}: pass ${defaulted.join(' and ')} explicitly (0 allowed), or longer inputs`,
      );
    }
    if (own('steps') === undefined && avail < 1) {
      // the window is what the warm-ups leave: say so, not 'steps: got 0' (no steps was passed)
      const given = (key: 'warmup' | 'frameWarmup' | 'backwardWarmup'): string => (own(key) === undefined ? ' (default)' : '');
      throw new RangeError(
        `${name}: the inputs have L = ${length} steps, leaving none for the window after warmup ${warmup}${given('warmup')}, frameWarmup ${frameWarmup}${given('frameWarmup')} and backwardWarmup ${backwardWarmup}${given('backwardWarmup')}: pass shorter warm-ups (0 allowed) or longer inputs`,
      );
    }
    steps = opt('steps', avail);
    assertInteger(steps, `${name}: steps`, 1);
    if (steps > avail) {
      throw new RangeError(`${name}: the inputs have L = ${length} steps; warmup ${warmup} + frameWarmup ${frameWarmup} + steps ${steps} + backwardWarmup ${backwardWarmup} do not fit`);
    }
  }
  const sdt = (system as { dt?: unknown }).dt;
  const dt = opt('dt', typeof sdt === 'number' && sdt > 0 ? sdt : 1);
  assertNumber(dt, `${name}: dt`);
  if (!(dt > 0)) throw new RangeError(`${name}: dt must be > 0, got ${dt}`);
  const x0o: unknown = own('x0');
  if (x0o !== undefined) {
    // lyapunovSpectrum's reader (Float64Array, Float32Array or number[]); the length first, for the [h; c] hint
    const len = x0o instanceof Float64Array || x0o instanceof Float32Array || Array.isArray(x0o) ? x0o.length : n;
    if (len !== n) throw new RangeError(`${name}: x0 must have length ${dimIs}, got ${len}${lstm && 2 * len === n ? ': put c beside h, [h; c]' : ''}`);
    x0 = readState(x0o, n, `${name}: x0`);
  } else if (x0 === undefined) {
    // no initialState: a driven Rnn starts from zeros, as lyapunovSpectrum and lyapunovValueAndGrad
    // do; anything autonomous (an Rnn, or a system such as rnnSystem(rnn) that declares no start)
    // from a seeded 0.1·N(0, 1) state, lyapunovSpectrum's rule: h = 0 is a fixed point of a
    // bias-free network, and a system without initialState started there (its exponents ln|eig W|)
    x0 = new Float64Array(n);
    if (length === undefined) for (let i = 0; i < n; i++) x0[i] = 0.1 * gaussian(rng);
  }
  const keep = own('keepFrames') === true;
  const floats = (keep ? 2 : 1) * steps * n * k + steps * n + (steps + backwardWarmup) * k * k + n * n;
  const maxBytes = opt('maxBytes', 2 ** 30);
  assertNumber(maxBytes, `${name}: maxBytes`, 0);
  if (8 * floats > maxBytes) {
    throw new RangeError(`${name}: steps = ${steps}, dim = ${n}, k = ${k} need ${((8 * floats) / 2 ** 20).toFixed(1)} MiB (frames T·dim·k, R factors (T + backwardWarmup)·k², states T·dim), more than maxBytes = ${(maxBytes / 2 ** 20).toFixed(1)} MiB: use shorter windows`);
  }
  const onProgress = own('onProgress');
  if (onProgress !== undefined && typeof onProgress !== 'function') throw new TypeError(`${name}: onProgress must be a function`);
  return clvRun(system, { n, k, warmup, frameWarmup, backwardWarmup, steps, dt, keep, x0, rng, onProgress, signal: own('signal') }, name);
}

interface ClvPlan {
  n: number; k: number; warmup: number; frameWarmup: number; backwardWarmup: number; steps: number; dt: number;
  keep: boolean; x0: Float64Array; rng: () => number;
  onProgress?: (p: { phase: string; done: number; total: number }) => void;
  signal?: AbortSignalLike;
}

function clvRun(system: DynamicalSystem, p: ClvPlan, name: string): ClvResult {
  const { n, k, warmup, frameWarmup, backwardWarmup, steps: T, dt } = p;
  const frames = new Float64Array(T * n * k); // Q_t column-major n×k per step
  const states = new Float64Array(T * n);
  const rs = new Float64Array((T + backwardWarmup) * k * k);
  const jac = new Float64Array(n * n);
  const z = new Float64Array(n * k);
  const qw = createQrWork(n, k);
  let q = randomFrame(n, k, () => gaussian(p.rng));
  const qNext = new Float64Array(n * k);
  const rTmp = new Float64Array(k * k);
  let x = Float64Array.from(p.x0);
  let xn = new Float64Array(n);
  const sums = new Float64Array(k);
  // the forward steps and then the backward pass's (T + backwardWarmup): done counts both, as one run
  const forwardSteps = warmup + frameWarmup + T + backwardWarmup;
  const total = forwardSteps + T + backwardWarmup;
  let last = Date.now();
  const progress = (phase: string, done: number) => {
    if (p.signal?.aborted) throwIfAborted(p.signal, name);
    if (p.onProgress !== undefined && Date.now() - last >= 100) {
      last = Date.now();
      p.onProgress({ phase, done, total });
    }
  };
  const advance = (t: number) => {
    filled(system.step(x, t, xn), xn, 'step', name);
    const bad = firstNonFinite(xn);
    if (bad >= 0) throw new RangeError(`${name}: the state became non-finite at step ${t} (x[${bad}] = ${xn[bad]}): the orbit diverged`);
  };
  const rank = createRankWatch(n, k, name);
  const tangent = (t: number, qIn: Float64Array) => {
    filled(system.jacobian(x, t, jac), jac, 'jacobian', name);
    const bad = firstNonFinite(jac);
    if (bad >= 0) throw new RangeError(`${name}: the Jacobian at step ${t} has ${jac[bad]} at (${Math.floor(bad / n)}, ${bad % n})`);
    rank.note(jac, t);
    matTimesColMajor(n, n, k, jac, qIn, z);
  };
  const forward = createForwardStep(system, n, k, qw, rank, name);
  /** qNext·r = J(x_t)·q: one QR, or one per factor where the system gives J as factors. */
  const frameStep = (t: number, r: Float64Array) => {
    if (!forward.factored(x, t, q, qNext, r)) {
      tangent(t, q);
      qrStep(qw, z, qNext, r);
    }
  };
  let t = 0;
  for (; t < warmup; t++) {
    advance(t);
    [x, xn] = [xn, x];
    progress('warmup', t + 1);
  }
  for (let s = 0; s < frameWarmup + T + backwardWarmup; s++, t++) {
    const w = s - frameWarmup; // window index
    if (w >= 0 && w < T) {
      states.set(x, w * n);
      frames.set(q, w * n * k);
    }
    const r = w >= 0 ? rs.subarray(w * k * k, (w + 1) * k * k) : rTmp;
    rank.counting = w >= 0; // the frame warm-up may pass a rank-deficient step: its lost columns are refilled
    frameStep(t, r);
    advance(t);
    if (w >= 0 && w < T) for (let i = 0; i < k; i++) sums[i] += Math.log(r[i * k + i]);
    q.set(qNext);
    [x, xn] = [xn, x];
    progress(w < 0 ? 'frame warm-up' : w < T ? 'forward' : 'forward (backward warm-up)', t + 1);
  }
  rank.check();
  const exponents = new Float64Array(k);
  for (let i = 0; i < k; i++) exponents[i] = sums[i] / (T * dt);
  const vectors = p.keep ? new Float64Array(T * n * k) : frames;
  const kept = p.keep ? Float64Array.from(frames) : undefined;
  const clvSums = new Float64Array(k); // growth rates along the CLVs, from the backward pass
  backwardPass(n, k, T, backwardWarmup, rs, kept ?? frames, vectors, clvSums, p.rng, (done) => progress('backward', forwardSteps + done), name);
  // to the public layout [T, dim, k] (row r, vector i) from column-major blocks
  const out = new Float64Array(T * n * k);
  for (let w = 0; w < T; w++) {
    const blk = vectors.subarray(w * n * k, (w + 1) * n * k);
    for (let i = 0; i < k; i++) {
      let nn = 0;
      for (let rr = 0; rr < n; rr++) nn += blk[i * n + rr] * blk[i * n + rr];
      const inv = 1 / Math.sqrt(nn);
      for (let rr = 0; rr < n; rr++) out[(w * n + rr) * k + i] = blk[i * n + rr] * inv;
    }
  }
  for (let i = 0; i < k; i++) clvSums[i] /= T * dt;
  const res: ClvResult = { exponents, vectors: { shape: [T, n, k], data: out }, states: { shape: [T, n], data: states }, clvExponents: clvSums, steps: T, dt };
  if (kept !== undefined) res.frames = { shape: [T, n, k], data: toRowLayout(T, n, k, kept) };
  return res;
}

/**
 * The forward QR step by factors (frame-step.ts, "Factored steps": an LSTM step with a saturated
 * gate): the frame through each factor with a QR after it, R the product of their R's (upper
 * triangular, so its diagonal the product of theirs).
 */
function createForwardStep(system: DynamicalSystem, n: number, k: number, qw: QrWork, rank: RankWatch, name: string) {
  const fs = system as Partial<FactoredJacobianSystem>;
  const can = typeof fs.jacobianFactorCount === 'function' && typeof fs.jacobianFactors === 'function';
  const buffers: Float64Array[] = [];
  let factors: readonly Float64Array[] = buffers;
  let cur = new Float64Array(0), z = cur, ri = cur, acc = cur;
  /** The factors of step t at x into `factors` (checked); their count (0: the step is not factored). */
  const load = (x: Float64Array, t: number): number => {
    const count = can ? (fs as FactoredJacobianSystem).jacobianFactorCount(x, t) : 0;
    if (count === 0) return 0;
    if (cur.length === 0) [cur, z, ri, acc] = [new Float64Array(n * k), new Float64Array(n * k), new Float64Array(k * k), new Float64Array(k * k)];
    factors = loadFactors(fs as FactoredJacobianSystem, x, t, count, buffers, n);
    for (let f = 0; f < count; f++) {
      const bad = firstNonFinite(factors[f]);
      if (bad >= 0) throw new RangeError(`${name}: the Jacobian at step ${t} has ${factors[f][bad]} at (${Math.floor(bad / n)}, ${bad % n}) in its factor ${f}`);
      rank.note(factors[f], t, true);
    }
    return count;
  };
  return {
    /** Writes qNext and r (column-major k×k) and returns true when step t is factored; false (nothing written) otherwise. */
    factored(x: Float64Array, t: number, q: Float64Array, qNext: Float64Array, r: Float64Array): boolean {
      const count = load(x, t);
      if (count === 0) return false;
      cur.set(q);
      r.fill(0);
      for (let i = 0; i < k; i++) r[i * k + i] = 1;
      for (let f = 0; f < count; f++) {
        matTimesColMajor(n, n, k, factors[f], cur, z);
        qrStep(qw, z, cur, ri);
        upperTimesUpper(k, ri, r, acc);
        r.set(acc);
      }
      // the factors' R_jj are each resolved, but their product is a number: past e^-745 (a tanh
      // unit at |a| ≳ 372, tanh-factors.ts) it is 0, where lyapunovSpectrum keeps the logs
      // (an exact 0 from a factor of rank < k is the rank watch's to report, after the pass; in
      // the frame warm-up, which counts nothing, the QR's completion refills the lost columns)
      for (let j = 0; j < k && rank.counting; j++) {
        if (r[j * k + j] === 0 && !rank.deficient()) {
          throw new RangeError(`${name}: R_${j + 1}${j + 1} of the Jacobian's QR at step ${t} is below float64's range (it is a product of ${count} factors' R_jj, each resolved; a tanh unit saturated past |a| ≈ 372): covariant vector ${j + 1} cannot be represented there (lyapunovSpectrum gives the exponents)`);
        }
      }
      qNext.set(cur);
      return true;
    },
  };
}

/** out = a·b for upper-triangular column-major k×k a and b (entry (i, j) at [j·k + i]). */
function upperTimesUpper(k: number, a: Float64Array, b: Float64Array, out: Float64Array): void {
  out.fill(0);
  for (let j = 0; j < k; j++) {
    for (let i = 0; i <= j; i++) {
      let s = 0;
      for (let l = i; l <= j; l++) s += a[l * k + i] * b[j * k + l];
      out[j * k + i] = s;
    }
  }
}

function toRowLayout(T: number, n: number, k: number, a: Float64Array): Float64Array {
  const out = new Float64Array(T * n * k);
  for (let w = 0; w < T; w++) for (let i = 0; i < k; i++) for (let r = 0; r < n; r++) out[(w * n + r) * k + i] = a[w * n * k + i * n + r];
  return out;
}


/**
 * Divides column j of the upper-triangular column-major k×k `c` (entries 0..j) by its norm, taken
 * with the largest entry factored out (no overflow or underflow of the squares); returns ln of the norm.
 */
function normalizeColumn(k: number, c: Float64Array, j: number): number {
  const o = j * k;
  let m = 0;
  for (let i = 0; i <= j; i++) m = Math.max(m, Math.abs(c[o + i]));
  let s = 0;
  for (let i = 0; i <= j; i++) s += (c[o + i] / m) ** 2;
  const norm = Math.sqrt(s);
  for (let i = 0; i <= j; i++) c[o + i] = c[o + i] / m / norm;
  return Math.log(m) + Math.log(norm);
}

/** 2⁶⁰⁰ and the quotient bound past which the solve scales its column first (both exact powers of two). */
const SCALE_OUT = 2 ** -600;
const QUOTIENT_MAX = 2 ** 900;

/**
 * Column j of C ← R⁻¹·(column j of C), upper triangular, by back substitution that scales the
 * column by 2⁻⁶⁰⁰ (exactly) before any quotient would pass 2⁹⁰⁰: a saturated unit's R_ii ≈ 1e-173
 * overflowed it to ±Infinity and the vectors to NaN. Returns ln of the factor the column is smaller
 * than the solution by.
 */
function solveColumn(k: number, r: Float64Array, c: Float64Array, j: number, step: number, name: string): number {
  const o = j * k;
  let shift = 0;
  for (let i = j; i >= 0; i--) {
    let s = c[o + i];
    for (let l = i + 1; l <= j; l++) s -= r[l * k + i] * c[o + l];
    const d = r[i * k + i];
    if (d === 0) throw new RangeError(`${name}: R_${i}${i} of the frame's QR at step ${step} from the window's start is exactly 0, so covariant vector ${i} is undefined there (the Jacobians' product is rank-deficient)`);
    // an overflowed sum (|R_il·c_l| past 1.8e308) stays ±Infinity under any scaling: the loop below would never end
    if (!Number.isFinite(s)) throw new RangeError(`${name}: the backward solve of covariant vector ${j} overflowed at step ${step} from the window's start (R's off-diagonal entries reach ${Math.abs(r[j * k + i]).toExponential(1)}): the vectors are not resolved`);
    while (Math.abs(s) > Math.abs(d) * QUOTIENT_MAX) {
      for (let l = 0; l <= j; l++) c[o + l] *= SCALE_OUT;
      s *= SCALE_OUT;
      shift += 600 * Math.LN2;
    }
    c[o + i] = s / d;
  }
  return shift;
}

/**
 * Ginelli's backward pass: C upper triangular (random, unit columns), C_w = R_w⁻¹·C_{w+1}
 * renormalized, from w = T + backwardWarmup − 1 down to 0; V_w = Q_w·C_w into `vectors` for w < T
 * (column-major blocks; `vectors` may be `qs`: each row of V_w needs only the same row of Q_w).
 * `growth[i]` gets the sum over w < T of ln‖J_w·v_w,i‖ = −ln‖R_w⁻¹·c_{w+1},i‖ (unit c and v: J_w·Q_w =
 * Q_{w+1}·R_w), from the R's, which resolve what J·v of a unit vector cannot (a growth of 1e-26
 * under rounding of ε·‖J‖).
 */
function backwardPass(
  n: number, k: number, T: number, backwardWarmup: number, rs: Float64Array, qs: Float64Array, vectors: Float64Array,
  growth: Float64Array, rng: () => number, progress: (done: number) => void, name: string,
): void {
  const row = new Float64Array(k);
  // backward: C upper triangular, random, columns unit; C_t = R_t⁻¹ C_{t+1}
  const c = new Float64Array(k * k);
  for (let j = 0; j < k; j++) for (let i = 0; i <= j; i++) c[j * k + i] = gaussian(rng) + (i === j ? 2 : 0);
  for (let j = 0; j < k; j++) normalizeColumn(k, c, j);
  for (let w = T + backwardWarmup - 1; w >= 0; w--) {
    // C_{w} from C_{w+1}: solve R_w·C = C_{w+1} (upper triangular both), a column at a time
    const r = rs.subarray(w * k * k, (w + 1) * k * k);
    for (let j = 0; j < k; j++) {
      const lnNorm = solveColumn(k, r, c, j, w, name) + normalizeColumn(k, c, j);
      if (w < T) growth[j] -= lnNorm;
    }
    if (w < T) {
      // V_w = Q_w·C_w row by row (in place when vectors is qs)
      const qf = qs.subarray(w * n * k, (w + 1) * n * k);
      for (let rr = 0; rr < n; rr++) {
        for (let i = 0; i < k; i++) {
          let s = 0;
          for (let l = 0; l <= i; l++) s += qf[l * n + rr] * c[i * k + l];
          row[i] = s;
        }
        for (let i = 0; i < k; i++) vectors[w * n * k + i * n + rr] = row[i];
      }
    }
    progress(T + backwardWarmup - w);
  }
}
