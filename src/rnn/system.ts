/**
 * The RNN as a {@link DynamicalSystem}: h' = φ(wRec·h + wIn·x_t + b), with its exact Jacobian
 * diag(φ'(a))·wRec evaluated at the pre-activation a of the same step. Imports only core, so the
 * Lyapunov and geometry folders can use it.
 */
import { sech2GivenTanh } from '../autodiff/activation-kernels.js';
import { assertActivation } from '../autodiff/rnn-op.js';
import { assertTensor, firstNonFinite, formatShape } from '../core/errors.js';
import type { DynamicalSystem } from '../core/system.js';
import type { Tensor } from '../core/tensor.js';
import type { TensorInput } from '../core/input.js';
import { checkOptionKeys, kindOf, readOptions } from '../core/options.js';
import { RNN_SYSTEM_KEYS } from './option-keys.js';
import type { Activation, AnyRnn, Rnn } from './types.js';
import { readDrive, type ConstantInput, type Drive } from './drive.js';
import { gatedSystem } from './gated/system.js';
import { assertGatedParams, isGated } from './gated/validate.js';
import { assertCell } from './validate.js';
// the float64 SIMD product kernel (a leaf module: it imports nothing but its loader and bytes)
import { wasmGemvResident, wasmKernels, wasmMatMulDiag } from '../core/wasm64/kernels-wasm.js';
import { diagMatMulColMajorRaw } from '../core/linalg/colmajor.js';
import { f32FrameProduct, f32FrameProductAvailable, FLOAT32_MIN_ROW_SCALE } from '../core/wasm/f32-frame-product.js';
import { TANH_SPLIT_BELOW, tanhFactorCount, tanhFactors } from './tanh-factors.js';
import { createZeroColumns } from './zero-columns.js';
import type { ZeroSet } from '../core/zero-set.js';

/** Options of {@link rnnSystem}. */
export interface RnnSystemOptions {
  /**
   * Input sequence `[1,T,I]` or `[T,I]`: step t reads x_t (t in [0, T)). Any {@link TensorInput}
   * form (a Tensor, `{ shape, data }` with any numeric data, an ndarray view, nested arrays), read as
   * float32 as rnnForward reads it.
   */
  inputs?: TensorInput;
  /**
   * Constant input (length I) for an autonomous system; default zeros. A flat Float64Array,
   * Float32Array or number[], or `[I]` / `[1,I]` in any {@link TensorInput} form (float64 values kept).
   */
  input?: ConstantInput;
}

/** An RNN adapted to {@link DynamicalSystem} (dim = H). */
export interface RnnSystem extends DynamicalSystem {
  /** Number of time steps the input sequence allows, or undefined for an autonomous system. */
  readonly length: number | undefined;
  /** Input width I. */
  readonly inputSize: number;
  /** Activation φ. */
  readonly activation: Activation;
  /**
   * Driven by `inputs`: the conventional h0 = 0 (zeros) that the analyses start from unless told
   * otherwise. Absent for an autonomous system, whose analyses start from a seeded random state
   * (see {@link randomInitialState}): h = 0 is an exact fixed point of a bias-free network.
   */
  readonly initialState?: Float64Array;
  /**
   * Column-major variant of `jacobianTimes`: q and out are column-major dim×k (column j at
   * `q[j*dim ..]`). The Lyapunov estimator keeps its frame that way and uses this to skip two
   * transposes per step.
   */
  jacobianTimesColMajor(x: Float64Array, t: number, q: Float64Array, k: number, out: Float64Array): void;
}

/**
 * The default start of an autonomous run when no `x0` is given and the system declares no
 * `initialState`: x_i = 0.1·z_i with z_i standard normal (Box–Muller from `rng`, one pair of uniforms
 * per coordinate). A random start, because a fixed point at the origin (any bias-free RNN with zero
 * input) would otherwise be measured instead of the attractor. Shared by the spectra, finite-time
 * exponents and the limit-cycle detector. @internal
 */
export function randomInitialState(n: number, rng: () => number): Float64Array {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // u = 0 (allowed by [0, 1)) counts as 1, a zero draw, as core's gaussian does: no redraw loop
    // (callers pass an rng from resolveRng, which already refuses values outside [0, 1))
    const u = rng() || 1;
    x[i] = 0.1 * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
  }
  return x;
}

