/**
 * `lyapunovValueAndGrad`: finite-time Lyapunov exponents of a vanilla RNN over a window, with the
 * exact gradient of any weighted sum of them w.r.t. the parameters (reverse mode through the states,
 * the frame propagation and every QR step).
 */
import { assertInteger, assertNumber, firstNonFinite, formatShape, throwIfAborted, type AbortSignalLike } from '../core/errors.js';
import { gaussian, resolveRng } from '../core/rng.js';
import type { Tensor } from '../core/tensor.js';
import type { TensorInput } from '../core/input.js';
import { isGated } from '../rnn/gated/validate.js';
import type { AnyRnn, GatedRnnParams, Rnn, RnnParams } from '../rnn/types.js';
import { assertRnn } from '../rnn/validate.js';
import { gruCell, lstmCell } from './grad/gated-cells.js';
import { checkOptionKeys, readOwnOptions } from '../core/options.js';
import { LYAPUNOV_GRAD_KEYS } from './option-keys.js';
import { checkSignal, MAX_STEPS, readInputs } from './options.js';
import { GRAD_MAX_SPREAD, recordExponents, tapeFloats, type ExponentTape } from './grad/exponents-core.js';
import { createQrWork, qrStep, randomFrame } from './grad/qr-step.js';
import { vanillaCell, type DifferentiableCell } from './grad/vanilla-cell.js';
import { DEFAULT_FRAME_WARMUP_RULE, frameWarmupFor } from './frame-warmup.js';

/** Options of {@link lyapunovValueAndGrad}. */
export interface LyapunovGradOptions {
  /**
   * Input sequences `[B,T,I]` or `[T,I]`; the exponents are averaged over the B sequences. Any
   * {@link TensorInput} form (a Tensor, `{ shape, data }` with any numeric data, an ndarray view,
   * nested arrays), read as lyapunovSpectrum reads them (float32).
   */
  inputs?: TensorInput;
  /** Without `inputs`: total steps of an autonomous (zero-input) run. */
  steps?: number;
  /** Number of exponents (the top k, default 1). */
  k?: number;
  /** State steps before the frame starts (default 0). */
  warmup?: number;
  /** Frame steps re-orthonormalized but not counted (default ⌊T/10⌋, at least min(10, ⌊T/2⌋), at most 100; T < 10 has no default: pass it); differentiated through. */
  frameWarmup?: number;
  /**
   * Initial state (length H; for an LSTM [h; c], length 2H), shared by the sequences, or one per
   * sequence (length B·H or B·2H, row-major [B, dim]). Default: zeros with `inputs`; without inputs a
   * seeded N(0, 1) state (h = 0 is a fixed point of a bias-free network).
   */
  x0?: Float64Array;
  /** Initial frame, column-major H×k (orthonormalized by QR); default a seeded random frame. */
  q0?: Float64Array;
  /** Seed of the random frame (and of the random initial state without inputs); default 0. */
  seed?: number | string;
  /** Generator used instead of `seed`. */
  rng?: () => number;
  /** Largest memory the recorded run may take, in bytes (default 1 GiB). */
  maxBytes?: number;
  /** Checked between sequences. */
  signal?: AbortSignalLike;
}

/** Result of {@link lyapunovValueAndGrad} (`P` the parameters of the cell). */
export interface LyapunovValueAndGrad<P = RnnParams> {
  /** Finite-time exponents in frame order (natural log per step), mean over sequences. */
  exponents: Float64Array;
  /** Exponents of each sequence. */
  perSequence: Float64Array[];
  /** Counted steps per sequence. */
  steps: number;
  /** Gradient of Σ_i weights_i·λ_i w.r.t. every parameter (wOut and bOut are zero). */
  backward(weights: ArrayLike<number>): P;
}

/** @internal the float64 gradients, in the order wIn, wRec, b (gated: wIn, wRec, bIn, bRec). */
export interface LyapunovValueAndGrad64 {
  exponents: Float64Array;
  perSequence: Float64Array[];
  steps: number;
  backward64(weights: ArrayLike<number>): Float64Array[];
}