/** Validates an Rnn's activation and parameter shapes; returns [dim, I] (dim = 2H for an LSTM). @internal */
export function checkRnnForSystem(rnn: unknown, name: string): [number, number] {
  if (rnn === null || typeof rnn !== 'object') {
    throw new TypeError(`${name}: expected an Rnn { activation, params }, got ${kindOf(rnn)}`);
  }
  // rnnForward's reader of the cell: 'LSTM', null or 3 would otherwise run as a vanilla network
  assertCell((rnn as { cell?: unknown }).cell, `${name}: rnn`);
  if (isGated(rnn)) {
    const { H, I } = assertGatedParams(rnn.params, rnn.cell, `${name}: rnn.params`);
    return [rnn.cell === 'lstm' ? 2 * H : H, I];
  }
  const r = rnn as Partial<Rnn>;
  // the library's reader of the activation: another kind a TypeError naming it by kindOf (null, Object), as every other entry point says
  assertActivation(r.activation, `${name}: rnn.activation`);
  const p = r.params;
  if (p === null || typeof p !== 'object') throw new TypeError(`${name}: rnn.params must be an object { wIn, wRec, b, ... }`);
  assertTensor(p.wRec, `${name}: rnn.params.wRec`);
  assertTensor(p.wIn, `${name}: rnn.params.wIn`);
  assertTensor(p.b, `${name}: rnn.params.b`);
  const ws = p.wRec.shape;
  if (ws.length !== 2 || ws[0] !== ws[1] || ws[0] < 1) {
    throw new RangeError(`${name}: rnn.params.wRec must be [H,H], got ${formatShape(ws)}`);
  }
  const h = ws[0];
  const is = p.wIn.shape;
  if (is.length !== 2 || is[0] !== h) {
    throw new RangeError(`${name}: rnn.params.wIn must be [H,I] with H = ${h}, got ${formatShape(is)}`);
  }
  if (p.b.shape.length !== 1 || p.b.shape[0] !== h) {
    throw new RangeError(`${name}: rnn.params.b must be [H] with H = ${h}, got ${formatShape(p.b.shape)}`);
  }
  for (const [key, t] of [['wRec', p.wRec], ['wIn', p.wIn], ['b', p.b]] as const) {
    const bad = firstNonFinite(t.data);
    if (bad >= 0) throw new RangeError(`${name}: rnn.params.${key} has ${t.data[bad]} at flat index ${bad}`);
  }
  return [h, is[1]];
}

/**
 * Adapts an RNN to a {@link DynamicalSystem} with dim = H: `step` computes
 * h' = φ(wRec·h + wIn·x_t + b) and `jacobian` the exact ∂h'/∂h = diag(φ'(a))·wRec at the same
 * pre-activation a, with φ' computed from a without cancellation (sech²(a) for tanh, a true 0 only
 * when it underflows, past |a| ≈ 372.5). For the Lyapunov spectrum a tanh step with a unit past
 * |a| ≈ 208 is taken as factors that keep its derivative's log (src/rnn/tanh-factors.ts), so its
 * exponent stays finite, as the true one is.
 * `jacobianTimes` forms diag(φ'(a))·(wRec·Q) without forming J. Arithmetic is float64; the weights
 * are copied once.
 *
 * A GRU (`cell: 'gru'`) is adapted on h and an LSTM on its full state [h; c] (dim 2H), each with the
 * exact Jacobian of PyTorch's one-step map (see docs/pytorch.md).
 *
 * Driven by `inputs` (`[1,T,I]` or `[T,I]`) step t reads x_t; otherwise the input is the constant
 * `input` (default zeros) and the system is autonomous.
 *
 * @example
 * ```ts
 * const sys = rnnSystem(rnn, { inputs: x });   // x: [1,T,I]
 * const h1 = new Float64Array(sys.dim);
 * sys.step(new Float64Array(sys.dim), 0, h1);
 * ```
 */
export function rnnSystem(rnn: AnyRnn, opts: RnnSystemOptions = {}): RnnSystem {
  // undefined or null: the defaults; the adapters read this copy, so each option is read once
  const o = readOptions(opts, 'rnnSystem');
  checkOptionKeys(o, RNN_SYSTEM_KEYS, 'rnnSystem');
  return rnnSystemFor(rnn, o, 'rnnSystem');
}

/** {@link rnnSystem} with errors naming `name`, the function the user called (see `toDynamicalSystem`). @internal */
export function rnnSystemFor(rnn: AnyRnn, opts: RnnSystemOptions | undefined, name: string): RnnSystem {
  if (isGated(rnn)) return gatedSystem(rnn, opts, name);
  const [n, ni] = checkRnnForSystem(rnn, name);
  const drive = readDrive(opts, ni, name);
  return vanillaSystem(rnn as Rnn, n, ni, drive, name);
}

/** The vanilla cell's map on its drive: the per-state cache and the four methods. */
function vanillaSystem(rnn: Rnn, n: number, ni: number, drive: Drive, name: string): RnnSystem {
  const w = Float64Array.from(rnn.params.wRec.data);
  const act = rnn.activation;
  const driveAt = createDriveTerm(rnn, n, ni, drive, name);
  // cache of φ'(a) for the last (x, t) seen, so step + jacobianTimes at one state costs one W·h
  const cacheX = new Float64Array(n);
  const deriv = new Float64Array(n);
  const pre = new Float64Array(n);
  const value = new Float64Array(n); // φ(a) for the cached state: the next state
  let cacheT = NaN;
  let w32: Float32Array | undefined; // the system's own float32 copy of wRec, for float32 frame products
  let minDeriv = Infinity; // min_i φ'(a_i) for the cached state
  let factorCount = -1; // tanhFactorCount for the cached state, once asked (-1: not yet)
  // J's zero columns (zero-columns.ts), where W's sparsity lets one outnumber the zero rows
  const zeroColumns = createZeroColumns(n, w);
  let factorF0: Float64Array | undefined; // a factored step's F_0 and its diagonal factor (tanh-factors.ts), made on first use
  let factorDiag: Float64Array | undefined;
  let qRows = new Float64Array(0); // row-major Q and J·Q, transposed for the column-major kernel
  let outRows = new Float64Array(0);

  function preactivation(x: Float64Array, t: number): void {
    const c = driveAt(t);
    const ex = wasmKernels(n);
    if (ex !== undefined) {
      // the same sums in the same order (one row per SIMD lane): bit-identical to recurrentTimes
      wasmGemvResident(ex, n, n, w, x, pre);
      for (let j = 0; j < n; j++) pre[j] += c[j];
    } else {
      recurrentTimes(n, w, x, c, pre);
    }
    // and the smallest φ'(a), for the spectrum's hooks below (O(1) each when nothing is saturated)
    minDeriv = activationValuesAndDerivatives(act, pre, value, deriv, n);
    factorCount = -1;
    cacheX.set(x);
    cacheT = t;
  }
  function ensure(x: Float64Array, t: number): void {
    if (t !== cacheT || !sameState(x, cacheX, n)) preactivation(x, t);
  }
  /** out (column-major n×k) = diag(φ'(a))·W·Q for the cached state, in float64. */
  function productFloat64(k: number, q: Float64Array, out: Float64Array): void {
    const ex = wasmKernels(n);
    if (ex !== undefined) wasmMatMulDiag(ex, n, k, w, true, q, out, deriv); // w stays resident
    else diagMatMulColMajorRaw(n, k, deriv, w, q, out);
  }
  /** The factors of a step whose tanh' underflows (tanh-factors.ts): F_0, then the one diagonal factor repeated; none for an ordinary step. */
  function factorViews(x: Float64Array, t: number, what: string): readonly Float64Array[] {
    checkState(x, what);
    ensure(x, t);
    const count = factorCountOfCached();
    if (count === 0) return [];
    const f0 = (factorF0 ??= new Float64Array(n * n));
    const diag = (factorDiag ??= new Float64Array(n * n));
    tanhFactors(n, w, pre, count, f0, diag);
    return [f0, ...Array.from({ length: count - 1 }, () => diag)];
  }
  /** The factor count of the cached state (tanh-factors.ts), computed once per state: the estimator asks for it, then for the factors. */
  function factorCountOfCached(): number {
    if (factorCount < 0) factorCount = minDeriv < TANH_SPLIT_BELOW ? tanhFactorCount(pre, deriv, n) : 0;
    return factorCount;
  }
  function checkState(x: Float64Array, what: string): void {
    if (!(x instanceof Float64Array) || x.length !== n) {
      throw new RangeError(`${name}.${what}: expected a Float64Array state of length H = ${n}, got ${x instanceof Float64Array ? `length ${x.length}` : typeof x}`);
    }
  }

  const sys = {
    dim: n,
    length: drive.length,
    inputSize: ni,
    activation: act,
    ...(drive.seq !== undefined ? { initialState: new Float64Array(n) } : {}),
    step(x: Float64Array, t: number, out: Float64Array): void {
      checkState(x, 'step');
      preactivation(x, t);
      out.set(value);
    },
    jacobian(x: Float64Array, t: number, out: Float64Array): void {
      checkState(x, 'jacobian');
      ensure(x, t);
      for (let i = 0; i < n; i++) {
        const d = deriv[i];
        const r = i * n;
        for (let l = 0; l < n; l++) out[r + l] = d * w[r + l];
      }
    },
    // J's exactly zero columns, which a product J·Q cannot show (the rank bound of lyapunov/frame-step.ts)
    ...(zeroColumns !== undefined
      ? {
          jacobianZeroColumns(x: Float64Array, t: number): ZeroSet {
            checkState(x, 'jacobianZeroColumns');
            ensure(x, t);
            return zeroColumns(deriv, minDeriv);
          },
        }
      : {}),
    // a step where a tanh unit's derivative underflows (|a| ≳ 208): J as factors the estimator's QRs
    // resolve, so that its exponent is finite, as the true one is (tanh-factors.ts)
    ...(act === 'tanh'
      ? {
          jacobianFactorCount(x: Float64Array, t: number): number {
            checkState(x, 'jacobianFactorCount');
            ensure(x, t);
            return factorCountOfCached();
          },
          jacobianFactors(x: Float64Array, t: number, out: readonly Float64Array[]): void {
            const views = factorViews(x, t, 'jacobianFactors');
            for (let i = 0; i < views.length; i++) out[i].set(views[i]);
          },
          jacobianFactorViews: (x: Float64Array, t: number): readonly Float64Array[] => factorViews(x, t, 'jacobianFactorViews'),
        }
      : {}),
    jacobianTimes(x: Float64Array, t: number, q: Float64Array, k: number, out: Float64Array): void {
      checkState(x, 'jacobianTimes');
      ensure(x, t);
      // row-major Q is column-major Qᵀ: transposing in and out is exact, and the column-major
      // kernel sums each entry in the same order (l = 0, 1, …), so this is bit for bit diag(d)·W·Q
      if (qRows.length < n * k) {
        qRows = new Float64Array(n * k);
        outRows = new Float64Array(n * k);
      }
      transposeInto(q, n, k, qRows);
      diagMatMulColMajorRaw(n, k, deriv, w, qRows, outRows);
      transposeInto(outRows, k, n, out);
    },
    jacobianTimesColMajor(x: Float64Array, t: number, q: Float64Array, k: number, out: Float64Array): void {
      checkState(x, 'jacobianTimesColMajor');
      ensure(x, t);
      productFloat64(k, q, out);
    },
    // the float32 frame product of lyapunovSpectrum's productPrecision (lyapunov/product-precision.ts)
    float32ProductAvailable(): boolean {
      return f32FrameProductAvailable(false); // the weights are float32 (checkRnnForSystem)
    },
    jacobianTimesColMajorFloat32(x: Float64Array, t: number, q: Float64Array, k: number, out: Float64Array, fma: boolean): void {
      checkState(x, 'jacobianTimesColMajorFloat32');
      ensure(x, t);
      w32 ??= Float32Array.from(w); // exact: w holds the float32 weights
      // a unit saturated past FLOAT32_MIN_ROW_SCALE: its row would leave float32's normal range (an
      // exact zero past 1e-45, read as a rank-deficient Jacobian), so this step is taken in float64
      if (!rowScalesFitFloat32(deriv, n) || !f32FrameProduct(fma, n, k, w32, q, deriv, out)) productFloat64(k, q, out); // or n > 4096, no memory
    },
  };
  return sys;
}