/**
 * Finite-time Lyapunov exponents of an RNN (vanilla, GRU or LSTM; an LSTM on its full state [h; c])
 * along the trajectory driven by `inputs`, and the gradient of Σ weights_i·λ_i with respect to the
 * recurrent parameters (wIn, wRec, b; gated: wIn, wRec, bIn, bRec), by reverse mode through the
 * frame propagation Z_t = J_t·Q_t and the QR steps Z_t = Q_{t+1}·R_t (λ_i = mean of log R_t,ii
 * over the counted steps). The whole run is recorded: memory B·(T·(dim·(k+1) + cache) + T·k²)
 * floats, dim = H (2H for an LSTM), and 2·(dim·k + k²) more for each LSTM step taken as factors
 * (below), counted against `maxBytes` as they come.
 *
 * An LSTM step with a saturated gate (some unit's f or |β_o| below 2⁻²⁰, or f·|β_o| below 2⁻³⁰;
 * β_o = tanh(c′)·σ′(a_o)) is taken as J = L·M·D with a QR after each factor, as `lyapunovSpectrum` takes it, and differentiated
 * through each: one product J·Q keeps those directions only to ε/(f·|β_o|) (Σλ was up to 16 % off
 * the exact mean log|det J| and the gradient up to 100 % off on small saturated LSTMs).
 *
 * Refused with a RangeError when k exceeds the rank that exact zero rows (relu units off) and zero
 * columns (units that feed no other unit, or only units off; LSTM units that feed no gate) leave
 * the products of the Jacobians, bounded as `lyapunovSpectrum` bounds them (two steps lose the union
 * of the later one's zero columns and the earlier one's zero rows): exponents past it are −∞ and
 * have no gradient; the message names the units and the largest k that is resolved.
 *
 * @example
 * ```ts
 * import { initRnn } from 'rnn-lyap/rnn';
 * import { lyapunovValueAndGrad } from 'rnn-lyap/lyapunov';
 * import { delayedRecallTask } from 'rnn-lyap/data';
 * const rnn = initRnn({ inputSize: 1, hiddenSize: 16, outputSize: 1, gain: 1.5, seed: 1 });
 * const { x } = delayedRecallTask({ steps: 100, batch: 2, seed: 2 });
 * const { exponents, backward } = lyapunovValueAndGrad(rnn, { inputs: x, k: 3 });
 * const grads = backward([1, 0, 0]); // ∂λ1/∂params, shaped like rnn.params
 * ```
 */
export function lyapunovValueAndGrad(rnn: Rnn, opts?: LyapunovGradOptions): LyapunovValueAndGrad<RnnParams>;
export function lyapunovValueAndGrad(rnn: AnyRnn, opts?: LyapunovGradOptions): LyapunovValueAndGrad<RnnParams | GatedRnnParams>;
export function lyapunovValueAndGrad(rnn: AnyRnn, opts: LyapunovGradOptions = {}): LyapunovValueAndGrad<RnnParams | GatedRnnParams> {
  if (opts !== null && typeof opts === 'object') checkOptionKeys(opts, LYAPUNOV_GRAD_KEYS, 'lyapunovValueAndGrad');
  return valueAndGradAs(rnn, opts, 'lyapunovValueAndGrad');
}

/** @internal {@link lyapunovValueAndGrad} with messages naming `name` (the user-called function). */
export function valueAndGradAs(rnn: AnyRnn, opts: LyapunovGradOptions, name: string): LyapunovValueAndGrad<RnnParams | GatedRnnParams> {
  const s = assertRnn(rnn, `${name}: rnn`);
  const p = rnn.params as unknown as Record<string, Tensor>;
  const keys = isGated(rnn) ? ['wIn', 'wRec', 'bIn', 'bRec'] : ['wIn', 'wRec', 'b'];
  const copies = keys.map((key) => Float64Array.from(p[key].data));
  const cell = isGated(rnn)
    ? (rnn.cell === 'lstm' ? lstmCell : gruCell)(s.H, s.I, copies[0], copies[1], copies[2], copies[3])
    : vanillaCell((rnn as Rnn).activation, s.H, s.I, copies[1], copies[0], copies[2]);
  const r = cellValueAndGrad(cell, opts, name);
  return {
    exponents: r.exponents,
    perSequence: r.perSequence,
    steps: r.steps,
    backward(weights) {
      const g = r.backward64(weights);
      const t = (shape: readonly number[], d: Float64Array | null, len: number): Tensor => ({ shape: [...shape], data: d === null ? new Float32Array(len) : Float32Array.from(d) });
      const out: Record<string, Tensor> = {};
      for (const key of Object.keys(p)) {
        const i = keys.indexOf(key);
        out[key] = t(p[key].shape, i >= 0 ? g[i] : null, p[key].data.length);
      }
      return out as unknown as RnnParams | GatedRnnParams;
    },
  };
}

/** @internal the float64 entry point (parameters as float64 copies), used by the test-suite's finite differences. */
export function lyapunovValueAndGrad64(
  act: Rnn['activation'], n: number, ni: number, w: Float64Array, u: Float64Array, b: Float64Array,
  opts: LyapunovGradOptions, name = 'lyapunovValueAndGrad',
): LyapunovValueAndGrad64 {
  return cellValueAndGrad(vanillaCell(act, n, ni, w, u, b), opts, name);
}

/** @internal the float64 entry point of a gated cell (parameters wIn, wRec, bIn, bRec as float64 copies). */
export function gatedValueAndGrad64(
  cell: 'gru' | 'lstm', H: number, I: number, u: Float64Array, w: Float64Array, bIn: Float64Array, bRec: Float64Array,
  opts: LyapunovGradOptions, name = 'lyapunovValueAndGrad',
): LyapunovValueAndGrad64 {
  return cellValueAndGrad((cell === 'lstm' ? lstmCell : gruCell)(H, I, u, w, bIn, bRec), opts, name);
}

/** @internal the validated run of any differentiable cell. */
export function cellValueAndGrad(cell: DifferentiableCell, opts: LyapunovGradOptions, name: string): LyapunovValueAndGrad64 {
  const n = cell.dim, ni = cell.inputSize;
  if (opts === null || typeof opts !== 'object') throw new TypeError(`${name}: opts must be an object of options, got ${opts === null ? 'null' : typeof opts}`);
  // own properties only; a null option is refused as everywhere (not taken for the default)
  const o = readOwnOptions(opts, name) as LyapunovGradOptions;
  const own = <K extends keyof LyapunovGradOptions>(key: K): LyapunovGradOptions[K] => o[key];
  const opt = <K extends keyof LyapunovGradOptions>(key: K, def: NonNullable<LyapunovGradOptions[K]>): NonNullable<LyapunovGradOptions[K]> => {
    const v = own(key);
    return (v === undefined ? def : v) as NonNullable<LyapunovGradOptions[K]>;
  };
  checkSignal(own('signal'), `${name}: signal`);
  const inputs = own('inputs');
  let B = 1, T: number;
  let data: Float32Array | null = null;
  if (inputs !== undefined) {
    // read as lyapunovSpectrum reads them (any TensorInput form, an ndarray view through its strides; finite)
    const read = readInputs(inputs, name, ni);
    B = read.b;
    T = read.t;
    if (T < 1) throw new RangeError(`${name}: inputs must hold at least one step of one sequence, got ${formatShape(read.inputs.shape)}`);
    if (own('steps') !== undefined) throw new RangeError(`${name}: give either inputs (which set the run length) or steps, not both`);
    data = read.inputs.data;
  } else {
    const st = own('steps');
    if (st === undefined) throw new RangeError(`${name}: give inputs [B,T,I] or the number of steps of an autonomous run`);
    assertInteger(st, `${name}: steps`, 1, MAX_STEPS);
    T = st;
  }
  const k = opt('k', 1);
  assertInteger(k, `${name}: k`, 1, n);
  const warmup = opt('warmup', 0);
  assertInteger(warmup, `${name}: warmup`, 0, MAX_STEPS);
  const run = data !== null ? 'the inputs have' : 'the run has';
  const frameWarmup = frameWarmupFor(T, own('frameWarmup'), name, run) as number;
  assertInteger(frameWarmup, `${name}: frameWarmup`, 0, MAX_STEPS);
  if (T - warmup - frameWarmup < 1) {
    // a frameWarmup the caller did not set is named as the default it is, in lyapunovSpectrum's words
    const byDefault = own('frameWarmup') === undefined ? ` (the default for T = ${T}: ${DEFAULT_FRAME_WARMUP_RULE}): pass a smaller frameWarmup (0 allowed)` : '';
    throw new RangeError(`${name}: ${run} T = ${T} steps, leaving none to count after warmup ${warmup} and frameWarmup ${frameWarmup}${byDefault}`);
  }
  const rng = resolveRng({ seed: own('seed'), rng: own('rng') }, 0, name);
  const x0o = own('x0');
  let h0: Float64Array;
  if (x0o !== undefined) {
    if (!(x0o instanceof Float64Array)) throw new TypeError(`${name}: x0 must be a Float64Array of the state's length ${n}, got ${typeof x0o}`);
    if (x0o.length !== n && x0o.length !== B * n) {
      throw new RangeError(`${name}: x0 must have the state's length ${n}${B > 1 ? ` (or B·${n} = ${B * n}, one state per sequence)` : ''}, got ${x0o.length}`);
    }
    const bad = firstNonFinite(x0o);
    if (bad >= 0) throw new RangeError(`${name}: x0 has ${x0o[bad]} at index ${bad}`);
    h0 = Float64Array.from(x0o);
  } else if (data !== null) {
    h0 = new Float64Array(n);
  } else {
    h0 = new Float64Array(n);
    for (let i = 0; i < n; i++) h0[i] = gaussian(rng);
  }
  let q0: Float64Array;
  const q0o = own('q0');
  if (q0o !== undefined) {
    if (!(q0o instanceof Float64Array) || q0o.length !== n * k) {
      throw new RangeError(`${name}: q0 must be a Float64Array of length dim·k = ${n * k} (column-major dim×k), got ${q0o instanceof Float64Array ? `length ${q0o.length}` : typeof q0o}`);
    }
    q0 = new Float64Array(n * k);
    const r = new Float64Array(k * k);
    qrStep(createQrWork(n, k), q0o, q0, r);
    for (let i = 0; i < k; i++) if (!(r[i * k + i] > 0)) throw new RangeError(`${name}: q0 must have full column rank ${k}`);
  } else {
    q0 = randomFrame(n, k, () => gaussian(rng));
  }
  const maxBytes = opt('maxBytes', 2 ** 30);
  assertNumber(maxBytes, `${name}: maxBytes`, 0);
  const bytes = 8 * B * tapeFloats(cell, { steps: T, warmup, frameWarmup, k });
  if (!(bytes <= maxBytes)) {
    throw new RangeError(`${name}: recording B = ${B} sequences of T = ${T} steps with H = ${n}, k = ${k} needs ${(bytes / 2 ** 20).toFixed(1)} MiB, more than maxBytes = ${(maxBytes / 2 ** 20).toFixed(1)} MiB: shorten the window or use fewer sequences`);
  }
  // the factored steps (saturated LSTM gates) hold two more frames and R factors each, counted as they come
  let extra = 0, sequenceExtra = 0;
  const plan = {
    steps: T, warmup, frameWarmup, k,
    onFactored(floats: number) {
      sequenceExtra = floats;
      const all = bytes + 8 * (extra + floats);
      if (!(all <= maxBytes)) {
        throw new RangeError(`${name}: recording B = ${B} sequences of T = ${T} steps with H = ${n}, k = ${k} needs more than maxBytes = ${(maxBytes / 2 ** 20).toFixed(1)} MiB: ${(all / 2 ** 20).toFixed(1)} MiB by sequence ${q}, whose steps with a saturated gate are taken as three factors (two more frames each): shorten the window or use fewer sequences`);
      }
    },
  };
  const tapes: ExponentTape[] = [];
  let q = 0;
  for (; q < B; q++) {
    sequenceExtra = 0;
    throwIfAborted(own('signal'), name);
    const seq = data === null ? null : data.subarray(q * T * ni, (q + 1) * T * ni);
    const tape = recordExponents(cell, plan, seq, h0.length === n ? h0 : h0.subarray(q * n, (q + 1) * n), q0);
    const refusal = refusalOf(tape, name, `sequence ${q}`, warmup, k, n);
    if (refusal !== undefined) throw new RangeError(refusal);
    tapes.push(tape);
    extra += sequenceExtra;
  }
  const mean = new Float64Array(k);
  for (const t of tapes) for (let i = 0; i < k; i++) mean[i] += t.exponents[i] / B;
  return {
    exponents: mean,
    perSequence: tapes.map((t) => t.exponents),
    steps: T - warmup - frameWarmup,
    backward64(weights) {
      if (weights === null || typeof weights !== 'object' || typeof (weights as ArrayLike<number>).length !== 'number') {
        throw new TypeError(`${name}: backward(weights): expected an array of ${k} numbers`);
      }
      if (weights.length !== k) throw new RangeError(`${name}: backward(weights): expected ${k} weights (one per exponent), got ${weights.length}`);
      for (let i = 0; i < k; i++) {
        if (typeof weights[i] !== 'number' || !Number.isFinite(weights[i])) throw new RangeError(`${name}: backward(weights): weights[${i}] is ${weights[i]}`);
      }
      const grads = cell.params.map((a) => new Float64Array(a.length));
      for (const t of tapes) t.backward(weights, grads, 1 / B);
      return grads;
    },
  };
}