/**
 * The input term wIn·x_t + b of the vanilla cell as a function of t: computed once for a constant
 * input, and for a sequence once per new t (the last one is cached).
 */
function createDriveTerm(rnn: Rnn, n: number, ni: number, drive: Drive, name: string): (t: number) => Float64Array {
  const u = Float64Array.from(rnn.params.wIn.data);
  const bias = Float64Array.from(rnn.params.b.data);
  const term = new Float64Array(n);
  const { seq, length } = drive;
  if (seq === undefined) {
    inputTerm(n, ni, u, bias, drive.constant, 0, term);
    return () => term;
  }
  const T = length as number;
  let termT = NaN;
  return (t: number): Float64Array => {
    if (t === termT) return term;
    if (!Number.isInteger(t) || t < 0 || t >= T) {
      throw new RangeError(`${name}: time step t must be an integer in [0, ${T}) for an input sequence of length ${T}, got ${t}`);
    }
    inputTerm(n, ni, u, bias, seq, t * ni, term);
    termT = t;
    return term;
  };
}

/** out[i] = b[i] + Σ_j u[i,j]·x[o + j], each sum in order j = 0, 1, …. */
function inputTerm(n: number, ni: number, u: Float64Array, b: Float64Array, x: ArrayLike<number>, o: number, out: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = b[i];
    const r = i * ni;
    for (let j = 0; j < ni; j++) s += u[r + j] * x[o + j];
    out[i] = s;
  }
}