/** The reason a recorded sequence's gradient is refused (`at` names the sequence), or undefined. */
function refusalOf(tape: ExponentTape, name: string, at: string, warmup: number, k: number, n: number): string | undefined {
  const d = tape.rankDeficit;
  if (d !== undefined) {
    const where = `step ${warmup + d.step} of ${at}`;
    const fewer = d.rank > 0 ? `ask for k ≤ ${d.rank}` : 'no exponent is finite';
    if (d.units.length === 0) {
      return `${name}: J·Q at ${where} has rank below k = ${k} (exactly zero rows: units off), so its last R_ii are rounding and their exponents −Infinity: the gradient is not resolved (lyapunovSpectrum gives the exponents; ${fewer})`;
    }
    const list = (u: number[]): string => (u.length <= 8 ? u.join(', ') : `${u.slice(0, 8).join(', ')} … (${u.length} in all)`);
    const tail = `so exponents ${d.rank + 1}…${k} are −Infinity and their gradient undefined; ${fewer} (lyapunovSpectrum gives all ${k} exponents)`;
    if (d.offBefore !== undefined) {
      // J_s·J_{s−1} = J_s[:, S]·J_{s−1}[S, :], S the rows of J_{s−1} not zero: both sets are lost
      return `${name}: the product of the Jacobians at steps ${warmup + d.step - 1} and ${warmup + d.step} of ${at} has rank ≤ ${d.rank} < k = ${k}: the columns of units ${list(d.units)} are exactly zero at step ${warmup + d.step} (they ${d.why}), and units ${list(d.offBefore)} were off at step ${warmup + d.step - 1} (their rows of J·Q exactly zero, which makes their columns at step ${warmup + d.step} irrelevant): ${d.units.length} + ${d.offBefore.length} = ${n - d.rank} of ${n} lost, ${tail}`;
    }
    return `${name}: the Jacobian at ${where} has rank ≤ ${d.rank} < k = ${k}: the columns of units ${list(d.units)} are exactly zero (they ${d.why}), ${tail}`;
  }
  for (let i = 0; i < k; i++) {
    const v = tape.exponents[i];
    if (!Number.isFinite(v)) return `${name}: exponent ${i} of ${at} is ${v} (a saturated or singular Jacobian): its gradient is undefined`;
  }
  if (!(tape.spread > GRAD_MAX_SPREAD)) return undefined;
  const where = `step ${warmup + tape.spreadStep} of ${at}`;
  return tape.spread === Infinity
    ? `${name}: the frame's QR at ${where} has an R_ii of exactly 0 (a singular Jacobian): the gradient is not resolved (lyapunovSpectrum gives the exponents)`
    : `${name}: the frame's QR at ${where} has R_ii spread by ${tape.spread.toExponential(1)} (a saturated unit or gate, or a unit off), past ${GRAD_MAX_SPREAD.toExponential(0)}: the reverse pass multiplies rounding by about that, so the gradient is not resolved (lyapunovSpectrum gives the exponents)`;
}