/** pre ← w·x + c for row-major n×n w, two rows at a time, each sum in order l = 0, 1, …. */
function recurrentTimes(n: number, w: Float64Array, x: Float64Array, c: Float64Array, pre: Float64Array): void {
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const r0 = i * n;
    const r1 = r0 + n;
    let s0 = 0, s1 = 0;
    for (let l = 0; l < n; l++) {
      const v = x[l];
      s0 += w[r0 + l] * v;
      s1 += w[r1 + l] * v;
    }
    pre[i] = s0 + c[i];
    pre[i + 1] = s1 + c[i + 1];
  }
  for (; i < n; i++) {
    let s = 0;
    for (let l = 0; l < n; l++) s += w[i * n + l] * x[l];
    pre[i] = s + c[i];
  }
}

/** deriv ← φ'(pre): sech² for tanh (the autodiff kernel's, without cancellation), the step for relu, 1. */
/**
 * value = φ(pre) and deriv = φ'(pre). For tanh, sech2's bits from the tanh already computed for the
 * value (sech2GivenTanh: one Math.tanh per unit where sech2 would take a second one). Returns
 * min_i φ'(pre_i) (Infinity for n = 0).
 */
function activationValuesAndDerivatives(act: Activation, pre: Float64Array, value: Float64Array, deriv: Float64Array, n: number): number {
  let lo = Infinity;
  if (act === 'tanh') {
    for (let j = 0; j < n; j++) {
      const a = pre[j];
      const t = Math.tanh(a);
      value[j] = t;
      const d = sech2GivenTanh(a, t);
      deriv[j] = d;
      if (d < lo) lo = d;
    }
  } else if (act === 'relu') {
    for (let j = 0; j < n; j++) {
      const a = pre[j];
      value[j] = a > 0 ? a : 0;
      deriv[j] = a > 0 ? 1 : 0;
      if (!(a > 0)) lo = 0;
    }
    if (lo !== 0 && n > 0) lo = 1;
  } else {
    value.set(pre);
    deriv.fill(1);
    lo = 1;
  }
  return lo;
}

/** True when x equals the cached state entry for entry. */
function sameState(x: Float64Array, cached: Float64Array, n: number): boolean {
  for (let i = 0; i < n; i++) if (x[i] !== cached[i]) return false;
  return true;
}

/** out (c×r, row-major) = aᵀ for row-major r×c `a`. */
function transposeInto(a: Float64Array, r: number, c: number, out: Float64Array): void {
  for (let i = 0; i < r; i++) {
    const o = i * c;
    for (let j = 0; j < c; j++) out[j * r + i] = a[o + j];
  }
}

/** True when every nonzero d_i lies in [FLOAT32_MIN_ROW_SCALE, 1/FLOAT32_MIN_ROW_SCALE] (exact zeros are zero rows in both precisions). */
function rowScalesFitFloat32(d: Float64Array, n: number): boolean {
  const lo = FLOAT32_MIN_ROW_SCALE, hi = 1 / FLOAT32_MIN_ROW_SCALE;
  for (let i = 0; i < n; i++) {
    const v = Math.abs(d[i]);
    if (v !== 0 && !(v >= lo && v <= hi)) return false;
  }
  return true;
}
